import type { Activity, Attendance, Goods, LedgerEntry, Redemption, Team, Volunteer } from '../../server/src/protocol/model.ts';
import { defaultSettings, type Settings } from '../../server/src/protocol/settings.ts';
import { StationState } from '../../server/src/store/state.ts';

/**
 * A small center, first quarter of 2026, Beijing time, with every case the reports must get
 * right. Figures in the tests are worked out by hand from this list.
 *
 * Volunteers: 张明 (河道队, joined 2025-12-20), 李华 (河道队 + 助老队, 2026-01-15),
 * 王芳 (no team, 2026-02-01), 赵强 (助老队, 2026-02-28, never came).
 *
 * Attendance (credited minutes as they stand now):
 *   att0 张明 冬至包饺子 2025-12-21 10:00 local   120  (before the quarter)
 *   att1 张明 夜间巡逻   2026-01-31 23:30 local   150  (January: 15:30Z)
 *   att2 李华 夜间巡逻   2026-02-01 00:30 local    90  (February, though 2026-01-31T16:30Z)
 *   att3 张明 敬老院探访 2026-02-10 09:00         180  auto-closed, awaiting review
 *   att4 李华 敬老院探访 2026-02-10 09:00          60  corrected from 180
 *   att5 王芳 敬老院探访 2026-02-10 09:00         180  removed: counts for nothing
 *   att6 王芳 垃圾分类宣传 2026-03-05 14:00       120
 *   att7 李华 垃圾分类宣传 2026-03-05 14:10         —  still open
 */
export const ids = {
  teamRiver: 'team-river',
  teamElders: 'team-elders',
  zhang: 'v-zhang',
  li: 'v-li',
  wang: 'v-wang',
  zhao: 'v-zhao',
  patrol: 'a-patrol',
  visit: 'a-visit',
  sorting: 'a-sorting',
  cancelled: 'a-cancelled',
  dumplings: 'a-dumplings',
  rice: 'g-rice',
  soap: 'g-soap',
  towel: 'g-towel',
} as const;

const created = '2025-12-01T00:00:00.000Z';

function volunteer(id: string, name: string, cardNo: string, teamIds: string[], joinedOn: string): Volunteer {
  return { id, name, gender: 'unspecified', skills: [], teamIds, joinedOn, status: 'active', cardNo, cardSerial: 1, createdAt: created, updatedAt: created };
}

function activity(id: string, title: string, startsAt: string, endsAt: string, extra: Partial<Activity> = {}): Activity {
  return { id, title, teamIds: [], startsAt, endsAt, status: 'closed', createdAt: created, ...extra };
}

function attendance(id: string, volunteerId: string, activityId: string, checkInAt: string, extra: Partial<Attendance> = {}): Attendance {
  return { id, volunteerId, activityId, checkInAt, source: 'scan', createdAt: checkInAt, ...extra };
}

let ledgerSeq = 0;
function ledger(volunteerId: string, delta: number, kind: LedgerEntry['kind'], at: string, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return { id: `l${String(++ledgerSeq).padStart(2, '0')}`, volunteerId, delta, kind, reason: kind, at, by: 'staff:admin', ...extra };
}

function goods(id: string, name: string, points: number): Goods {
  return { id, name, category: '日用品', points, active: true, lowStockThreshold: 5, createdAt: created };
}

