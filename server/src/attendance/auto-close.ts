import type { AppContext } from '../context.ts';
import { autoCloseAt } from '../domain/hours.ts';
import type { StationState, Change } from '../store/state.ts';
import { auditChange } from '../audit.ts';
import { announceAttendance } from './attendance-notice.ts';
import { closeAttendance } from './close-attendance.ts';

/**
 * Sign-ins left open past the activity's end plus grace are closed at the end and flagged for
 * review. Pure: returns the changes; runs on a timer and right after start-up, so a PC switched
 * off overnight closes yesterday's sign-ins when it comes back.
 */
export function decideAutoClose(state: StationState, now: Date): { changes: Change[]; closedIds: string[] } {
  const settings = state.settings;
  const changes: Change[] = [];
  const closedIds: string[] = [];
  if (!settings.autoClose.enabled) return { changes, closedIds };
  for (const attendanceId of state.openAttendanceIds()) {
    const attendance = state.get('attendance', attendanceId);
    const activity = attendance && state.get('activities', attendance.activityId);
    if (!attendance || !activity) continue;
    if (Date.parse(autoCloseAt(activity, settings.hours)) > now.getTime()) continue;
    const closed = closeAttendance(attendance, activity, settings, {
      at: activity.endsAt,
      by: 'system',
      autoClosed: true,
      creditNothing: settings.autoClose.credit === 'none',
    });
    changes.push(...closed.changes);
    closedIds.push(attendance.id);
  }
  if (closedIds.length > 0) changes.push(auditChange(now, 'system', 'attendance.auto-closed', undefined, `${closedIds.length} sign-in(s) left open`, { count: closedIds.length }));
  return { changes, closedIds };
}

export async function runAutoClose(ctx: AppContext): Promise<number> {
  const { changes, closedIds } = decideAutoClose(ctx.store.state, ctx.clock.now());
  if (changes.length === 0) return 0;
  await ctx.store.commit(changes);
  for (const id of closedIds) announceAttendance(ctx, 'auto-close', id);
  return closedIds.length;
}
