import type { AppContext } from '../context.ts';
import { minutesToHours } from '../domain/hours.ts';
import type { LookupSuccess } from '../protocol/events.ts';
import { scanVolunteer } from '../volunteers/figures.ts';
import { lookupSchema } from '../protocol/schemas.ts';
import { kioskEvent } from '../realtime/kiosk-event.ts';
import { resolveCard } from './resolve-card.ts';

const RECENT = 10;

/** "My record" on the kiosk: the volunteer's own figures and latest sign-ins, read-only. */
export function lookupVolunteer(ctx: AppContext, input: { code: string; phoneLast4?: string }): LookupSuccess {
  const state = ctx.store.state;
  const volunteer = resolveCard(state, ctx.cardSecret, input.code, input.phoneLast4);
  const ids = state.attendanceIdsOf(volunteer.id);
  const recent = ids
    .slice(-RECENT * 2)
    .map((id) => state.get('attendance', id)!)
    .filter((a) => a && !a.removed)
    .slice(-RECENT)
    .reverse()
    .map((a) => ({
      activityTitle: state.get('activities', a.activityId)?.title ?? '',
      checkInAt: a.checkInAt,
      checkOutAt: a.checkOutAt,
      hours: a.creditedMinutes === undefined ? undefined : minutesToHours(a.creditedMinutes),
    }));
  return { ok: true, volunteer: scanVolunteer(state, volunteer, ctx.clock.now()), recent };
}

/** `volunteer:lookup` on `/kiosk`: "my record" on a check-in kiosk, the balance at a counter. */
export const lookupEvent = kioskEvent({
  modes: ['checkin', 'counter'],
  schema: lookupSchema,
  run: (input, { ctx }) => lookupVolunteer(ctx, input),
});
