import { minutesToHours } from '../domain/hours.ts';
import { addPoints } from '../domain/points.ts';
import { yearOf } from '../domain/time-zone.ts';
import type { Attendance } from '../protocol/model.ts';
import { countedMinutes, type StationState } from '../store/state.ts';
import { figuresOf, starsFor } from '../volunteers/figures.ts';

/**
 * Whether closing this attendance is what lifted the volunteer to a higher star: the star now
 * against the star without its hours and points. Works for a kiosk sign-out and an automatic
 * close alike, after the change is in the state.
 */
export function liftedStar(state: StationState, attendance: Attendance, now: Date): boolean {
  if (!attendance.checkOutAt || attendance.removed) return false;
  const zone = state.settings.timeZone;
  const year = yearOf(now, zone);
  const figures = figuresOf(state, attendance.volunteerId, now, year);
  if (figures.stars === 0) return false;
  // Hours of another calendar year do not count towards this year's star.
  const inPeriod = state.settings.stars.period === 'lifetime' || yearOf(attendance.checkInAt, zone) === year;
  const periodMinutesBefore = Math.round(figures.periodHours * 60) - (inPeriod ? countedMinutes(attendance) : 0);
  const pointsBefore = addPoints(figures.points, -(attendance.pointsCredited ?? 0));
  return figures.stars > starsFor(state, attendance.volunteerId, minutesToHours(periodMinutesBefore), pointsBefore);
}
