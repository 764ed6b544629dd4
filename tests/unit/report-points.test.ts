import { describe, expect, it } from 'vitest';
import { pointsReport, redemptionsByGoods } from '../../server/src/reports/points-reports.ts';
import { buildCenter, firstQuarter, ids } from './report-fixture.ts';

const center = buildCenter();

describe('points issued and spent', () => {
  it('nets corrections against what was issued and voids against what was redeemed', () => {
    const report = pointsReport(center, firstQuarter);
    // Issued: 2.5 + 1.5 + 3 + (3 − 3 + 1) + (3 − 3) + 2 attendance, + 5 manual = 15.
    // Redeemed: 4 + (2 − 2 voided) + 1.5 = 5.5. Deducted by hand: 1.
    expect(report.total).toEqual({ issued: 15, deducted: 1, redeemed: 5.5, net: 8.5 });
    expect(report.byKind).toEqual([
      { kind: 'attendance', kindName: '服务积分', entries: 7, plus: 16, minus: 0 },
      { kind: 'manual', kindName: '手动调整', entries: 2, plus: 5, minus: 1 },
      { kind: 'redemption', kindName: '兑换', entries: 3, plus: 0, minus: 7.5 },
      { kind: 'reversal', kindName: '冲正', entries: 3, plus: 2, minus: 6 },
    ]);
  });

  it('dates each entry by its Beijing day: points of a sign-out at 02:00 on 1 February are February’s', () => {
    expect(pointsReport(center, firstQuarter).byMonth).toEqual([
      { month: '2026-01', issued: 0, deducted: 0, redeemed: 0, net: 0 },
      { month: '2026-02', issued: 8, deducted: 0, redeemed: 0, net: 8 },
      { month: '2026-03', issued: 7, deducted: 1, redeemed: 5.5, net: 0.5 },
    ]);
  });

  it('keeps with a theme only points earned at its activities', () => {
    expect(pointsReport(center, { ...firstQuarter, theme: '助老' }).total).toEqual({ issued: 4, deducted: 0, redeemed: 0, net: 4 });
    expect(pointsReport(center, { ...firstQuarter, volunteerId: ids.li }).total).toEqual({ issued: 2.5, deducted: 1, redeemed: 0, net: 1.5 });
  });
});

describe('redemptions by goods', () => {
  it('adds up goods handed out and leaves voided receipts out', () => {
    const report = redemptionsByGoods(center, firstQuarter);
    expect(report.items).toEqual([
      { goodsId: ids.rice, name: '大米', category: '日用品', quantity: 1, points: 3, redemptions: 1 },
      { goodsId: ids.towel, name: '毛巾', category: '日用品', quantity: 1, points: 1.5, redemptions: 1 },
      { goodsId: ids.soap, name: '肥皂', category: '日用品', quantity: 1, points: 1, redemptions: 1 },
    ]);
    expect(report.total).toEqual({ quantity: 3, points: 5.5, redemptions: 2 });
    expect(report.voidedLeftOut).toBe(1);
    expect(redemptionsByGoods(center, { ...firstQuarter, teamId: ids.teamRiver }).total).toEqual({ quantity: 2, points: 4, redemptions: 1 });
  });
});
