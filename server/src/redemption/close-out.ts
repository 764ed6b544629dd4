import { addPoints } from '../domain/points.ts';
import { dayKey } from '../domain/time-zone.ts';
import type { CloseOut, CounterCloseOut } from '../protocol/views.ts';
import type { StationState } from '../store/state.ts';

export type { CounterCloseOut };

/**
 * A day's close-out per counter: redemptions made that day (voided ones listed as voids and
 * not counted in points or goods), and the stock left now. Pure, for the admin and its export.
 */
export function closeOut(state: StationState, day: string): CloseOut {
  const zone = state.settings.timeZone;
  const byCounter = new Map<string, CounterCloseOut>();
  for (const redemption of state.records.redemptions.values()) {
    if (dayKey(redemption.at, zone) !== day) continue;
    const key = redemption.deviceId ?? 'admin';
    let counter = byCounter.get(key);
    if (!counter) {
      counter = { deviceId: redemption.deviceId ?? null, counterName: redemption.deviceId ? (state.get('devices', redemption.deviceId)?.name ?? '') : '—', redemptions: 0, voids: 0, pointsSpent: 0, goodsOut: [] };
      byCounter.set(key, counter);
    }
    if (redemption.voided) {
      counter.voids++;
      continue;
    }
    counter.redemptions++;
    counter.pointsSpent = addPoints(counter.pointsSpent, redemption.pointsSpent);
    for (const item of redemption.items) {
      const line = counter.goodsOut.find((g) => g.goodsId === item.goodsId);
      if (line) line.quantity += item.quantity;
      else counter.goodsOut.push({ goodsId: item.goodsId, name: item.name, quantity: item.quantity });
    }
  }
  const counters = [...byCounter.values()].sort((a, b) => a.counterName.localeCompare(b.counterName));
  return {
    day,
    counters,
    totals: {
      redemptions: counters.reduce((n, c) => n + c.redemptions, 0),
      voids: counters.reduce((n, c) => n + c.voids, 0),
      pointsSpent: counters.reduce((n, c) => addPoints(n, c.pointsSpent), 0),
    },
    stockLeft: [...state.records.goods.values()].map((g) => ({ goodsId: g.id, name: g.name, stock: state.stockOf(g.id), low: state.stockOf(g.id) <= g.lowStockThreshold })),
  };
}
