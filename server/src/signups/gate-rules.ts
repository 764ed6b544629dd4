import { addMonths, format } from 'date-fns';
import { dayKey } from '../domain/time-zone.ts';
import { AppError } from '../protocol/errors.ts';
import type { Activity, Volunteer } from '../protocol/model.ts';
import type { GateCode, InsurancePolicy, Training } from '../protocol/organizing.ts';
import type { StationState } from '../store/state.ts';
import { ageOf } from './minors.ts';
import { signupOf } from './signup-rules.ts';

/**
 * The kiosk's gate at sign-in. Pure. Each rule has its basis: sign-up-only activities (the
 * organizer's choice), a guardian for young minors (志愿服务条例 art. 15), insurance before
 * risky service (art. 17), training where a task needs skills (art. 16). Staff can let one
 * volunteer through one gate of one activity with a reason (a gate pass, audited).
 */

export function gatePassIdOf(activityId: string, volunteerId: string, code: GateCode): string {
  return `${activityId}:${volunteerId}:${code}`;
}

export function policyCovers(policy: InsurancePolicy, volunteer: Pick<Volunteer, 'id' | 'teamIds'>, day: string): boolean {
  if (policy.removed || day < policy.from || day > policy.to) return false;
  return policy.volunteerIds.includes(volunteer.id) || policy.teamIds.some((t) => volunteer.teamIds.includes(t));
}

export function insuredOn(state: StationState, volunteer: Pick<Volunteer, 'id' | 'teamIds'>, day: string): boolean {
  for (const policy of state.records.insurance.values()) if (policyCovers(policy, volunteer, day)) return true;
  return false;
}

/** The last day a training still counts, or undefined when its category never expires. */
export function trainingValidUntil(training: Pick<Training, 'category' | 'date'>, validityMonths: Record<string, number>): string | undefined {
  const months = validityMonths[training.category];
  if (months === undefined) return undefined;
  // Valid for `months` months: first aid on 2024-03-10 with 24 months counts up to 2026-03-09.
  const end = addMonths(new Date(`${training.date}T12:00:00Z`), months);
  return format(new Date(end.getTime() - 86400_000), 'yyyy-MM-dd');
}

/** Each volunteer's latest training of each category up to a day (an earlier one of the same category no longer matters). */
export function latestTrainings(state: StationState, day: string): { volunteerId: string; training: Training }[] {
  const latest = new Map<string, { volunteerId: string; training: Training }>();
  for (const t of state.records.trainings.values()) {
    if (t.date > day) continue;
    for (const volunteerId of t.attendeeIds) {
      const key = `${volunteerId}|${t.category}`;
      const held = latest.get(key);
      if (!held || held.training.date < t.date) latest.set(key, { volunteerId, training: t });
    }
  }
  return [...latest.values()];
}

/** The categories a volunteer holds, unexpired, on a day. */
export function validTrainingCategories(state: StationState, volunteerId: string, day: string): Set<string> {
  const validity = state.settings.trainings.validityMonths;
  const held = new Set<string>();
  for (const training of state.records.trainings.values()) {
    if (!training.attendeeIds.includes(volunteerId) || training.date > day) continue;
    const until = trainingValidUntil(training, validity);
    if (until === undefined || day <= until) held.add(training.category);
  }
  return held;
}

/** Throws the first gate the volunteer does not pass (and has no staff pass for); returns when all are passed. */
export function checkGates(state: StationState, volunteer: Volunteer, activity: Activity, at: Date): void {
  const day = dayKey(at, state.settings.timeZone);
  const contact = state.settings.gates.contact;
  const passed = (code: GateCode) => state.get('gatePasses', gatePassIdOf(activity.id, volunteer.id, code)) !== undefined;
  const refuse = (code: GateCode, message: string, details: Record<string, unknown> = {}) => {
    if (!passed(code)) throw new AppError(code, message, 403, { activityId: activity.id, ...(contact ? { contact } : {}), ...details });
  };
  if (activity.signupOnly && signupOf(state, activity.id, volunteer.id)?.status !== 'confirmed') {
    refuse('SIGNUP_REQUIRED', `“${activity.title}” is for volunteers with a confirmed sign-up`);
  }
  const belowAge = state.settings.minors.guardianPresentBelowAge;
  if (belowAge !== null) {
    const age = ageOf(volunteer, day);
    if (age !== undefined && age < belowAge) refuse('GUARDIAN_REQUIRED', `Volunteers under ${belowAge} sign in with a guardian present`, { minimumAge: belowAge });
  }
  if (activity.requiresInsurance && !insuredOn(state, volunteer, day)) {
    refuse('INSURANCE_REQUIRED', `“${activity.title}” needs accident insurance valid today`);
  }
  const required = activity.requiredTrainings ?? [];
  if (required.length > 0) {
    const held = validTrainingCategories(state, volunteer.id, day);
    const missing = required.filter((category) => !held.has(category));
    if (missing.length > 0) refuse('TRAINING_REQUIRED', `“${activity.title}” needs training: ${missing.join(', ')}`, { missing });
  }
}
