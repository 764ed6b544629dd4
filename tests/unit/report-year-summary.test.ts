import { describe, expect, it } from 'vitest';
import { yearSummary } from '../../server/src/reports/year-summary.ts';
import { buildCenter, firstQuarter, ids } from './report-fixture.ts';

describe('year-end summary', () => {
  const summary = yearSummary(buildCenter(), firstQuarter);

  it('has the figures of the street-office report', () => {
    expect(summary.volunteers).toEqual({ registered: 4, active: 3, new: 3, activeRate: 0.75 });
    expect(summary.activities).toEqual({ held: 3 });
    expect(summary.service).toEqual({ hours: 10, attendances: 6, hoursPerActiveVolunteer: 3.33, hoursPerRegisteredVolunteer: 2.5 });
    expect(summary.points).toEqual({ issued: 15, deducted: 1, redeemed: 5.5, net: 8.5 });
    expect(summary.goods).toMatchObject({ quantity: 3, redemptions: 2 });
    expect(summary.goods.top.map((g) => g.name)).toEqual(['大米', '毛巾', '肥皂']);
    expect(summary.topTeams.map((t) => [t.teamName, t.hours])).toEqual([['河道队', 8], ['助老队', 2.5]]);
  });

  it('has a month-by-month series with activities by their Beijing start day', () => {
    expect(summary.months).toEqual([
      { month: '2026-01', hours: 2.5, attendances: 1, activeVolunteers: 1, activities: 1, newVolunteers: 1 },
      { month: '2026-02', hours: 5.5, attendances: 3, activeVolunteers: 2, activities: 1, newVolunteers: 2 },
      { month: '2026-03', hours: 2, attendances: 2, activeVolunteers: 2, activities: 1, newVolunteers: 0 },
    ]);
  });

  it('counts stars on all hours up to the period end (lifetime rule), including December’s', () => {
    // Thresholds 1/2/4/6/16 h. 张明 120+150+180 min = 7.5 h → 4; 李华 2.5 h → 2; 王芳 2 h → 2; 赵强 none → 0.
    expect(summary.stars).toEqual([
      { level: 0, volunteers: 1 }, { level: 1, volunteers: 0 }, { level: 2, volunteers: 2 },
      { level: 3, volunteers: 0 }, { level: 4, volunteers: 1 }, { level: 5, volunteers: 0 },
    ]);
    // At the end of February 王芳's only hours were removed, and her March ones not yet served.
    const february = yearSummary(buildCenter(), { from: '2026-02-01', to: '2026-02-28' });
    expect(february.stars.map((s) => s.volunteers)).toEqual([2, 0, 1, 0, 1, 0]);
  });

  it('counts stars on the calendar year when the center counts that way, and honours a points condition', () => {
    const yearly = yearSummary(buildCenter({ stars: { thresholds: [1, 2, 4, 6, 16], period: 'calendarYear', minPoints: null, minEvaluation: null } }), firstQuarter);
    // 张明's December hours no longer count: 5.5 h → 3.
    expect(yearly.stars.map((s) => s.volunteers)).toEqual([1, 0, 2, 1, 0, 0]);
    // Balances at the end of March: 张明 2+2.5+3+5−4 = 8.5, 李华 1.5, 王芳 0.5: a 2-point minimum keeps only 张明's star.
    const withPoints = yearSummary(buildCenter({ stars: { thresholds: [1, 2, 4, 6, 16], period: 'lifetime', minPoints: 2, minEvaluation: null } }), firstQuarter);
    expect(withPoints.stars.map((s) => s.volunteers)).toEqual([3, 0, 0, 0, 1, 0]);
  });

  it('narrows to a team and a theme without letting the theme cut the hours stars are counted on', () => {
    const team = yearSummary(buildCenter(), { ...firstQuarter, teamId: ids.teamElders });
    expect(team.volunteers).toEqual({ registered: 2, active: 1, new: 2, activeRate: 0.5 });
    expect(team.service.hours).toBe(2.5);
    const theme = yearSummary(buildCenter(), { ...firstQuarter, theme: '助老' });
    expect(theme.service).toMatchObject({ hours: 4, attendances: 2 });
    expect(theme.activities.held).toBe(1);
    expect(theme.stars.map((s) => s.volunteers)).toEqual(summary.stars.map((s) => s.volunteers));
    expect(theme.points.issued).toBe(4);
  });
});
