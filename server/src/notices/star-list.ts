import { minutesToHours } from '../domain/hours.ts';
import { fromTenths, toTenths } from '../domain/points.ts';
import { starsEarned } from '../domain/stars.ts';
import { addDays, startOfDayIn } from '../domain/time-zone.ts';
import type { NoticeEntry, NoticeKind } from '../protocol/notices.ts';
import { countedMinutes, type StationState } from '../store/state.ts';
import { teamNamesOf } from '../board/board-state.ts';

export interface Standing {
  stars: number;
  hours: number;
  previousStars: number;
}

/**
 * Each volunteer's star at the end of the period, and at its start, from the records as they
 * stand: hours by sign-in time, the points balance from the ledger up to that instant. Under a
 * calendar-year rule both are counted in the year the period ends in, so a period that begins
 * with the year starts from no star. The evaluation condition uses the current score (scores
 * keep no history). `only` narrows the work to one volunteer.
 */
export function standingsFor(state: StationState, period: { from: string; to: string }, only?: string): Map<string, Standing> {
  const settings = state.settings;
  const zone = settings.timeZone;
  const startAt = startOfDayIn(period.from, zone).getTime();
  const endAt = startOfDayIn(addDays(period.to, 1), zone).getTime();
  const windowStart = settings.stars.period === 'lifetime' ? -Infinity : startOfDayIn(`${period.to.slice(0, 4)}-01-01`, zone).getTime();

  const minutes = new Map<string, { atEnd: number; atStart: number }>();
  for (const attendance of state.records.attendance.values()) {
    if (only !== undefined && attendance.volunteerId !== only) continue;
    const credited = countedMinutes(attendance);
    const checkIn = Date.parse(attendance.checkInAt);
    if (!credited || checkIn < windowStart || checkIn >= endAt) continue;
    const sums = minutes.get(attendance.volunteerId) ?? { atEnd: 0, atStart: 0 };
    sums.atEnd += credited;
    if (checkIn < startAt) sums.atStart += credited;
    minutes.set(attendance.volunteerId, sums);
  }

  const standings = new Map<string, Standing>();
  for (const [volunteerId, sums] of minutes) {
    const evaluation = state.get('evaluations', volunteerId)?.score;
    const starAt = (periodMinutes: number, at: number) =>
      starsEarned({ periodHours: minutesToHours(periodMinutes), points: balanceAt(state, volunteerId, at), evaluation }, settings.stars);
    standings.set(volunteerId, { stars: starAt(sums.atEnd, endAt), hours: minutesToHours(sums.atEnd), previousStars: starAt(sums.atStart, startAt) });
  }
  return standings;
}

function balanceAt(state: StationState, volunteerId: string, at: number): number {
  let tenths = 0;
  for (const id of state.ledgerIdsOf(volunteerId)) {
    const entry = state.get('ledger', id);
    if (entry && Date.parse(entry.at) < at) tenths += toTenths(entry.delta);
  }
  return fromTenths(tenths);
}

/** The period a kind of notice judges: a calendar year, or the days staff chose. */
export function periodOf(input: { kind: 'yearStars'; year: number } | { kind: 'newStars'; from: string; to: string }): { from: string; to: string } {
  return input.kind === 'yearStars' ? { from: `${input.year}-01-01`, to: `${input.year}-12-31` } : { from: input.from, to: input.to };
}

/** The entries the data puts on a notice: every star holder for a year list, those whose star rose for a new-stars list. */
export function draftEntries(state: StationState, kind: NoticeKind, period: { from: string; to: string }): NoticeEntry[] {
  const entries: NoticeEntry[] = [];
  for (const [volunteerId, standing] of standingsFor(state, period)) {
    const volunteer = state.get('volunteers', volunteerId);
    if (!volunteer || volunteer.status !== 'active' || standing.stars === 0) continue;
    if (kind === 'newStars' && standing.stars <= standing.previousStars) continue;
    entries.push(entryOf(state, volunteerId, standing, kind));
  }
  return entries.sort((a, b) => b.stars - a.stars || b.hours - a.hours || a.volunteerId.localeCompare(b.volunteerId));
}

export function entryOf(state: StationState, volunteerId: string, standing: Standing, kind: NoticeKind): NoticeEntry {
  const volunteer = state.get('volunteers', volunteerId);
  return {
    volunteerId,
    stars: standing.stars,
    hours: standing.hours,
    ...(kind === 'newStars' ? { previousStars: standing.previousStars } : {}),
    teamNames: volunteer ? teamNamesOf(state, volunteer) : [],
  };
}
