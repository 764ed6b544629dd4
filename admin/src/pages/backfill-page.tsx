import { useState } from 'preact/hooks';
import type { BackfillProblem, BackfillResult } from '@protocol/backfill.ts';
import { api, query } from '../api/client.ts';
import type { ActivityView, Items, VolunteerView } from '../api/types.ts';
import { Field } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { VolunteerSearch } from '../components/volunteer-picker.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { addDays, dayIn, fromLocalInput, toLocalInput } from '../time.ts';
import { useAction, useResource } from '../use-resource.ts';

/** Paper sheets come in up to a month and a half late. */
const WINDOW_DAYS = 45;

interface Line {
  volunteer: Pick<VolunteerView, 'id' | 'name' | 'cardNo'>;
  checkIn: string;
  checkOut: string;
}

/**
 * 批量补录 (issue 12): a paper sign-in sheet entered at once. Choose the activity, add the people
 * who came (each starts with the activity's times, changed where the sheet says otherwise), one
 * reason for the batch. The server saves all lines or none, and refuses times that overlap what
 * is already recorded.
 */
export function BackfillPage() {
  const m = useMessages();
  const t = m.backfill;
  const format = useFormat();
  const today = dayIn(new Date(), format.timeZone);
  const activities = useResource<Items<ActivityView>>(`/activities${query({ from: addDays(today, -WINDOW_DAYS), to: addDays(today, 1) })}`);
  const [activityId, setActivityId] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<BackfillResult>();
  const save = useAction();
  const list = [...(activities.data?.items ?? [])].filter((a) => a.status !== 'cancelled').reverse();
  const activity = list.find((a) => a.id === activityId);
  const problems = (save.failure?.details?.problems ?? []) as BackfillProblem[];
  const problemAt = (index: number) => problems.find((p) => p.index === index);
  const update = (index: number, patch: Partial<Line>) => setLines(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));

  const submit = async () => {
    if (!activity) return;
    setDone(undefined);
    const entries = lines.map((l) => ({ volunteerId: l.volunteer.id, checkInAt: fromLocalInput(l.checkIn, format.timeZone) ?? '', checkOutAt: fromLocalInput(l.checkOut, format.timeZone) ?? '' }));
    await save.run(async () => {
      setDone(await api.post<BackfillResult>('/attendance/bulk', { activityId: activity.id, reason, entries }));
      setLines([]);
      setReason('');
    });
  };

  return (
    <Page title={t.title} subtitle={t.intro}>
      <ErrorNotice error={activities.error} />
      {done && <p class="notice notice--ok" role="status">{t.saved(done.added, done.hours, done.points)}</p>}
      <div class="form">
        <Field label={t.activity}>
          <select
            value={activityId}
            onChange={(event) => {
              setActivityId(event.currentTarget.value);
              const chosen = list.find((a) => a.id === event.currentTarget.value);
              if (chosen) setLines(lines.map((l) => ({ ...l, checkIn: toLocalInput(chosen.startsAt, format.timeZone), checkOut: toLocalInput(chosen.endsAt, format.timeZone) })));
            }}
          >
            <option value="">{t.chooseActivity}</option>
            {list.map((a) => (
              <option key={a.id} value={a.id}>
                {format.date(a.startsAt)} {a.title}
              </option>
            ))}
          </select>
        </Field>
        {activity && (
          <VolunteerSearch
            label={t.addPerson}
            exclude={new Set(lines.map((l) => l.volunteer.id))}
            onPick={(v) => setLines([...lines, { volunteer: v, checkIn: toLocalInput(activity.startsAt, format.timeZone), checkOut: toLocalInput(activity.endsAt, format.timeZone) }])}
          />
        )}
      </div>
      {lines.length > 0 && (
        <div class="table-wrap backfill-sheet">
          <table class="table" aria-label={t.sheet}>
            <thead>
              <tr>
                <th>{m.attendance.volunteer}</th>
                <th>{m.attendance.checkIn}</th>
                <th>{m.attendance.checkOut}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {lines.map((line, index) => {
                const problem = problemAt(index);
                return (
                  <tr key={line.volunteer.id} class={problem ? 'row--attention' : undefined}>
                    <td class="table__text">
                      {line.volunteer.name} <span class="mono muted">{line.volunteer.cardNo}</span>
                      {problem && <div class="field__error">{t.problems[problem.problem]}</div>}
                    </td>
                    <td>
                      <input type="datetime-local" aria-label={t.checkInOf(line.volunteer.name)} value={line.checkIn} onInput={(event) => update(index, { checkIn: event.currentTarget.value })} />
                    </td>
                    <td>
                      <input type="datetime-local" aria-label={t.checkOutOf(line.volunteer.name)} value={line.checkOut} onInput={(event) => update(index, { checkOut: event.currentTarget.value })} />
                    </td>
                    <td>
                      <button type="button" class="button button--quiet" onClick={() => setLines(lines.filter((_, i) => i !== index))}>
                        {t.removeLine}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {activity && (
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Field label={t.reason} hint={t.reasonHint}>
            <input name="reason" value={reason} required maxLength={200} onInput={(event) => setReason(event.currentTarget.value)} />
          </Field>
          {problems.length > 0 ? <p class="notice notice--error">{t.nothingSaved(problems.length)}</p> : <ErrorNotice error={save.failure} />}
          <div class="form__actions">
            <button class="button button--primary" type="submit" disabled={save.busy || lines.length === 0 || !reason.trim()}>
              {t.save(lines.length)}
            </button>
          </div>
        </form>
      )}
    </Page>
  );
}
