import { z } from 'zod';
import type { Activity } from './model.ts';
import { activityCreateSchema, activityUpdateSchema, dayString } from './schemas.ts';

/**
 * Recurring activities (issue 12): a series is a rule plus the activities it created. Each
 * occurrence is an ordinary activity record (check-in, sign-ups, reports work on it unchanged)
 * carrying the series' id in `seriesId`.
 */

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type RepeatRule =
  | { kind: 'weekly'; weekdays: Weekday[] }
  /** Days of the month (1–31); a month without the day (30 February) has no occurrence that month. */
  | { kind: 'monthly'; days: number[] }
  /** The last Monday–Friday of each month. Public holidays are not modelled. */
  | { kind: 'lastWorkingDay' };

/** Until a day (inclusive, in the center's zone) or a number of occurrences. */
export type RepeatEnd = { until: string } | { count: number };

/** The bounds every series keeps, so a slip of the finger cannot plan a thousand activities. */
export const seriesLimits = { maxOccurrences: 366, maxYearsAhead: 2 } as const;

export interface ActivitySeries {
  id: string;
  title: string;
  repeat: RepeatRule;
  end: RepeatEnd;
  /** The first occurrence's start: its local time of day is the series' time. */
  firstStartsAt: string;
  createdAt: string;
  createdBy: string;
}

/** Why a later occurrence was left as it was by an edit or a cancel of "this and all later". */
export type KeptReason = 'attendance' | 'signups' | 'started' | 'cancelled';

export interface SeriesOccurrenceView {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: Activity['status'];
  signups: number;
  attendance: number;
}

export interface SeriesView {
  series: ActivitySeries;
  occurrences: SeriesOccurrenceView[];
}

export interface SeriesPreview {
  occurrences: { startsAt: string; endsAt: string }[];
}

export interface SeriesCreated {
  series: ActivitySeries;
  activities: Activity[];
}

/** What "this and all later" did: the occurrences changed, and those kept as they were, with why. */
export interface SeriesChangeResult {
  seriesId: string;
  changed: string[];
  kept: (SeriesOccurrenceView & { reason: KeptReason })[];
}

const weekday = z.number().int().min(1).max(7);
const dayOfMonth = z.number().int().min(1).max(31);

/** The repeat fields of the activity form, flat so each has its own problem under its field. */
export const repeatSchema = z
  .object({
    kind: z.enum(['weekly', 'monthly', 'lastWorkingDay']),
    weekdays: z.array(weekday).max(7).optional(),
    days: z.array(dayOfMonth).max(31).optional(),
    until: dayString.optional(),
    count: z.number().int().min(1).max(seriesLimits.maxOccurrences).optional(),
  })
  .superRefine((value, context) => {
    if (value.kind === 'weekly' && !value.weekdays?.length) context.addIssue({ code: 'custom', path: ['weekdays'], message: 'Choose at least one weekday' });
    if (value.kind === 'monthly' && !value.days?.length) context.addIssue({ code: 'custom', path: ['days'], message: 'Choose at least one day of the month' });
    if ((value.until === undefined) === (value.count === undefined)) context.addIssue({ code: 'custom', path: ['until'], message: 'End the series on a day or after a number of times' });
  })
  .transform(({ kind, weekdays, days, until, count }): { repeat: RepeatRule; end: RepeatEnd } => ({
    repeat:
      kind === 'weekly'
        ? { kind, weekdays: [...new Set(weekdays)].sort() as Weekday[] }
        : kind === 'monthly'
          ? { kind, days: [...new Set(days)].sort((a, b) => a - b) }
          : { kind },
    end: until !== undefined ? { until } : { count: count! },
  }));
export type RepeatInput = z.input<typeof repeatSchema>;

/** `POST /api/activity-series`: the first activity as the form has it, and how it repeats. */
export const seriesCreateSchema = z.intersection(activityCreateSchema, z.object({ repeat: repeatSchema }));

/** `POST /api/activity-series/preview`: only the times and the rule. */
export const seriesPreviewSchema = z.object({
  startsAt: activityCreateSchema.shape.startsAt,
  endsAt: activityCreateSchema.shape.endsAt,
  repeat: repeatSchema,
});

/**
 * `POST /api/activity-series/:id/edit`: the fields as the form has them for the chosen occurrence;
 * what differs from that occurrence is applied to it and every later one. Status and sign-up
 * deadline are per occurrence.
 */
export const seriesEditSchema = z.object({
  fromActivityId: z.string().min(1).max(64),
  changes: activityUpdateSchema.omit({ status: true, signupDeadline: true }),
});

export const seriesCancelSchema = z.object({ fromActivityId: z.string().min(1).max(64) });
