import type { Namespace, Server } from 'socket.io';
import type { AppContext } from '../context.ts';
import { deviceForToken } from '../devices/device-routes.ts';
import type { KioskClientEvents, KioskServerEvents } from '../protocol/events.ts';
import type { Device } from '../protocol/model.ts';
import type { ErrorCode } from '../protocol/errors.ts';
import { lookupEvent } from '../attendance/lookup.ts';
import { scanEvent } from '../attendance/scan-handler.ts';
import { counterEvents } from '../redemption/counter-handlers.ts';
import { CounterLocks, DEFAULT_COUNTER_IDLE_MINUTES } from '../redemption/counter-lock.ts';
import type { RedeemHandler } from '../redemption/redeem-handler.ts';
import type { PhoneDigitGuard } from '../cards/phone-digit-guard.ts';
import { listenToKioskEvents, type KioskEventRegistry, type KioskSocket, type KioskSocketData } from './kiosk-event.ts';
import { rosterEvent, stateEvent } from './kiosk-state.ts';
import { meLinkEvent, type MeLinkHandler } from '../me/me-link-handler.ts';
import { taskHandlers, type TaskEvents } from '../service/task-handlers.ts';
import { kioskEvent } from './kiosk-event.ts';
import { settingsUnlockEvent } from '../kiosk-settings/settings-unlock.ts';
import { signupKioskEvents } from '../signups/kiosk-handlers.ts';
import { assistedCheckInKioskEvents } from '../assisted-checkin/kiosk-handlers.ts';

export type KioskNamespace = Namespace<KioskClientEvents, KioskServerEvents, Record<string, never>, KioskSocketData>;

/** Devices seen within this window count as online on the devices page. */
const SEEN_WRITE_INTERVAL_MS = 5 * 60_000;

/**
 * Every client event of `/kiosk` and its handler module. A new event is one line here (and its
 * type in `protocol/events.ts`); the wrapper in `kiosk-event.ts` validates, checks the device
 * and its mode, and answers every throw.
 */
export function kioskEvents(ctx: AppContext, redeem: RedeemHandler, meLink: MeLinkHandler): KioskEventRegistry {
  const counter = counterEvents(ctx, redeem);
  return {
    scan: scanEvent,
    'volunteer:lookup': lookupEvent,
    'state:get': stateEvent,
    'roster:get': rosterEvent,
    'counter:unlock': counter.unlock,
    'counter:lock': counter.lock,
    'goods:list': counter.goodsList,
    redeem: counter.redeem,
    'me:link': meLinkEvent(meLink),
    'settings:unlock': settingsUnlockEvent(ctx),
    ...taskEvents(ctx),
    ...signupKioskEvents(ctx),
    ...assistedCheckInKioskEvents(ctx),
  };
}

/** Service requests (issue 13): a volunteer's tasks, and a resident asking for help or rating it; check-in kiosks only. */
function taskEvents(ctx: AppContext): Pick<KioskEventRegistry, keyof TaskEvents> {
  const tasks = taskHandlers(ctx);
  const events: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(tasks)) {
    const run = handler.run as (input: unknown, device: Device) => Promise<object>;
    events[name] = kioskEvent({ modes: ['checkin'], schema: handler.schema, idField: handler.idField ?? undefined, run: (input, { device }) => run(input, device) });
  }
  // The handlers declare their acks with `satisfies`; their map is typed by TaskEvents, not by event name.
  return events as Pick<KioskEventRegistry, keyof TaskEvents>;
}

/**
 * `/kiosk`: paired check-in and counter tablets only. The handshake carries the device token
 * (and, on a counter, its unlock token); a missing, wrong or revoked token and a board device
 * are refused before any event is heard, and revoking a device disconnects it.
 */
export function kioskNamespace(io: Server, ctx: AppContext, events: KioskEventRegistry, digitGuard: PhoneDigitGuard): { kiosk: KioskNamespace; counterLocks: CounterLocks } {
  // One Server hosts namespaces with different event maps; each is typed where it is made.
  const kiosk = io.of('/kiosk') as unknown as KioskNamespace;
  const counterLocks = new CounterLocks(
    () => ctx.store.state,
    () => ctx.clock.now().getTime(),
    () => (ctx.store.state.settings.counterIdleMinutes ?? DEFAULT_COUNTER_IDLE_MINUTES) * 60_000,
  );

  kiosk.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown; unlockToken?: unknown } | undefined;
    const device = deviceForToken(ctx, auth?.token);
    if (!device) return next(handshakeError('DEVICE_TOKEN_INVALID', 'This tablet is not paired, or its pairing was revoked; pair it again'));
    // A TV's token sits in a public screen's storage: it must not reach the roster or card checks.
    if (device.mode === 'board') return next(handshakeError('DEVICE_MODE_FORBIDDEN', 'A board device cannot connect as a kiosk; pair this tablet as a kiosk or counter'));
    socket.data.deviceId = device.id;
    socket.data.unlockTokenHash = device.mode === 'counter' ? counterLocks.admit(device.id, auth?.unlockToken) : undefined;
    next();
  });

  kiosk.on('connection', (socket: KioskSocket) => {
    void socket.join(`device:${socket.data.deviceId}`);
    markSeen(ctx, ctx.store.state.get('devices', socket.data.deviceId));
    listenToKioskEvents(socket, events, { ctx, counterLocks, digitGuard });
  });

  ctx.notifications.on('activities:changed', (activities) => kiosk.emit('activities:changed', activities));
  ctx.notifications.on('stock:changed', (change) => kiosk.emit('stock:changed', change));
  ctx.notifications.on('trainings:changed', (trainings) => kiosk.emit('trainings:changed', trainings));
  ctx.notifications.on('device:revoked', (deviceId) => {
    counterLocks.lock(deviceId);
    kiosk.to(`device:${deviceId}`).emit('device:revoked');
    kiosk.in(`device:${deviceId}`).disconnectSockets(true);
  });
  return { kiosk, counterLocks };
}

/** Socket.IO tells a refused handshake by the error's message; `data` carries the wire error. */
function handshakeError(code: ErrorCode, message: string): Error {
  const error = new Error(code) as Error & { data?: unknown };
  error.data = { code, message };
  return error;
}

/** Last-seen is journalled at most every few minutes per device: a heartbeat must not fill the journal. */
function markSeen(ctx: AppContext, device: Device | undefined): void {
  if (!device) return;
  const now = ctx.clock.now();
  if (device.lastSeenAt && now.getTime() - Date.parse(device.lastSeenAt) < SEEN_WRITE_INTERVAL_MS) return;
  void ctx.store
    .commit([{ c: 'devices', v: { ...device, lastSeenAt: now.toISOString() } }])
    .then(() => ctx.notifications.emit('devices:changed'))
    .catch(() => undefined);
}
