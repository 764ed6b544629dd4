import { auditChange } from '../audit.ts';
import { closeAttendance } from '../attendance/close-attendance.ts';
import { minutesToHours } from '../domain/hours.ts';
import { newId } from '../ids.ts';
import type { BackfillInput, BackfillProblem, BackfillResult } from '../protocol/backfill.ts';
import { AppError } from '../protocol/errors.ts';
import type { Attendance } from '../protocol/model.ts';
import type { Change, StationState } from '../store/state.ts';

/**
 * An attendance of the volunteer (not removed) whose time overlaps [from, to); an open one runs
 * until now. `except` is the attendance being corrected, which may overlap its old self.
 * `archived`: attendance of closed years near the window, read beforehand from their archives
 * (`archivedAttendanceAround`): an attendance late on New Year's Eve of a closed year still
 * counts its hours into 1 January.
 */
export function overlappingAttendance(state: StationState, volunteerId: string, from: string, to: string, except?: string, archived: readonly Attendance[] = []): Attendance | undefined {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const overlaps = (a: Attendance | undefined): a is Attendance => {
    if (!a || a.removed || a.id === except || a.volunteerId !== volunteerId) return false;
    const aEnd = a.checkOutAt ? Date.parse(a.checkOutAt) : Number.POSITIVE_INFINITY;
    return Date.parse(a.checkInAt) < end && aEnd > start;
  };
  for (const id of state.attendanceIdsOf(volunteerId)) {
    const a = state.get('attendance', id);
    if (overlaps(a)) return a;
  }
  return archived.find(overlaps);
}

/**
 * Refuses a single 补录 or a corrected sign-out whose time overlaps another attendance of the
 * same person: hours must never count twice, whichever way they were entered.
 */
export function refuseOverlap(state: StationState, volunteerId: string, from: string, to: string, except?: string, archived: readonly Attendance[] = []): void {
  const existing = overlappingAttendance(state, volunteerId, from, to, except, archived);
  if (!existing) return;
  throw new AppError('CONFLICT', 'This person already has an attendance in that time; hours would count twice', 409, {
    problem: 'OVERLAP',
    attendanceId: existing.id,
    activityTitle: state.get('activities', existing.activityId)?.title ?? '',
    checkInAt: existing.checkInAt,
    checkOutAt: existing.checkOutAt ?? null,
  });
}

/**
 * A paper sheet entered at once. Pure. Each line becomes a manual attendance closed by the
 * center's hour and point rules (as a single 补录 is), under one audit entry with the batch's
 * reason. One bad line refuses the whole batch (409 CONFLICT listing every problem), so a sheet
 * is never half-entered: someone not in the register, the same person twice with overlapping
 * times, or a time that overlaps an attendance already recorded (a scan that day, or the same
 * sheet entered twice, or one of a closed year's New Year's Eve in `options.archived`) — hours
 * must never count twice.
 */
export function decideBackfill(state: StationState, input: BackfillInput, options: { now: Date; actor: string; archived?: readonly Attendance[] }): { changes: Change[]; result: BackfillResult } {
  const activity = state.get('activities', input.activityId);
  if (!activity) throw new AppError('NOT_FOUND', 'No such activity', 404);
  const problems: BackfillProblem[] = [];
  input.entries.forEach((entry, index) => {
    if (!state.get('volunteers', entry.volunteerId)) {
      problems.push({ index, volunteerId: entry.volunteerId, problem: 'UNKNOWN_VOLUNTEER' });
      return;
    }
    const twin = input.entries.findIndex(
      (other, j) => j < index && other.volunteerId === entry.volunteerId && Date.parse(other.checkInAt) < Date.parse(entry.checkOutAt) && Date.parse(other.checkOutAt) > Date.parse(entry.checkInAt),
    );
    if (twin >= 0) problems.push({ index, volunteerId: entry.volunteerId, problem: 'DUPLICATE_IN_BATCH' });
    const existing = overlappingAttendance(state, entry.volunteerId, entry.checkInAt, entry.checkOutAt, undefined, options.archived);
    if (existing) problems.push({ index, volunteerId: entry.volunteerId, problem: 'OVERLAP', attendanceId: existing.id });
  });
  if (problems.length > 0) throw new AppError('CONFLICT', `${problems.length} line(s) of the sheet cannot be recorded; nothing was saved`, 409, { problems });

  const changes: Change[] = [];
  const attendanceIds: string[] = [];
  let minutes = 0;
  let points = 0;
  const createdAt = options.now.toISOString();
  for (const entry of input.entries) {
    const attendance: Attendance = { id: newId(), volunteerId: entry.volunteerId, activityId: activity.id, checkInAt: entry.checkInAt, source: 'manual', createdAt };
    const closed = closeAttendance(attendance, activity, state.settings, { at: entry.checkOutAt, by: options.actor });
    changes.push(...closed.changes);
    attendanceIds.push(attendance.id);
    minutes += closed.closed.creditedMinutes ?? 0;
    points += closed.points;
  }
  changes.push(auditChange(options.now, options.actor, 'attendance.bulk-added', activity.id, `${activity.title}: ${input.entries.length} · ${input.reason}`));
  return { changes, result: { added: attendanceIds.length, attendanceIds, hours: minutesToHours(minutes), points } };
}
