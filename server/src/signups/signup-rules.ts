import { autoCloseAt } from '../domain/hours.ts';
import { AppError } from '../protocol/errors.ts';
import type { Activity } from '../protocol/model.ts';
import type { Signup } from '../protocol/organizing.ts';
import type { Change, StationState } from '../store/state.ts';

/**
 * Sign-ups, the waiting list and no-shows. Pure: each decision reads the state and the time it
 * is given and returns the changes; the caller commits them in the same tick.
 */

const DAY = 86400_000;

/**
 * Attendance of closed years kept in their archives (not in the live state), as
 * `attendedKey(volunteerId, activityId)`: read beforehand (volunteer-history/
 * `archivedAttendanceOfSignups`) by a caller deciding about sign-ups of archived years' activities.
 */
export type ArchivedAttendance = ReadonlySet<string>;

export function attendedKey(volunteerId: string, activityId: string): string {
  return `${volunteerId}/${activityId}`;
}

export function signupIdOf(activityId: string, volunteerId: string): string {
  return `${activityId}:${volunteerId}`;
}

/** Every sign-up of an activity (cancelled ones too), in order of arrival. */
export function signupsOf(state: StationState, activityId: string): Signup[] {
  return state.signupIdsOfActivity(activityId).map((id) => state.get('signups', id)!).sort((a, b) => a.number - b.number);
}

export function signupOf(state: StationState, activityId: string, volunteerId: string): Signup | undefined {
  return state.get('signups', signupIdOf(activityId, volunteerId));
}

/** Sign-ups close at the activity's deadline, or when it starts if it has none. */
export function signupDeadlineOf(activity: Pick<Activity, 'signupDeadline' | 'startsAt'>): string {
  return activity.signupDeadline ?? activity.startsAt;
}

/**
 * Which waiting sign-ups take the free places, first come first served: the confirmed ones
 * leave `capacity - confirmed` places; no capacity means room for everyone.
 */
export function promotionsFor(signups: readonly Signup[], capacity: number | undefined): Signup[] {
  const ordered = [...signups].sort((a, b) => a.number - b.number);
  const waiting = ordered.filter((s) => s.status === 'waitlisted');
  if (capacity === undefined) return waiting;
  const confirmed = ordered.filter((s) => s.status === 'confirmed').length;
  return waiting.slice(0, Math.max(0, capacity - confirmed));
}

export interface SignupDecision {
  signup: Signup;
  changes: Change[];
  /** False when the volunteer was already signed up: nothing changes and the status stands. */
  created: boolean;
}

export function decideSignUp(state: StationState, input: { activityId: string; volunteerId: string; by: string }, now: Date, archived?: ArchivedAttendance): SignupDecision {
  const activity = state.get('activities', input.activityId);
  if (!activity) throw new AppError('NOT_FOUND', 'No such activity', 404);
  const volunteer = state.get('volunteers', input.volunteerId);
  if (!volunteer) throw new AppError('NOT_FOUND', 'No such volunteer', 404);
  const existing = signupOf(state, activity.id, volunteer.id);
  if (existing && existing.status !== 'cancelled') return { signup: existing, changes: [], created: false };
  if (volunteer.status !== 'active') throw new AppError('VOLUNTEER_SUSPENDED', 'This volunteer is not active at the moment', 409);
  if (activity.status === 'cancelled' || activity.status === 'closed') throw new AppError('SIGNUP_CLOSED', `“${activity.title}” takes no more sign-ups`, 409);
  const deadline = signupDeadlineOf(activity);
  if (now.getTime() >= Date.parse(deadline)) throw new AppError('SIGNUP_DEADLINE_PASSED', `Sign-ups for “${activity.title}” closed at ${deadline}`, 409, { deadline });
  const limit = state.settings.signups.pauseAfterNoShows;
  if (limit !== null) {
    const recent = unexcusedNoShowsWithin(state, volunteer.id, now, state.settings.signups.noShowWindowDays, archived);
    if (recent >= limit) {
      throw new AppError('SIGNUPS_PAUSED', `Sign-ups are paused after ${recent} no-shows; please see the staff`, 409, { noShows: recent, limit });
    }
  }
  const all = signupsOf(state, activity.id);
  const confirmed = all.filter((s) => s.status === 'confirmed').length;
  const signup: Signup = {
    id: signupIdOf(activity.id, volunteer.id),
    activityId: activity.id,
    volunteerId: volunteer.id,
    status: activity.capacity === undefined || confirmed < activity.capacity ? 'confirmed' : 'waitlisted',
    number: all.reduce((max, s) => Math.max(max, s.number), 0) + 1,
    signedUpAt: now.toISOString(),
    by: input.by,
  };
  return { signup, changes: [{ c: 'signups', v: signup }], created: true };
}

