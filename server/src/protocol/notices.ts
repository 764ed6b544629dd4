import { z } from 'zod';

/**
 * The public notice (公示) of a star list: drafted from the data, reviewed by staff, published
 * for a notice period of working days, open to objections, then final. Records as stored,
 * the staff and public views, and the inputs of /api/notices.
 */

/** 'newStars': who rose to a higher star in a period; 'yearStars': the star volunteers of a calendar year. */
export type NoticeKind = 'newStars' | 'yearStars';
/** 'final' is reached once the notice period is over and every objection is resolved. */
export type NoticeStatus = 'draft' | 'published' | 'final' | 'withdrawn';

export interface StaffMark {
  at: string;
  by: string;
  reason: string;
}

export interface NoticeEntry {
  volunteerId: string;
  /** Figures frozen when the draft was made, so the list staff reviewed is the list published. */
  stars: number;
  /** Hours the star is based on: in the star period (lifetime to date, or the calendar year). */
  hours: number;
  /** For 'newStars': the level held at the start of the period. */
  previousStars?: number;
  teamNames: string[];
  /** Put on the list by staff rather than by the data. */
  added?: StaffMark;
  /** Taken off the list by staff in review, or by an upheld objection. */
  removed?: StaffMark;
}

export interface NoticeObjection {
  id: string;
  /** The entry objected to. */
  volunteerId: string;
  content: string;
  /** Who raised it and how to reach them: personal data, shown to staff only. */
  raisedBy?: string;
  receivedAt: string;
  recordedBy: string;
  resolution?: { outcome: 'upheld' | 'dismissed'; note: string; at: string; by: string };
}

export interface Notice {
  id: string;
  kind: NoticeKind;
  /** Staff's own heading; without one, pages word it from the kind and period in their language. */
  title?: string;
  /** The service period judged, as days in the center's zone (inclusive). */
  period: { from: string; to: string };
  /** The star rule in force when the list was drawn: tells the reader what the hours mean. */
  basis: 'lifetime' | 'calendarYear';
  /** Whom to tell of an objection and how, printed on the notice; without one, pages name the center. */
  contact?: string;
  status: NoticeStatus;
  entries: NoticeEntry[];
  objections: NoticeObjection[];
  createdAt: string;
  createdBy: string;
  published?: {
    at: string;
    by: string;
    workingDays: number;
    /** First and last working day of the notice period (inclusive), center's zone. */
    startsOn: string;
    endsOn: string;
    /** The instant the period ends: midnight after `endsOn` in the center's zone. */
    endsAt: string;
  };
  finalAt?: string;
  withdrawn?: StaffMark;
}

/** A volunteer's star as confirmed by a final notice: what the star record shows. */
export interface StarRecord {
  /** `${noticeId}:${volunteerId}` */
  id: string;
  volunteerId: string;
  noticeId: string;
  kind: NoticeKind;
  period: { from: string; to: string };
  stars: number;
  hours: number;
  finalAt: string;
}

/** What a public notice shows of an entry: no id, phone, ID number or full name. */
export interface PublicNoticeEntry {
  displayName: string;
  teamNames: string[];
  hours: number;
  stars: number;
}

export interface PublicNotice {
  id: string;
  kind: NoticeKind;
  title?: string;
  centerName: string;
  period: { from: string; to: string };
  basis: 'lifetime' | 'calendarYear';
  contact?: string;
  status: 'published' | 'final';
  publishedAt: string;
  workingDays: number;
  startsOn: string;
  endsOn: string;
  finalAt?: string;
  /** The day it became final, in the center's zone. */
  finalOn?: string;
  entries: PublicNoticeEntry[];
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2025-01-31');
const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().min(1).max(64);

/** The minimum of 3 working days is the 公示 rule of the design brief; 5 is the usual default. */
export const NOTICE_MIN_WORKING_DAYS = 3;
export const NOTICE_DEFAULT_WORKING_DAYS = 5;

export const noticeCreateSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('yearStars'), year: z.number().int().min(2000).max(2100), title: text(60).optional(), contact: text(200).optional() }),
    z.object({ kind: z.literal('newStars'), from: day, to: day, title: text(60).optional(), contact: text(200).optional() }),
  ])
  .refine((input) => input.kind !== 'newStars' || input.from <= input.to, { message: '`from` must not be after `to`', path: ['to'] });
export type NoticeCreateInput = z.infer<typeof noticeCreateSchema>;

export const noticeUpdateSchema = z.object({ title: text(60).optional(), contact: text(200).optional() });
export const noticeEntryAddSchema = z.object({ volunteerId: id, reason: text(200), stars: z.number().int().min(1).max(5).optional() });
export const noticeReasonSchema = z.object({ reason: text(200) });
export const noticePublishSchema = z.object({
  workingDays: z.number().int().min(NOTICE_MIN_WORKING_DAYS).max(30).default(NOTICE_DEFAULT_WORKING_DAYS),
  /** The first day of the notice period; default today. A weekend start moves to the next Monday. */
  startsOn: day.optional(),
});
export const objectionCreateSchema = z.object({ volunteerId: id, content: text(500), raisedBy: text(100).optional() });
export const objectionResolveSchema = z.object({ outcome: z.enum(['upheld', 'dismissed']), note: text(500) });
/** The staff evaluation score behind the optional star condition `settings.stars.minEvaluation`. */
export const evaluationSchema = z.object({ score: z.number().min(0).max(100), note: text(200).optional() });
