import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import type { Signup } from '../protocol/organizing.ts';
import { decideCancel, decideExcuse, decidePromotions, decideSignUp, signupOf } from './signup-rules.ts';
import { archivedAttendanceOfSignups, archivedAttendanceOfVolunteer } from '../volunteer-history/archived-history.ts';

/**
 * Sign-up actions as plain functions over the store, so any route can call them: the staff
 * admin, the kiosk after a scan, and the volunteer's own phone page (/me/). `by` says who
 * acted: `staff:<name>`, `device:<id>` or `volunteer:<id>`. Each commits its audit entry with it.
 */
type Parts = Pick<AppContext, 'store' | 'clock'>;

export async function signUp(ctx: Parts, activityId: string, volunteerId: string, by: string): Promise<{ signup: Signup; created: boolean }> {
  const archived = await archivedForPause(ctx, volunteerId);
  // Decided after the archive read, on the state as it is then, and committed in the same tick.
  const now = ctx.clock.now();
  const decision = decideSignUp(ctx.store.state, { activityId, volunteerId, by }, now, archived);
  if (decision.created) {
    await ctx.store.commit([...decision.changes, auditChange(now, by, 'signup.created', decision.signup.id, decision.signup.status, { status: decision.signup.status })]);
  }
  return { signup: decision.signup, created: decision.created };
}

export async function cancelSignup(ctx: Parts, activityId: string, volunteerId: string, by: string): Promise<{ cancelled: Signup; promoted: Signup[] }> {
  const now = ctx.clock.now();
  const { cancelled, promoted, changes } = decideCancel(ctx.store.state, { activityId, volunteerId, by }, now);
  const summary = promoted.length > 0 ? `promoted ${promoted.map((s) => s.volunteerId).join(', ')}` : undefined;
  await ctx.store.commit([...changes, auditChange(now, by, 'signup.cancelled', cancelled.id, summary)]);
  return { cancelled, promoted };
}

export async function excuseNoShow(ctx: Parts, activityId: string, volunteerId: string, by: string, reason: string): Promise<Signup> {
  const signup = signupOf(ctx.store.state, activityId, volunteerId);
  const archived = signup ? await archivedAttendanceOfSignups(ctx.store, [signup]) : undefined;
  const now = ctx.clock.now();
  const excused = decideExcuse(ctx.store.state, { activityId, volunteerId, by, reason }, now, archived);
  await ctx.store.commit([{ c: 'signups', v: excused }, auditChange(now, by, 'signup.no-show-excused', excused.id, reason, { reason })]);
  return excused;
}

/**
 * The archived attendance the pause rule (sign-ups paused after N no-shows within the window)
 * needs: sign-ups of a closed year's activities whose attendance moved to the year's archive
 * are not no-shows. Nothing is read when the rule is off or the window reaches no archived year.
 */
export function archivedForPause(ctx: Parts, volunteerId: string): Promise<Set<string> | undefined> {
  const { pauseAfterNoShows, noShowWindowDays } = ctx.store.state.settings.signups;
  if (pauseAfterNoShows === null) return Promise.resolve(undefined);
  return archivedAttendanceOfVolunteer(ctx.store, volunteerId, ctx.clock.now().getTime() - noShowWindowDays * 86400_000);
}

/** Called after an activity's capacity changed: the waiting list moves into any new places. */
export async function promoteAfterCapacityChange(ctx: Parts, activityId: string, by: string): Promise<Signup[]> {
  const activity = ctx.store.state.get('activities', activityId);
  if (!activity) return [];
  const now = ctx.clock.now();
  const promoted = decidePromotions(ctx.store.state, activity, now);
  if (promoted.length > 0) {
    await ctx.store.commit([...promoted.map((v) => ({ c: 'signups', v }) as const), auditChange(now, by, 'signup.promoted', activityId, `${promoted.length} from the waiting list`, { count: promoted.length })]);
  }
  return promoted;
}

export { noShowsOf, signupsOf, signupOf, isNoShow } from './signup-rules.ts';