export interface CancelDecision {
  cancelled: Signup;
  promoted: Signup[];
  changes: Change[];
}

/** Cancels a sign-up; a place it frees goes to the first on the waiting list while the activity has not ended. */
export function decideCancel(state: StationState, input: { activityId: string; volunteerId: string; by: string }, now: Date): CancelDecision {
  const activity = state.get('activities', input.activityId);
  if (!activity) throw new AppError('NOT_FOUND', 'No such activity', 404);
  const existing = signupOf(state, activity.id, input.volunteerId);
  if (!existing || existing.status === 'cancelled') throw new AppError('NOT_FOUND', 'This volunteer is not signed up for the activity', 404);
  const at = now.toISOString();
  const cancelled: Signup = { ...existing, status: 'cancelled', cancelledAt: at, cancelledBy: input.by };
  const promoted = now.getTime() < Date.parse(activity.endsAt) ? promote(state, activity, cancelled, at) : [];
  return { cancelled, promoted, changes: [cancelled, ...promoted].map((v) => ({ c: 'signups', v }) as Change) };
}

/** After the capacity was raised (or removed): the waiting list moves up into the new places. */
export function decidePromotions(state: StationState, activity: Activity, now: Date): Signup[] {
  if (now.getTime() >= Date.parse(activity.endsAt)) return [];
  return promote(state, activity, undefined, now.toISOString());
}

function promote(state: StationState, activity: Activity, replaced: Signup | undefined, at: string): Signup[] {
  const current = signupsOf(state, activity.id).map((s) => (replaced && s.id === replaced.id ? replaced : s));
  return promotionsFor(current, activity.capacity).map((s) => ({ ...s, status: 'confirmed', promotedAt: at }));
}

/** Whether the volunteer has any attendance (not removed) at the activity. An auto-closed sign-in still counts: they came. */
export function attended(state: StationState, volunteerId: string, activityId: string, archived?: ArchivedAttendance): boolean {
  if (archived?.has(attendedKey(volunteerId, activityId))) return true;
  for (const id of state.attendanceIdsOf(volunteerId)) {
    const attendance = state.get('attendance', id);
    if (attendance && attendance.activityId === activityId && !attendance.removed) return true;
  }
  return false;
}

/**
 * A no-show: a confirmed sign-up with no attendance once the activity is over — at its end plus
 * the grace period, the same instant open sign-ins are auto-closed, since a late arrival may
 * still sign in until then. A cancelled activity has no no-shows.
 */
export function isNoShow(state: StationState, signup: Signup, now: Date, archived?: ArchivedAttendance): boolean {
  if (signup.status !== 'confirmed') return false;
  const activity = state.get('activities', signup.activityId);
  if (!activity || activity.status === 'cancelled') return false;
  if (now.getTime() < Date.parse(autoCloseAt(activity, state.settings.hours))) return false;
  return !attended(state, signup.volunteerId, signup.activityId, archived);
}

export interface NoShow {
  activityId: string;
  title: string;
  endsAt: string;
  excused?: Signup['excused'];
}

export function noShowsOf(state: StationState, volunteerId: string, now: Date, archived?: ArchivedAttendance): NoShow[] {
  const result: NoShow[] = [];
  for (const id of state.signupIdsOfVolunteer(volunteerId)) {
    const signup = state.get('signups', id)!;
    if (!isNoShow(state, signup, now, archived)) continue;
    const activity = state.get('activities', signup.activityId)!;
    result.push({ activityId: activity.id, title: activity.title, endsAt: activity.endsAt, ...(signup.excused ? { excused: signup.excused } : {}) });
  }
  return result.sort((a, b) => a.endsAt.localeCompare(b.endsAt));
}

/** Unexcused no-shows of activities that ended within the last `days` days: what pauses sign-ups. */
export function unexcusedNoShowsWithin(state: StationState, volunteerId: string, now: Date, days: number, archived?: ArchivedAttendance): number {
  const since = now.getTime() - days * DAY;
  return noShowsOf(state, volunteerId, now, archived).filter((n) => !n.excused && Date.parse(n.endsAt) >= since).length;
}

export function decideExcuse(state: StationState, input: { activityId: string; volunteerId: string; by: string; reason: string }, now: Date, archived?: ArchivedAttendance): Signup {
  const signup = signupOf(state, input.activityId, input.volunteerId);
  if (!signup || !isNoShow(state, signup, now, archived)) throw new AppError('NOT_FOUND', 'This volunteer has no no-show at the activity', 404);
  return { ...signup, excused: { at: now.toISOString(), by: input.by, reason: input.reason } };
}
