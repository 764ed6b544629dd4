import { auditChange } from '../audit.ts';
import type { PendingTransfer, TransferDone } from '../protocol/district-transfers.ts';
import { AppError } from '../protocol/errors.ts';
import type { Volunteer } from '../protocol/model.ts';
import { volunteerCreateSchema } from '../protocol/schemas.ts';
import type { Change, StationState } from '../store/state.ts';
import { buildVolunteer, duplicateOf, needsGuardian } from '../volunteers/register-volunteer.ts';

/** Who the station's audit names for a volunteer taken from the district. */
export const DISTRICT_ACTOR = 'district-hub';

export interface TransferDecision {
  /** What to commit (empty when the request was already taken: pulled twice, one volunteer). */
  changes: Change[];
  /** What to tell the hub. */
  answer: TransferDone;
}

/**
 * What this station does with a district request to take a person registered at another
 * center (pure: state, request and clock in, changes out). The person gets this station's own
 * card number and card; consents given at the other center are not carried (they were given to
 * that center's notice), so staff confirm them here; a child under 14 is refused, since the
 * guardian's consent is recorded at the desk and never leaves a station. Taken twice, the same
 * volunteer is the answer; a person already registered here by phone or ID number is linked,
 * never registered a second time.
 */
export function decideTransfer(state: StationState, transfer: PendingTransfer, now: Date): TransferDecision {
  const at = now.toISOString();
  const link = { personId: transfer.personId, transferId: transfer.transferId, fromCenterName: transfer.fromCenterName, linkedAt: at };
  const known = [...state.records.volunteers.values()].find((v) => (v as Volunteer).district?.transferId === transfer.transferId || (v as Volunteer).district?.personId === transfer.personId) as Volunteer | undefined;
  if (known) return { changes: [], answer: { volunteerId: known.id, cardNo: known.cardNo } };

  const parsed = volunteerCreateSchema.safeParse(transfer.person);
  if (!parsed.success) {
    return refuse('VALIDATION_FAILED', `The district's record cannot be registered here: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const input = parsed.data;
  const existing = duplicateOf(state, input);
  if (existing) {
    const linked: Volunteer = { ...existing, district: link, updatedAt: at };
    return {
      changes: [{ c: 'volunteers', v: linked }, auditChange(now, DISTRICT_ACTOR, 'volunteer.district-linked', existing.id, `already card ${existing.cardNo}; from ${transfer.fromCenterName}`, { transferId: transfer.transferId, personId: transfer.personId })],
      answer: { volunteerId: existing.id, cardNo: existing.cardNo },
    };
  }
  if (needsGuardian(input, now, state.settings.timeZone)) {
    return refuse('GUARDIAN_CONSENT_REQUIRED', 'A volunteer under 14 is registered at the desk with a guardian’s consent');
  }
  try {
    const { volunteer, counters } = buildVolunteer(state, input, state.counters, now, DISTRICT_ACTOR);
    const taken: Volunteer = { ...volunteer, district: link };
    return {
      changes: [
        { c: 'config', v: counters },
        { c: 'volunteers', v: taken },
        auditChange(now, DISTRICT_ACTOR, 'volunteer.taken-from-district', taken.id, `card ${taken.cardNo}; from ${transfer.fromCenterName}`, { cardNo: taken.cardNo, transferId: transfer.transferId, personId: transfer.personId }),
      ],
      answer: { volunteerId: taken.id, cardNo: taken.cardNo },
    };
  } catch (error) {
    if (error instanceof AppError) return refuse(error.code, error.message);
    throw error;
  }

  function refuse(code: string, message: string): TransferDecision {
    return {
      changes: [auditChange(now, DISTRICT_ACTOR, 'volunteer.district-refused', undefined, `${code}; from ${transfer.fromCenterName}`, { transferId: transfer.transferId, code })],
      answer: { refused: { code, message } },
    };
  }
}
