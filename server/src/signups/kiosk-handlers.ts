import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { resolveCard } from '../attendance/resolve-card.ts';
import { trainingPhase } from './training-phase.ts';
import { meActivitiesView, meActivity } from '../me/me-actions.ts';
import { AppError } from '../protocol/errors.ts';
import type { KioskState } from '../protocol/events.ts';
import {
  kioskSignupCreateSchema, kioskSignupListSchema, kioskTrainingAttendSchema,
  type KioskSignupActivity, type KioskSignupCreateSuccess, type KioskSignupListSuccess, type KioskTraining, type KioskTrainingAttendSuccess, type Signup, type Training,
} from '../protocol/organizing.ts';
import { kioskEvent } from '../realtime/kiosk-event.ts';
import { once } from '../service/task-handlers.ts';
import type { StationState } from '../store/state.ts';
import { displayNameOf } from '../volunteers/figures.ts';
import { decideSignUp } from './signup-rules.ts';
import { archivedForPause } from './signups.ts';

/**
 * The kiosk side of issue 15, for check-in tablets only. After a scan a volunteer can sign up
 * for an upcoming activity with big buttons (the same rules as the admin and the phone, through
 * `decideSignUp`); and a training staff opened today (开始签到, until 结束签到) takes attendance
 * by scan. Changes are idempotent by `opId` like a scan by its `scanId` (a stored receipt).
 * Acks carry masked names and counts only.
 */

const checkinOnly = ['checkin'] as const;

/** Trainings staff have opened for today, offered at check-in kiosks: attendance is taken by scan. */
export function trainingsToday(state: StationState, now: Date): KioskTraining[] {
  return [...state.records.trainings.values()]
    .filter((t) => trainingPhase(t, now, state.settings.timeZone) === 'open')
    .sort((a, b) => a.title.localeCompare(b.title))
    .map(kioskTraining);
}

function kioskTraining(t: Training): KioskTraining {
  return { id: t.id, title: t.title, category: t.category, hours: t.hours, ...(t.place ? { place: t.place } : {}) };
}

/** What the kiosk state adds for a check-in tablet. */
export function kioskStateExtras(state: StationState, now: Date, mode: string): Pick<KioskState, 'trainingsToday'> {
  return mode === 'checkin' ? { trainingsToday: trainingsToday(state, now) } : {};
}

/** The activity as it reads once this sign-up is committed: the view is made before the commit, for the receipt. */
function afterSignup(before: KioskSignupActivity, signup: Signup, created: boolean): KioskSignupActivity {
  const mine = { status: signup.status as 'confirmed' | 'waitlisted', signedUpAt: signup.signedUpAt };
  if (!created) return { ...before, mine };
  return {
    ...before,
    placesLeft: before.placesLeft === null || signup.status !== 'confirmed' ? before.placesLeft : Math.max(0, before.placesLeft - 1),
    waitlisted: before.waitlisted + (signup.status === 'waitlisted' ? 1 : 0),
    mine,
  };
}

export function signupKioskEvents(ctx: AppContext) {
  const state = () => ctx.store.state;
  const volunteerOf = (code: string, phoneLast4?: string) => resolveCard(state(), ctx.cardSecret, code, phoneLast4);

  return {
    'signup:list': kioskEvent({
      modes: checkinOnly,
      schema: kioskSignupListSchema,
      run: (input): KioskSignupListSuccess => {
        const volunteer = volunteerOf(input.code, input.phoneLast4);
        const { items, mine } = meActivitiesView(state(), volunteer.id, ctx.clock.now());
        return { ok: true, volunteer: { id: volunteer.id, displayName: displayNameOf(state(), volunteer) }, items, mine };
      },
    }),

    'signup:create': kioskEvent({
      modes: checkinOnly,
      schema: kioskSignupCreateSchema,
      idField: 'opId',
      run: async (input, { device }) => {
        // The pause rule may need a closed year's archive (no-shows of its activities): read it first.
        let archived: Set<string> | undefined;
        try {
          archived = await archivedForPause(ctx, volunteerOf(input.code, input.phoneLast4).id);
        } catch {
          archived = undefined; // a bad card is answered inside, as before
        }
        return once<{ signup: Signup; activity: KioskSignupActivity; position?: number }>(ctx, input.opId, ['signup', input.code, input.phoneLast4 ?? null, input.activityId], () => {
          const volunteer = volunteerOf(input.code, input.phoneLast4);
          const by = `device:${device.id}`;
          return {
            answer: ({ activity, position }): KioskSignupCreateSuccess => ({ ok: true, opId: input.opId, activity, ...(position ? { position } : {}) }),
            async run(receipts) {
              const now = ctx.clock.now();
              const decision = decideSignUp(state(), { activityId: input.activityId, volunteerId: volunteer.id, by }, now, archived);
              const before = meActivity(state(), state().get('activities', input.activityId)!, volunteer.id, now);
              const activity = afterSignup(before, decision.signup, decision.created);
              const position = decision.signup.status === 'waitlisted'
                ? state().signupIdsOfActivity(input.activityId).map((id) => state().get('signups', id)!).filter((s) => s.status === 'waitlisted' && s.number < decision.signup.number).length + 1
                : undefined;
              const result = { signup: decision.signup, activity, ...(position ? { position } : {}) };
              const audit = decision.created ? [auditChange(now, by, 'signup.created', decision.signup.id, decision.signup.status)] : [];
              await ctx.store.commit([...decision.changes, ...audit, ...receipts(result)]);
              return result;
            },
          };
        }) as Promise<KioskSignupCreateSuccess>;
      },
    }),

    'training:attend': kioskEvent({
      modes: checkinOnly,
      schema: kioskTrainingAttendSchema,
      idField: 'opId',
      run: (input, { device }) =>
        once<{ training: Training; alreadyAttended: boolean; displayName: string; volunteerId: string }>(ctx, input.opId, ['training', input.code, input.phoneLast4 ?? null, input.trainingId], () => {
          const volunteer = volunteerOf(input.code, input.phoneLast4);
          return {
            answer: ({ training, alreadyAttended, displayName, volunteerId }): KioskTrainingAttendSuccess => ({
              ok: true, opId: input.opId, volunteer: { id: volunteerId, displayName }, training: kioskTraining(training), alreadyAttended, attendeeCount: training.attendeeIds.length,
            }),
            async run(receipts) {
              const now = ctx.clock.now();
              const training = state().get('trainings', input.trainingId);
              if (!training) throw new AppError('NOT_FOUND', 'No such training', 404);
              // Only between staff's 开始签到 and 结束签到, on its own day (training-phase.ts).
              const phase = trainingPhase(training, now, state().settings.timeZone);
              if (phase !== 'open') throw new AppError('TRAINING_NOT_OPEN', `“${training.title}” is not open for sign-in at the kiosk`, 409, { phase });
              const alreadyAttended = training.attendeeIds.includes(volunteer.id);
              const updated: Training = alreadyAttended ? training : { ...training, attendeeIds: [...training.attendeeIds, volunteer.id] };
              const result = { training: updated, alreadyAttended, displayName: displayNameOf(state(), volunteer), volunteerId: volunteer.id };
              const changes = alreadyAttended ? [] : [{ c: 'trainings', v: updated } as const, auditChange(now, `device:${device.id}`, 'training.attended', training.id, volunteer.cardNo)];
              await ctx.store.commit([...changes, ...receipts(result)]);
              return result;
            },
          };
        }) as Promise<KioskTrainingAttendSuccess>,
    }),
  };
}
