import { useState } from 'preact/hooks';
import type { NoShowView, VolunteerPolicyView, VolunteerTrainingView } from '@protocol/organizing.ts';
import { api } from '../api/client.ts';
import type { Items, VolunteerView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, FormFailure, useForm } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { ReasonDialog } from '../components/reason-dialog.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useResource } from '../use-resource.ts';
import { VolunteerPolicyDialog } from './insurance-page.tsx';
import { z } from 'zod';

/** What issue 15 adds to a staff view of a volunteer (the server's volunteerExtras). */
export type VolunteerExtras = { noShows?: number; excusedNoShows?: number; trainingHours?: number };

/**
 * A volunteer's record as the 2020 measures ask it kept (art. 4: training, evaluations besides
 * service): trainings with their validity, insurance, and no-shows (staff can excuse one).
 */
export function VolunteerRecordPanel({ volunteer, onChanged }: { volunteer: VolunteerView & VolunteerExtras; onChanged: () => Promise<void> }) {
  const m = useMessages();
  const o = m.organizing;
  const format = useFormat();
  const { can } = useSession();
  const trainings = useResource<{ items: VolunteerTrainingView[]; trainingHours: number }>(`/volunteers/${volunteer.id}/trainings`);
  const insurance = useResource<{ items: VolunteerPolicyView[]; insuredToday: boolean }>(`/volunteers/${volunteer.id}/insurance`);
  const noShows = useResource<Items<NoShowView>>(`/volunteers/${volunteer.id}/no-shows`);
  const [tab, setTab] = useState<'trainings' | 'insurance' | 'noShows'>('trainings');
  const [dialog, setDialog] = useState<{ kind: 'policy' } | { kind: 'excuse'; noShow: NoShowView } | null>(null);
  const writable = can('volunteers:write');

  const trainingColumns: Column<VolunteerTrainingView>[] = [
    { key: 'date', header: o.trainings.date, cell: (t) => t.date },
    { key: 'title', header: o.trainings.titleField, cell: (t) => <Link to={`/trainings/${t.id}`}>{t.title}</Link> },
    { key: 'category', header: o.trainings.category, cell: (t) => t.category },
    { key: 'hours', header: o.trainings.hours, kind: 'num', cell: (t) => format.number(t.hours) },
    { key: 'until', header: o.trainings.validUntil, cell: (t) => t.validUntil ?? o.trainings.forever },
    { key: 'valid', header: o.trainings.validity, cell: (t) => <span class={`badge ${t.valid ? 'badge--active' : 'badge--cancelled'}`}>{t.valid ? o.trainings.valid : o.trainings.expired}</span> },
  ];
  const policyColumns: Column<VolunteerPolicyView>[] = [
    { key: 'insurer', header: o.insurance.insurer, cell: (p) => p.insurer },
    { key: 'no', header: o.insurance.policyNo, cell: (p) => <span class="mono">{p.policyNo}</span> },
    { key: 'kind', header: '', cell: (p) => (p.group ? o.insurance.group : o.insurance.own) },
    { key: 'period', header: o.insurance.period, cell: (p) => `${p.from} ~ ${p.to}` },
    { key: 'today', header: '', cell: (p) => p.coversToday && <span class="badge badge--active">{o.insurance.insuredToday}</span> },
  ];
  const noShowColumns: Column<NoShowView>[] = [
    { key: 'activity', header: o.noShows.activity, cell: (n) => <Link to={`/activities/${n.activityId}`}>{n.title}</Link> },
    { key: 'ended', header: o.noShows.endedAt, cell: (n) => format.dateTime(n.endsAt) },
    { key: 'excused', header: o.noShows.excused, kind: 'text', cell: (n) => (n.excused ? o.noShows.excusedBy(n.excused.by.replace(/^staff:/, ''), n.excused.reason) : '') },
  ];
  if (can('activities:write')) {
    noShowColumns.push({ key: 'actions', header: '', kind: 'actions', cell: (n) => !n.excused && <button class="button button--small" onClick={() => setDialog({ kind: 'excuse', noShow: n })}>{o.noShows.excuse}</button> });
  }

  const tabs = [
    ['trainings', `${o.record.trainings} · ${o.trainings.trainingHours(format.number(trainings.data?.trainingHours ?? volunteer.trainingHours ?? 0))}`],
    ['insurance', `${o.record.insurance} · ${insurance.data ? (insurance.data.insuredToday ? o.insurance.insuredToday : o.insurance.notInsuredToday) : ''}`],
    ['noShows', o.noShows.count(volunteer.noShows ?? 0, volunteer.excusedNoShows ?? 0)],
  ] as const;

  return (
    <section class="panel" aria-label={o.record.title} data-testid="volunteer-record-panel">
      <div class="tabs" role="tablist">
        {tabs.map(([key, label]) => (
          <button key={key} role="tab" aria-selected={tab === key} class={`tab${tab === key ? ' tab--active' : ''}`} onClick={() => setTab(key)}>
            {label}
          </button>
        ))}
        {tab === 'insurance' && writable && (
          <button class="button button--small" onClick={() => setDialog({ kind: 'policy' })}>
            {o.insurance.addForVolunteer}
          </button>
        )}
      </div>
      {tab === 'trainings' && (
        <>
          <ErrorNotice error={trainings.error} />
          <DataTable label={o.record.trainings} columns={trainingColumns} rows={trainings.data?.items ?? []} rowKey={(t) => t.id} empty={o.record.noTrainings} />
        </>
      )}
      {tab === 'insurance' && (
        <>
          <ErrorNotice error={insurance.error} />
          <DataTable label={o.record.insurance} columns={policyColumns} rows={insurance.data?.items ?? []} rowKey={(p) => p.id} empty={o.record.noInsurance} />
        </>
      )}
      {tab === 'noShows' && (
        <>
          <ErrorNotice error={noShows.error} />
          <DataTable label={o.noShows.title} columns={noShowColumns} rows={noShows.data?.items ?? []} rowKey={(n) => n.activityId} empty={o.noShows.none} />
        </>
      )}
      {dialog?.kind === 'policy' && (
        <VolunteerPolicyDialog
          volunteerId={volunteer.id}
          onClose={() => setDialog(null)}
          onSaved={async () => {
            setDialog(null);
            await insurance.reload();
          }}
        />
      )}
      {dialog?.kind === 'excuse' && (
        <ReasonDialog
          title={o.noShows.excuseTitle(volunteer.name, dialog.noShow.title)}
          confirmLabel={o.noShows.excuse}
          onClose={() => setDialog(null)}
          onConfirm={async (reason) => {
            await api.post(`/activities/${dialog.noShow.activityId}/signups/${volunteer.id}/excuse`, { reason });
            setDialog(null);
            await Promise.all([noShows.reload(), onChanged()]);
          }}
        >
          <p>{o.noShows.excuseHint}</p>
        </ReasonDialog>
      )}
    </section>
  );
}

