import { signCard } from '../domain/card-code.ts';
import { dayKey } from '../domain/time-zone.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { Volunteer } from '../protocol/model.ts';
import type { VolunteerCreateInput } from '../protocol/schemas.ts';
import type { Counters, StationState } from '../store/state.ts';
import { GUARDIAN_AGE, needsGuardianOn } from '../protocol/minor-age.ts';
import { consentsOf, guardianConsentOf } from '../signups/privacy.ts';

/** PIPL art. 31: personal information of a child under 14 needs a guardian's consent. */
export { GUARDIAN_AGE };

/** From the full birth date (or the ID number) when known, to the day; else by the birth year as before. */
export function needsGuardian(person: Pick<Volunteer, 'birthYear' | 'birthDate' | 'idNumber'>, now: Date, timeZone: string): boolean {
  return needsGuardianOn(person, dayKey(now, timeZone));
}

/** Which existing volunteer an entry would duplicate: same phone or same ID number. */
export function duplicateOf(state: StationState, input: { phone?: string; idNumber?: string }): Volunteer | undefined {
  return (input.phone ? state.volunteerWithPhone(input.phone) : undefined) ?? (input.idNumber ? state.volunteerWithIdNumber(input.idNumber) : undefined);
}

/**
 * A new volunteer with the next card number. Counters travel in the returned record so the
 * caller commits number and volunteer together: two registrations can never share a card.
 */
export function buildVolunteer(
  state: StationState,
  input: VolunteerCreateInput,
  counters: Counters,
  now: Date,
  actor: string,
): { volunteer: Volunteer; counters: Counters } {
  const settings = state.settings;
  if (needsGuardian(input, now, settings.timeZone) && !input.guardianConsent) {
    throw new AppError('GUARDIAN_CONSENT_REQUIRED', 'A volunteer under 14 needs a guardian’s recorded consent before a card is issued', 422);
  }
  const cardNumber = counters.cardNo + 1;
  const at = now.toISOString();
  const volunteer: Volunteer = {
    id: newId(),
    name: input.name,
    gender: input.gender,
    ...(input.phone ? { phone: input.phone } : {}),
    ...(input.idNumber ? { idNumber: input.idNumber } : {}),
    ...(input.birthYear ? { birthYear: input.birthYear } : {}),
    ...(input.address ? { address: input.address } : {}),
    skills: input.skills,
    ...('grid' in input && input.grid ? { grid: input.grid } : {}),
    ...('availability' in input && input.availability?.length ? { availability: input.availability } : {}),
    teamIds: input.teamIds,
    joinedOn: input.joinedOn ?? dayKey(now, settings.timeZone),
    status: 'active',
    ...(input.notes ? { notes: input.notes } : {}),
    ...(input.guardianConsent ? { guardianConsent: guardianConsentOf(input.guardianConsent, at, actor) } : {}),
    ...(input.birthDate ? { birthDate: input.birthDate } : {}),
    ...(input.idType ? { idType: input.idType } : {}),
    ...(input.nationalVolunteerNo ? { nationalVolunteerNo: input.nationalVolunteerNo } : {}),
    ...consentsOf(input.consent, settings.privacy.noticeVersion, at, actor),
    cardNo: String(cardNumber),
    cardSerial: 1,
    createdAt: at,
    updatedAt: at,
  };
  return { volunteer, counters: { ...counters, cardNo: cardNumber } };
}

export function cardCodeOf(secret: Buffer, volunteer: Pick<Volunteer, 'cardNo' | 'cardSerial'>): string {
  return signCard(secret, volunteer.cardNo, volunteer.cardSerial);
}
