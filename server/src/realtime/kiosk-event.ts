import { z } from 'zod';
import type { Socket } from 'socket.io';
import type { AppContext } from '../context.ts';
import type { KioskClientEvents, KioskServerEvents } from '../protocol/events.ts';
import type { Device, DeviceMode } from '../protocol/model.ts';
import { AppError, type WireError } from '../protocol/errors.ts';
import { StoreFailedError } from '../store/store-failed-error.ts';
import type { CounterLocks } from '../redemption/counter-lock.ts';
import { auditChange } from '../audit.ts';
import type { DigitLock, PhoneDigitGuard } from '../cards/phone-digit-guard.ts';
import { parseCode } from '../domain/card-code.ts';

export interface KioskSocketData {
  deviceId: string;
  /** On a counter: the hash of the unlock token this socket unlocked with (or reconnected with). */
  unlockTokenHash?: string;
  /** On a check-in kiosk: who opened its staff panel, for staff-assisted check-in (issue 12). */
  staffPanel?: { username: string; lastUsedMs: number };
}

export type KioskSocket = Socket<KioskClientEvents, KioskServerEvents, Record<string, never>, KioskSocketData>;

/** The modes a tablet on `/kiosk` can have; a board device never gets past the handshake. */
export type KioskDeviceMode = Exclude<DeviceMode, 'board'>;

/** What a kiosk event handler gets besides its validated payload. */
export interface KioskEventContext {
  ctx: AppContext;
  /** The sending tablet as stored now: paired, not revoked, and in one of the event's modes. */
  device: Device;
  socket: KioskSocket;
  /** Which counter tablets a staff member has unlocked (server-side counter lock). */
  counterLocks: CounterLocks;
  /** Wrong phone digits per card number and per tablet, and the lock-outs they caused. */
  digitGuard: PhoneDigitGuard;
}

/**
 * One kiosk socket event: who may send it, how its payload is validated, and what answers it.
 * `run` returns the ack; it may throw an AppError (answered as `{ok:false, error}`), a
 * StoreFailedError (not answered: the tablet retries with the same id once the server is back),
 * or anything else (logged, answered as INTERNAL_ERROR without its message).
 */
export interface KioskEvent<S extends z.ZodType = z.ZodType, R = unknown> {
  modes: readonly KioskDeviceMode[];
  schema: S;
  /** A payload field echoed in an error ack (`scanId`, `redemptionId`), so the tablet can match it. */
  idField?: string;
  run(input: z.output<S>, context: KioskEventContext): R | Promise<R>;
}

/** The ack type of a client event, from its listener's last parameter. */
type AckOf<F> = F extends (...args: infer P) => void ? (P extends [...unknown[], (result: infer R) => void] ? R : never) : never;

/** Every client event of `/kiosk` with its handler: declaring an event in `KioskClientEvents` without one is a compile error. */
export type KioskEventRegistry = { [E in keyof KioskClientEvents]: KioskEvent<z.ZodType, AckOf<KioskClientEvents[E]>> };

/** Typed helper for handler modules: `export const scanEvent = kioskEvent({ modes, schema, run })`. */
export function kioskEvent<S extends z.ZodType, R>(event: KioskEvent<S, R>): KioskEvent<S, R> {
  return event;
}

/** For events sent without a payload (`socket.emitWithAck('state:get')`): nothing, or an empty object. */
export const noPayload = z.object({}).optional();

/** The tablet as stored now; a device revoked while its socket is still open gets a clear refusal. */
export function currentDevice(ctx: AppContext, deviceId: string): Device {
  const device = ctx.store.state.get('devices', deviceId);
  if (!device || device.revokedAt) throw new AppError('DEVICE_TOKEN_INVALID', 'This tablet is not paired, or its pairing was revoked; pair it again', 401);
  return device;
}

/**
 * Listens to every registered event on one socket through the same wrapper: the ack is found
 * (an event without one is ignored, as its answer could not be told), the device is re-read and
 * its mode checked, the payload validated with zod, and every throw turned into an answer.
 * Nothing a tablet sends can become an uncaught exception.
 */
export function listenToKioskEvents(
  socket: KioskSocket,
  registry: KioskEventRegistry,
  context: Omit<KioskEventContext, 'device' | 'socket'>,
): void {
  const listen = socket.on.bind(socket) as unknown as (event: string, listener: (...args: unknown[]) => void) => void;
  for (const [name, event] of Object.entries(registry) as [string, KioskEvent][]) {
    listen(name, (...args) => {
      answerKioskEvent(name, event, args, { ...context, socket }).catch((error: unknown) => context.ctx.logger.error(`Could not answer the kiosk event ${name}`, error));
    });
  }
}