/**
 * PIPL: the consents on record (processing, and the ID number separately) with the notice
 * version, a way to record them, and the anonymization of a volunteer who leaves, behind a
 * confirm that asks for the name typed out.
 */
export function VolunteerPrivacyPanel({ volunteer, onChanged }: { volunteer: VolunteerView; onChanged: () => Promise<void> }) {
  const m = useMessages();
  const p = m.organizing.privacy;
  const format = useFormat();
  const { can } = useSession();
  const [dialog, setDialog] = useState<'consent' | 'anonymize' | null>(null);
  const writable = can('volunteers:write');
  const consentLine = (record: { noticeVersion: string; at: string; by: string } | undefined) =>
    record ? p.consentGiven(record.noticeVersion, format.dateTime(record.at), record.by.replace(/^staff:/, '')) : p.noConsent;

  return (
    <section class="panel" aria-label={p.title} data-testid="volunteer-privacy-panel">
      <header class="panel__header">
        <h2>{p.title}</h2>
        {writable && !volunteer.anonymizedAt && (
          <>
            <button class="button button--quiet" onClick={() => setDialog('consent')}>
              {p.record}
            </button>
            <button class="button button--danger" onClick={() => setDialog('anonymize')}>
              {p.anonymize}
            </button>
          </>
        )}
      </header>
      {volunteer.anonymizedAt && <p class="notice">{p.anonymized(format.dateTime(volunteer.anonymizedAt))}</p>}
      <dl class="details details--long-terms">
        <div class="details__row">
          <dt>{p.processing}</dt>
          <dd>{consentLine(volunteer.consents?.processing)}</dd>
        </div>
        <div class="details__row">
          <dt>{p.idNumber}</dt>
          <dd>{consentLine(volunteer.consents?.idNumber)}</dd>
        </div>
      </dl>
      {dialog === 'consent' && (
        <ConsentDialog
          volunteerId={volunteer.id}
          onClose={() => setDialog(null)}
          onSaved={async () => {
            setDialog(null);
            await onChanged();
          }}
        />
      )}
      {dialog === 'anonymize' && (
        <AnonymizeDialog
          volunteer={volunteer}
          onClose={() => setDialog(null)}
          onDone={async () => {
            setDialog(null);
            await onChanged();
          }}
        />
      )}
    </section>
  );
}

