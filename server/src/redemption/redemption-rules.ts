import { createHash } from 'node:crypto';
import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import { fromTenths, toTenths } from '../domain/points.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { LedgerEntry, Receipt, Redemption, RedemptionItem, StockMovement, Volunteer } from '../protocol/model.ts';
import type { RedeemInput } from '../protocol/schemas.ts';
import type { Change, Counters, StationState } from '../store/state.ts';

/**
 * A redemption checks balance and stock and debits both in one transaction: the caller commits
 * the changes in the same tick as this decision, so two counters can never both spend the last
 * unit or the same points. Neither balance nor stock goes negative.
 */
export function decideRedemption(
  input: RedeemInput,
  state: StationState,
  volunteer: Volunteer,
  now: Date,
  by: string,
  deviceId?: string,
): { redemption: Redemption; changes: Change[]; balanceAfter: number } {
  const quantities = new Map<string, number>();
  for (const item of input.items) quantities.set(item.goodsId, (quantities.get(item.goodsId) ?? 0) + item.quantity);

  const items: RedemptionItem[] = [];
  let totalTenths = 0;
  for (const [goodsId, quantity] of quantities) {
    const goods = state.get('goods', goodsId);
    if (!goods) throw new AppError('NOT_FOUND', 'One of the goods in the cart does not exist', 404, { goodsId });
    if (!goods.active) throw new AppError('GOODS_WITHDRAWN', `“${goods.name}” has been withdrawn from the counter`, 409, { goodsId, name: goods.name });
    const stock = state.stockOf(goodsId);
    if (stock < quantity) throw new AppError('OUT_OF_STOCK', `Only ${stock} of “${goods.name}” left`, 409, { goodsId, name: goods.name, stock, requested: quantity });
    items.push({ goodsId, name: goods.name, quantity, points: goods.points });
    totalTenths += toTenths(goods.points) * quantity;
  }

  const balanceTenths = state.balanceTenthsOf(volunteer.id);
  if (balanceTenths < totalTenths) {
    const missing = fromTenths(totalTenths - balanceTenths);
    throw new AppError('INSUFFICIENT_POINTS', `Not enough points: ${missing} more needed`, 409, {
      balance: fromTenths(balanceTenths),
      needed: fromTenths(totalTenths),
      missing,
    });
  }

  const counters = state.counters;
  const receiptNo = `${format(new TZDate(now.getTime(), state.settings.timeZone), 'yyyyMMdd')}-${String(counters.receiptNo + 1).padStart(5, '0')}`;
  const at = now.toISOString();
  const redemption: Redemption = {
    id: input.redemptionId,
    receiptNo,
    volunteerId: volunteer.id,
    items,
    pointsSpent: fromTenths(totalTenths),
    at,
    by,
    ...(deviceId ? { deviceId } : {}),
  };
  const ledger: LedgerEntry = {
    id: newId(),
    volunteerId: volunteer.id,
    delta: -redemption.pointsSpent,
    kind: 'redemption',
    reason: `兑换 ${receiptNo}`,
    at,
    by,
    redemptionId: redemption.id,
  };
  const movements: StockMovement[] = items.map((item) => ({
    id: newId(),
    goodsId: item.goodsId,
    delta: -item.quantity,
    kind: 'redemption',
    at,
    by,
    redemptionId: redemption.id,
  }));
  const nextCounters: Counters = { ...counters, receiptNo: counters.receiptNo + 1 };
  return {
    redemption,
    balanceAfter: fromTenths(balanceTenths - totalTenths),
    changes: [
      { c: 'redemptions', v: redemption },
      { c: 'ledger', v: ledger },
      ...movements.map((v) => ({ c: 'stockMovements', v }) as const),
      { c: 'config', v: nextCounters },
    ],
  };
}

/**
 * Voiding returns the points as a reversing ledger entry and the goods as stock movements; the
 * receipt stays, marked voided. A receipt of a closed, archived year (store/archive/) is refused:
 * its debit is in the year's archive and the year's books are closed (409 YEAR_ARCHIVED, with the
 * receipt and year); points owed back are a points adjustment (积分调整) of today, with its reason.
 */
export function decideVoid(state: StationState, redemption: Redemption, reason: string, now: Date, by: string): Change[] {
  if (redemption.voided) return [];
  const year = state.yearOf(redemption.at);
  if (state.isArchivedYear(year)) {
    throw new AppError('YEAR_ARCHIVED', `Receipt ${redemption.receiptNo} is of ${year}, a closed year whose records are archived: it can no longer be voided. Give points back with a points adjustment instead`, 409, {
      year,
      receiptNo: redemption.receiptNo,
    });
  }
  const at = now.toISOString();
  const original = state.ledgerIdsOf(redemption.volunteerId)
    .map((id) => state.get('ledger', id)!)
    .find((entry) => entry.redemptionId === redemption.id && entry.kind === 'redemption');
  const reversal: LedgerEntry = {
    id: newId(),
    volunteerId: redemption.volunteerId,
    delta: redemption.pointsSpent,
    kind: 'reversal',
    reason: `作废 ${redemption.receiptNo}: ${reason}`,
    at,
    by,
    redemptionId: redemption.id,
    ...(original ? { reversesId: original.id } : {}),
  };
  return [
    { c: 'redemptions', v: { ...redemption, voided: { at, by, reason } } },
    { c: 'ledger', v: reversal },
    ...redemption.items.map((item) => ({
      c: 'stockMovements' as const,
      v: { id: newId(), goodsId: item.goodsId, delta: item.quantity, kind: 'void' as const, reason, at, by, redemptionId: redemption.id },
    })),
  ];
}

export function redemptionFingerprint(input: RedeemInput): string {
  const items = [...input.items].sort((a, b) => a.goodsId.localeCompare(b.goodsId) || a.quantity - b.quantity);
  return createHash('sha256').update(JSON.stringify([input.code, input.phoneLast4 ?? null, items])).digest('base64url');
}

export function redemptionReceipt(input: RedeemInput, now: Date, response: unknown): Receipt {
  return { id: `redeem:${input.redemptionId}`, kind: 'redeem', at: now.toISOString(), fingerprint: redemptionFingerprint(input), response };
}
