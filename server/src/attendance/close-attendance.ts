import { creditableMinutes } from '../domain/hours.ts';
import { pointsForAttendance, ruleFor } from '../domain/points.ts';
import { newId } from '../ids.ts';
import type { Activity, Attendance, LedgerEntry } from '../protocol/model.ts';
import type { Settings } from '../protocol/settings.ts';
import type { Change } from '../store/state.ts';

/**
 * Closes an attendance: creditable minutes by the center's rules, and the points they earn as
 * one ledger entry, in the same transaction. `creditUntil` is where hours stop counting, which
 * for an auto-close is the activity's end, not the moment the server noticed.
 */
export function closeAttendance(
  attendance: Attendance,
  activity: Activity,
  settings: Settings,
  close: { at: string; creditUntil?: string; by: string; autoClosed?: boolean; creditNothing?: boolean },
): { closed: Attendance; changes: Change[]; points: number } {
  const credited = close.creditNothing ? 0 : creditableMinutes(attendance.checkInAt, close.creditUntil ?? close.at, activity, settings.hours);
  const points = pointsForAttendance(credited, ruleFor(activity, settings));
  const closed: Attendance = {
    ...attendance,
    checkOutAt: close.at,
    creditedMinutes: credited,
    pointsCredited: points,
    ...(close.autoClosed ? { autoClosed: true, needsReview: true } : {}),
  };
  const changes: Change[] = [{ c: 'attendance', v: closed }];
  if (points !== 0) {
    const entry: LedgerEntry = {
      id: newId(),
      volunteerId: attendance.volunteerId,
      delta: points,
      kind: 'attendance',
      reason: activity.title,
      at: close.at,
      by: close.by,
      attendanceId: attendance.id,
    };
    changes.push({ c: 'ledger', v: entry });
  }
  return { closed, changes, points };
}