function ConsentDialog({ volunteerId, onClose, onSaved }: { volunteerId: string; onClose: () => void; onSaved: () => Promise<void> }) {
  const m = useMessages();
  const p = m.organizing.privacy;
  const notice = useResource<{ noticeVersion: string; noticeText: string }>('/privacy/notice');
  const form = useForm({ processing: false, idNumber: false });
  const schema = z.object({ processing: z.boolean(), idNumber: z.boolean() }).refine((v) => v.processing || v.idNumber, { message: p.needOne, path: ['(body)'] });
  return (
    <Dialog title={p.recordTitle} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(schema, form.values, async (data) => {
            await api.post(`/volunteers/${volunteerId}/consents`, data);
            await onSaved();
          });
        }}
      >
        {notice.data && (
          <>
            <p class="field__label">{p.notice(notice.data.noticeVersion)}</p>
            <p class="notice notice-text">{notice.data.noticeText}</p>
          </>
        )}
        <p class="muted">{p.recordHint}</p>
        {(['processing', 'idNumber'] as const).map((key) => (
          <label key={key} class="check">
            <input type="checkbox" name={key} checked={form.values[key]} onChange={(event) => form.set(key, event.currentTarget.checked)} />
            {p[key]}
          </label>
        ))}
        <FormFailure form={form} />
        <div class="form__actions">
          <button type="button" class="button" onClick={onClose}>
            {m.common.cancel}
          </button>
          <button type="submit" class="button button--primary" disabled={form.busy}>
            {m.common.save}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The strong confirm: the name typed out exactly, and a reason for the audit log. */
function AnonymizeDialog({ volunteer, onClose, onDone }: { volunteer: VolunteerView; onClose: () => void; onDone: () => Promise<void> }) {
  const m = useMessages();
  const p = m.organizing.privacy;
  const [typed, setTyped] = useState('');
  const matches = typed.trim() === volunteer.name;
  return (
    <ReasonDialog
      title={p.anonymizeTitle}
      confirmLabel={p.anonymizeConfirm}
      onClose={onClose}
      confirmDisabled={!matches}
      onConfirm={async (reason) => {
        await api.post(`/volunteers/${volunteer.id}/anonymize`, { reason });
        await onDone();
      }}
    >
      <p class="notice notice--error">{p.anonymizeWarning}</p>
      <Field label={p.typeName(volunteer.name)} error={typed && !matches ? p.nameMismatch : undefined}>
        <input name="confirmName" value={typed} onInput={(event) => setTyped(event.currentTarget.value)} autoComplete="off" />
      </Field>
    </ReasonDialog>
  );
}
