import type { Activity } from '../protocol/model.ts';
import type { OpenActivity } from '../protocol/events.ts';
import type { Settings } from '../protocol/settings.ts';
import type { StationState } from '../store/state.ts';
import { acceptsCheckIn } from '../protocol/check-in-window.ts';

export function activitiesAcceptingCheckIn(state: StationState, at: Date): Activity[] {
  const settings = state.settings;
  const result: Activity[] = [];
  for (const activity of state.records.activities.values()) if (acceptsCheckIn(activity, at, settings)) result.push(activity);
  return result.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.title.localeCompare(b.title));
}

export function onSiteCount(state: StationState, activityId: string): number {
  return state.onSiteCount(activityId);
}

export function onSiteByActivity(state: StationState): Record<string, number> {
  return Object.fromEntries(state.onSiteCountsByActivity());
}

export function openActivitySummaries(state: StationState, at: Date): OpenActivity[] {
  const counts = onSiteByActivity(state);
  return activitiesAcceptingCheckIn(state, at).map((a) => ({
    id: a.id,
    title: a.title,
    place: a.place,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    onSite: counts[a.id] ?? 0,
  }));
}