async function answerKioskEvent(name: string, event: KioskEvent, args: unknown[], context: Omit<KioskEventContext, 'device'>): Promise<void> {
  const ack = args.at(-1);
  if (typeof ack !== 'function') return;
  const payload = args.length > 1 ? args[0] : undefined;
  const idField = event.idField;
  const id = idField && payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[idField] : undefined;
  const fail = (error: WireError) => ack({ ok: false, ...(idField ? { [idField]: typeof id === 'string' ? id : null } : {}), error });
  try {
    const device = currentDevice(context.ctx, context.socket.data.deviceId);
    if (!(event.modes as readonly DeviceMode[]).includes(device.mode)) {
      throw new AppError('DEVICE_MODE_FORBIDDEN', `A ${device.mode} tablet cannot use ${name}`, 403, { mode: device.mode });
    }
    const parsed = event.schema.safeParse(payload);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(payload)', message: issue.message }));
      return fail({ code: 'VALIDATION_FAILED', message: `The request has problems: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, details: { problems } });
    }
    const subject = digitSubject(context.ctx.cardSecret, parsed.data);
    if (!subject) return ack(await event.run(parsed.data, { ...context, device }));
    const lock = context.digitGuard.lockFor(subject, device.id);
    if (lock) throw cardLocked(lock);
    let result: unknown;
    try {
      result = await event.run(parsed.data, { ...context, device });
    } catch (error) {
      if (error instanceof AppError && error.code === 'PHONE_DIGITS_WRONG') await countWrongDigits(context, device, subject);
      throw error;
    }
    const refusal = (result as { ok?: boolean; error?: WireError } | undefined)?.error;
    if (refusal?.code === 'PHONE_DIGITS_WRONG') await countWrongDigits(context, device, subject);
    else if ((result as { ok?: boolean } | undefined)?.ok === true) context.digitGuard.recordRight(subject);
    ack(result);
  } catch (error) {
    if (error instanceof AppError) return fail(error.toWire());
    // Not on disk, and the server is stopping: no answer, so the tablet keeps the id and retries.
    if (error instanceof StoreFailedError) return;
    context.ctx.logger.error(`Unexpected error in the kiosk event ${name}`, error);
    fail({ code: 'INTERNAL_ERROR', message: 'Something went wrong on the server; nothing was changed' });
  }
}

/**
 * What a payload's phone digits vouch for: a bare card number typed on the keypad (any event
 * with `code` and `phoneLast4`), or a service request number (`number` and `phoneLast4`). A
 * signed QR code needs no digits and is not limited here.
 */
function digitSubject(cardSecret: Buffer, payload: unknown): string | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const { code, number, phoneLast4 } = payload as { code?: unknown; number?: unknown; phoneLast4?: unknown };
  if (typeof phoneLast4 !== 'string') return undefined;
  if (typeof code === 'string') {
    const parsed = parseCode(cardSecret, code);
    return parsed.kind === 'cardNumber' ? parsed.cardNo : undefined;
  }
  return typeof number === 'string' ? `request ${number.trim()}` : undefined;
}

function cardLocked(lock: DigitLock): AppError {
  const message = lock.kind === 'card'
    ? 'Too many wrong phone digits for this number: it is locked for a while; please ask staff'
    : 'Too many wrong phone digits from this tablet: typed numbers are locked for a while; please ask staff';
  return new AppError('CARD_LOCKED', message, 429, { lockedBy: lock.kind, until: lock.until });
}

/** Counts a wrong attempt; one that starts a lock-out is audited (committed before the answer) and answered CARD_LOCKED. */
async function countWrongDigits(context: Omit<KioskEventContext, 'device'>, device: Device, subject: string): Promise<void> {
  const started = context.digitGuard.recordWrong(subject, device.id);
  if (started.length === 0) return;
  const { ctx } = context;
  const now = ctx.clock.now();
  await ctx.store.commit(started.map((lock) =>
    lock.kind === 'card'
      ? auditChange(now, `device:${device.id}`, 'card.digits-locked', `card:${lock.key}`, `${context.digitGuard.limits.perCard} wrong phone digits; locked until ${lock.until}`, { count: context.digitGuard.limits.perCard, until: lock.until })
      : auditChange(now, `device:${device.id}`, 'device.digits-locked', `device:${device.id}`, `${device.name}: ${context.digitGuard.limits.perDevice} wrong phone digits; typed numbers locked until ${lock.until}`, { count: context.digitGuard.limits.perDevice, until: lock.until }),
  ));
  ctx.notifications.emit('devices:changed');
  throw cardLocked(started[0]!);
}
