import { z } from 'zod';

/**
 * Adding a volunteer registered at one center to another center's station (docs/district.md,
 * "A volunteer at two centers"). The district admin asks center B to take person P of center A;
 * B's station pulls the request over its own link (the hub never dials a station), registers P
 * with B's own card number and card, and tells the hub which volunteer it made.
 */

/** Of a volunteer, what travels to the taking center: never address, notes, consents or the card. */
export const transferPersonFields = ['name', 'gender', 'phone', 'idNumber', 'birthYear', 'birthDate', 'idType', 'nationalVolunteerNo', 'skills'] as const;

/** POST /api/district/transfers (district admin). */
export const transferCreateSchema = z.object({
  fromCenterId: z.uuid(),
  volunteerId: z.string().min(1).max(200),
  toCenterId: z.uuid(),
  note: z.string().trim().max(200).optional(),
});

/** One request as the taking station receives it (POST /api/link/transfers). */
export interface PendingTransfer {
  transferId: string;
  personId: string;
  fromCenterId: string;
  fromCenterName: string;
  requestedAt: string;
  note: string | null;
  person: Record<string, unknown>;
}

/** POST /api/link/transfers/:id/done: the volunteer the station made (or found), or why it could not. */
export const transferDoneSchema = z.union([
  z.object({ volunteerId: z.string().min(1).max(200), cardNo: z.string().min(1).max(40) }),
  z.object({ refused: z.object({ code: z.string().min(1).max(64), message: z.string().max(500) }) }),
]);
export type TransferDone = z.infer<typeof transferDoneSchema>;

export type TransferState = 'pending' | 'taken' | 'refused';
