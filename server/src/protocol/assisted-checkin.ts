import { z } from 'zod';
import type { ScanSuccess } from './events.ts';

/**
 * Staff-assisted check-in (issue 12): a staff member signs in or out someone who has no card and
 * no phone with them, found by name, pinyin initials, card number or phone digits.
 */

export const assistedCheckInSchema = z.object({
  volunteerId: z.string().min(1).max(64),
  /** Needed when several activities are open; a sign-out ignores it (it closes the open attendance). */
  activityId: z.string().min(1).max(64).optional(),
  /** What the staff member saw and chose: refused (409 CONFLICT) if the person's state changed meanwhile. */
  action: z.enum(['check-in', 'check-out']),
});
export type AssistedCheckInInput = z.infer<typeof assistedCheckInSchema>;

export const assistedSearchSchema = z.object({ q: z.string().trim().min(1).max(40) });

/** The answer: what a scan would have answered, without the kiosk's scan id. */
export type AssistedCheckInResult = Omit<ScanSuccess, 'scanId' | 'replayed'>;

/** One person found, with where they are signed in now. */
export interface AssistedPerson {
  id: string;
  name: string;
  cardNo: string;
  status: 'active' | 'suspended' | 'left';
  teamNames: string[];
  onSite: { attendanceId: string; activityId: string; activityTitle: string; checkInAt: string } | null;
}
