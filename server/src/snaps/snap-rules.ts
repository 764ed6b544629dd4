import { monthKey } from '../domain/time-zone.ts';
import { addPoints } from '../domain/points.ts';
import { AppError } from '../protocol/errors.ts';
import type { BoardSnaps, MySnapView, Snap, SnapMonthReport, SnapSettings, StaffSnapView } from '../protocol/me.ts';
import type { LedgerEntry, Volunteer } from '../protocol/model.ts';

export interface ReviewInput {
  accepted: boolean;
  points?: number;
  note?: string;
}

/**
 * A review is decided once: the points go to the ledger in the same transaction that marks the
 * snap reviewed, and a second review is refused, so a double click or a second staff member can
 * never credit twice. Points default to the category's figure in the settings.
 */
export function decideReview(snap: Snap, input: ReviewInput, settings: SnapSettings, now: Date, by: string, ledgerId: string): { snap: Snap; ledger?: LedgerEntry } {
  if (snap.status !== 'pending') throw new AppError('SNAP_STATE', 'This snap has already been reviewed', 409, { status: snap.status });
  const points = input.accepted ? (input.points ?? defaultPointsFor(snap, settings)) : 0;
  const at = now.toISOString();
  const credit = input.accepted && points > 0;
  const reviewed: Snap = {
    ...snap,
    status: input.accepted ? 'accepted' : 'declined',
    review: { at, by, accepted: input.accepted, points, ...(input.note ? { note: input.note } : {}), ...(credit ? { ledgerId } : {}) },
  };
  if (!credit) return { snap: reviewed };
  const ledger: LedgerEntry = { id: ledgerId, volunteerId: snap.volunteerId, delta: addPoints(points, 0), kind: 'snap', reason: `随手拍 ${snap.place}`, at, by, snapId: snap.id };
  return { snap: reviewed, ledger };
}

/** What the center did about it: recorded once after the review, then the volunteer sees it ("反馈"). */
export function decideResolve(snap: Snap, note: string, now: Date, by: string): Snap {
  if (snap.status === 'pending') throw new AppError('SNAP_STATE', 'Review the snap before marking it handled', 409, { status: snap.status });
  if (snap.status === 'handled') throw new AppError('SNAP_STATE', 'This snap is already marked handled', 409, { status: snap.status });
  return { ...snap, status: 'handled', resolution: { at: now.toISOString(), by, note } };
}

export function defaultPointsFor(snap: Pick<Snap, 'category'>, settings: SnapSettings): number {
  return settings.categories.find((c) => c.key === snap.category)?.points ?? 0;
}

export function snapPhotoUrl(snap: Snap, size: 'full' | 'thumb' = 'full'): string {
  return `/api/snaps/${encodeURIComponent(snap.id)}/photo${size === 'thumb' ? '?size=thumb' : ''}`;
}

export function mySnapView(snap: Snap): MySnapView {
  return {
    id: snap.id,
    category: snap.category,
    place: snap.place,
    ...(snap.note ? { note: snap.note } : {}),
    createdAt: snap.createdAt,
    status: snap.status,
    photoUrl: snapPhotoUrl(snap, 'thumb'),
    ...(snap.review ? { points: snap.review.points, ...(snap.review.note ? { reviewNote: snap.review.note } : {}) } : {}),
    ...(snap.resolution ? { resolution: snap.resolution.note, resolvedAt: snap.resolution.at } : {}),
  };
}

export function staffSnapView(snap: Snap, volunteer: Pick<Volunteer, 'id' | 'name' | 'cardNo'> | undefined): StaffSnapView {
  return {
    ...mySnapView(snap),
    photoUrl: snapPhotoUrl(snap),
    volunteer: { id: snap.volunteerId, name: volunteer?.name ?? '', cardNo: volunteer?.cardNo ?? '' },
    ...(snap.review ? { accepted: snap.review.accepted, reviewedBy: snap.review.by, reviewedAt: snap.review.at } : {}),
  };
}

export interface SnapFilter {
  status?: Snap['status'];
  category?: Snap['category'];
  month?: string;
}

export function filterSnaps(snaps: Iterable<Snap>, filter: SnapFilter, timeZone: string): Snap[] {
  return [...snaps]
    .filter((s) => (!filter.status || s.status === filter.status) && (!filter.category || s.category === filter.category) && (!filter.month || monthKey(s.createdAt, timeZone) === filter.month))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** The month's figures: how many came in, how many were accepted, the points given, by category and by place. */
export function snapMonthReport(snaps: Iterable<Snap>, month: string, timeZone: string): SnapMonthReport {
  const inMonth = filterSnaps(snaps, { month }, timeZone);
  const byCategory = new Map<Snap['category'], { count: number; accepted: number; points: number }>();
  const byPlace = new Map<string, number>();
  const report: SnapMonthReport = { month, count: inMonth.length, accepted: 0, declined: 0, pending: 0, handled: 0, points: 0, byCategory: [], byPlace: [] };
  for (const snap of inMonth) {
    const category = byCategory.get(snap.category) ?? { count: 0, accepted: 0, points: 0 };
    byCategory.set(snap.category, category);
    category.count++;
    byPlace.set(snap.place, (byPlace.get(snap.place) ?? 0) + 1);
    if (snap.status === 'pending') report.pending++;
    if (snap.status === 'handled') report.handled++;
    if (snap.review?.accepted) {
      report.accepted++;
      category.accepted++;
      report.points = addPoints(report.points, snap.review.points);
      category.points = addPoints(category.points, snap.review.points);
    } else if (snap.review) report.declined++;
  }
  report.byCategory = [...byCategory].map(([category, figures]) => ({ category, ...figures })).sort((a, b) => b.count - a.count);
  report.byPlace = [...byPlace].map(([place, count]) => ({ place, count })).sort((a, b) => b.count - a.count || (a.place < b.place ? -1 : 1));
  return report;
}

const BOARD_HANDLED = 5;

/** The board's panel: this month's count and the latest handled reports, category and place only. */
export function boardSnaps(snaps: Iterable<Snap>, now: Date, timeZone: string, thumbnails: boolean): BoardSnaps {
  const month = monthKey(now, timeZone);
  let monthCount = 0;
  const handled: Snap[] = [];
  for (const snap of snaps) {
    if (monthKey(snap.createdAt, timeZone) === month) monthCount++;
    if (snap.status === 'handled' && snap.resolution) handled.push(snap);
  }
  handled.sort((a, b) => (a.resolution!.at < b.resolution!.at ? 1 : -1));
  return {
    monthCount,
    latestHandled: handled.slice(0, BOARD_HANDLED).map((s) => ({ id: s.id, category: s.category, place: s.place, resolvedAt: s.resolution!.at, ...(thumbnails ? { thumbnailUrl: `/api/board/snaps/${encodeURIComponent(s.id)}/thumb` } : {}) })),
  };
}
