import { describe, expect, it } from 'vitest';
import type { Attendance, Device, StaffUser, Volunteer } from '../../server/src/protocol/model.ts';
import type { ServiceRecord } from '../../server/src/protocol/service.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';
import { collectionNames, StationState, type Change } from '../../server/src/store/state.ts';

const volunteer = (id: string, cardNo: string, extra: Partial<Volunteer> = {}): Volunteer => ({
  id, name: `志愿者${id}`, gender: 'unspecified', skills: [], teamIds: [], joinedOn: '2020-01-01', status: 'active', cardNo, cardSerial: 1, createdAt: '', updatedAt: '', ...extra,
});
const attendance = (id: string, volunteerId: string, activityId: string, checkInAt: string, extra: Partial<Attendance> = {}): Attendance => ({
  id, volunteerId, activityId, checkInAt, source: 'scan', createdAt: checkInAt, ...extra,
});
const device = (id: string, extra: Partial<Device>): Device => ({ id, name: id, mode: 'checkin', createdAt: '', createdBy: '', ...extra });
const staff = (id: string, username: string): StaffUser => ({ id, username, displayName: username, role: 'staff', passwordHash: '', disabled: false, createdAt: '' });
const service = (id: string, volunteerId: string, startedAt: string, creditedMinutes: number, extra: Partial<ServiceRecord> = {}): ServiceRecord => ({
  id, volunteerId, kind: 'visit', sourceId: 's', title: '探访', startedAt, endedAt: startedAt, minutes: creditedMinutes, creditedMinutes, ...extra,
});

/**
 * A day in the life of the indexes: keys that move, attendances that open, close and are removed,
 * append-only points and stock, credentials that are replaced, revoked and removed.
 */
