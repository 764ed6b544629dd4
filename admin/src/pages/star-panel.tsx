import { useState } from 'preact/hooks';
import type { Evaluation } from '@protocol/model.ts';
import { evaluationSchema, type StarRecord } from '@protocol/notices.ts';
import { api } from '../api/client.ts';
import type { Items } from '../api/types.ts';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, FormActions, numberOrUndefined, useForm } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Stars } from '../components/stars.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import { useResource } from '../use-resource.ts';

/**
 * A volunteer's stars as confirmed by final public notices, and the staff evaluation score that
 * the center's star rule may ask for (settings: minimum evaluation).
 */
export function StarPanel({ volunteerId, onChanged }: { volunteerId: string; onChanged: () => Promise<void> }) {
  const m = useMessages();
  const format = useFormat();
  const { can, settings } = useSession();
  const records = useResource<Items<StarRecord>>(`/volunteers/${volunteerId}/star-records`);
  const evaluation = useResource<{ evaluation: Evaluation | null }>(`/volunteers/${volunteerId}/evaluation`);
  const [editing, setEditing] = useState(false);
  const current = evaluation.data?.evaluation;
  const minimum = settings.stars.minEvaluation;

  return (
    <section class="panel">
      <header class="panel__header">
        <h2>{m.stars.title}</h2>
        {can('volunteers:write') && (
          <button class="button button--quiet" onClick={() => setEditing(true)}>
            {m.stars.evaluate}
          </button>
        )}
      </header>
      <ErrorNotice error={records.error ?? evaluation.error} />
      <p>
        {m.stars.evaluation}:{' '}
        {current ? <strong data-testid="evaluation">{m.stars.score(format.number(current.score), format.date(current.at))}</strong> : <span class="muted">{m.stars.notEvaluated}</span>}
        {current?.note && <span class="muted"> · {current.note}</span>}
        {minimum != null && <span class="muted"> · {m.stars.minimum(minimum)}</span>}
      </p>
      {records.data && records.data.items.length === 0 ? (
        <p class="muted">{m.stars.noRecords}</p>
      ) : (
        <ul class="star-records">
          {records.data?.items.map((r) => (
            <li key={r.id}>
              <Stars value={r.stars} /> {m.stars.record(r.kind === 'yearStars' ? r.period.from.slice(0, 4) : `${r.period.from} – ${r.period.to}`, format.number(r.hours), format.date(r.finalAt))}
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <EvaluationDialog
          volunteerId={volunteerId}
          current={current ?? undefined}
          onClose={() => setEditing(false)}
          onDone={async () => {
            setEditing(false);
            await Promise.all([evaluation.reload(), onChanged()]);
          }}
        />
      )}
    </section>
  );
}

function EvaluationDialog({ volunteerId, current, onClose, onDone }: { volunteerId: string; current?: Evaluation; onClose: () => void; onDone: () => Promise<void> }) {
  const m = useMessages();
  const form = useForm({ score: current ? String(current.score) : '', note: '' });
  return (
    <Dialog title={m.stars.evaluate} onClose={onClose}>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(evaluationSchema, { score: numberOrUndefined(form.values.score) ?? Number.NaN, note: blank(form.values.note) }, async (input) => {
            await api.put(`/volunteers/${volunteerId}/evaluation`, input);
            await onDone();
          });
        }}
      >
        <p class="muted">{m.stars.evaluateHint}</p>
        <Field label={m.stars.scoreLabel} error={form.error('score')}>
          <input {...form.text('score')} type="number" inputMode="numeric" min={0} max={100} autoFocus />
        </Field>
        <Field label={m.volunteers.notes} error={form.error('note')}>
          <input {...form.text('note')} maxLength={200} />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={m.common.save} />
      </form>
    </Dialog>
  );
}
