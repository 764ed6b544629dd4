import { describe, expect, test } from 'vitest';
import type { CounterGoods, RedeemAck } from '../../server/src/protocol/events.ts';
import type { RedeemInput } from '../../server/src/protocol/schemas.ts';
import { addToCart, applyStockChange, fitCartToShelf, groupByCategory, removeFromCart, summarizeCart } from '../../kiosk/src/counter/cart.ts';
import { errorLines } from '../../kiosk/src/counter/counter-errors.ts';
import { sendUntilAnswered } from '../../kiosk/src/counter/redemption-sender.ts';
import { en } from '../../kiosk/src/i18n/en.ts';
import { zhCN } from '../../kiosk/src/i18n/zh-CN.ts';

const rice: CounterGoods = { id: 'rice', name: '大米', category: '粮油', unit: '袋', points: 30, stock: 2, low: false };
const towel: CounterGoods = { id: 'towel', name: '毛巾', category: '日用品', points: 10, stock: 5, low: false };
const soap: CounterGoods = { id: 'soap', name: '肥皂', points: 5, stock: 0, low: true };

describe('counter cart', () => {
  test('a cart never holds more of a goods than its stock', () => {
    let cart = addToCart({}, rice);
    cart = addToCart(cart, rice);
    expect(addToCart(cart, rice)).toBe(cart);
    expect(addToCart({}, soap)).toEqual({});
    expect(removeFromCart(removeFromCart(cart, 'rice'), 'rice')).toEqual({});
  });

  test('the summary says what is left, or how many points are missing', () => {
    const cart = { rice: 2, towel: 1 };
    expect(summarizeCart(cart, [rice, towel], 100)).toMatchObject({ total: 70, remaining: 30, missing: 0, count: 3 });
    expect(summarizeCart(cart, [rice, towel], 50)).toMatchObject({ total: 70, remaining: -20, missing: 20 });
  });

  test('stock sold elsewhere cuts the cart down, and withdrawn goods leave it', () => {
    const shelf = applyStockChange([rice, towel], { goodsId: 'rice', stock: 1, low: true });
    expect(shelf[0]).toMatchObject({ stock: 1, low: true });
    expect(fitCartToShelf({ rice: 2, towel: 3 }, shelf)).toEqual({ rice: 1, towel: 3 });
    expect(fitCartToShelf({ rice: 2, towel: 3 }, [towel])).toEqual({ towel: 3 });
  });

  test('goods without a category are grouped under the fallback name', () => {
    expect(groupByCategory([rice, towel, soap], '其他').map(([name, goods]) => [name, goods.length])).toEqual([
      ['粮油', 1],
      ['日用品', 1],
      ['其他', 1],
    ]);
  });
});

describe('sending a redemption', () => {
  const input: RedeemInput = { redemptionId: '8d7f0f5e-6d55-4b5e-9a39-5d0c7f1d2a10', code: 'VS1.100001.1.x', items: [{ goodsId: 'rice', quantity: 1 }] };
  const receipt: RedeemAck = { ok: true, redemptionId: input.redemptionId, receiptNo: '20261123-00001', pointsSpent: 30, balance: 70, at: '', volunteer: { id: 'v', displayName: '张*明', stars: 0 }, items: [] };

  test('a lost ack is retried with the same redemption id until an answer comes', async () => {
    const sent: string[] = [];
    let waits = 0;
    const ack = await sendUntilAnswered(
      input,
      async (payload) => {
        sent.push(payload.redemptionId);
        return sent.length < 3 ? null : receipt;
      },
      async () => undefined,
      () => waits++,
    );
    expect(ack).toBe(receipt);
    expect(sent).toEqual([input.redemptionId, input.redemptionId, input.redemptionId]);
    expect(waits).toBe(2);
  });
});

describe('counter error messages', () => {
  test('not enough points says how many are missing', () => {
    const lines = errorLines(zhCN, { code: 'INSUFFICIENT_POINTS', message: '', details: { balance: 30, needed: 50, missing: 20 } });
    expect(lines[0]).toContain('还差 20 分');
    expect(errorLines(en, { code: 'INSUFFICIENT_POINTS', message: '', details: { balance: 30, needed: 50, missing: 20 } })[0]).toContain('20 short');
  });

  test('out of stock and withdrawn goods are named', () => {
    expect(errorLines(zhCN, { code: 'OUT_OF_STOCK', message: '', details: { name: '大米', stock: 1, requested: 2 } })[0]).toContain('“大米”只剩 1 件');
    expect(errorLines(zhCN, { code: 'GOODS_WITHDRAWN', message: '', details: { name: '毛巾' } })[0]).toContain('“毛巾”已经下架');
  });

  test('other codes fall back to the shared sentence and next step', () => {
    expect(errorLines(zhCN, { code: 'CARD_UNKNOWN', message: '' })).toEqual([zhCN.errors.CARD_UNKNOWN.message, zhCN.errors.CARD_UNKNOWN.next]);
  });
});