const history: Change[] = [
  { c: 'config', v: { id: 'settings', settings: { ...defaultSettings } } },
  { c: 'volunteers', v: volunteer('v1', '100001', { phone: '13800000001', idNumber: '110101199001011234' }) },
  { c: 'volunteers', v: volunteer('v2', '100002', { phone: '13800000002' }) },
  { c: 'volunteers', v: volunteer('v3', '100003') },
  // v2 gets a new card: the old number no longer finds anyone.
  { c: 'volunteers', v: volunteer('v2', '100009', { phone: '13800000002' }) },
  { c: 'attendance', v: attendance('t1', 'v1', 'a1', '2025-12-31T17:00:00.000Z') },
  { c: 'attendance', v: attendance('t1', 'v1', 'a1', '2025-12-31T17:00:00.000Z', { checkOutAt: '2025-12-31T19:00:00.000Z', creditedMinutes: 120 }) },
  { c: 'attendance', v: attendance('t2', 'v1', 'a2', '2026-03-01T02:00:00.000Z') },
  { c: 'attendance', v: attendance('t3', 'v2', 'a2', '2026-03-01T02:05:00.000Z') },
  { c: 'attendance', v: attendance('t4', 'v3', 'a2', '2026-03-01T02:06:00.000Z') },
  // v3 is signed in twice by mistake, then the sign-in is removed: nobody stays counted for it.
  { c: 'attendance', v: attendance('t4', 'v3', 'a2', '2026-03-01T02:06:00.000Z', { removed: { at: '', by: '', reason: '重复' } }) },
  { c: 'ledger', v: { id: 'l1', volunteerId: 'v1', delta: 2, kind: 'attendance', reason: '', at: '2026-01-01T00:00:00.000Z', by: '' } },
  { c: 'ledger', v: { id: 'l2', volunteerId: 'v1', delta: -0.5, kind: 'redemption', reason: '', at: '2026-03-01T00:00:00.000Z', by: '' } },
  { c: 'goods', v: { id: 'rice', name: '大米', points: 1, active: true, lowStockThreshold: 1 } as never },
  { c: 'stockMovements', v: { id: 'm1', goodsId: 'rice', delta: 10, kind: 'initial', at: '', by: '' } },
  { c: 'stockMovements', v: { id: 'm2', goodsId: 'rice', delta: -3, kind: 'redemption', at: '', by: '' } },
  { c: 'sessions', v: { id: 's1', tokenHash: 'hash-s1', userId: 'u1', createdAt: '', expiresAt: '' } },
  { c: 'sessions', v: { id: 's2', tokenHash: 'hash-s2', userId: 'u1', createdAt: '', expiresAt: '' } },
  { c: 'sessions', id: 's1', remove: true },
  { c: 'devices', v: device('d1', { pairingCodeHash: 'pair-d1' }) },
  { c: 'devices', v: device('d1', { tokenHash: 'token-d1' }) },
  { c: 'devices', v: device('d2', { tokenHash: 'token-d2' }) },
  { c: 'devices', v: device('d2', { tokenHash: 'token-d2', revokedAt: '2026-03-01T00:00:00.000Z' }) },
  { c: 'staff', v: staff('u1', 'LiuAyi') },
  { c: 'redemptions', v: { id: 'r1', receiptNo: '000042', volunteerId: 'v1', items: [], pointsSpent: 0.5, at: '', by: '' } },
  { c: 'signups', v: { id: 'a2:v1', activityId: 'a2', volunteerId: 'v1', status: 'confirmed', number: 1, signedUpAt: '', by: '' } },
  { c: 'signups', v: { id: 'a2:v2', activityId: 'a2', volunteerId: 'v2', status: 'waitlisted', number: 2, signedUpAt: '', by: '' } },
  { c: 'signups', v: { id: 'a2:v2', activityId: 'a2', volunteerId: 'v2', status: 'confirmed', number: 2, signedUpAt: '', by: '' } },
  { c: 'serviceRecords', v: service('sr1', 'v2', '2026-02-01T02:00:00.000Z', 90) },
  { c: 'serviceRecords', v: service('sr2', 'v2', '2026-02-02T02:00:00.000Z', 30) },
  { c: 'serviceRecords', v: service('sr2', 'v2', '2026-02-02T02:00:00.000Z', 30, { removed: { at: '', by: '', reason: '' } }) },
  { c: 'serviceRequests', v: { id: 'q1', number: '2026-0007', category: '', details: '', skills: [], status: 'open', source: 'staff' } as never },
  { c: 'serviceRequests', v: { id: 'q2', number: '2026-0003', category: '', details: '', skills: [], status: 'open', source: 'staff' } as never },
];

function stationAfter(changes: Change[]): StationState {
  const state = new StationState();
  for (const change of changes) state.apply(change);
  return state;
}

/** Every query's answer for the keys the history uses, as plain data. */
function answers(state: StationState) {
  const volunteers = ['v1', 'v2', 'v3', 'nobody'];
  return {
    byCard: ['100001', '100002', '100009', '100003'].map((no) => state.volunteerWithCard(no)?.id),
    byPhone: ['13800000001', '13800000002'].map((phone) => state.volunteerWithPhone(phone)?.id),
    byIdNumber: state.volunteerWithIdNumber('110101199001011234')?.id,
    staff: ['liuayi', 'LIUAYI', 'nobody'].map((name) => state.staffWithUsername(name)?.id),
    sessions: ['hash-s1', 'hash-s2'].map((hash) => state.sessionWithTokenHash(hash)?.id),
    devices: ['token-d1', 'token-d2'].map((hash) => state.deviceWithTokenHash(hash)?.id),
    pairing: state.deviceWithPairingHash('pair-d1')?.id,
    receipt: state.redemptionWithReceiptNo('000042')?.id,
    open: volunteers.map((id) => state.openAttendanceOf(id)?.id),
    onSite: volunteers.map((id) => state.isOnSite(id)),
    openIds: [...state.openAttendanceIds()].sort(),
    onSiteCounts: [...state.onSiteCountsByActivity()],
    onSiteA2: state.onSiteCount('a2'),
    attendance: volunteers.map((id) => [...state.attendanceIdsOf(id)]),
    attendanceOfActivity: ['a1', 'a2'].map((id) => [...state.attendanceIdsOfActivity(id)]),
    ledger: volunteers.map((id) => [...state.ledgerIdsOf(id)]),
    signups: [[...state.signupIdsOfActivity('a2')], ...volunteers.map((id) => [...state.signupIdsOfVolunteer(id)])],
    service: volunteers.map((id) => state.serviceRecordsOf(id).map((r) => r.id)),
    totals: volunteers.map((id) => {
      const totals = state.totalsOf(id);
      return { minutes: totals.minutes, byYear: [...totals.minutesByYear].filter(([, m]) => m !== 0), points: totals.pointsTenths, balance: state.balanceTenthsOf(id) };
    }),
    stock: [state.stockOf('rice'), state.stockOf('nothing')],
    requests: [state.lastRequestNumber(2026), state.lastRequestNumber(2025)],
  };
}

