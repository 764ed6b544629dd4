import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { can } from '../protocol/roles.ts';
import { AppError } from '../protocol/errors.ts';
import { counterUnlockSchema } from '../protocol/schemas.ts';
import { kioskEvent } from '../realtime/kiosk-event.ts';
import { counterUnlocker } from '../redemption/counter-handlers.ts';
import { rememberStaffPanel } from '../assisted-checkin/kiosk-handlers.ts';

/**
 * A tablet's staff settings (camera, language, offline scans needing a person, unpairing) open
 * only for a staff member who may manage devices. The server checks the password or PIN with the
 * counter's own check, attempt limit per tablet included, so a PIN cannot be guessed at a kiosk
 * either; who opened a tablet's settings, and when, is in the audit log.
 */
export function settingsUnlocker(ctx: AppContext) {
  const verify = counterUnlocker(ctx);
  return async (deviceId: string, input: { username: string; secret: string }) => {
    const verified = await verify(deviceId, input);
    const state = ctx.store.state;
    const staff = state.get('staff', verified.id);
    if (!staff || !can(staff.role, 'devices:manage')) throw new AppError('FORBIDDEN', 'This account cannot change a tablet’s settings', 403);
    const device = state.get('devices', deviceId);
    await ctx.store.commit([auditChange(ctx.clock.now(), `staff:${staff.username}`, 'device.settings-opened', `device:${deviceId}`, device?.name)]);
    return { ok: true as const, staff: { username: verified.username, displayName: verified.displayName } };
  };
}

/** `settings:unlock` on `/kiosk`, from any tablet. */
export function settingsUnlockEvent(ctx: AppContext) {
  const unlockSettings = settingsUnlocker(ctx);
  return kioskEvent({
    modes: ['checkin', 'counter'],
    schema: counterUnlockSchema,
    run: async (input, { device, socket }) => {
      const ack = await unlockSettings(device.id, input);
      // The staff panel's own actions (assisted check-in) are checked against this, server-side.
      rememberStaffPanel(socket, ack.staff.username, ctx.clock.now().getTime());
      return ack;
    },
  });
}
