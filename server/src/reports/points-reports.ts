import { fromTenths, toTenths } from '../domain/points.ts';
import type { LedgerEntry, LedgerKind, Redemption } from '../protocol/model.ts';
import type { GoodsOutRow, PointsFigures, PointsReport, RedemptionsByGoodsReport, ReportQuery } from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import { calendarFor, ledgerEntriesIn, redemptionsIn, reportBase } from './report-scope.ts';

export const ledgerKindNames: Record<LedgerKind, string> = {
  attendance: '服务积分',
  manual: '手动调整',
  redemption: '兑换',
  reversal: '冲正',
  snap: '随手拍',
  service: '点单结对服务',
};

/** Sums in integer tenths, as balances are kept, so a year of entries adds up to the exact figure. */
export class PointsTally {
  issued = 0;
  deducted = 0;
  redeemed = 0;

  /**
   * A reversal counts where the entry it reverses counted: a corrected attendance lowers what was
   * issued, a voided receipt lowers what was redeemed.
   */
  add(entry: LedgerEntry, state: StationState): void {
    const tenths = toTenths(entry.delta);
    const origin: LedgerKind = entry.kind !== 'reversal' ? entry.kind
      : entry.redemptionId ? 'redemption'
      : entry.attendanceId ? 'attendance'
      : (entry.reversesId && state.get('ledger', entry.reversesId)?.kind) || 'manual';
    if (origin === 'redemption') this.redeemed -= tenths;
    else if (origin === 'manual' && tenths < 0) this.deducted -= tenths;
    else this.issued += tenths;
  }

  figures(): PointsFigures {
    return {
      issued: fromTenths(this.issued),
      deducted: fromTenths(this.deducted),
      redeemed: fromTenths(this.redeemed),
      net: fromTenths(this.issued - this.deducted - this.redeemed),
    };
  }
}

export function pointsReport(state: StationState, query: ReportQuery): PointsReport {
  const calendar = calendarFor(state, query);
  const total = new PointsTally();
  const months = calendar.months.map(() => new PointsTally());
  const kinds = new Map<LedgerKind, { entries: number; plus: number; minus: number }>();
  for (const { entry, at } of ledgerEntriesIn(state, calendar, query)) {
    total.add(entry, state);
    months[calendar.monthIndexOf(at)]!.add(entry, state);
    const kind = kinds.get(entry.kind) ?? { entries: 0, plus: 0, minus: 0 };
    const tenths = toTenths(entry.delta);
    kinds.set(entry.kind, { entries: kind.entries + 1, plus: kind.plus + Math.max(tenths, 0), minus: kind.minus + Math.max(-tenths, 0) });
  }
  return {
    ...reportBase(state, 'points', query),
    total: total.figures(),
    byMonth: calendar.months.map((month, index) => ({ month, ...months[index]!.figures() })),
    byKind: (Object.keys(ledgerKindNames) as LedgerKind[])
      .filter((kind) => kinds.has(kind))
      .map((kind) => {
        const sums = kinds.get(kind)!;
        return { kind, kindName: ledgerKindNames[kind], entries: sums.entries, plus: fromTenths(sums.plus), minus: fromTenths(sums.minus) };
      }),
  };
}

/** Goods handed out, per goods; voided receipts are counted apart and left out of the figures. */
export class GoodsTally {
  receipts = 0;
  voided = 0;
  readonly #byGoods = new Map<string, { name: string; quantity: number; tenths: number; redemptions: number }>();

  add(redemption: Redemption): void {
    if (redemption.voided) {
      this.voided++;
      return;
    }
    this.receipts++;
    for (const item of redemption.items) {
      const goods = this.#byGoods.get(item.goodsId) ?? { name: item.name, quantity: 0, tenths: 0, redemptions: 0 };
      goods.quantity += item.quantity;
      goods.tenths += toTenths(item.points) * item.quantity;
      goods.redemptions++;
      this.#byGoods.set(item.goodsId, goods);
    }
  }

  /** Most handed out first. Current goods names win over the name on old receipts. */
  rows(state: StationState): GoodsOutRow[] {
    return [...this.#byGoods]
      .map(([goodsId, sums]) => {
        const goods = state.get('goods', goodsId);
        return { goodsId, name: goods?.name ?? sums.name, category: goods?.category ?? '', quantity: sums.quantity, points: fromTenths(sums.tenths), redemptions: sums.redemptions };
      })
      .sort((a, b) => b.quantity - a.quantity || b.points - a.points || a.name.localeCompare(b.name, 'zh-CN'));
  }
}

export function redemptionsByGoods(state: StationState, query: ReportQuery): RedemptionsByGoodsReport {
  const goods = new GoodsTally();
  for (const { redemption } of redemptionsIn(state, calendarFor(state, query), query)) goods.add(redemption);
  const items = goods.rows(state);
  return {
    ...reportBase(state, 'redemptions-by-goods', query),
    items,
    total: {
      quantity: items.reduce((sum, item) => sum + item.quantity, 0),
      points: fromTenths(items.reduce((sum, item) => sum + toTenths(item.points), 0)),
      redemptions: goods.receipts,
    },
    voidedLeftOut: goods.voided,
  };
}
