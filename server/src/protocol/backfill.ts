import { z } from 'zod';
import { isoTime } from './schemas.ts';

/**
 * Bulk 补录 from a paper sign-in sheet (issue 12): one activity, the people who came with their
 * times, one reason for the batch. All or nothing.
 */
export const backfillEntrySchema = z
  .object({ volunteerId: z.string().min(1).max(64), checkInAt: isoTime, checkOutAt: isoTime })
  .refine((e) => Date.parse(e.checkOutAt) > Date.parse(e.checkInAt), { message: 'Sign-out must come after sign-in', path: ['checkOutAt'] });

export const backfillSchema = z.object({
  activityId: z.string().min(1).max(64),
  reason: z.string().trim().min(1).max(200),
  entries: z.array(backfillEntrySchema).min(1).max(300),
});
export type BackfillInput = z.infer<typeof backfillSchema>;

/** Why one line of the sheet cannot be recorded; the batch is refused with every such line listed. */
export interface BackfillProblem {
  /** The line's position in `entries`. */
  index: number;
  volunteerId: string;
  problem: 'UNKNOWN_VOLUNTEER' | 'OVERLAP' | 'DUPLICATE_IN_BATCH';
  /** For OVERLAP: the attendance already recorded for that time. */
  attendanceId?: string;
}

export interface BackfillResult {
  added: number;
  attendanceIds: string[];
  hours: number;
  points: number;
}
