import { minutesToHours } from '../domain/hours.ts';
import type {
  ActiveVolunteersReport, HoursByMonthReport, HoursByTeamReport, HoursByThemeReport, HoursByVolunteerReport, NewVolunteersReport,
  ReportQuery, VolunteerHoursRow,
} from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import {
  calendarFor, GroupedTally, registeredVolunteers, reportBase, round2, servicesIn, Tally, teamNamesOf, type CountedService,
} from './report-scope.ts';
import { LocalTimes } from './local-times.ts';

export const NO_TEAM = '未分队';
export const NO_THEME = '未分类';
/** Hours that came from no activity: completed requests and pairing visits, each a line of the theme report. */
export const SERVICE_THEMES: Record<Exclude<CountedService['kind'], 'activity'>, { theme: string; themeName: string }> = {
  request: { theme: 'service:request', themeName: '点单服务' },
  visit: { theme: 'service:visit', themeName: '结对探访' },
};

export function hoursByMonth(state: StationState, query: ReportQuery): HoursByMonthReport {
  const calendar = calendarFor(state, query);
  const total = new Tally();
  const months = new GroupedTally<number>();
  for (const counted of servicesIn(state, calendar, query)) {
    total.add(counted);
    months.add(calendar.monthIndexOf(counted.at), counted);
  }
  return {
    ...reportBase(state, 'hours-by-month', query),
    items: calendar.months.map((month, index) => ({ month, ...months.get(index).figures() })),
    total: total.figures(),
  };
}

export function hoursByTeam(state: StationState, query: ReportQuery): HoursByTeamReport {
  const total = new Tally();
  const teams = new GroupedTally<string | null>();
  for (const counted of servicesIn(state, calendarFor(state, query), query)) {
    total.add(counted);
    addToTeams(teams, counted);
  }
  return { ...reportBase(state, 'hours-by-team', query), items: teamItems(state, teams), total: total.figures() };
}

/** A volunteer in several teams counts in each of them; one in none counts under 未分队. */
export function addToTeams(teams: GroupedTally<string | null>, counted: CountedService): void {
  const teamIds = counted.volunteer?.teamIds ?? [];
  if (teamIds.length === 0) teams.add(null, counted);
  for (const teamId of teamIds) teams.add(teamId, counted);
}

/** Teams with the most hours first; a team that no longer exists keeps its id as its name. */
export function teamItems(state: StationState, teams: GroupedTally<string | null>): HoursByTeamReport['items'] {
  return [...teams.groups]
    .map(([teamId, tally]) => ({ teamId, teamName: teamId === null ? NO_TEAM : (state.get('teams', teamId)?.name ?? teamId), ...tally.figures() }))
    .sort((a, b) => b.hours - a.hours || b.attendances - a.attendances || a.teamName.localeCompare(b.teamName, 'zh-CN'));
}

export function hoursByTheme(state: StationState, query: ReportQuery): HoursByThemeReport {
  const total = new Tally();
  const themes = new GroupedTally<string | null>();
  for (const counted of servicesIn(state, calendarFor(state, query), query)) {
    total.add(counted);
    themes.add(counted.kind === 'activity' ? (counted.activity?.theme ?? null) : SERVICE_THEMES[counted.kind].theme, counted);
  }
  const serviceNames = new Map(Object.values(SERVICE_THEMES).map((t) => [t.theme, t.themeName]));
  const items = [...themes.groups]
    .map(([theme, tally]) => ({ theme, themeName: (theme && serviceNames.get(theme)) ?? theme ?? NO_THEME, ...tally.figures() }))
    .sort((a, b) => b.hours - a.hours || b.attendances - a.attendances || a.themeName.localeCompare(b.themeName, 'zh-CN'));
  return { ...reportBase(state, 'hours-by-theme', query), items, total: total.figures() };
}

/** Per volunteer: attendances and service records, minutes, distinct activities and the last day served. */
class VolunteerTally {
  readonly #byVolunteer = new Map<string, { attendances: number; minutes: number; activityIds: Set<string>; lastAt: number }>();

