import type { Activity, ActivityStatus } from '@protocol/model.ts';
import type { Settings } from '@protocol/settings.ts';
import { acceptsCheckIn } from '@protocol/check-in-window.ts';

/**
 * What an activity is now, as staff think of it. The stored status alone misleads: a planned
 * activity accepts sign-ins in its window without being opened by hand, and one whose end has
 * passed is over whether or not someone closed it.
 */
export function activityPhase(activity: Activity, settings: Settings, now = new Date()): ActivityStatus {
  if (activity.status === 'cancelled') return 'cancelled';
  if (acceptsCheckIn(activity, now, settings)) return 'open';
  return Date.parse(activity.endsAt) < now.getTime() ? 'closed' : activity.status;
}
