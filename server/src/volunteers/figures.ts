import { minutesToHours } from '../domain/hours.ts';
import { maskName } from '../domain/masking.ts';
import { fromTenths } from '../domain/points.ts';
import { starsEarned } from '../domain/stars.ts';
import { addDays, startOfDayIn, yearOf } from '../domain/time-zone.ts';
import type { PublicVolunteer, Volunteer } from '../protocol/model.ts';
import type { ScanVolunteer } from '../protocol/events.ts';
import { countedMinutes, type StationState } from '../store/state.ts';

export interface VolunteerFigures {
  hours: number;
  periodHours: number;
  points: number;
  stars: number;
}

/**
 * Hours, balance and star of a volunteer, read from the indexes the state keeps up to date.
 * Callers that go through many volunteers may pass the current year once.
 */
export function figuresOf(state: StationState, volunteerId: string, now: Date, year = currentYear(now, state.settings.timeZone)): VolunteerFigures {
  const totals = state.totalsOf(volunteerId);
  const settings = state.settings;
  const periodMinutes = settings.stars.period === 'lifetime' ? totals.minutes : (totals.minutesByYear.get(year) ?? 0);
  const periodHours = minutesToHours(periodMinutes);
  const points = fromTenths(totals.pointsTenths);
  return { hours: minutesToHours(totals.minutes), periodHours, points, stars: starsFor(state, volunteerId, periodHours, points) };
}

/** The star under the center's rules for the given hours and balance, with the volunteer's current evaluation. */
export function starsFor(state: StationState, volunteerId: string, periodHours: number, points: number): number {
  return starsEarned({ periodHours, points, evaluation: state.get('evaluations', volunteerId)?.score }, state.settings.stars);
}

export function displayNameOf(state: StationState, volunteer: Pick<Volunteer, 'name'>): string {
  return state.settings.publicNames === 'full' ? volunteer.name : maskName(volunteer.name);
}

export function publicVolunteer(state: StationState, volunteer: Volunteer, now: Date): PublicVolunteer {
  return { id: volunteer.id, displayName: displayNameOf(state, volunteer), stars: figuresOf(state, volunteer.id, now).stars };
}

export function scanVolunteer(state: StationState, volunteer: Volunteer, now: Date, starsBefore?: number): ScanVolunteer {
  const figures = figuresOf(state, volunteer.id, now);
  return {
    id: volunteer.id,
    displayName: displayNameOf(state, volunteer),
    stars: figures.stars,
    totalHours: figures.hours,
    periodHours: figures.periodHours,
    points: figures.points,
    ...(starsBefore !== undefined && figures.stars > starsBefore ? { newStar: true } : {}),
  };
}

/** Creditable hours of the attendances that began on the given day in the center's zone. */
export function hoursOnDay(state: StationState, volunteerId: string, day: string): number {
  const { from, to } = dayBounds(day, state.settings.timeZone);
  let minutes = 0;
  const ids = state.attendanceIdsOf(volunteerId);
  // Newest last: walk back until the day is left behind, so this stays cheap after years of records.
  // Instants, not day strings: a zoned day string per record cost ~15 µs and dominated every scan.
  for (let i = ids.length - 1; i >= 0; i--) {
    const attendance = state.get('attendance', ids[i]!);
    if (!attendance) continue;
    const checkIn = Date.parse(attendance.checkInAt);
    if (checkIn < from) break;
    if (checkIn < to) minutes += countedMinutes(attendance);
  }
  return minutesToHours(minutes);
}

let lastYear: { zone: string; year: number; from: number; to: number } | undefined;

/** The year of `now` in the zone. A zone lookup costs ~10 µs and a scan asks about six times, so the year's bounds are kept. */
function currentYear(now: Date, zone: string): number {
  const time = now.getTime();
  if (lastYear?.zone !== zone || time < lastYear.from || time >= lastYear.to) {
    const year = yearOf(now, zone);
    lastYear = { zone, year, from: startOfDayIn(`${year}-01-01`, zone).getTime(), to: startOfDayIn(`${year + 1}-01-01`, zone).getTime() };
  }
  return lastYear.year;
}

let lastBounds: { day: string; zone: string; from: number; to: number } | undefined;

/** The instants a day of the zone starts and ends; a scan asks for the same day several times, so the last answer is kept. */
function dayBounds(day: string, zone: string): { from: number; to: number } {
  if (lastBounds?.day !== day || lastBounds.zone !== zone) {
    lastBounds = { day, zone, from: startOfDayIn(day, zone).getTime(), to: startOfDayIn(addDays(day, 1), zone).getTime() };
  }
  return lastBounds;
}
