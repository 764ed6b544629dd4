import { useEffect, useState } from 'preact/hooks';
import type { Activity } from '@protocol/model.ts';
import type { RepeatInput, SeriesChangeResult, SeriesPreview } from '@protocol/recurring.ts';
import { api, ApiError } from '../api/client.ts';
import { Dialog } from '../components/dialog.tsx';
import { Field, type Form } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { dayIn, fromLocalInput } from '../time.ts';
import { useAction } from '../use-resource.ts';

/**
 * Recurring activities in the admin (issue 12): the repeat fields of the activity form with a
 * live preview of the days, the "this one / this and all later" choice, and what the server kept.
 */

export type RepeatKind = 'none' | 'weekly' | 'monthly' | 'lastWorkingDay';

export interface RepeatValues {
  repeatKind: RepeatKind;
  repeatWeekdays: number[];
  /** Days of the month as typed: "8、28". */
  repeatDays: string;
  repeatEnd: 'until' | 'count';
  repeatUntil: string;
  repeatCount: string;
}

export function initialRepeat(): RepeatValues {
  return { repeatKind: 'none', repeatWeekdays: [], repeatDays: '', repeatEnd: 'count', repeatUntil: '', repeatCount: '10' };
}

/** The `repeat` field of the request, or undefined when the activity does not repeat. */
export function repeatInput(values: RepeatValues): RepeatInput | undefined {
  if (values.repeatKind === 'none') return undefined;
  const count = values.repeatCount.trim() === '' ? Number.NaN : Number(values.repeatCount);
  return {
    kind: values.repeatKind,
    ...(values.repeatKind === 'weekly' ? { weekdays: values.repeatWeekdays } : {}),
    ...(values.repeatKind === 'monthly' ? { days: values.repeatDays.split(/[,，、\s]+/).filter(Boolean).map(Number) } : {}),
    ...(values.repeatEnd === 'until' ? { until: values.repeatUntil } : { count }),
  };
}

