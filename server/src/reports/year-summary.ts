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
  calendarFor, forEachAttendance, forEachLedgerEntry, forEachRedemption, GroupedTally, keepsLedgerTheme, keepsTheme, registeredVolunteers, reportBase, round2, Tally,
} from './report-scope.ts';

const TOP_TEAMS = 5;
const TOP_GOODS = 5;

/**
 * 年度总结 for any period (usually a calendar year). One pass over each collection: attendance
 * feeds the totals, months, teams and the star levels together, so ten years of records take
 * one walk rather than one per figure.
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

  // Stars follow the center's rule as it stands at the period's end: all hours so far, or this calendar year's.
  const starsFrom = settings.stars.period === 'lifetime' ? -Infinity : startOfDayIn(`${query.to.slice(0, 4)}-01-01`, settings.timeZone).getTime();
  const starMinutes = new Map<string, number>();
  const total = new Tally();
  const months = new GroupedTally<number>();
  const teams = new GroupedTally<string | null>();
  forEachAttendance(state, { startMs: Math.min(starsFrom, calendar.startMs), endMs: calendar.endMs }, query, (counted) => {
    const volunteerId = counted.attendance.volunteerId;
    if (counted.at >= starsFrom) starMinutes.set(volunteerId, (starMinutes.get(volunteerId) ?? 0) + counted.minutes);
    if (counted.at < calendar.startMs || !keepsTheme(query, counted.activity)) return;
    total.add(counted);
    months.add(calendar.monthIndexOf(counted.at), counted);
    addToTeams(teams, counted);
  }, { ignoreTheme: true });

  // A star may also ask for a points balance: the balance as it stood at the period's end.
  const points = new PointsTally();
  const balances = new Map<string, number>();
  forEachLedgerEntry(state, { startMs: -Infinity, endMs: calendar.endMs }, query, (entry, at) => {
    balances.set(entry.volunteerId, (balances.get(entry.volunteerId) ?? 0) + toTenths(entry.delta));
    if (at >= calendar.startMs && keepsLedgerTheme(state, query, entry)) points.add(entry, state);
  }, { ignoreTheme: true });

  const stars = [0, 1, 2, 3, 4, 5].map((level) => ({ level, volunteers: 0 }));
  for (const volunteerId of registeredIds) {
    const level = starsFor(state, volunteerId, minutesToHours(starMinutes.get(volunteerId) ?? 0), fromTenths(balances.get(volunteerId) ?? 0));
    stars[level]!.volunteers++;
  }

  let held = 0;
  for (const activity of activitiesHeld(state, calendar, query)) {
    held++;
    activitiesByMonth[calendar.monthIndexOf(Date.parse(activity.startsAt))]!++;
  }

  const goods = new GoodsTally();
  forEachRedemption(state, calendar, query, (redemption) => goods.add(redemption));
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
