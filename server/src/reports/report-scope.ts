import { minutesToHours } from '../domain/hours.ts';
import type { Activity, Attendance, LedgerEntry, Redemption, Volunteer } from '../protocol/model.ts';
import type { ServiceRecord } from '../protocol/service.ts';
import { reportTitles, type Figures, type ReportFilters, type ReportName, type ReportQuery } from '../protocol/reports.ts';
import { countedMinutes, type StationState } from '../store/state.ts';
import { PeriodCalendar } from './period.ts';

/** What a tally needs of anything counted as service. */
export interface Counted {
  volunteerId: string;
  minutes: number;
}

/** One attendance as reports see it: sign-in instant and the minutes it credits now. */
export interface CountedAttendance extends Counted {
  attendance: Attendance;
  volunteer: Volunteer | undefined;
  activity: Activity | undefined;
  at: number;
  minutes: number;
}

export function calendarFor(state: StationState, query: ReportQuery): PeriodCalendar {
  return new PeriodCalendar(query, state.settings.timeZone);
}

export function reportBase<N extends ReportName>(state: StationState, report: N, query: ReportQuery) {
  const { from, to, ...filters } = query;
  return {
    report,
    title: reportTitles[report],
    period: { from, to },
    filters: filters satisfies ReportFilters,
    timeZone: state.settings.timeZone,
    centerName: state.settings.centerName,
  };
}

/**
 * Team and volunteer filters are about people: a team keeps its members (by the register as it
 * is now; membership has no history). A removed volunteer record matches no filter.
 */
export function keepsVolunteer(filters: ReportFilters, volunteerId: string, volunteer: Volunteer | undefined): boolean {
  if (filters.volunteerId !== undefined && volunteerId !== filters.volunteerId) return false;
  if (filters.teamId !== undefined && !volunteer?.teamIds.includes(filters.teamId)) return false;
  return true;
}

export function keepsTheme(filters: ReportFilters, activity: Activity | undefined): boolean {
  return filters.theme === undefined || activity?.theme === filters.theme;
}

/** An interval of instants, ms; either end may be infinite. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

const DAY_MS = 86_400_000;

/**
 * Stored times are ISO 8601 written in some UTC offset (±14 h at most), so the date they are
 * written with is within a day of the UTC date. Comparing the string with these two dates rules
 * out nearly all of ten years' records of a one-year report before any Date.parse.
 */
function isoPrefilter(range: TimeRange): (iso: string) => boolean {
  const low = Number.isFinite(range.startMs) ? new Date(range.startMs - DAY_MS).toISOString().slice(0, 10) : '';
  const high = Number.isFinite(range.endMs) ? new Date(range.endMs + 2 * DAY_MS).toISOString().slice(0, 10) : '\uffff';
  return (iso) => iso >= low && iso < high;
}

/**
 * Each attendance that is not removed, signed in within `range`, of the volunteers the filters
 * keep, and of the filter's theme unless `ignoreTheme`: one pass over the records. A generator,
 * so an export can pause between records and a report can stop early.
 */
export function* attendancesIn(state: StationState, range: TimeRange, filters: ReportFilters, options: { ignoreTheme?: boolean } = {}): Generator<CountedAttendance> {
  const candidates: Iterable<Attendance> = filters.volunteerId !== undefined
    ? state.attendanceIdsOf(filters.volunteerId).map((id) => state.get('attendance', id)!)
    : state.records.attendance.values();
  const mayBeIn = isoPrefilter(range);
  for (const attendance of candidates) {
    if (attendance.removed || !mayBeIn(attendance.checkInAt)) continue;
    const at = Date.parse(attendance.checkInAt);
    if (at < range.startMs || at >= range.endMs) continue;
    const volunteer = state.get('volunteers', attendance.volunteerId);
    if (!keepsVolunteer(filters, attendance.volunteerId, volunteer)) continue;
    const activity = state.get('activities', attendance.activityId);
    if (!options.ignoreTheme && !keepsTheme(filters, activity)) continue;
    yield { attendance, volunteerId: attendance.volunteerId, volunteer, activity, at, minutes: countedMinutes(attendance) };
  }
}

/**
 * Service of any kind as hours reports count it: an attendance at an activity, or a service
 * record (a completed request, a pairing visit), which counts towards hours like attendance does
 * (DESIGN §8). A service record has no activity, so a theme filter keeps attendances only.
 */
export interface CountedService extends Counted {
  kind: 'activity' | ServiceRecord['kind'];
  volunteer: Volunteer | undefined;
  /** The activity of an attendance; none for a service record. */
  activity: Activity | undefined;
  activityId?: string;
  at: number;
}