  add(counted: CountedService): void {
    const id = counted.volunteerId;
    let entry = this.#byVolunteer.get(id);
    if (!entry) {
      entry = { attendances: 0, minutes: 0, activityIds: new Set(), lastAt: 0 };
      this.#byVolunteer.set(id, entry);
    }
    entry.attendances++;
    entry.minutes += counted.minutes;
    if (counted.activityId) entry.activityIds.add(counted.activityId);
    entry.lastAt = Math.max(entry.lastAt, counted.at);
  }

  /** Most hours first, then most attendances, then card number. */
  rows(state: StationState): VolunteerHoursRow[] {
    const local = new LocalTimes(state.settings.timeZone);
    return [...this.#byVolunteer]
      .map(([volunteerId, entry]) => {
        const volunteer = state.get('volunteers', volunteerId);
        return {
          volunteerId,
          name: volunteer?.name ?? '',
          cardNo: volunteer?.cardNo ?? '',
          teamNames: teamNamesOf(state, volunteer?.teamIds ?? []),
          attendances: entry.attendances,
          hours: minutesToHours(entry.minutes),
          activities: entry.activityIds.size,
          lastDay: local.day(entry.lastAt),
        };
      })
      .sort((a, b) => b.hours - a.hours || b.attendances - a.attendances || a.cardNo.localeCompare(b.cardNo));
  }
}

export function hoursByVolunteer(state: StationState, query: ReportQuery): HoursByVolunteerReport {
  const total = new Tally();
  const volunteers = new VolunteerTally();
  for (const counted of servicesIn(state, calendarFor(state, query), query)) {
    total.add(counted);
    volunteers.add(counted);
  }
  return { ...reportBase(state, 'hours-by-volunteer', query), items: volunteers.rows(state), total: total.figures() };
}

export function activeVolunteers(state: StationState, query: ReportQuery): ActiveVolunteersReport {
  const calendar = calendarFor(state, query);
  const volunteers = new VolunteerTally();
  const months = new GroupedTally<number>();
  for (const counted of servicesIn(state, calendar, query)) {
    volunteers.add(counted);
    months.add(calendar.monthIndexOf(counted.at), counted);
  }
  const items = volunteers.rows(state);
  const registered = countRegistered(state, query);
  return {
    ...reportBase(state, 'active-volunteers', query),
    active: items.length,
    registered,
    activeRate: registered === 0 ? 0 : round2(items.length / registered),
    byMonth: calendar.months.map((month, index) => ({ month, active: months.get(index).volunteerIds.size })),
    items,
  };
}

/** Volunteers on the register by the period's last day (joinedOn ≤ to). */
export function countRegistered(state: StationState, query: ReportQuery): number {
  let count = 0;
  for (const volunteer of registeredVolunteers(state, query)) if (volunteer.joinedOn <= query.to) count++;
  return count;
}

export function newVolunteers(state: StationState, query: ReportQuery): NewVolunteersReport {
  const calendar = calendarFor(state, query);
  const byMonth = calendar.months.map((month) => ({ month, count: 0 }));
  const joined = [...registeredVolunteers(state, query)].filter((v) => calendar.containsDay(v.joinedOn));
  for (const volunteer of joined) byMonth[calendar.monthIndexOfDay(volunteer.joinedOn)]!.count++;
  joined.sort((a, b) => a.joinedOn.localeCompare(b.joinedOn) || a.cardNo.localeCompare(b.cardNo));
  return {
    ...reportBase(state, 'new-volunteers', query),
    count: joined.length,
    byMonth,
    items: joined.map((v) => ({
      volunteerId: v.id,
      name: v.name,
      cardNo: v.cardNo,
      gender: v.gender,
      joinedOn: v.joinedOn,
      teamNames: teamNamesOf(state, v.teamIds),
      status: v.status,
    })),
  };
}
