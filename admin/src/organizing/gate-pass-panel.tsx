import { useState } from 'preact/hooks';
import type { Activity } from '@protocol/model.ts';
import { gateCodes, gatePassCreateSchema, type GateCode, type GatePassView } from '@protocol/organizing.ts';
import { api } from '../api/client.ts';
import type { Items, VolunteerView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, FormActions, useForm } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { VolunteerField } from '../components/volunteer-picker.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useResource } from '../use-resource.ts';

/** The gates this activity sets at sign-in, besides the center-wide guardian rule. */
export function activityGates(activity: Activity): GateCode[] {
  return gateCodes.filter((code) =>
    code === 'INSURANCE_REQUIRED' ? activity.requiresInsurance : code === 'TRAINING_REQUIRED' ? (activity.requiredTrainings ?? []).length > 0 : code === 'SIGNUP_REQUIRED' ? activity.signupOnly : false,
  );
}

/**
 * Staff let one volunteer through one gate of this activity with a reason (audited): the kiosk
 * then signs them in. The list shows every pass given, by whom and why.
 */
export function GatePassPanel({ activity }: { activity: Activity }) {
  const m = useMessages();
  const g = m.organizing.gatePasses;
  const format = useFormat();
  const { can } = useSession();
  const passes = useResource<Items<GatePassView>>(`/activities/${activity.id}/gate-passes`);
  const [adding, setAdding] = useState(false);
  const gates = activityGates(activity);
  const conditions = [
    ...gates.map((code) => (code === 'TRAINING_REQUIRED' ? `${g.codes[code]}（${(activity.requiredTrainings ?? []).join('、')}）` : g.codes[code])),
  ];

  const columns: Column<GatePassView>[] = [
    { key: 'name', header: g.volunteer, cell: (p) => <Link to={`/volunteers/${p.volunteerId}`}>{p.name}</Link> },
    { key: 'gate', header: g.gate, cell: (p) => g.codes[p.code] },
    { key: 'reason', header: g.reason, kind: 'text', cell: (p) => p.reason },
    { key: 'by', header: g.by, cell: (p) => p.by.replace(/^staff:/, '') },
    { key: 'at', header: g.at, cell: (p) => format.dateTime(p.at) },
  ];

  return (
    <section class="panel gate-pass-panel" aria-label={g.title}>
      <header class="panel__header">
        <h2>{g.title}</h2>
        <span class="muted" data-testid="gate-conditions">
          {conditions.length > 0 ? g.conditions(conditions.join('、')) : g.noConditions}
        </span>
        {can('attendance:write') && (
          <button class="button no-print" onClick={() => setAdding(true)}>
            {g.add}
          </button>
        )}
      </header>
      <p class="muted">{g.hint}</p>
      <ErrorNotice error={passes.error} />
      <DataTable label={g.title} columns={columns} rows={passes.data?.items ?? []} rowKey={(p) => p.id} empty={g.none} />
      {adding && (
        <GatePassDialog
          activity={activity}
          offered={gates.length > 0 ? [...gates, 'GUARDIAN_REQUIRED'] : [...gateCodes]}
          onClose={() => setAdding(false)}
          onSaved={async () => {
            setAdding(false);
            await passes.reload();
          }}
        />
      )}
    </section>
  );
}

function GatePassDialog({ activity, offered, onClose, onSaved }: { activity: Activity; offered: GateCode[]; onClose: () => void; onSaved: () => Promise<void> }) {
  const m = useMessages();
  const g = m.organizing.gatePasses;
  const form = useForm({ code: offered[0]!, reason: '' });
  const [volunteer, setVolunteer] = useState<VolunteerView>();
  return (
    <Dialog title={`${g.add} · ${activity.title}`} onClose={onClose}>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(gatePassCreateSchema, { volunteerId: volunteer?.id, code: form.values.code, reason: form.values.reason }, async (data) => {
            await api.post(`/activities/${activity.id}/gate-passes`, data);
            await onSaved();
          });
        }}
      >
        <VolunteerField label={g.volunteer} error={form.error('volunteerId')} chosen={volunteer} onChange={setVolunteer} autoFocus />
        <Field label={g.gate} error={form.error('code')}>
          <select name="code" value={form.values.code} onChange={(event) => form.set('code', event.currentTarget.value as GateCode)}>
            {offered.map((code) => (
              <option key={code} value={code}>
                {g.codes[code]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={g.reason} error={form.error('reason')} hint={m.common.reasonHint}>
          <input {...form.text('reason')} maxLength={200} />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={g.add} />
      </form>
    </Dialog>
  );
}
