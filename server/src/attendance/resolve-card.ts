import { parseCode } from '../domain/card-code.ts';
import { AppError } from '../protocol/errors.ts';
import type { Volunteer } from '../protocol/model.ts';
import type { StationQueries } from '../store/station-queries.ts';

/**
 * The volunteer behind a scanned code: a signed card, or a card number typed on the keypad
 * together with the phone's last 4 digits (a card number alone is printed on the card and
 * proves nothing).
 */
export function resolveCard(state: StationQueries, secret: Buffer, code: string, phoneLast4?: string): Volunteer {
  const parsed = parseCode(secret, code);
  if (parsed.kind === 'unknown') throw new AppError('CARD_UNKNOWN', 'This code is not a volunteer card of this center');
  const volunteer = state.volunteerWithCard(parsed.cardNo);
  if (parsed.kind === 'card') {
    if (!parsed.valid) throw new AppError('CARD_FORGED', 'This card was not issued by this center');
    if (!volunteer) throw new AppError('CARD_UNKNOWN', 'No volunteer has this card');
    if (parsed.serial !== volunteer.cardSerial) throw new AppError('CARD_REVOKED', 'This card was replaced by a new one and no longer works');
  } else {
    if (!phoneLast4) throw new AppError('PHONE_DIGITS_REQUIRED', 'Enter the last 4 digits of the phone number as well');
    if (!volunteer) throw new AppError('CARD_UNKNOWN', 'No volunteer has this card number');
    if (!volunteer.phone || !volunteer.phone.endsWith(phoneLast4)) throw new AppError('PHONE_DIGITS_WRONG', 'The card number and phone digits do not match');
  }
  assertActive(volunteer);
  return volunteer;
}

/** Only active volunteers sign in: by card, by number or with a staff member's help alike. */
export function assertActive(volunteer: Volunteer): void {
  if (volunteer.status !== 'active') throw new AppError('VOLUNTEER_SUSPENDED', 'This volunteer is not active at the moment; please see the staff');
}
