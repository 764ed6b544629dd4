/**
 * Age rules shared by the server and the admin's form (issue 15), so both apply the same
 * birthday: PIPL art. 31 asks a guardian's consent for a child under 14.
 */
export const GUARDIAN_AGE = 14;

/**
 * The full birth date (YYYY-MM-DD) when known: the one recorded, or the one inside an 18-digit
 * resident ID number (digits 7–14). Undefined when neither gives a real date.
 */
export function birthDateOf(person: { birthDate?: string | undefined; idNumber?: string | undefined }): string | undefined {
  if (person.birthDate) return person.birthDate;
  const match = person.idNumber && /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/.exec(person.idNumber);
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

/** Whether a guardian's consent is needed on `day`: by the full birth date (or ID number) when known, else by the birth year as before. */
export function needsGuardianOn(person: { birthYear?: number | null | undefined; birthDate?: string | undefined; idNumber?: string | undefined }, day: string): boolean {
  const birthDate = birthDateOf(person);
  if (birthDate) return ageOn(birthDate, day) < GUARDIAN_AGE;
  return person.birthYear != null && Number(day.slice(0, 4)) - person.birthYear < GUARDIAN_AGE;
}
