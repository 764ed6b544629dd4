import { describe, expect, it } from 'vitest';
import { activitiesReport } from '../../server/src/reports/activities-report.ts';
import { activeVolunteers, hoursByMonth, hoursByTeam, hoursByTheme, hoursByVolunteer, newVolunteers } from '../../server/src/reports/hours-reports.ts';
import { buildCenter, firstQuarter, ids } from './report-fixture.ts';

const center = buildCenter();

describe('hours by month', () => {
  it('counts each attendance in the Beijing month of its sign-in, as credited now; removed ones not at all', () => {
    const report = hoursByMonth(center, firstQuarter);
    expect(report.items).toEqual([
      // att1 (23:30 on 31 January, Beijing)
      { month: '2026-01', attendances: 1, hours: 2.5, volunteers: 1 },
      // att2 (00:30 on 1 February), att3 auto-closed 180 min, att4 corrected to 60 min; att5 removed
      { month: '2026-02', attendances: 3, hours: 5.5, volunteers: 2 },
      // att6 120 min, att7 still open: an attendance with no hours yet
      { month: '2026-03', attendances: 2, hours: 2, volunteers: 2 },
    ]);
    expect(report.total).toEqual({ attendances: 6, hours: 10, volunteers: 3 });
    expect(report).toMatchObject({ report: 'hours-by-month', title: '按月服务时长统计', period: firstQuarter, timeZone: 'Asia/Shanghai' });
  });

  it('ends January at Beijing midnight', () => {
    expect(hoursByMonth(center, { from: '2026-01-01', to: '2026-01-31' }).total).toEqual({ attendances: 1, hours: 2.5, volunteers: 1 });
    expect(hoursByMonth(center, { from: '2026-02-01', to: '2026-02-01' }).total).toEqual({ attendances: 1, hours: 1.5, volunteers: 1 });
  });

  it('takes the day in the zone of the settings', () => {
    // In UTC, att2 (16:30Z on 31 January) is January's.
    const utc = buildCenter({ timeZone: 'UTC' });
    expect(hoursByMonth(utc, firstQuarter).items.map((m) => m.attendances)).toEqual([2, 2, 2]);
  });

  it('narrows by team (members), theme and volunteer', () => {
    expect(hoursByMonth(center, { ...firstQuarter, teamId: ids.teamElders }).items.map((m) => [m.attendances, m.hours])).toEqual([[0, 0], [2, 2.5], [1, 0]]);
    expect(hoursByMonth(center, { ...firstQuarter, theme: '助老' }).total).toEqual({ attendances: 2, hours: 4, volunteers: 2 });
    expect(hoursByMonth(center, { ...firstQuarter, volunteerId: ids.zhang }).items.map((m) => m.hours)).toEqual([2.5, 3, 0]);
  });
});

describe('hours by team and by theme', () => {
  it('counts a member of two teams in both, and people in no team under 未分队', () => {
    expect(hoursByTeam(center, firstQuarter).items).toEqual([
      { teamId: ids.teamRiver, teamName: '河道队', attendances: 5, hours: 8, volunteers: 2 },
      { teamId: ids.teamElders, teamName: '助老队', attendances: 3, hours: 2.5, volunteers: 1 },
      { teamId: null, teamName: '未分队', attendances: 1, hours: 2, volunteers: 1 },
    ]);
  });

  it('groups by the activity theme, 未分类 when it has none', () => {
    expect(hoursByTheme(center, firstQuarter).items).toEqual([
      { theme: '平安', themeName: '平安', attendances: 2, hours: 4, volunteers: 2 },
      { theme: '助老', themeName: '助老', attendances: 2, hours: 4, volunteers: 2 },
      { theme: null, themeName: '未分类', attendances: 2, hours: 2, volunteers: 2 },
    ]);
  });
});

describe('volunteers', () => {
  it('lists volunteers who served, most hours first, with distinct activities and the last day', () => {
    expect(hoursByVolunteer(center, firstQuarter).items).toEqual([
      { volunteerId: ids.zhang, name: '张明', cardNo: '100001', teamNames: ['河道队'], attendances: 2, hours: 5.5, activities: 2, lastDay: '2026-02-10' },
      { volunteerId: ids.li, name: '李华', cardNo: '100002', teamNames: ['河道队', '助老队'], attendances: 3, hours: 2.5, activities: 3, lastDay: '2026-03-05' },
      { volunteerId: ids.wang, name: '王芳', cardNo: '100003', teamNames: [], attendances: 1, hours: 2, activities: 1, lastDay: '2026-03-05' },
    ]);
  });

  it('counts active volunteers against those registered by the end of the period', () => {
    const report = activeVolunteers(center, firstQuarter);
    expect(report).toMatchObject({ active: 3, registered: 4, activeRate: 0.75 });
    expect(report.byMonth).toEqual([{ month: '2026-01', active: 1 }, { month: '2026-02', active: 2 }, { month: '2026-03', active: 2 }]);
    // By 31 January 张明 and 李华 (on the 15th) had joined; only 张明 came.
    expect(activeVolunteers(center, { from: '2026-01-01', to: '2026-01-31' })).toMatchObject({ active: 1, registered: 2, activeRate: 0.5 });
    // A removed attendance does not make 王芳 active in February.
    expect(activeVolunteers(center, { from: '2026-02-01', to: '2026-02-28' }).items.map((v) => v.name)).toEqual(['张明', '李华']);
  });

  it('lists new volunteers by the day they joined', () => {
    const report = newVolunteers(center, firstQuarter);
    expect(report.count).toBe(3);
    expect(report.items.map((v) => [v.name, v.joinedOn])).toEqual([['李华', '2026-01-15'], ['王芳', '2026-02-01'], ['赵强', '2026-02-28']]);
    expect(report.byMonth).toEqual([{ month: '2026-01', count: 1 }, { month: '2026-02', count: 2 }, { month: '2026-03', count: 0 }]);
    expect(newVolunteers(center, { ...firstQuarter, teamId: ids.teamElders }).items.map((v) => v.name)).toEqual(['李华', '赵强']);
  });
});

describe('activities held', () => {
  it('lists activities that started in the period, cancelled ones left out, with all their attendances', () => {
    const report = activitiesReport(center, firstQuarter);
    expect(report.items.map((a) => [a.title, a.time, a.attendances, a.volunteers, a.hours])).toEqual([
      ['夜间巡逻', '2026-01-31 22:00–2026-02-01 02:00', 2, 2, 4],
      ['敬老院探访', '2026-02-10 09:00–12:00', 2, 2, 4],
      ['垃圾分类宣传', '2026-03-05 14:00–16:00', 2, 2, 2],
    ]);
    expect(report.items[0]).toMatchObject({ organizer: '社区居委会', place: '滨河路', teamNames: ['河道队'], theme: '平安' });
    expect(report.items[2]!.organizer).toBe('志愿驿站');
    expect(report.total).toEqual({ activities: 3, attendances: 6, hours: 10 });
  });

  it('narrows to the activities a team runs, of a theme, or that a volunteer attended', () => {
    const titles = (filters: object) => activitiesReport(center, { ...firstQuarter, ...filters }).items.map((a) => a.title);
    expect(titles({ teamId: ids.teamRiver })).toEqual(['夜间巡逻']);
    expect(titles({ theme: '助老' })).toEqual(['敬老院探访']);
    // 王芳's attendance at the visit was removed.
    expect(titles({ volunteerId: ids.wang })).toEqual(['垃圾分类宣传']);
  });
});
