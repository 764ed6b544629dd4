import { describe, expect, it } from 'vitest';
import type { ServiceRecord } from '../../server/src/protocol/service.ts';
import { activeVolunteers, hoursByMonth, hoursByTeam, hoursByTheme, hoursByVolunteer } from '../../server/src/reports/hours-reports.ts';
import { yearSummary } from '../../server/src/reports/year-summary.ts';
import { buildCenter, firstQuarter, ids } from './report-fixture.ts';

/**
 * Service hours beyond activities (a completed request, a pairing visit) count in the hours
 * reports like attendance does (DESIGN §8): the report fixture's center, plus these records.
 *   rq1 赵强 (助老队, never came to an activity) request 2026-02-20 10:00 Beijing   90 min
 *   vs1 王芳 (no team) visit 2026-03-31 23:00 Beijing (15:00Z)                       60 min
 *   vs2 王芳 visit 2026-01-20, removed: counts for nothing                           60 min
 *   vs3 张明 visit 2026-04-01 00:30 Beijing, after the quarter                       120 min
 */
function record(id: string, volunteerId: string, kind: ServiceRecord['kind'], startedAt: string, minutes: number, extra: Partial<ServiceRecord> = {}): ServiceRecord {
  const endedAt = new Date(Date.parse(startedAt) + minutes * 60_000).toISOString();
  return { id, volunteerId, kind, sourceId: `src-${id}`, title: kind === 'request' ? '维修（2026-0001）' : '结对探访', startedAt, endedAt, minutes, creditedMinutes: minutes, ...extra };
}

function centerWithService() {
  const state = buildCenter();
  for (const v of [
    record('rq1', ids.zhao, 'request', '2026-02-20T02:00:00.000Z', 90),
    record('vs1', ids.wang, 'visit', '2026-03-31T15:00:00.000Z', 60),
    record('vs2', ids.wang, 'visit', '2026-01-20T02:00:00.000Z', 60, { removed: { at: '2026-01-21T00:00:00.000Z', by: 'staff:admin', reason: '重复' } }),
    record('vs3', ids.zhang, 'visit', '2026-03-31T16:30:00.000Z', 120),
  ]) state.apply({ c: 'serviceRecords', v });
  return state;
}

const plain = buildCenter();
const center = centerWithService();

describe('service hours in the hours reports', () => {
  it('counts completed requests and visits in the Beijing month they began, removed ones and later ones not', () => {
    const before = hoursByMonth(plain, firstQuarter);
    const report = hoursByMonth(center, firstQuarter);
    expect(report.items.map((m) => m.hours)).toEqual([before.items[0]!.hours, before.items[1]!.hours + 1.5, before.items[2]!.hours + 1]);
    expect(report.total).toEqual({ attendances: before.total.attendances + 2, hours: before.total.hours + 2.5, volunteers: before.total.volunteers + 1 });
  });

  it('gives each volunteer their service hours, and a volunteer who only served on requests is active', () => {
    const rows = hoursByVolunteer(center, firstQuarter).items;
    expect(rows.find((r) => r.volunteerId === ids.zhao)).toMatchObject({ attendances: 1, hours: 1.5, activities: 0, lastDay: '2026-02-20' });
    const wangBefore = hoursByVolunteer(plain, firstQuarter).items.find((r) => r.volunteerId === ids.wang)!;
    expect(rows.find((r) => r.volunteerId === ids.wang)).toMatchObject({ hours: wangBefore.hours + 1, activities: wangBefore.activities, lastDay: '2026-03-31' });
    expect(activeVolunteers(center, firstQuarter).active).toBe(activeVolunteers(plain, firstQuarter).active + 1);
  });

  it('counts them for the volunteer’s teams', () => {
    const elders = (report: ReturnType<typeof hoursByTeam>) => report.items.find((t) => t.teamId === ids.teamElders)!;
    expect(elders(hoursByTeam(center, firstQuarter)).hours).toBe(elders(hoursByTeam(plain, firstQuarter)).hours + 1.5);
  });

  it('lists them by kind in the theme report, and a theme filter keeps activities only', () => {
    const items = hoursByTheme(center, firstQuarter).items;
    expect(items).toContainEqual({ theme: 'service:request', themeName: '点单服务', attendances: 1, hours: 1.5, volunteers: 1 });
    expect(items).toContainEqual({ theme: 'service:visit', themeName: '结对探访', attendances: 1, hours: 1, volunteers: 1 });
    expect(hoursByMonth(center, { ...firstQuarter, theme: '助老' }).total).toEqual(hoursByMonth(plain, { ...firstQuarter, theme: '助老' }).total);
  });

  it('narrows by volunteer', () => {
    expect(hoursByMonth(center, { ...firstQuarter, volunteerId: ids.zhao }).total).toEqual({ attendances: 1, hours: 1.5, volunteers: 1 });
  });

  it('adds them to the year-end summary’s service hours', () => {
    const before = yearSummary(plain, firstQuarter);
    const summary = yearSummary(center, firstQuarter);
    expect(summary.service.hours).toBe(before.service.hours + 2.5);
    expect(summary.service.attendances).toBe(before.service.attendances + 2);
    expect(summary.volunteers.active).toBe(before.volunteers.active + 1);
  });
});
