import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/src/protocol/errors.ts';
import type { Goods, LedgerEntry, StockMovement, Volunteer } from '../../server/src/protocol/model.ts';
import { decideRedemption, decideVoid, redemptionFingerprint } from '../../server/src/redemption/redemption-rules.ts';
import { StationState, type Change } from '../../server/src/store/state.ts';

const now = new Date('2026-04-01T02:00:00.000Z');
const volunteer = { id: 'v1', name: '张三', cardNo: '100001', cardSerial: 1, status: 'active' } as Volunteer;

function state(balance: number, goods: { id: string; points: number; stock: number; active?: boolean }[]): StationState {
  const s = new StationState();
  s.apply({ c: 'volunteers', v: volunteer });
  if (balance) s.apply({ c: 'ledger', v: { id: 'l0', volunteerId: 'v1', delta: balance, kind: 'manual', reason: 'x', at: '', by: '' } as LedgerEntry });
  for (const g of goods) {
    s.apply({ c: 'goods', v: { id: g.id, name: `物品${g.id}`, points: g.points, active: g.active ?? true, lowStockThreshold: 1, createdAt: '' } as Goods });
    s.apply({ c: 'stockMovements', v: { id: `m-${g.id}`, goodsId: g.id, delta: g.stock, kind: 'initial', at: '', by: '' } as StockMovement });
  }
  return s;
}

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const input = (items: { goodsId: string; quantity: number }[]) => ({ redemptionId: '00000000-0000-4000-8000-000000000001', code: 'x', items });

describe('redemption rules', () => {
  it('debits the balance and each goods’ stock in one set of changes, with the next receipt number', () => {
    const s = state(10, [{ id: 'rice', points: 3, stock: 5 }, { id: 'soap', points: 0.5, stock: 5 }]);
    const { redemption, changes, balanceAfter } = decideRedemption(input([{ goodsId: 'rice', quantity: 2 }, { goodsId: 'soap', quantity: 3 }]), s, volunteer, now, 'staff:a');
    expect(redemption).toMatchObject({ pointsSpent: 7.5, receiptNo: '20260401-00001' });
    expect(balanceAfter).toBe(2.5);
    for (const change of changes as Change[]) s.apply(change);
    expect(s.balanceTenthsOf('v1')).toBe(25);
    expect(s.stockOf('rice')).toBe(3);
    expect(s.stockOf('soap')).toBe(2);
    expect(s.counters.receiptNo).toBe(1);
  });

  it('adds up repeated lines of one goods before checking stock', () => {
    const s = state(100, [{ id: 'oil', points: 1, stock: 3 }]);
    const error = refusal(() => decideRedemption(input([{ goodsId: 'oil', quantity: 2 }, { goodsId: 'oil', quantity: 2 }]), s, volunteer, now, 'x'));
    expect(error).toMatchObject({ code: 'OUT_OF_STOCK', details: { stock: 3, requested: 4 } });
  });

  it('refuses a cart the balance does not cover, saying how many points are missing; exactly enough is fine', () => {
    const s = state(5, [{ id: 'towel', points: 6, stock: 5 }, { id: 'pen', points: 5, stock: 5 }]);
    expect(refusal(() => decideRedemption(input([{ goodsId: 'towel', quantity: 1 }]), s, volunteer, now, 'x'))).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { balance: 5, needed: 6, missing: 1 } });
    expect(decideRedemption(input([{ goodsId: 'pen', quantity: 1 }]), s, volunteer, now, 'x').balanceAfter).toBe(0);
  });

  it('refuses withdrawn or unknown goods', () => {
    const s = state(50, [{ id: 'old', points: 1, stock: 5, active: false }]);
    expect(refusal(() => decideRedemption(input([{ goodsId: 'old', quantity: 1 }]), s, volunteer, now, 'x')).code).toBe('GOODS_WITHDRAWN');
    expect(refusal(() => decideRedemption(input([{ goodsId: 'none', quantity: 1 }]), s, volunteer, now, 'x')).code).toBe('NOT_FOUND');
  });

  it('a void reverses points and stock as new entries and is a no-op the second time', () => {
    const s = state(10, [{ id: 'rice', points: 3, stock: 5 }]);
    const { redemption, changes } = decideRedemption(input([{ goodsId: 'rice', quantity: 2 }]), s, volunteer, now, 'x');
    for (const change of changes) s.apply(change);
    const voidChanges = decideVoid(s, s.get('redemptions', redemption.id)!, '拿错了', now, 'staff:b');
    for (const change of voidChanges) s.apply(change);
    expect(s.balanceTenthsOf('v1')).toBe(100);
    expect(s.stockOf('rice')).toBe(5);
    expect(s.get('redemptions', redemption.id)!.voided).toMatchObject({ reason: '拿错了', by: 'staff:b' });
    expect(s.records.ledger.size).toBe(3);
    expect(decideVoid(s, s.get('redemptions', redemption.id)!, 'again', now, 'x')).toEqual([]);
  });

  it('the fingerprint ignores item order but not content', () => {
    const a = redemptionFingerprint(input([{ goodsId: 'a', quantity: 1 }, { goodsId: 'b', quantity: 2 }]));
    expect(redemptionFingerprint(input([{ goodsId: 'b', quantity: 2 }, { goodsId: 'a', quantity: 1 }]))).toBe(a);
    expect(redemptionFingerprint(input([{ goodsId: 'a', quantity: 2 }, { goodsId: 'b', quantity: 2 }]))).not.toBe(a);
  });
});
