import type { AppContext } from '../context.ts';
import { resolveCard } from '../attendance/resolve-card.ts';
import { AppError } from '../protocol/errors.ts';
import type { RedeemAck, RedeemSuccess } from '../protocol/events.ts';
import type { Device } from '../protocol/model.ts';
import type { RedeemInput } from '../protocol/schemas.ts';
import { publicVolunteer } from '../volunteers/figures.ts';
import { decideRedemption, redemptionFingerprint, redemptionReceipt } from './redemption-rules.ts';

export type RedeemHandler = (input: RedeemInput, device: Device, staffUsername?: string) => Promise<RedeemAck>;

/** `redeem` from a counter-mode device (checked by the kiosk event wrapper): idempotent by redemptionId. */
export function redeemHandler(ctx: AppContext): RedeemHandler {
  return async (input, device, staffUsername) => {
    const state = ctx.store.state;
    const stored = state.get('receipts', `redeem:${input.redemptionId}`);
    if (stored) {
      if (stored.fingerprint !== redemptionFingerprint(input)) throw new AppError('REDEMPTION_ID_REUSED', 'This redemption id was already used for a different cart', 409);
      return { ...(stored.response as RedeemSuccess), replayed: true };
    }
    if (state.get('redemptions', input.redemptionId)) throw new AppError('REDEMPTION_ID_REUSED', 'This redemption id was already used', 409);
    const now = ctx.clock.now();
    const volunteer = resolveCard(state, ctx.cardSecret, input.code, input.phoneLast4);
    const by = staffUsername ? `staff:${staffUsername}` : `device:${device.id}`;
    const { redemption, changes, balanceAfter } = decideRedemption(input, state, volunteer, now, by, device.id);
    const ack: RedeemSuccess = {
      ok: true,
      redemptionId: redemption.id,
      receiptNo: redemption.receiptNo,
      pointsSpent: redemption.pointsSpent,
      balance: balanceAfter,
      at: redemption.at,
      volunteer: publicVolunteer(state, volunteer, now),
      items: redemption.items,
    };
    // A failed write rejects with a StoreFailedError: no ack, and the counter retries with the same redemptionId.
    await ctx.store.commit([...changes, { c: 'receipts', v: redemptionReceipt(input, now, ack) }]);
    announceStock(ctx, redemption.items.map((i) => i.goodsId));
    ctx.notifications.emit('redemption:created', { id: redemption.id, volunteerId: volunteer.id });
    return ack;
  };
}

export function announceStock(ctx: AppContext, goodsIds: string[]): void {
  const state = ctx.store.state;
  for (const goodsId of new Set(goodsIds)) {
    const goods = state.get('goods', goodsId);
    if (!goods) continue;
    const stock = state.stockOf(goodsId);
    ctx.notifications.emit('stock:changed', { goodsId, stock, low: stock <= goods.lowStockThreshold });
  }
}
