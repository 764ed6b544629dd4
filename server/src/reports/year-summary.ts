import { minutesToHours } from '../domain/hours.ts';
import { fromTenths, toTenths } from '../domain/points.ts';
import { startOfDayIn } from '../domain/time-zone.ts';
import type { ReportQuery, YearSummaryReport } from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import { starsFor } from '../volunteers/figures.ts';
import { activitiesHeld } from './activities-report.ts';
import { addToTeams, teamItems } from './hours-reports.ts';
import { GoodsTally, PointsTally } from './points-reports.ts';
import {
  calendarFor, GroupedTally, keepsLedgerTheme, ledgerEntriesIn, redemptionsIn, keepsTheme, registeredVolunteers, reportBase, round2, servicesIn, Tally,
} from './report-scope.ts';

const TOP_TEAMS = 5;
const TOP_GOODS = 5;

/**
 * 年度总结 for any period (usually a calendar year). One pass over each collection: attendance
 * feeds the totals, months, teams and the star levels together, and only the records from the
 * period's start on are read, so a year of a ten-year center costs about a year of records.
 */
export function yearSummary(state: StationState, query: ReportQuery): YearSummaryReport {
  const settings = state.settings;
  const calendar = calendarFor(state, query);
  const monthCount = calendar.months.length;
  const newByMonth = new Array<number>(monthCount).fill(0);
  const activitiesByMonth = new Array<number>(monthCount).fill(0);

  let registered = 0;
  let joined = 0;
  const registeredIds: string[] = [];
  for (const volunteer of registeredVolunteers(state, query)) {
    if (volunteer.joinedOn > query.to) continue;
    registered++;
    registeredIds.push(volunteer.id);
    if (calendar.containsDay(volunteer.joinedOn)) {
      joined++;
      newByMonth[calendar.monthIndexOfDay(volunteer.joinedOn)]!++;
    }
  }

  // Stars as they stood at the period's end: the state's running totals per calendar year, less
  // the end of that year after the period. Records before the period are never walked, nor later years'.
  const starYear = Number(query.to.slice(0, 4));
  const starYearEnd = startOfDayIn(`${starYear + 1}-01-01`, settings.timeZone).getTime();
  const minutesAfter = new Map<string, number>();
  const total = new Tally();
  const months = new GroupedTally<number>();
  const teams = new GroupedTally<string | null>();
  // Completed requests and pairing visits count like attendance, towards hours and stars alike.
  for (const counted of servicesIn(state, { startMs: calendar.startMs, endMs: starYearEnd }, query, { ignoreTheme: true })) {
    const volunteerId = counted.volunteerId;
    if (counted.at >= calendar.endMs) {
      minutesAfter.set(volunteerId, (minutesAfter.get(volunteerId) ?? 0) + counted.minutes);
      continue;
    }
    if (!keepsTheme(query, counted.activity)) continue;
    total.add(counted);
    months.add(calendar.monthIndexOf(counted.at), counted);
    addToTeams(teams, counted);
  }

  // A star may also ask for a points balance: then the balance as it stood at the period's end.
  const needsBalance = settings.stars.minPoints != null;
  const points = new PointsTally();
  const pointsAfter = new Map<string, number>();
  for (const { entry, at } of ledgerEntriesIn(state, { startMs: calendar.startMs, endMs: needsBalance ? Infinity : calendar.endMs }, query, { ignoreTheme: true })) {
    if (at >= calendar.endMs) pointsAfter.set(entry.volunteerId, (pointsAfter.get(entry.volunteerId) ?? 0) + toTenths(entry.delta));
    else if (keepsLedgerTheme(state, query, entry)) points.add(entry, state);
  }

  const stars = [0, 1, 2, 3, 4, 5].map((level) => ({ level, volunteers: 0 }));
  for (const volunteerId of registeredIds) {
    const totals = state.totalsOf(volunteerId);
    let minutes = (totals.minutesByYear.get(starYear) ?? 0) - (minutesAfter.get(volunteerId) ?? 0);
    if (settings.stars.period === 'lifetime') for (const [year, yearMinutes] of totals.minutesByYear) if (year < starYear) minutes += yearMinutes;
    const balance = fromTenths(totals.pointsTenths - (pointsAfter.get(volunteerId) ?? 0));
    stars[starsFor(state, volunteerId, minutesToHours(minutes), balance)]!.volunteers++;
  }

  let held = 0;
  for (const activity of activitiesHeld(state, calendar, query)) {
    held++;
    activitiesByMonth[calendar.monthIndexOf(Date.parse(activity.startsAt))]!++;
  }

  const goods = new GoodsTally();
  for (const { redemption } of redemptionsIn(state, calendar, query)) goods.add(redemption);
  const goodsRows = goods.rows(state);

  const service = total.figures();
  const active = service.volunteers;
  return {
    ...reportBase(state, 'year-summary', query),
    volunteers: { registered, active, new: joined, activeRate: registered === 0 ? 0 : round2(active / registered) },
    activities: { held },
    service: {
      hours: service.hours,
      attendances: service.attendances,
      hoursPerActiveVolunteer: active === 0 ? 0 : round2(service.hours / active),
      hoursPerRegisteredVolunteer: registered === 0 ? 0 : round2(service.hours / registered),
    },
    stars,
    topTeams: teamItems(state, teams)
      .filter((item): item is typeof item & { teamId: string } => item.teamId !== null)
      .slice(0, TOP_TEAMS),
    points: points.figures(),
    goods: { quantity: goodsRows.reduce((sum, row) => sum + row.quantity, 0), redemptions: goods.receipts, top: goodsRows.slice(0, TOP_GOODS) },
    months: calendar.months.map((month, index) => {
      const tally = months.get(index);
      return {
        month,
        hours: minutesToHours(tally.minutes),
        attendances: tally.attendances,
        activeVolunteers: tally.volunteerIds.size,
        activities: activitiesByMonth[index]!,
        newVolunteers: newByMonth[index]!,
      };
    }),
  };
}
