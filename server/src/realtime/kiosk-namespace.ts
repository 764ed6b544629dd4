import type { Namespace, Server, Socket } from 'socket.io';
import type { AppContext } from '../context.ts';
import { deviceForToken } from '../devices/device-routes.ts';
import { openActivitySummaries } from '../activities/open-activities.ts';
import type { KioskClientEvents, KioskServerEvents, KioskState, RosterEntry } from '../protocol/events.ts';
import type { Device } from '../protocol/model.ts';
import { counterUnlockSchema, lookupSchema, redeemSchema, scanSchema } from '../protocol/schemas.ts';
import { AppError } from '../protocol/errors.ts';
import { counterGoods, counterUnlocker } from '../redemption/counter-handlers.ts';
import { displayNameOf, figuresOf } from '../volunteers/figures.ts';
import { handleScan } from '../attendance/scan-handler.ts';
import { lookupVolunteer } from '../attendance/lookup.ts';
import { handleEvent } from './socket-handler.ts';
import type { RedeemHandler } from '../redemption/redeem-handler.ts';
import type { MeLinkHandler } from '../me/me-link-handler.ts';
import { settingsUnlocker } from '../kiosk-settings/settings-unlock.ts';
import { meLinkSchema } from '../protocol/me.ts';
import { taskHandlers } from '../service/task-handlers.ts';

interface KioskSocketData {
  deviceId: string;
  /** The staff member who unlocked a counter tablet; redemptions record who served. */
  staffUsername?: string;
}

export type KioskNamespace = Namespace<KioskClientEvents, KioskServerEvents, Record<string, never>, KioskSocketData>;
type KioskSocket = Socket<KioskClientEvents, KioskServerEvents, Record<string, never>, KioskSocketData>;

/** Devices seen within this window count as online on the devices page. */
const SEEN_WRITE_INTERVAL_MS = 5 * 60_000;

/**
 * `/kiosk`: paired tablets only. The handshake carries the device token; a missing, wrong or
 * revoked token is refused before any event is heard, and revoking a device disconnects it.
 */
export function kioskNamespace(io: Server, ctx: AppContext, redeem: RedeemHandler, meLink: MeLinkHandler): KioskNamespace {
  // One Server hosts namespaces with different event maps; each is typed where it is made.
  const kiosk = io.of('/kiosk') as unknown as KioskNamespace;

  kiosk.use((socket, next) => {
    const device = deviceForToken(ctx, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!device) {
      const error = new Error('DEVICE_TOKEN_INVALID') as Error & { data?: unknown };
      error.data = { code: 'DEVICE_TOKEN_INVALID', message: 'This tablet is not paired, or its pairing was revoked; pair it again' };
      return next(error);
    }
    socket.data.deviceId = device.id;
    next();
  });

  const unlock = counterUnlocker(ctx);
  const unlockSettings = settingsUnlocker(ctx);
  const tasks = taskHandlers(ctx);
  kiosk.on('connection', (socket: KioskSocket) => {
    const current = () => ctx.store.state.get('devices', socket.data.deviceId);
    void socket.join(`device:${socket.data.deviceId}`);
    markSeen(ctx, current());
    const log = ctx.logger;

    socket.on('scan', handleEvent(log, scanSchema, 'scanId', (input) => handleScan(ctx, input, requireDevice(current()))));
    socket.on('redeem', handleEvent(log, redeemSchema, 'redemptionId', (input) => redeem(input, requireDevice(current()), socket.data.staffUsername)));
    socket.on('counter:unlock', handleEvent(log, counterUnlockSchema, null, async (input) => {
      if (requireDevice(current()).mode !== 'counter') throw new AppError('DEVICE_MODE_FORBIDDEN', 'Only a counter tablet can be unlocked', 403);
      const result = await unlock(socket.data.deviceId, input);
      socket.data.staffUsername = result.staff.username;
      return result;
    }));
    socket.on('settings:unlock', handleEvent(log, counterUnlockSchema, null, (input) => unlockSettings(socket.data.deviceId, input)));
    socket.on('counter:lock', (ack: unknown) => {
      socket.data.staffUsername = undefined;
      if (typeof ack === 'function') ack({ ok: true });
    });
    socket.on('goods:list', (ack: unknown) => {
      if (typeof ack === 'function') ack({ ok: true, items: counterGoods(ctx) });
    });
    socket.on('volunteer:lookup', handleEvent(log, lookupSchema, null, (input) => lookupVolunteer(ctx, input)));
    socket.on('state:get', (ack: unknown) => {
      if (typeof ack === 'function') ack(kioskState(ctx, requireDevice(current())));
    });
    socket.on('roster:get', (ack: unknown) => {
      if (typeof ack === 'function') ack(roster(ctx));
    });
    socket.on('me:link', handleEvent(log, meLinkSchema, null, (input) => meLink({ input, device: requireDevice(current()), host: socket.handshake.headers.host, secure: socket.handshake.secure })));
    // Service requests (issue 13): a volunteer's tasks, and a resident asking for help or rating it.
    for (const [event, handler] of Object.entries(tasks)) {
      const run = handler.run as (input: unknown, device: Device) => Promise<object>;
      socket.on(event as 'task:list', handleEvent(log, handler.schema, handler.idField, (input) => run(input, requireDevice(current()))));
    }
  });

  ctx.notifications.on('activities:changed', (activities) => kiosk.emit('activities:changed', activities));
  ctx.notifications.on('stock:changed', (change) => kiosk.emit('stock:changed', change));
  ctx.notifications.on('device:revoked', (deviceId) => {
    kiosk.to(`device:${deviceId}`).emit('device:revoked');
    kiosk.in(`device:${deviceId}`).disconnectSockets(true);
  });
  return kiosk;
}

function requireDevice(device: Device | undefined): Device {
  if (!device || device.revokedAt) throw Object.assign(new Error('revoked'), { storeFailure: true });
  return device;
}

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
  };
}

/** Card number → masked name and star, so an offline kiosk can still greet people by name. No phone, no ID. */
function roster(ctx: AppContext): RosterEntry[] {
  const state = ctx.store.state;
  const now = ctx.clock.now();
  const entries: RosterEntry[] = [];
  for (const volunteer of state.records.volunteers.values()) {
    if (volunteer.status !== 'active') continue;
    entries.push({ cardNo: volunteer.cardNo, displayName: displayNameOf(state, volunteer), stars: figuresOf(state, volunteer.id, now).stars, onSite: state.openAttendanceByVolunteer.has(volunteer.id) });
  }
  return entries;
}

/** Last-seen is journalled at most every few minutes per device: a heartbeat must not fill the journal. */
function markSeen(ctx: AppContext, device: Device | undefined): void {
  if (!device) return;
  const now = ctx.clock.now();
  if (device.lastSeenAt && now.getTime() - Date.parse(device.lastSeenAt) < SEEN_WRITE_INTERVAL_MS) return;
  void ctx.store.commit([{ c: 'devices', v: { ...device, lastSeenAt: now.toISOString() } }]).catch(() => undefined);
}
