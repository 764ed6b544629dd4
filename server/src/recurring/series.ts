import { addDays, dayKey } from '../domain/time-zone.ts';
import type { WorkCalendar } from '../domain/work-calendar.ts';
import { AppError } from '../protocol/errors.ts';
import type { Activity } from '../protocol/model.ts';
import type { ActivitySeries, KeptReason, RepeatEnd, RepeatRule, SeriesChangeResult, SeriesOccurrenceView } from '../protocol/recurring.ts';
import type { ActivityCreateInput } from '../protocol/schemas.ts';
import type { StationState } from '../store/state.ts';
import { localShapeOf, occurrenceOn, occurrences, type Occurrence, type SeriesProblem } from './occurrences.ts';

/**
 * Decisions about a series over the current state, with the clock passed in: pure, so the
 * routes only validate, decide, commit once and answer. Nothing here writes.
 */

/** Where each problem is shown in the activity form. */
const problemField: Record<SeriesProblem | 'past', string> = {
  none: 'repeat.kind',
  'too-many': 'repeat.until',
  'too-far': 'repeat.until',
  'until-before-start': 'repeat.until',
  past: 'startsAt',
};
const problemMessage: Record<SeriesProblem | 'past', string> = {
  none: 'No day from the start on matches the rule',
  'too-many': 'A series has at most 366 activities',
  'too-far': 'A series reaches at most two years ahead',
  'until-before-start': 'The series must end on or after its first day',
  past: 'The first activity of a series must not have started yet',
};

export function seriesProblem(problem: SeriesProblem | 'past'): AppError {
  const field = problemField[problem];
  return new AppError('VALIDATION_FAILED', problemMessage[problem], 400, { problems: [{ field, message: problemMessage[problem] }], seriesProblem: problem });
}

/** The occurrences a rule gives, refused (VALIDATION_FAILED naming the field) when it breaks a limit or the first has started. */
export function plannedOccurrences(rule: { repeat: RepeatRule; end: RepeatEnd }, first: Occurrence, timeZone: string, now: Date, calendar: WorkCalendar = {}): Occurrence[] {
  const result = occurrences(rule, first, timeZone, calendar);
  if (!result.ok) throw seriesProblem(result.problem);
  if (Date.parse(result.occurrences[0]!.startsAt) <= now.getTime()) throw seriesProblem('past');
  return result.occurrences;
}

/** The activities of a new series: every field of the form on each, at each occurrence's times. */
export function seriesActivities(input: ActivityCreateInput & { repeat?: unknown }, seriesId: string, planned: Occurrence[], now: Date, newId: () => string): Activity[] {
  // A status or a sign-up deadline belongs to one occurrence, not to the series.
  const { status: _status, signupDeadline: _deadline, repeat: _repeat, ...fields } = input;
  return planned.map((o) => ({ ...fields, id: newId(), seriesId, startsAt: o.startsAt, endsAt: o.endsAt, status: 'planned', createdAt: now.toISOString() }));
}

