import type { AppContext } from '../context.ts';
import { can } from '../protocol/roles.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { AppError } from '../protocol/errors.ts';
import type { CounterGoods } from '../protocol/events.ts';
import { counterUnlockSchema, redeemSchema } from '../protocol/schemas.ts';
import { kioskEvent, noPayload } from '../realtime/kiosk-event.ts';
import { goodsPhotoUrl } from './goods-photos.ts';
import type { RedeemHandler } from './redeem-handler.ts';

const ATTEMPTS_PER_MINUTE = 5;

/**
 * Unlocking a counter tablet: the staff member's password or counter PIN. Attempts are limited
 * per tablet, across its reconnections, so a short PIN cannot be guessed from the counter.
 */
export function counterUnlocker(ctx: AppContext) {
  const attemptsByDevice = new Map<string, number[]>();
  return async (deviceId: string, input: { username: string; secret: string }) => {
    const now = ctx.clock.now().getTime();
    let attempts = attemptsByDevice.get(deviceId);
    if (!attempts) attemptsByDevice.set(deviceId, (attempts = []));
    while (attempts.length > 0 && attempts[0]! < now - 60_000) attempts.shift();
    if (attempts.length >= ATTEMPTS_PER_MINUTE) throw new AppError('RATE_LIMITED', 'Too many attempts; wait a minute and try again', 429);
    attempts.push(now);
    const state = ctx.store.state;
    const staff = state.staffWithUsername(input.username);
    const matches = staff
      ? (await verifyPassword(input.secret, staff.passwordHash)) || (staff.pinHash ? await verifyPassword(input.secret, staff.pinHash) : false)
      : false;
    if (!staff || !matches) throw new AppError('INVALID_CREDENTIALS', 'Wrong name, password or PIN', 401);
    if (staff.disabled) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled', 403);
    if (!can(staff.role, 'redemption:run')) throw new AppError('FORBIDDEN', 'This account cannot run the counter', 403);
    return { id: staff.id, username: staff.username, displayName: staff.displayName };
  };
}

/**
 * The counter's kiosk events. `counter:unlock` answers with a short-lived unlock token that the
 * tablet carries in its handshake (`auth: {token, unlockToken}`), so a reconnect stays unlocked
 * without a secret in the page; `redeem` is refused with COUNTER_LOCKED unless this socket unlocked
 * the counter (or reconnected with its token) and it has not been idle too long.
 */
export function counterEvents(ctx: AppContext, redeem: RedeemHandler) {
  const unlock = counterUnlocker(ctx);
  return {
    unlock: kioskEvent({
      modes: ['counter'],
      schema: counterUnlockSchema,
      run: async (input, { device, socket, counterLocks }) => {
        const staff = await unlock(device.id, input);
        const { unlockToken, tokenHash, expiresAt } = counterLocks.unlock(device.id, staff.id);
        socket.data.unlockTokenHash = tokenHash;
        return { ok: true as const, staff: { username: staff.username, displayName: staff.displayName }, unlockToken, expiresAt };
      },
    }),
    lock: kioskEvent({
      modes: ['counter'],
      schema: noPayload,
      run: (_input, { device, socket, counterLocks }) => {
        counterLocks.lock(device.id);
        socket.data.unlockTokenHash = undefined;
        return { ok: true as const };
      },
    }),
    goodsList: kioskEvent({
      modes: ['counter'],
      schema: noPayload,
      run: (_input, { ctx: context }) => ({ ok: true as const, items: counterGoods(context) }),
    }),
    redeem: kioskEvent({
      modes: ['counter'],
      schema: redeemSchema,
      idField: 'redemptionId',
      run: (input, { device, socket, counterLocks }) => {
        // DESIGN §6: the server enforces the counter lock, and every redemption records who served.
        const staff = counterLocks.staffServing(device.id, socket.data.unlockTokenHash);
        return redeem(input, device, staff.username);
      },
    }),
  };
}

/** Active goods for the counter's shelf, with stock. */
export function counterGoods(ctx: AppContext): CounterGoods[] {
  const state = ctx.store.state;
  return [...state.records.goods.values()]
    .filter((g) => g.active)
    .map((g) => {
      const stock = state.stockOf(g.id);
      return { id: g.id, name: g.name, category: g.category, unit: g.unit, points: g.points, stock, low: stock <= g.lowStockThreshold, photoUrl: goodsPhotoUrl(g) };
    })
    .sort((a, b) => (a.category ?? '').localeCompare(b.category ?? '') || a.name.localeCompare(b.name));
}
