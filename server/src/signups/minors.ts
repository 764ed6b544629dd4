import type { Volunteer } from '../protocol/model.ts';

import { ageOn, birthDateOf } from '../protocol/minor-age.ts';

/** The birthday rules live in the protocol module, so the admin's form applies the very same ones. */
export { ageOn, birthDateOf };

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