/** The days the server would make, asked again a moment after the rule or the times change. */
function usePreview(startsAt: string | null, endsAt: string | null, repeat: RepeatInput | undefined) {
  const [preview, setPreview] = useState<{ days?: string[]; problem?: string }>({});
  const key = JSON.stringify([startsAt, endsAt, repeat]);
  useEffect(() => {
    if (!repeat || !startsAt || !endsAt) {
      setPreview({});
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api
        .post<SeriesPreview>('/activity-series/preview', { startsAt, endsAt, repeat })
        .then((answer) => current && setPreview({ days: answer.occurrences.map((o) => o.startsAt) }))
        .catch((error: unknown) => {
          if (!current) return;
          const problem = error instanceof ApiError ? (error.details?.seriesProblem as string | undefined) : undefined;
          // A field the form itself will point at (no weekday yet) needs no second message here.
          setPreview(problem ? { problem } : {});
        });
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);
  return preview;
}

const SHOWN_DAYS = 6;

export function RepeatFields<V extends RepeatValues & { startsAt: string; endsAt: string }>({ form }: { form: Form<V> }) {
  const m = useMessages();
  const r = m.recurring;
  const format = useFormat();
  const values = form.values as V;
  const set = form.set as unknown as <K extends keyof RepeatValues>(key: K, value: RepeatValues[K]) => void;
  const text = form.text as unknown as (key: 'repeatDays' | 'repeatUntil' | 'repeatCount') => ReturnType<Form<RepeatValues>['text']>;
  const preview = usePreview(fromLocalInput(values.startsAt, format.timeZone), fromLocalInput(values.endsAt, format.timeZone), repeatInput(values));
  const chooseKind = (kind: RepeatKind) => {
    set('repeatKind', kind);
    // Weekly starts from the weekday of the chosen start, the usual intent.
    const start = fromLocalInput(values.startsAt, format.timeZone);
    if (kind === 'weekly' && values.repeatWeekdays.length === 0 && start) set('repeatWeekdays', [((new Date(`${dayIn(start, format.timeZone)}T12:00:00Z`).getUTCDay() + 6) % 7) + 1]);
  };
  return (
    <fieldset class="field field--wide repeat">
      <legend class="field__label">{r.repeat}</legend>
      <div class="repeat__row">
        <select name="repeatKind" aria-label={r.repeat} value={values.repeatKind} onChange={(event) => chooseKind(event.currentTarget.value as RepeatKind)}>
          {(['none', 'weekly', 'monthly', 'lastWorkingDay'] as const).map((kind) => (
            <option key={kind} value={kind}>
              {r.kinds[kind]}
            </option>
          ))}
        </select>
        {values.repeatKind === 'weekly' && (
          <div class="chips" role="group" aria-label={r.weekdays}>
            {r.weekdayNames.map((name, index) => {
              const day = index + 1;
              return (
                <label key={day} class="chip">
                  <input
                    type="checkbox"
                    checked={values.repeatWeekdays.includes(day)}
                    onChange={(event) => set('repeatWeekdays', event.currentTarget.checked ? [...values.repeatWeekdays, day] : values.repeatWeekdays.filter((d) => d !== day))}
                  />
                  {name}
                </label>
              );
            })}
          </div>
        )}
      </div>
      {/* A rule no day matches (repeat.kind), or a past start, is said by the preview below in the reader's words. */}
      {values.repeatKind === 'weekly' && form.error('repeat.weekdays') && (
        <span class="field__error" role="alert">
          {form.error('repeat.weekdays')}
        </span>
      )}
      {values.repeatKind === 'monthly' && (
        <Field label={r.days} error={form.error('repeat.days')} hint={r.daysHint}>
          <input {...text('repeatDays')} placeholder={r.daysPlaceholder} maxLength={100} inputMode="numeric" />
        </Field>
      )}
      {values.repeatKind === 'lastWorkingDay' && <p class="field__hint">{r.lastWorkingDayHint}</p>}
      {values.repeatKind !== 'none' && (
        <>
          <div class="repeat__row">
            <select name="repeatEnd" aria-label={r.end} value={values.repeatEnd} onChange={(event) => set('repeatEnd', event.currentTarget.value as 'until' | 'count')}>
              <option value="count">{r.ends.count}</option>
              <option value="until">{r.ends.until}</option>
            </select>
            {values.repeatEnd === 'until' ? (
              <Field label={r.until} error={form.error('repeat.until')}>
                <input {...text('repeatUntil')} type="date" />
              </Field>
            ) : (
              <Field label={r.count} error={form.error('repeat.count') ?? form.error('repeat.until')}>
                <input {...text('repeatCount')} type="number" min={1} max={366} inputMode="numeric" />
              </Field>
            )}
          </div>
          <p class="field__hint">{r.limits}</p>
          <output class="repeat__preview" aria-live="polite">
            {preview.problem ? (
              <span class="field__error">{r.problems[preview.problem] ?? preview.problem}</span>
            ) : preview.days ? (
              <>
                {r.preview(preview.days.length)}
                {preview.days.slice(0, SHOWN_DAYS).map((d, i) => (
                  <span key={d} class="repeat__day">
                    {i > 0 && m.audit.separators.list}
                    {format.dayHeading(dayIn(d, format.timeZone))} {format.time(d)}
                  </span>
                ))}
                {preview.days.length > SHOWN_DAYS && r.more(preview.days.length)}
              </>
            ) : null}
          </output>
        </>
      )}
    </fieldset>
  );
}

export type EditScope = 'one' | 'later';

export function ScopeChoice({ scope, onChange }: { scope: EditScope; onChange: (scope: EditScope) => void }) {
  const r = useMessages().recurring;
  return (
    <fieldset class="field field--wide">
      <legend class="field__label">{r.scope}</legend>
      <div class="chips" role="radiogroup" aria-label={r.scope}>
        {(['one', 'later'] as const).map((choice) => (
          <label key={choice} class="chip">
            <input type="radio" name="scope" value={choice} checked={scope === choice} onChange={() => onChange(choice)} />
            {r.scopes[choice]}
          </label>
        ))}
      </div>
      <span class="field__hint">{r.scopeHint}</span>
    </fieldset>
  );
}

/** What "this and all later" did, and the occurrences it left alone with why. */
export function SeriesResult({ result, kind, onDone }: { result: SeriesChangeResult; kind: 'changed' | 'cancelled'; onDone: () => void }) {
  const m = useMessages();
  const r = m.recurring;
  const format = useFormat();
  return (
    <div class="series-result" data-testid="series-result">
      <p>{kind === 'changed' ? r.changed(result.changed.length) : r.cancelled(result.changed.length)}</p>
      {result.kept.length > 0 && (
        <>
          <p>{r.keptIntro}</p>
          <ul class="series-result__kept">
            {result.kept.map((k) => (
              <li key={k.id}>
                {format.dayHeading(dayIn(k.startsAt, format.timeZone))} {format.time(k.startsAt)} {k.title}
                {m.audit.separators.fact}
                {k.reason === 'signups' ? r.reasons.signups(k.signups) : k.reason === 'attendance' ? r.reasons.attendance(k.attendance) : r.reasons[k.reason]}
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="form__actions">
        <button type="button" class="button button--primary" onClick={onDone} autoFocus>
          {r.done}
        </button>
      </div>
    </div>
  );
}

/** Cancelling an occurrence of a series: this one alone, or this and all later. */
export function SeriesCancelDialog({ activity, onClose, onDone }: { activity: Activity; onClose: () => void; onDone: () => Promise<void> }) {
  const m = useMessages();
  const r = m.recurring;
  const action = useAction();
  const [result, setResult] = useState<SeriesChangeResult>();
  const cancelOne = async () => {
    if (await action.run(() => api.patch(`/activities/${activity.id}`, { status: 'cancelled' }))) await onDone();
  };
  const cancelLater = async () => {
    let answer: SeriesChangeResult | undefined;
    if (await action.run(async () => (answer = await api.post<SeriesChangeResult>(`/activity-series/${activity.seriesId}/cancel`, { fromActivityId: activity.id })))) setResult(answer);
  };
  return (
    <Dialog title={r.cancelTitle(activity.title)} onClose={result ? () => void onDone() : onClose}>
      {result ? (
        <SeriesResult result={result} kind="cancelled" onDone={() => void onDone()} />
      ) : (
        <div class="form">
          <p class="muted">{r.cancelHint}</p>
          <ErrorNotice error={action.failure} />
          <div class="form__actions">
            <button type="button" class="button" onClick={onClose}>
              {m.common.cancel}
            </button>
            <button type="button" class="button" onClick={() => void cancelOne()}>
              {r.cancelOne}
            </button>
            <button type="button" class="button button--danger" onClick={() => void cancelLater()}>
              {r.cancelLater}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

export function SeriesBadge({ activity }: { activity: Activity }) {
  const r = useMessages().recurring;
  if (!activity.seriesId) return null;
  return (
    <span class="badge badge--series" title={r.badgeTitle} data-series={activity.seriesId}>
      ↻ {r.badge}
    </span>
  );
}