export function buildCenter(settings: Partial<Settings> = {}): StationState {
  ledgerSeq = 0;
  const s = new StationState();
  s.apply({
    c: 'config',
    v: { id: 'settings', settings: { ...defaultSettings, ...settings, stars: { ...defaultSettings.stars, thresholds: [1, 2, 4, 6, 16], ...settings.stars } } },
  });
  const teams: Team[] = [
    { id: ids.teamRiver, name: '河道队', leaderIds: [], createdAt: created },
    { id: ids.teamElders, name: '助老队', leaderIds: [], createdAt: created },
  ];
  for (const v of teams) s.apply({ c: 'teams', v });
  for (const v of [
    volunteer(ids.zhang, '张明', '100001', [ids.teamRiver], '2025-12-20'),
    volunteer(ids.li, '李华', '100002', [ids.teamRiver, ids.teamElders], '2026-01-15'),
    volunteer(ids.wang, '王芳', '100003', [], '2026-02-01'),
    volunteer(ids.zhao, '赵强', '100004', [ids.teamElders], '2026-02-28'),
  ]) s.apply({ c: 'volunteers', v });

  for (const v of [
    activity(ids.dumplings, '冬至包饺子', '2025-12-21T10:00:00+08:00', '2025-12-21T12:00:00+08:00', { theme: '助老' }),
    activity(ids.patrol, '夜间巡逻', '2026-01-31T22:00:00+08:00', '2026-02-01T02:00:00+08:00', { theme: '平安', place: '滨河路', organizer: '社区居委会', teamIds: [ids.teamRiver] }),
    activity(ids.visit, '敬老院探访', '2026-02-10T09:00:00+08:00', '2026-02-10T12:00:00+08:00', { theme: '助老', place: '幸福敬老院', teamIds: [ids.teamElders] }),
    activity(ids.cancelled, '雨天取消的义诊', '2026-02-20T09:00:00+08:00', '2026-02-20T11:00:00+08:00', { theme: '助老', status: 'cancelled' }),
    activity(ids.sorting, '垃圾分类宣传', '2026-03-05T14:00:00+08:00', '2026-03-05T16:00:00+08:00', { place: '社区广场', status: 'open' }),
  ]) s.apply({ c: 'activities', v });

  for (const v of [
    attendance('att0', ids.zhang, ids.dumplings, '2025-12-21T02:00:00.000Z', { checkOutAt: '2025-12-21T04:00:00.000Z', creditedMinutes: 120, pointsCredited: 2 }),
    attendance('att1', ids.zhang, ids.patrol, '2026-01-31T15:30:00.000Z', { checkOutAt: '2026-01-31T18:00:00.000Z', creditedMinutes: 150, pointsCredited: 2.5 }),
    attendance('att2', ids.li, ids.patrol, '2026-01-31T16:30:00.000Z', { checkOutAt: '2026-01-31T19:00:00.000Z', creditedMinutes: 90, pointsCredited: 1.5 }),
    attendance('att3', ids.zhang, ids.visit, '2026-02-10T01:00:00.000Z', { checkOutAt: '2026-02-10T04:00:00.000Z', creditedMinutes: 180, pointsCredited: 3, autoClosed: true, needsReview: true }),
    attendance('att4', ids.li, ids.visit, '2026-02-10T01:00:00.000Z', { checkOutAt: '2026-02-10T02:00:00.000Z', creditedMinutes: 60, pointsCredited: 1 }),
    attendance('att5', ids.wang, ids.visit, '2026-02-10T01:00:00.000Z', {
      checkOutAt: '2026-02-10T04:00:00.000Z', creditedMinutes: 180, pointsCredited: 3,
      removed: { at: '2026-02-12T02:00:00.000Z', by: 'staff:admin', reason: '误签' },
    }),
    attendance('att6', ids.wang, ids.sorting, '2026-03-05T06:00:00.000Z', { checkOutAt: '2026-03-05T08:00:00.000Z', creditedMinutes: 120, pointsCredited: 2 }),
    attendance('att7', ids.li, ids.sorting, '2026-03-05T06:10:00.000Z'),
  ]) s.apply({ c: 'attendance', v });

  for (const v of [goods(ids.rice, '大米', 3), goods(ids.soap, '肥皂', 1), goods(ids.towel, '毛巾', 1.5)]) s.apply({ c: 'goods', v });
  const redemptions: Redemption[] = [
    { id: 'r1', receiptNo: '20260310-00001', volunteerId: ids.zhang, items: [{ goodsId: ids.rice, name: '大米', quantity: 1, points: 3 }, { goodsId: ids.soap, name: '肥皂', quantity: 1, points: 1 }], pointsSpent: 4, at: '2026-03-10T02:00:00.000Z', by: 'staff:admin' },
    { id: 'r2', receiptNo: '20260311-00002', volunteerId: ids.li, items: [{ goodsId: ids.soap, name: '肥皂', quantity: 2, points: 1 }], pointsSpent: 2, at: '2026-03-11T02:00:00.000Z', by: 'staff:admin', voided: { at: '2026-03-12T02:00:00.000Z', by: 'staff:admin', reason: '拿错' } },
    { id: 'r3', receiptNo: '20260320-00003', volunteerId: ids.wang, items: [{ goodsId: ids.towel, name: '毛巾', quantity: 1, points: 1.5 }], pointsSpent: 1.5, at: '2026-03-20T02:00:00.000Z', by: 'staff:admin' },
  ];
  for (const v of redemptions) s.apply({ c: 'redemptions', v });

  const l4 = ledger(ids.li, 3, 'attendance', '2026-02-10T04:00:00.000Z', { attendanceId: 'att4' });
  const l7 = ledger(ids.wang, 3, 'attendance', '2026-02-10T04:00:00.000Z', { attendanceId: 'att5' });
  const l13 = ledger(ids.li, -2, 'redemption', '2026-03-11T02:00:00.000Z', { redemptionId: 'r2' });
  for (const v of [
    ledger(ids.zhang, 2, 'attendance', '2025-12-21T04:00:00.000Z', { attendanceId: 'att0' }),
    // Closed at 02:00 on 1 February, Beijing time: February's points although the sign-in was January's.
    ledger(ids.zhang, 2.5, 'attendance', '2026-01-31T18:00:00.000Z', { attendanceId: 'att1' }),
    ledger(ids.li, 1.5, 'attendance', '2026-01-31T19:00:00.000Z', { attendanceId: 'att2' }),
    ledger(ids.zhang, 3, 'attendance', '2026-02-10T04:00:00.000Z', { attendanceId: 'att3' }),
    l4,
    ledger(ids.li, -3, 'reversal', '2026-02-11T02:00:00.000Z', { attendanceId: 'att4', reversesId: l4.id }),
    ledger(ids.li, 1, 'attendance', '2026-02-11T02:00:00.000Z', { attendanceId: 'att4' }),
    l7,
    ledger(ids.wang, -3, 'reversal', '2026-02-12T02:00:00.000Z', { attendanceId: 'att5', reversesId: l7.id }),
    ledger(ids.wang, 2, 'attendance', '2026-03-05T08:00:00.000Z', { attendanceId: 'att6' }),
    ledger(ids.zhang, 5, 'manual', '2026-03-01T02:00:00.000Z'),
    ledger(ids.li, -1, 'manual', '2026-03-02T02:00:00.000Z'),
    ledger(ids.zhang, -4, 'redemption', '2026-03-10T02:00:00.000Z', { redemptionId: 'r1' }),
    l13,
    ledger(ids.li, 2, 'reversal', '2026-03-12T02:00:00.000Z', { redemptionId: 'r2', reversesId: l13.id }),
    ledger(ids.wang, -1.5, 'redemption', '2026-03-20T02:00:00.000Z', { redemptionId: 'r3' }),
  ]) s.apply({ c: 'ledger', v });

  s.rebuildIndexes();
  return s;
}

export const firstQuarter = { from: '2026-01-01', to: '2026-03-31' };
