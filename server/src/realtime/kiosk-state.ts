import type { AppContext } from '../context.ts';
import { openActivitySummaries } from '../activities/open-activities.ts';
import type { KioskState, RosterEntry } from '../protocol/events.ts';
import type { Device } from '../protocol/model.ts';
import { displayNameOf, figuresOf } from '../volunteers/figures.ts';
import { kioskEvent, noPayload } from './kiosk-event.ts';
import { kioskStateExtras } from '../signups/kiosk-handlers.ts';

/** `state:get`: what a (re)connecting tablet needs to show: its mode, open activities, the server's clock. */
export const stateEvent = kioskEvent({
  modes: ['checkin', 'counter'],
  schema: noPayload,
  run: (_input, { ctx, device, socket, counterLocks }) => ({
    ...kioskState(ctx, device),
    ...(device.mode === 'counter' ? { counterUnlocked: counterLocks.isUnlocked(device.id, socket.data.unlockTokenHash) } : {}),
  }),
});

/** `roster:get`: masked names for greeting people while offline; only a check-in kiosk scans offline. */
export const rosterEvent = kioskEvent({
  modes: ['checkin'],
  schema: noPayload,
  run: (_input, { ctx }) => roster(ctx),
});

export function kioskState(ctx: AppContext, device: Device): KioskState {
  const now = ctx.clock.now();
  const settings = ctx.store.state.settings;
  return {
    device: { id: device.id, name: device.name, mode: device.mode },
    centerName: settings.centerName,
    serverTime: now.toISOString(),
    timeZone: settings.timeZone,
    openActivities: openActivitySummaries(ctx.store.state, now),
    repeatWindowSeconds: settings.repeatWindowSeconds,
    defaultLanguage: settings.defaultLanguage,
    ...kioskStateExtras(ctx.store.state, now, device.mode),
  };
}

/** Card number → masked name and star, so an offline kiosk can still greet people by name. No phone, no ID. */
function roster(ctx: AppContext): RosterEntry[] {
  const state = ctx.store.state;
  const now = ctx.clock.now();
  const entries: RosterEntry[] = [];
  for (const volunteer of state.records.volunteers.values()) {
    if (volunteer.status !== 'active') continue;
    entries.push({ cardNo: volunteer.cardNo, displayName: displayNameOf(state, volunteer), stars: figuresOf(state, volunteer.id, now).stars, onSite: state.isOnSite(volunteer.id) });
  }
  return entries;
}
