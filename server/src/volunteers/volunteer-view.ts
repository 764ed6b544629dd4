import { maskIdNumber, maskPhone } from '../domain/masking.ts';
import type { Volunteer } from '../protocol/model.ts';
import type { VolunteerView } from '../protocol/views.ts';
import type { StationState } from '../store/state.ts';
import { figuresOf } from './figures.ts';
import { cardCodeOf } from './register-volunteer.ts';
import { volunteerExtras } from '../signups/volunteer-extras.ts';

/**
 * What staff receive. Phone and ID number are masked unless a reveal was asked for (and
 * audited by the route); the card code is included so staff can print or reissue.
 */
export function staffVolunteerView(state: StationState, secret: Buffer, volunteer: Volunteer, now: Date, reveal = false) {
  const { phone, idNumber, ...rest } = volunteer;
  return {
    ...rest,
    ...(phone ? { phone: reveal ? phone : maskPhone(phone) } : {}),
    ...(idNumber ? { idNumber: reveal ? idNumber : maskIdNumber(idNumber) } : {}),
    hasIdNumber: !!idNumber,
    cardCode: cardCodeOf(secret, volunteer),
    teamNames: volunteer.teamIds.map((id) => state.get('teams', id)?.name ?? ''),
    ...figuresOf(state, volunteer.id, now),
    ...volunteerExtras(state, volunteer.id, now),
  } satisfies VolunteerView;
}
