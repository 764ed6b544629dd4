import type { Activity } from './model.ts';
import type { Settings } from './settings.ts';

const MINUTE = 60_000;

/**
 * Whether a sign-in is accepted for the activity at the given time. A planned activity opens
 * for sign-in a while before it starts; staff may open one by hand, which then accepts sign-ins
 * until its end plus grace. Closed and cancelled activities accept none. Shared with the admin,
 * so "签到中" shows exactly when tablets accept sign-ins.
 */
export function acceptsCheckIn(activity: Activity, at: Date, settings: Settings): boolean {
  if (activity.status === 'closed' || activity.status === 'cancelled') return false;
  const end = Date.parse(activity.endsAt) + (activity.status === 'open' ? settings.hours.graceMinutes * MINUTE : 0);
  const start = Date.parse(activity.startsAt) - settings.checkInOpensMinutesBefore * MINUTE;
  const time = at.getTime();
  return activity.status === 'open' ? time <= end : time >= start && time <= end;
}