/** A series' activities, first first (the named query every series operation reads through). */
export function activitiesOfSeries(state: StationState, seriesId: string): Activity[] {
  const result: Activity[] = [];
  for (const activity of state.records.activities.values()) if (activity.seriesId === seriesId) result.push(activity);
  return result.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

function activeSignups(state: StationState, activityId: string): number {
  let count = 0;
  for (const id of state.signupIdsOfActivity(activityId)) {
    const status = state.get('signups', id)?.status;
    if (status === 'confirmed' || status === 'waitlisted') count += 1;
  }
  return count;
}

function attendanceCount(state: StationState, activityId: string): number {
  return state.attendanceIdsOfActivity(activityId).filter((id) => !state.get('attendance', id)?.removed).length;
}

export function occurrenceView(state: StationState, activity: Activity): SeriesOccurrenceView {
  return {
    id: activity.id,
    title: activity.title,
    startsAt: activity.startsAt,
    endsAt: activity.endsAt,
    status: activity.status,
    signups: activeSignups(state, activity.id),
    attendance: attendanceCount(state, activity.id),
  };
}

/**
 * Why an occurrence must stay as it is, or undefined when "this and all later" may change it.
 * Started or finished ones are history; one with sign-ups or attendance is left for staff to
 * change by hand, so no volunteer's sign-up or record silently moves or disappears.
 */
function keptReason(view: SeriesOccurrenceView, activity: Activity, now: Date): KeptReason | undefined {
  if (activity.status === 'cancelled') return 'cancelled';
  if (activity.status !== 'planned' || Date.parse(activity.startsAt) <= now.getTime()) return 'started';
  if (view.attendance > 0) return 'attendance';
  if (view.signups > 0) return 'signups';
  return undefined;
}

/** The chosen occurrence and every later one, split into those a series change may touch and those it keeps. */
function splitFrom(state: StationState, series: ActivitySeries, from: Activity, now: Date): { changeable: Activity[]; kept: SeriesChangeResult['kept'] } {
  if (from.seriesId !== series.id) throw new AppError('NOT_FOUND', 'That activity is not in this series', 404);
  const changeable: Activity[] = [];
  const kept: SeriesChangeResult['kept'] = [];
  for (const activity of activitiesOfSeries(state, series.id)) {
    if (activity.startsAt < from.startsAt) continue;
    const view = occurrenceView(state, activity);
    const reason = keptReason(view, activity, now);
    if (reason) kept.push({ ...view, reason });
    else changeable.push(activity);
  }
  return { changeable, kept };
}

type EditableField = Exclude<keyof Activity, 'id' | 'seriesId' | 'status' | 'createdAt' | 'signupDeadline'>;
export type SeriesChanges = Partial<Pick<Activity, EditableField>>;

/** Unset, false and an empty list mean the same on an activity: nothing asked. */
function same(a: unknown, b: unknown): boolean {
  const normal = (v: unknown) => (v === undefined || v === false || (Array.isArray(v) && v.length === 0) ? null : v);
  return JSON.stringify(normal(a)) === JSON.stringify(normal(b));
}

/**
 * "改以后所有": the chosen occurrence and every later one that may change take the form's values
 * (what staff see in the form is what each will have). A new time moves each by as many days as
 * the chosen one moved, to the form's local times. Fields the request leaves out keep each
 * occurrence's own value. `fields` names what changed on at least one occurrence, for the log.
 */
export function planSeriesEdit(
  state: StationState,
  series: ActivitySeries,
  from: Activity,
  changes: SeriesChanges,
  now: Date,
): { updated: Activity[]; fields: string[]; result: SeriesChangeResult } {
  const timeZone = state.settings.timeZone;
  const given = (Object.keys(changes) as EditableField[]).filter((key) => changes[key] !== undefined);
  const newFrom: Occurrence = { startsAt: changes.startsAt ?? from.startsAt, endsAt: changes.endsAt ?? from.endsAt };
  if (Date.parse(newFrom.endsAt) <= Date.parse(newFrom.startsAt)) {
    throw new AppError('VALIDATION_FAILED', 'An activity must end after it starts', 400, { problems: [{ field: 'endsAt', message: 'An activity must end after it starts' }] });
  }
  const retimed = newFrom.startsAt !== from.startsAt || newFrom.endsAt !== from.endsAt;
  const shape = localShapeOf(newFrom, timeZone);
  const dayShift = Math.round((Date.parse(`${dayKey(newFrom.startsAt, timeZone)}T00:00:00Z`) - Date.parse(`${dayKey(from.startsAt, timeZone)}T00:00:00Z`)) / 86_400_000);
  const { changeable, kept } = splitFrom(state, series, from, now);
  const valueFields = given.filter((f) => f !== 'startsAt' && f !== 'endsAt');
  const updated = changeable.map((activity) => {
    const next: Activity = { ...activity, ...Object.fromEntries(valueFields.map((f) => [f, changes[f]])) };
    if (!retimed) return next;
    return { ...next, ...occurrenceOn(addDays(dayKey(activity.startsAt, timeZone), dayShift), shape, timeZone) };
  });
  if (retimed && updated.some((a) => Date.parse(a.startsAt) <= now.getTime())) {
    throw new AppError('VALIDATION_FAILED', 'The new time has already passed for some of the activities', 400, { problems: [{ field: 'startsAt', message: 'The new time has already passed' }] });
  }
  const fields = given.filter((f) => updated.some((a, i) => !same(a[f], changeable[i]![f])));
  return { updated, fields, result: { seriesId: series.id, changed: updated.map((a) => a.id), kept } };
}

/** "取消以后所有": the chosen occurrence and later ones are cancelled, except those that must stay (see keptReason). */
export function planSeriesCancel(state: StationState, series: ActivitySeries, from: Activity, now: Date): { updated: Activity[]; result: SeriesChangeResult } {
  const { changeable, kept } = splitFrom(state, series, from, now);
  const updated = changeable.map((activity): Activity => ({ ...activity, status: 'cancelled' }));
  // Already cancelled ones are not news in a cancel.
  return { updated, result: { seriesId: series.id, changed: updated.map((a) => a.id), kept: kept.filter((k) => k.reason !== 'cancelled') } };
}
