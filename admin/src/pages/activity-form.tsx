import { z } from 'zod';
import type { Activity, PointsRule } from '@protocol/model.ts';
import { activityCreateSchema, activityUpdateSchema, isoTime } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import type { TeamView } from '../api/types.ts';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, FormActions, FormFailure, numberOrUndefined, useForm } from '../components/form.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { fromLocalInput, toLocalInput } from '../time.ts';
import { useState } from 'preact/hooks';
import type { SeriesChangeResult, SeriesCreated } from '@protocol/recurring.ts';
import { seriesCreateSchema } from '@protocol/recurring.ts';
import { initialRepeat, RepeatFields, repeatInput, ScopeChoice, SeriesResult, type EditScope, type RepeatValues } from './activity-series.tsx';

type RuleChoice = 'default' | PointsRule['kind'];

interface Values extends RepeatValues {
  title: string;
  theme: string;
  place: string;
  organizer: string;
  teamIds: string[];
  startsAt: string;
  endsAt: string;
  rule: RuleChoice;
  ruleAmount: string;
  capacity: string;
  maxHours: string;
  signupOnly: boolean;
  requiresInsurance: boolean;
  /** Training categories, separated by commas or 、. */
  requiredTrainings: string;
}

function initialValues(activity: Activity | undefined, startsAt: string | undefined, timeZone: string): Values {
  const rule = activity?.pointsRule;
  // A new activity starts on the next full hour and lasts two: the usual shape of a community session.
  const start = startsAt ?? new Date(Math.ceil(Date.now() / 3600_000) * 3600_000).toISOString();
  return {
    title: activity?.title ?? '',
    theme: activity?.theme ?? '',
    place: activity?.place ?? '',
    organizer: activity?.organizer ?? '',
    teamIds: activity?.teamIds ?? [],
    startsAt: toLocalInput(activity?.startsAt ?? start, timeZone),
    endsAt: toLocalInput(activity?.endsAt ?? new Date(Date.parse(start) + 2 * 3600_000).toISOString(), timeZone),
    rule: rule?.kind ?? 'default',
    ruleAmount: rule ? String(rule.kind === 'perHour' ? rule.pointsPerHour : rule.points) : '',
    capacity: activity?.capacity ? String(activity.capacity) : '',
    maxHours: activity?.maxHours ? String(activity.maxHours) : '',
    signupOnly: activity?.signupOnly ?? false,
    requiresInsurance: activity?.requiresInsurance ?? false,
    requiredTrainings: (activity?.requiredTrainings ?? []).join('、'),
    ...initialRepeat(),
  };
}

