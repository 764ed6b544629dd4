import { describe, expect, it } from 'vitest';
import { decideBackfill } from '../../server/src/backfill/backfill-rules.ts';
import type { Volunteer } from '../../server/src/protocol/model.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';
import { StationState } from '../../server/src/store/state.ts';

const volunteer = (id: string, name: string): Volunteer => ({ id, name, gender: 'unspecified', skills: [], teamIds: [], joinedOn: '2026-01-01', status: 'active', cardNo: id, cardSerial: 1, createdAt: '', updatedAt: '' });
const now = new Date('2026-03-12T02:00:00.000Z');
// The sheet of 10 March, 09:00–11:00 Beijing.
const nine = '2026-03-10T01:00:00.000Z';
const ten = '2026-03-10T02:00:00.000Z';
const eleven = '2026-03-10T03:00:00.000Z';

function station(): StationState {
  const state = new StationState();
  state.apply({ c: 'config', v: { id: 'settings', settings: defaultSettings } });
  for (const [id, name] of [['v1', '王秀英'], ['v2', '李建国'], ['v3', '周桂兰']]) state.apply({ c: 'volunteers', v: volunteer(id!, name!) });
  state.apply({ c: 'activities', v: { id: 'a1', title: '敬老院探访', teamIds: [], startsAt: nine, endsAt: eleven, status: 'closed', createdAt: '' } });
  return state;
}
const problemsOf = (fn: () => unknown) => {
  try {
    fn();
    return 'passed';
  } catch (error) {
    const e = error as { code: string; details?: { problems?: unknown } };
    return { code: e.code, problems: e.details?.problems };
  }
};

describe('bulk 补录 from a paper sheet', () => {
  it('records every line as a manual attendance credited by the center’s rules, under one audit entry with the reason', () => {
    const state = station();
    const { changes, result } = decideBackfill(state, { activityId: 'a1', reason: '纸质签到表', entries: [
      { volunteerId: 'v1', checkInAt: nine, checkOutAt: eleven },
      { volunteerId: 'v2', checkInAt: nine, checkOutAt: ten },
    ] }, { now, actor: 'staff:liu' });
    expect(result).toMatchObject({ added: 2, hours: 3, points: 3 });
    const attendance = changes.filter((c) => c.c === 'attendance').map((c) => ('v' in c ? c.v : undefined));
    expect(attendance).toMatchObject([{ volunteerId: 'v1', source: 'manual', creditedMinutes: 120 }, { volunteerId: 'v2', source: 'manual', creditedMinutes: 60 }]);
    const audits = changes.filter((c) => c.c === 'audit').map((c) => ('v' in c ? c.v : undefined));
    expect(audits).toMatchObject([{ actor: 'staff:liu', action: 'attendance.bulk-added', summary: '敬老院探访: 2 · 纸质签到表' }]);
  });

  it('refuses the whole batch, listing every bad line, when a time overlaps one already recorded or twice in the sheet, or a person is unknown', () => {
    const state = station();
    state.apply({ c: 'attendance', v: { id: 'r1', volunteerId: 'v3', activityId: 'a1', checkInAt: nine, checkOutAt: ten, source: 'scan', createdAt: '' } });
    const outcome = problemsOf(() => decideBackfill(state, { activityId: 'a1', reason: '纸质签到表', entries: [
      { volunteerId: 'v1', checkInAt: nine, checkOutAt: eleven },
      { volunteerId: 'v3', checkInAt: '2026-03-10T01:30:00.000Z', checkOutAt: eleven },
      { volunteerId: 'v1', checkInAt: ten, checkOutAt: eleven },
      { volunteerId: 'ghost', checkInAt: nine, checkOutAt: ten },
    ] }, { now, actor: 'staff:liu' }));
    expect(outcome).toEqual({ code: 'CONFLICT', problems: [
      { index: 1, volunteerId: 'v3', problem: 'OVERLAP', attendanceId: 'r1' },
      { index: 2, volunteerId: 'v1', problem: 'DUPLICATE_IN_BATCH' },
      { index: 3, volunteerId: 'ghost', problem: 'UNKNOWN_VOLUNTEER' },
    ] });
  });

  it('a line right after an earlier attendance (touching, not overlapping) is fine; a removed attendance does not block', () => {
    const state = station();
    state.apply({ c: 'attendance', v: { id: 'r1', volunteerId: 'v1', activityId: 'a1', checkInAt: nine, checkOutAt: ten, source: 'scan', createdAt: '' } });
    state.apply({ c: 'attendance', v: { id: 'r2', volunteerId: 'v2', activityId: 'a1', checkInAt: nine, checkOutAt: eleven, source: 'scan', createdAt: '', removed: { at: '', by: '', reason: '误扫' } } });
    const { result } = decideBackfill(state, { activityId: 'a1', reason: '补', entries: [
      { volunteerId: 'v1', checkInAt: ten, checkOutAt: eleven },
      { volunteerId: 'v2', checkInAt: nine, checkOutAt: eleven },
    ] }, { now, actor: 'staff:liu' });
    expect(result.added).toBe(2);
  });
});
