import { addDays, dayKey, startOfDayIn } from '../domain/time-zone.ts';
import { AppError } from '../protocol/errors.ts';
import type { Notice, NoticeEntry, NoticeObjection, NoticeStatus, StaffMark, StarRecord } from '../protocol/notices.ts';
import { noticeWindow } from './working-days.ts';
import type { WorkCalendar } from '../domain/work-calendar.ts';

/**
 * The life of a notice, as pure steps from one record to the next: a draft is reviewed,
 * published for a notice period, takes objections while the period runs, and becomes final
 * once the period is over and every objection is resolved. Each step refuses what its state
 * does not allow, with the reason in `details.reason`.
 */

function refuse(notice: Notice, reason: string, message: string): never {
  throw new AppError('CONFLICT', message, 409, { reason, status: notice.status });
}

function requireStatus(notice: Notice, status: NoticeStatus, message: string): void {
  if (notice.status !== status) refuse(notice, `NOTICE_NOT_${status.toUpperCase()}`, message);
}

function findEntry(notice: Notice, volunteerId: string): NoticeEntry {
  const entry = notice.entries.find((e) => e.volunteerId === volunteerId);
  if (!entry) throw new AppError('NOT_FOUND', 'This volunteer is not on the notice', 404);
  return entry;
}

function withEntry(notice: Notice, entry: NoticeEntry): Notice {
  const exists = notice.entries.some((e) => e.volunteerId === entry.volunteerId);
  return { ...notice, entries: exists ? notice.entries.map((e) => (e.volunteerId === entry.volunteerId ? entry : e)) : [...notice.entries, entry] };
}

export function updateDraft(notice: Notice, input: { title?: string; contact?: string }): Notice {
  requireStatus(notice, 'draft', 'Only a draft can be edited; withdraw the notice and make a new one');
  return { ...notice, ...input };
}

/** Takes an entry off the draft; it stays on record with the reason, and can be put back. */
export function removeEntry(notice: Notice, volunteerId: string, mark: StaffMark): Notice {
  requireStatus(notice, 'draft', 'Entries can be changed only while the notice is a draft');
  const entry = findEntry(notice, volunteerId);
  if (entry.removed) return notice;
  return withEntry(notice, { ...entry, removed: mark });
}

/** Puts a volunteer on the draft (or back on it) with the reason; `entry` carries the figures from the data. */
export function addEntry(notice: Notice, entry: NoticeEntry, mark: StaffMark): Notice {
  requireStatus(notice, 'draft', 'Entries can be changed only while the notice is a draft');
  const { removed: _removed, ...current } = notice.entries.find((e) => e.volunteerId === entry.volunteerId) ?? entry;
  return withEntry(notice, { ...current, stars: entry.stars, added: mark });
}

export function listed(notice: Notice): NoticeEntry[] {
  return notice.entries.filter((entry) => !entry.removed);
}

export function publish(notice: Notice, input: { workingDays: number; startsOn?: string }, now: Date, by: string, center: { timeZone: string; calendar?: WorkCalendar }): Notice {
  const { timeZone } = center;
  requireStatus(notice, 'draft', 'This notice was published or withdrawn already');
  if (listed(notice).length === 0) refuse(notice, 'NOTICE_EMPTY', 'There is nobody on the list to publish');
  const today = dayKey(now, timeZone);
  const firstDay = input.startsOn ?? today;
  if (firstDay < today) throw new AppError('VALIDATION_FAILED', 'The notice period cannot begin in the past', 400);
  const { startsOn, endsOn } = noticeWindow(firstDay, input.workingDays, center.calendar);
  const endsAt = startOfDayIn(addDays(endsOn, 1), timeZone).toISOString();
  return { ...notice, status: 'published', published: { at: now.toISOString(), by, workingDays: input.workingDays, startsOn, endsOn, endsAt } };
}

function periodOver(notice: Notice, now: Date): boolean {
  return !!notice.published && now.getTime() >= Date.parse(notice.published.endsAt);
}

/** Objections are taken from publication until the notice period ends, against an entry on the list. */
export function recordObjection(notice: Notice, objection: NoticeObjection, now: Date): Notice {
  requireStatus(notice, 'published', 'Objections are recorded only against a published notice');
  if (periodOver(notice, now)) refuse(notice, 'NOTICE_PERIOD_ENDED', 'The notice period has ended; objections can no longer be recorded');
  if (findEntry(notice, objection.volunteerId).removed) refuse(notice, 'ENTRY_REMOVED', 'This entry is no longer on the list');
  return { ...notice, objections: [...notice.objections, objection] };
}

/** An upheld objection takes the entry off the list; a dismissed one leaves it. Either way the answer is kept. */
export function resolveObjection(notice: Notice, objectionId: string, resolution: NonNullable<NoticeObjection['resolution']>): Notice {
  requireStatus(notice, 'published', 'Objections are resolved only on a published notice');
  const objection = notice.objections.find((o) => o.id === objectionId);
  if (!objection) throw new AppError('NOT_FOUND', 'No such objection on this notice', 404);
  if (objection.resolution) refuse(notice, 'OBJECTION_RESOLVED', 'This objection was resolved already');
  const resolved = { ...notice, objections: notice.objections.map((o) => (o.id === objectionId ? { ...o, resolution } : o)) };
  if (resolution.outcome === 'dismissed') return resolved;
  const entry = findEntry(resolved, objection.volunteerId);
  return entry.removed ? resolved : withEntry(resolved, { ...entry, removed: { at: resolution.at, by: resolution.by, reason: resolution.note } });
}

export function withdraw(notice: Notice, mark: StaffMark): Notice {
  if (notice.status !== 'draft' && notice.status !== 'published') refuse(notice, 'NOTICE_CLOSED', 'A final or withdrawn notice cannot be withdrawn');
  return { ...notice, status: 'withdrawn', withdrawn: mark };
}

export function openObjections(notice: Notice): NoticeObjection[] {
  return notice.objections.filter((o) => !o.resolution);
}

/**
 * A published notice is final once its period is over and no objection is open: at the end of
 * the period, or when the last objection is resolved after it. Returns the final notice and the
 * star records of those on the list, or null when it is not due.
 */
export function finalizeIfDue(notice: Notice, now: Date): { notice: Notice; records: StarRecord[] } | null {
  if (notice.status !== 'published' || !periodOver(notice, now) || openObjections(notice).length > 0) return null;
  const finalAt = notice.objections.reduce((latest, o) => (o.resolution && o.resolution.at > latest ? o.resolution.at : latest), notice.published!.endsAt);
  const records = listed(notice).map((entry): StarRecord => ({
    id: `${notice.id}:${entry.volunteerId}`,
    volunteerId: entry.volunteerId,
    noticeId: notice.id,
    kind: notice.kind,
    period: notice.period,
    stars: entry.stars,
    hours: entry.hours,
    finalAt,
  }));
  return { notice: { ...notice, status: 'final', finalAt }, records };
}
