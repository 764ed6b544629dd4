import type { AppContext } from '../context.ts';
import { minutesToHours } from '../domain/hours.ts';
import type { LookupSuccess } from '../protocol/events.ts';
import { scanVolunteer } from '../volunteers/figures.ts';
import { lookupSchema } from '../protocol/schemas.ts';
import { kioskEvent } from '../realtime/kiosk-event.ts';
import { resolveCard } from './resolve-card.ts';
import { newestLive, newestOf } from '../volunteer-history/archived-history.ts';

const RECENT = 10;

/**
 * "My record" on the kiosk: the volunteer's own figures and latest sign-ins, read-only. The
 * figures carry the closed years' totals; the list reaches into archived years only when the
 * live records do not fill it (store/archive/, volunteer-history/). A counter asks for the
 * balance and does not show the list: it never waits for an archive (`liveOnly`).
 */
export async function lookupVolunteer(ctx: AppContext, input: { code: string; phoneLast4?: string }, options: { liveOnly?: boolean } = {}): Promise<LookupSuccess> {
  const volunteer = resolveCard(ctx.store.state, ctx.cardSecret, input.code, input.phoneLast4);
  const recent = await newestOf(ctx.store, volunteer.id, RECENT, (state, archived) => {
    const live = newestLive(state.attendanceIdsOf(volunteer.id), (id) => state.get('attendance', id), RECENT, (a) => !a.removed);
    return [...live, ...archived.flatMap((year) => year.attendance).filter((a) => !a.removed)]
      .map((a) => ({
        at: a.checkInAt,
        item: {
          activityTitle: state.get('activities', a.activityId)?.title ?? '',
          checkInAt: a.checkInAt,
          checkOutAt: a.checkOutAt,
          hours: a.creditedMinutes === undefined ? undefined : minutesToHours(a.creditedMinutes),
        },
      }));
  }, options);
  // The figures as they are now, after any archive read.
  const state = ctx.store.state;
  return { ok: true, volunteer: scanVolunteer(state, state.get('volunteers', volunteer.id) ?? volunteer, ctx.clock.now()), recent };
}

/** `volunteer:lookup` on `/kiosk`: "my record" on a check-in kiosk, the balance at a counter. */
export const lookupEvent = kioskEvent({
  modes: ['checkin', 'counter'],
  schema: lookupSchema,
  run: (input, { ctx, device }) => lookupVolunteer(ctx, input, { liveOnly: device.mode !== 'checkin' }),
});
