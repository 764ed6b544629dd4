import type { Activity } from '../protocol/model.ts';
import type { Settings } from '../protocol/settings.ts';

const MINUTE = 60_000;

/**
 * Minutes between sign-in and sign-out, clipped to the activity window widened by the grace
 * period on both sides: arriving early to set up or staying to tidy within the grace counts,
 * a forgotten sign-out at midnight does not.
 */
export function servedMinutes(checkInAt: string, checkOutAt: string, activity: Pick<Activity, 'startsAt' | 'endsAt'>, graceMinutes: number): number {
  const windowStart = Date.parse(activity.startsAt) - graceMinutes * MINUTE;
  const windowEnd = Date.parse(activity.endsAt) + graceMinutes * MINUTE;
  const from = Math.max(Date.parse(checkInAt), windowStart);
  const to = Math.min(Date.parse(checkOutAt), windowEnd);
  return Math.max(0, Math.floor((to - from) / MINUTE));
}

/** Rounds to the center's step (default: down to the half hour) and applies the cap per attendance. */
export function roundCreditableMinutes(minutes: number, rules: Settings['hours'], activityMaxHours?: number): number {
  const step = rules.roundingMinutes;
  const rounded =
    rules.roundingMode === 'down' ? Math.floor(minutes / step) * step
    : rules.roundingMode === 'up' ? Math.ceil(minutes / step) * step
    : Math.round(minutes / step) * step;
  const capHours = activityMaxHours ?? rules.maxHoursPerAttendance;
  return capHours == null ? rounded : Math.min(rounded, Math.floor(capHours * 60));
}

export function creditableMinutes(
  checkInAt: string,
  checkOutAt: string,
  activity: Pick<Activity, 'startsAt' | 'endsAt' | 'maxHours'>,
  rules: Settings['hours'],
): number {
  return roundCreditableMinutes(servedMinutes(checkInAt, checkOutAt, activity, rules.graceMinutes), rules, activity.maxHours);
}

/** When an open sign-in is closed automatically: the activity's end plus grace. */
export function autoCloseAt(activity: Pick<Activity, 'endsAt'>, rules: Settings['hours']): string {
  return new Date(Date.parse(activity.endsAt) + rules.graceMinutes * MINUTE).toISOString();
}

export function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}