/** Plans an activity, or edits one when `activity` is given. */
export function ActivityFormDialog({
  activity,
  startsAt,
  teams,
  onClose,
  onSaved,
}: {
  activity?: Activity;
  /** Where a new activity starts, e.g. the day clicked in the week view. */
  startsAt?: string;
  teams: TeamView[];
  onClose: () => void;
  /** Told where the activity now starts, so a list can show the week it moved to. */
  onSaved: (startsAt?: string) => Promise<void>;
}) {
  const m = useMessages();
  const format = useFormat();
  const form = useForm<Values>(initialValues(activity, startsAt, format.timeZone));
  const { values } = form;
  // Issue 12: an occurrence of a series is changed alone or with all later ones; what the server kept is shown before closing.
  const [scope, setScope] = useState<EditScope>('one');
  const [seriesResult, setSeriesResult] = useState<{ result: SeriesChangeResult; startsAt?: string }>();

  const submit = (event: Event) => {
    event.preventDefault();
    const amount = numberOrUndefined(values.ruleAmount);
    const pointsRule =
      values.rule === 'perHour' ? { kind: 'perHour', pointsPerHour: amount } : values.rule === 'fixed' ? { kind: 'fixed', points: amount } : undefined;
    const input = {
      title: values.title,
      theme: blank(values.theme),
      place: blank(values.place),
      organizer: blank(values.organizer),
      teamIds: values.teamIds,
      startsAt: fromLocalInput(values.startsAt, format.timeZone) ?? '',
      endsAt: fromLocalInput(values.endsAt, format.timeZone) ?? '',
      pointsRule,
      capacity: numberOrUndefined(values.capacity),
      maxHours: numberOrUndefined(values.maxHours),
      signupOnly: values.signupOnly,
      requiresInsurance: values.requiresInsurance,
      requiredTrainings: values.requiredTrainings.split(/[,，、\s]+/).filter(Boolean),
    };
    const repeat = repeatInput(values);
    if (activity?.seriesId && scope === 'later') {
      // Checked field by field like a single edit, so each problem shows under its field.
      void form.submit(activityUpdateSchema, input, async ({ status: _status, signupDeadline: _deadline, ...changes }) => {
        const result = await api.post<SeriesChangeResult>(`/activity-series/${activity.seriesId}/edit`, { fromActivityId: activity.id, changes });
        setSeriesResult({ result, startsAt: changes.startsAt });
      });
    } else if (activity) {
      void form.submit(activityUpdateSchema, input, async (data) => {
        await api.patch(`/activities/${activity.id}`, data);
        await onSaved(data.startsAt);
      });
    } else if (repeat) {
      void form.submit(seriesCreateSchema, { ...input, repeat }, async (data) => {
        // The rule goes as typed: the schema's output is the server's stored shape, not its input.
        const created = await api.post<SeriesCreated>('/activity-series', { ...data, repeat });
        await onSaved(created.activities[0]?.startsAt);
      });
    } else {
      void form.submit(activityCreateSchema, input, async (data) => {
        await api.post('/activities', data);
        await onSaved(data.startsAt);
      });
    }
  };

  return (
    <Dialog title={activity ? m.activities.editTitle : m.activities.create} onClose={seriesResult ? () => void onSaved(seriesResult.startsAt) : onClose} wide>
      {seriesResult ? (
        <SeriesResult result={seriesResult.result} kind="changed" onDone={() => void onSaved(seriesResult.startsAt)} />
      ) : (
      <form class="form form--grid" onSubmit={submit} noValidate>
        {activity?.seriesId && <ScopeChoice scope={scope} onChange={setScope} />}
        <Field label={m.activities.titleField} error={form.error('title')} wide>
          <input {...form.text('title')} maxLength={100} autoFocus />
        </Field>
        <Field label={m.activities.theme} error={form.error('theme')}>
          <input {...form.text('theme')} maxLength={40} placeholder={m.activities.themePlaceholder} />
        </Field>
        <Field label={m.activities.place} error={form.error('place')}>
          <input {...form.text('place')} maxLength={100} />
        </Field>
        <Field label={m.activities.organizer} error={form.error('organizer')}>
          <input {...form.text('organizer')} maxLength={100} />
        </Field>
        <Field label={m.activities.capacity} error={form.error('capacity')} hint={m.activities.capacityHint}>
          <input {...form.text('capacity')} type="number" min={1} inputMode="numeric" />
        </Field>
        <Field label={m.activities.startsAt} error={form.error('startsAt')}>
          <input {...form.text('startsAt')} type="datetime-local" />
        </Field>
        <Field label={m.activities.endsAt} error={form.error('endsAt')}>
          <input {...form.text('endsAt')} type="datetime-local" />
        </Field>
        {!activity && <RepeatFields form={form} />}
        <Field label={m.activities.pointsRule} error={form.error('pointsRule')}>
          <select value={values.rule} onChange={(event) => form.set('rule', event.currentTarget.value as RuleChoice)}>
            <option value="default">{m.activities.ruleDefault}</option>
            <option value="perHour">{m.activities.rulePerHour}</option>
            <option value="fixed">{m.activities.ruleFixed}</option>
          </select>
        </Field>
        {values.rule !== 'default' && (
          <Field label={values.rule === 'perHour' ? m.activities.pointsPerHour : m.activities.fixedPoints} error={form.error(values.rule === 'perHour' ? 'pointsRule.pointsPerHour' : 'pointsRule.points')}>
            <input {...form.text('ruleAmount')} type="number" min={0} step={0.1} inputMode="decimal" />
          </Field>
        )}
        <Field label={m.activities.maxHours} error={form.error('maxHours')} hint={m.activities.maxHoursHint}>
          <input {...form.text('maxHours')} type="number" min={0.5} step={0.5} inputMode="decimal" />
        </Field>
        <fieldset class="field field--wide">
          <legend class="field__label">{m.signups.gateLegend}</legend>
          <div class="chips">
            <label class="chip">
              <input type="checkbox" checked={values.signupOnly} onChange={(event) => form.set('signupOnly', event.currentTarget.checked)} />
              {m.signups.signupOnly}
            </label>
            <label class="chip">
              <input type="checkbox" checked={values.requiresInsurance} onChange={(event) => form.set('requiresInsurance', event.currentTarget.checked)} />
              {m.signups.requiresInsurance}
            </label>
          </div>
        </fieldset>
        <Field label={m.signups.requiredTrainings} error={form.error('requiredTrainings')} hint={m.signups.requiredTrainingsHint} wide>
          <input {...form.text('requiredTrainings')} maxLength={200} placeholder="急救、消防" />
        </Field>
        <fieldset class="field field--wide">
          <legend class="field__label">{m.activities.teams}</legend>
          <div class="chips">
            {teams.length === 0 && <span class="muted">{m.teams.none}</span>}
            {teams.map((team) => (
              <label key={team.id} class="chip">
                <input
                  type="checkbox"
                  checked={values.teamIds.includes(team.id)}
                  onChange={(event) => form.set('teamIds', event.currentTarget.checked ? [...values.teamIds, team.id] : values.teamIds.filter((id) => id !== team.id))}
                />
                {team.name}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field--wide">
          <FormFailure form={form} />
        </div>
        <div class="form__actions field--wide">
          <button type="button" class="button" onClick={onClose}>
            {m.common.cancel}
          </button>
          <button type="submit" class="button button--primary" disabled={form.busy}>
            {m.common.save}
          </button>
        </div>
      </form>
      )}
    </Dialog>
  );
}

const duplicateSchema = z.object({ startsAt: isoTime });

/** A recurring activity (every Tuesday's patrol) is planned by copying last week's to a new start. */
export function DuplicateActivityDialog({ activity, onClose, onSaved }: { activity: Activity; onClose: () => void; onSaved: (startsAt?: string) => Promise<void> }) {
  const m = useMessages();
  const format = useFormat();
  const nextWeek = new Date(Date.parse(activity.startsAt) + 7 * 86400_000).toISOString();
  const form = useForm({ startsAt: toLocalInput(nextWeek, format.timeZone) });
  return (
    <Dialog title={m.activities.duplicateTitle(activity.title)} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(duplicateSchema, { startsAt: fromLocalInput(form.values.startsAt, format.timeZone) ?? '' }, async (input) => {
            await api.post(`/activities/${activity.id}/duplicate`, input);
            await onSaved(input.startsAt);
          });
        }}
      >
        <p class="muted">{m.activities.duplicateHint}</p>
        <Field label={m.activities.newStart} error={form.error('startsAt')}>
          <input {...form.text('startsAt')} type="datetime-local" autoFocus />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={m.activities.duplicate} />
      </form>
    </Dialog>
  );
}
