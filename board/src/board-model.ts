import { BOARD_LIMITS, type BoardFeedItem, type BoardState } from '@protocol/board.ts';
import type { AttendanceChanged } from '@protocol/events.ts';

export type ApplyResult =
  /** Patched at once; a quiet refetch should follow for the hours, counts of the day and standings an event does not carry. */
  | { kind: 'applied'; state: BoardState }
  /** Already contained in the state (an event older than the last fetch). */
  | { kind: 'ignored' }
  /** The event cannot be applied on top of this state: a missed event, or something the board does not know yet. */
  | { kind: 'refetch' };

/**
 * Applies one live event to the board as last fetched. Only what the event states is patched:
 * who is on site, the counts, the feed. Anything else (a correction, a version gap, an activity
 * the board does not list) asks for a refetch rather than a guess.
 */
export function applyChange(state: BoardState, change: AttendanceChanged): ApplyResult {
  if (change.version <= state.version) return { kind: 'ignored' };
  if (change.version !== state.version + 1 || change.action === 'correction') return { kind: 'refetch' };
  const known = new Set(state.activities.map((a) => a.id));
  if (!known.has(change.activityId) || Object.keys(change.onSite).some((id) => !known.has(id))) return { kind: 'refetch' };

  const { newStar: _celebrated, ...volunteer } = change.volunteer;
  const activities = state.activities.map((activity) => {
    let people = activity.people.filter((p) => p.volunteerId !== volunteer.id);
    if (activity.id === change.activityId && change.action === 'check-in') {
      people = [{ volunteerId: volunteer.id, displayName: volunteer.displayName, teamNames: volunteer.teamNames, stars: volunteer.stars, since: change.at }, ...people];
    }
    return { ...activity, onSite: change.onSite[activity.id] ?? 0, people: people.slice(0, BOARD_LIMITS.peoplePerActivity) };
  });
  const item: BoardFeedItem = { attendanceId: change.attendanceId, action: change.action, at: change.at, activityId: change.activityId, activityTitle: change.activityTitle, volunteer };
  const feed = [item, ...state.feed.filter((f) => f.attendanceId !== item.attendanceId || f.action !== item.action)].slice(0, BOARD_LIMITS.feed);
  return {
    kind: 'applied',
    // Every figure the event carries is taken from it, so no tile lags behind another (在场 and 今日参与 agree).
    state: {
      ...state,
      version: change.version,
      onSiteTotal: change.onSiteTotal,
      activities,
      feed,
      ...(change.today ? { volunteersToday: change.today.volunteersToday, hours: { today: change.today.hoursToday, month: Math.round((state.hours.month + change.today.hoursToday - state.hours.today) * 100) / 100 } } : {}),
    },
  };
}

/** Feed items are told apart by attendance and action: a sign-in and its sign-out are two lines. */
export function feedKey(item: Pick<BoardFeedItem, 'attendanceId' | 'action'>): string {
  return `${item.attendanceId}:${item.action}`;
}