describe('the state’s queries over its registered indexes', () => {
  it('answer from the indexes kept change by change', () => {
    expect(answers(stationAfter(history))).toEqual({
      byCard: ['v1', undefined, 'v2', 'v3'],
      byPhone: ['v1', 'v2'],
      byIdNumber: 'v1',
      staff: ['u1', 'u1', undefined],
      sessions: [undefined, 's2'],
      devices: ['d1', undefined],
      pairing: undefined,
      receipt: 'r1',
      open: ['t2', 't3', undefined, undefined],
      onSite: [true, true, false, false],
      openIds: ['t2', 't3'],
      onSiteCounts: [['a2', 2]],
      onSiteA2: 2,
      attendance: [['t1', 't2'], ['t3'], ['t4'], []],
      attendanceOfActivity: [['t1'], ['t2', 't3', 't4']],
      ledger: [['l1', 'l2'], [], [], []],
      signups: [['a2:v1', 'a2:v2'], ['a2:v1'], ['a2:v2'], [], []],
      service: [[], ['sr1', 'sr2'], [], []],
      // t1 began on 2026-01-01 01:00 in Beijing: its minutes count towards 2026, not 2025 (UTC).
      totals: [
        { minutes: 120, byYear: [[2026, 120]], points: 15, balance: 15 },
        { minutes: 90, byYear: [[2026, 90]], points: 0, balance: 0 },
        { minutes: 0, byYear: [], points: 0, balance: 0 },
        { minutes: 0, byYear: [], points: 0, balance: 0 },
      ],
      stock: [7, 0],
      requests: [7, 0],
    });
  });

  it('answer the same after a rebuild from the records as when kept change by change', () => {
    const kept = stationAfter(history);
    const rebuilt = new StationState();
    for (const name of collectionNames) for (const [id, record] of kept.records[name]) (rebuilt.records[name] as Map<string, unknown>).set(id, record);
    rebuilt.rebuildIndexes();
    expect(answers(rebuilt)).toEqual(answers(kept));
    // And a second rebuild clears what the first built: nothing is counted twice.
    rebuilt.rebuildIndexes();
    expect(answers(rebuilt)).toEqual(answers(kept));
  });

  it('recount the years when the center’s time zone changes', () => {
    const state = stationAfter([...history, { c: 'config', v: { id: 'settings', settings: { ...defaultSettings, timeZone: 'UTC' } } }]);
    expect([...state.totalsOf('v1').minutesByYear].filter(([, m]) => m !== 0)).toEqual([[2025, 120]]);
  });

  it('share one frozen empty list for keys with none, so an empty answer allocates nothing and cannot be filled', () => {
    const state = stationAfter(history);
    expect(state.attendanceIdsOf('nobody')).toBe(state.ledgerIdsOf('nobody'));
    expect(Object.isFrozen(state.attendanceIdsOf('nobody'))).toBe(true);
    expect(Object.isFrozen(state.totalsOf('nobody'))).toBe(true);
  });
});