export function* servicesIn(state: StationState, range: TimeRange, filters: ReportFilters, options: { ignoreTheme?: boolean } = {}): Generator<CountedService> {
  for (const counted of attendancesIn(state, range, filters, options)) {
    yield { kind: 'activity', volunteerId: counted.volunteerId, volunteer: counted.volunteer, activity: counted.activity, activityId: counted.attendance.activityId, at: counted.at, minutes: counted.minutes };
  }
  if (!options.ignoreTheme && filters.theme !== undefined) return;
  const candidates: Iterable<ServiceRecord> = filters.volunteerId !== undefined ? state.serviceRecordsOf(filters.volunteerId) : state.records.serviceRecords.values();
  const mayBeIn = isoPrefilter(range);
  for (const record of candidates) {
    if (record.removed || !mayBeIn(record.startedAt)) continue;
    const at = Date.parse(record.startedAt);
    if (at < range.startMs || at >= range.endMs) continue;
    const volunteer = state.get('volunteers', record.volunteerId);
    if (!keepsVolunteer(filters, record.volunteerId, volunteer)) continue;
    yield { kind: record.kind, volunteerId: record.volunteerId, volunteer, activity: undefined, at, minutes: record.creditedMinutes };
  }
}

/**
 * Ledger entries within `range` of the volunteers the filters keep; with a theme, only points
 * earned at its activities unless `ignoreTheme` (a balance is all of them).
 */
export function* ledgerEntriesIn(state: StationState, range: TimeRange, filters: ReportFilters, options: { ignoreTheme?: boolean } = {}): Generator<{ entry: LedgerEntry; at: number }> {
  const candidates: Iterable<LedgerEntry> = filters.volunteerId !== undefined
    ? state.ledgerIdsOf(filters.volunteerId).map((id) => state.get('ledger', id)!)
    : state.records.ledger.values();
  const mayBeIn = isoPrefilter(range);
  for (const entry of candidates) {
    if (!mayBeIn(entry.at)) continue;
    const at = Date.parse(entry.at);
    if (at < range.startMs || at >= range.endMs) continue;
    if (!keepsVolunteer(filters, entry.volunteerId, state.get('volunteers', entry.volunteerId))) continue;
    if (!options.ignoreTheme && !keepsLedgerTheme(state, filters, entry)) continue;
    yield { entry, at };
  }
}

/** Points belong to a theme only when earned at (or reversed from) an attendance at one of its activities. */
export function keepsLedgerTheme(state: StationState, filters: ReportFilters, entry: LedgerEntry): boolean {
  if (filters.theme === undefined) return true;
  const attendance = entry.attendanceId ? state.get('attendance', entry.attendanceId) : undefined;
  return attendance !== undefined && keepsTheme(filters, state.get('activities', attendance.activityId));
}

/** Redemptions of the period for the volunteers the filters keep (a theme does not apply to goods). */
export function* redemptionsIn(state: StationState, calendar: PeriodCalendar, filters: ReportFilters): Generator<{ redemption: Redemption; at: number }> {
  const mayBeIn = isoPrefilter(calendar);
  for (const redemption of state.records.redemptions.values()) {
    if (!mayBeIn(redemption.at)) continue;
    const at = Date.parse(redemption.at);
    if (!calendar.contains(at)) continue;
    if (!keepsVolunteer(filters, redemption.volunteerId, state.get('volunteers', redemption.volunteerId))) continue;
    yield { redemption, at };
  }
}

/** Volunteers of the register the filters keep (a theme does not apply to people). */
export function* registeredVolunteers(state: StationState, filters: ReportFilters): Generator<Volunteer> {
  for (const volunteer of state.records.volunteers.values()) {
    if (keepsVolunteer(filters, volunteer.id, volunteer)) yield volunteer;
  }
}

/** Attendances, minutes and distinct volunteers of one group. */
export class Tally {
  attendances = 0;
  minutes = 0;
  readonly volunteerIds = new Set<string>();

  add(counted: Counted): void {
    this.attendances++;
    this.minutes += counted.minutes;
    this.volunteerIds.add(counted.volunteerId);
  }

  figures(): Figures {
    return { attendances: this.attendances, hours: minutesToHours(this.minutes), volunteers: this.volunteerIds.size };
  }
}

export class GroupedTally<K> {
  readonly groups = new Map<K, Tally>();

  add(key: K, counted: Counted): void {
    this.get(key).add(counted);
  }

  get(key: K): Tally {
    let tally = this.groups.get(key);
    if (!tally) {
      tally = new Tally();
      this.groups.set(key, tally);
    }
    return tally;
  }
}

export function teamNamesOf(state: StationState, teamIds: readonly string[]): string[] {
  return teamIds.map((id) => state.get('teams', id)?.name).filter((name): name is string => name !== undefined);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
