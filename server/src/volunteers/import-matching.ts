import type { Volunteer } from '../protocol/model.ts';
import { birthDateOf } from '../signups/minors.ts';
import type { ImportCandidate } from './register-import.ts';

/**
 * Rules of the register import that need more than one row: a birth date after today, and who a
 * row without phone or ID number may already be. Pure: the route passes today's date (in the
 * center's time zone) and the volunteers to compare with.
 */

/** The birth date (or year) written in the row when it lies after `today` (YYYY-MM-DD): a typo to report, not a child under 14. */
export function futureBirthOf(candidate: Pick<ImportCandidate, 'birthDate' | 'birthYear' | 'idNumber'>, today: string): string | undefined {
  const date = birthDateOf(candidate);
  if (date) return date > today ? date : undefined;
  const year = candidate.birthYear;
  return year !== undefined && year > Number(today.slice(0, 4)) ? String(year) : undefined;
}

type Person = Pick<Volunteer, 'name' | 'birthYear' | 'birthDate' | 'idNumber' | 'address'> & { grid?: string };

const compact = (text: string | undefined) => (text ?? '').replace(/\s+/g, '');

/** Same birth: to the day when both give the day, else the same year; neither known counts as the same. */
function sameBirth(row: Person, volunteer: Person): boolean {
  const rowDate = birthDateOf(row);
  const volunteerDate = birthDateOf(volunteer);
  if (rowDate && volunteerDate) return rowDate === volunteerDate;
  const yearOf = (person: Person, date: string | undefined) => person.birthYear ?? (date ? Number(date.slice(0, 4)) : undefined);
  return yearOf(row, rowDate) === yearOf(volunteer, volunteerDate);
}

/** The register's 住址/网格 column is read into `address`; a volunteer may keep it as the address or as the grid. */
function samePlace(row: Person, volunteer: Person): boolean {
  const place = compact(row.address);
  return place === compact(volunteer.address) || (place !== '' && place === compact(volunteer.grid));
}

/**
 * Rows with neither phone nor ID number cannot be matched for sure, yet importing them again on
 * every re-import would register the same person twice. Same name, same birth and the same
 * address or grid is taken as a possible duplicate: skipped and listed for staff to check.
 */
export class PossibleDuplicates {
  readonly #byName = new Map<string, Volunteer[]>();

  constructor(volunteers: Iterable<Volunteer>) {
    for (const volunteer of volunteers) {
      // An anonymized volunteer's name is a pseudonym: nobody can be a duplicate of it.
      if (!volunteer.anonymizedAt) this.add(volunteer);
    }
  }

  /** A volunteer about to be imported from an earlier row counts too: the same row twice in one file. */
  add(volunteer: Volunteer): void {
    const name = compact(volunteer.name);
    this.#byName.set(name, [...(this.#byName.get(name) ?? []), volunteer]);
  }

  /** Only for rows with neither phone nor ID number; the others are matched by those, exactly. */
  of(candidate: ImportCandidate): Volunteer | undefined {
    if (candidate.phone || candidate.idNumber) return undefined;
    return this.#byName.get(compact(candidate.name))?.find((volunteer) => sameBirth(candidate, volunteer) && samePlace(candidate, volunteer));
  }
}
