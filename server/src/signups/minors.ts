import type { Volunteer } from '../protocol/model.ts';

/**
 * A volunteer's age in full years on a day, from the full birth date — or, when only the ID
 * number was entered, from the birth date inside it (digits 7–14 of an 18-digit resident ID).
 * Someone born on 29 February turns a year older on 1 March in a common year.
 */
export function birthDateOf(volunteer: Pick<Volunteer, 'birthDate' | 'idNumber'>): string | undefined {
  if (volunteer.birthDate) return volunteer.birthDate;
  const match = volunteer.idNumber && /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/.exec(volunteer.idNumber);
  if (!match) return undefined;
  const [, year, month, dayOfMonth] = match;
  const date = `${year}-${month}-${dayOfMonth}`;
  // A check digit can be right on a number whose date is impossible (a typo in two places).
  return Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date ? undefined : date;
}

/** Full years from `birthDate` to `day` (both YYYY-MM-DD): the birthday itself counts as the new year. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

/**
 * The age to apply rules with. With only a birth year the exact age is unknown: take the
 * youngest the volunteer can be, so a protective rule errs towards protecting.
 */
export function ageOf(volunteer: Pick<Volunteer, 'birthDate' | 'idNumber' | 'birthYear'>, day: string): number | undefined {
  const birthDate = birthDateOf(volunteer);
  if (birthDate) return ageOn(birthDate, day);
  if (volunteer.birthYear !== undefined) return Number(day.slice(0, 4)) - volunteer.birthYear - 1;
  return undefined;
}
