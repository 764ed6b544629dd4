import type { AppContext } from '../context.ts';
import { can } from '../auth/roles.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { AppError } from '../protocol/errors.ts';
import type { CounterGoods } from '../protocol/events.ts';
import { goodsPhotoUrl } from './goods-photos.ts';

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
    const id = state.staffByUsername.get(input.username.toLowerCase());
    const staff = id ? state.get('staff', id) : undefined;
    const matches = staff
      ? (await verifyPassword(input.secret, staff.passwordHash)) || (staff.pinHash ? await verifyPassword(input.secret, staff.pinHash) : false)
      : false;
    if (!staff || !matches) throw new AppError('INVALID_CREDENTIALS', 'Wrong name, password or PIN', 401);
    if (staff.disabled) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled', 403);
    if (!can(staff.role, 'redemption:run')) throw new AppError('FORBIDDEN', 'This account cannot run the counter', 403);
    return { ok: true as const, staff: { username: staff.username, displayName: staff.displayName } };
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
