import { useState } from 'preact/hooks';
import type { LedgerEntry, VolunteerStatus } from '@protocol/model.ts';
import { pointsAdjustSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import type { AttendanceView, Items, Ledger, TeamView, VolunteerView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, FormActions, numberOrUndefined, useForm } from '../components/form.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { Stars } from '../components/stars.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAction, useResource } from '../use-resource.ts';
import { AttendanceTable } from './attendance-table.tsx';
import { CertificateDialog } from './certificate-dialog.tsx';
import { HoursChart } from './hours-chart.tsx';
import { StarPanel } from './star-panel.tsx';
import { VolunteerFormDialog } from './volunteer-form.tsx';
import { VolunteerPrivacyPanel, VolunteerRecordPanel, type VolunteerExtras } from '../organizing/volunteer-record-panel.tsx';
import { VolunteerPhones } from './volunteer-phones.tsx';
import { VolunteerPhotoPanel } from './volunteer-photo-panel.tsx';

type Dialogs = 'edit' | 'points' | 'reissue' | 'certificate' | null;

/** The archive of one volunteer: details, figures, sign-in history, points ledger and card. */
export function VolunteerPage({ params }: { params: Record<string, string> }) {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const id = params.id!;
  const volunteer = useResource<VolunteerView & VolunteerExtras>(`/volunteers/${id}`);
  const attendance = useResource<Items<AttendanceView>>(`/volunteers/${id}/attendance`);
  const ledger = useResource<Ledger>(`/volunteers/${id}/ledger`);
  const teams = useResource<Items<TeamView>>('/teams');
  const [revealed, setRevealed] = useState<Pick<VolunteerView, 'phone' | 'idNumber'>>();
  const [dialog, setDialog] = useState<Dialogs>(null);
  const [tab, setTab] = useState<'attendance' | 'ledger'>('attendance');
  const action = useAction();
  const [reissued, setReissued] = useState(false);

  if (volunteer.error) return <ErrorNotice error={volunteer.error} />;
  const v = volunteer.data;
  if (!v) return <Loading />;
  const writable = can('volunteers:write');

  const reloadAll = async () => {
    await Promise.all([volunteer.reload(), attendance.reload(), ledger.reload()]);
  };
  const run = async (change: () => Promise<unknown>) => {
    if (await action.run(change)) await reloadAll();
  };
  const reveal = () =>
    run(async () => {
      // Audited on the server: who saw whose phone and ID number, and when.
      const full = await api.get<VolunteerView>(`/volunteers/${id}?reveal=1`);
      setRevealed({ phone: full.phone, idNumber: full.idNumber });
    });
  const setStatus = (status: VolunteerStatus) => run(() => api.patch(`/volunteers/${id}`, { status }));

  const details: [string, preact.ComponentChildren][] = [
    [m.volunteers.gender, m.gender[v.gender]],
    [m.volunteers.phone, <span class="mono">{(revealed?.phone ?? v.phone) || '—'}</span>],
    [m.volunteers.idNumber, <span class="mono">{(revealed?.idNumber ?? v.idNumber) || '—'}</span>],
    [m.volunteers.birthYear, v.birthYear ?? '—'],
    [m.organizing.details.birthDate, v.birthDate ?? '—'],
    [m.organizing.details.idType, v.idType ?? '—'],
    [m.organizing.details.nationalVolunteerNo, v.nationalVolunteerNo ?? '—'],
    [m.volunteers.address, v.address ?? '—'],
    [m.volunteers.skills, v.skills.join('、') || '—'],
    [m.volunteers.teams, v.teamNames.filter(Boolean).join('、') || '—'],
    [m.volunteers.joinedOn, v.joinedOn],
    [m.volunteers.guardianName, v.guardianConsent ? m.volunteers.guardianRecorded(v.guardianConsent.guardianName, format.date(v.guardianConsent.recordedAt)) : '—'],
    ...(v.guardianConsent
      ? ([[m.organizing.details.guardianRelation, m.organizing.details.guardian(v.guardianConsent.guardianName, v.guardianConsent.relation, v.guardianConsent.date)], [m.organizing.details.guardianPhone, <span class="mono">{v.guardianConsent.phone ?? '—'}</span>]] as [string, preact.ComponentChildren][])
      : []),
    [m.volunteers.card, m.volunteers.cardSerial(v.cardNo, v.cardSerial)],
    [m.volunteers.notes, v.notes ?? '—'],
  ];

  const ledgerColumns: Column<LedgerEntry>[] = [
    { key: 'at', header: m.ledger.at, cell: (e) => format.dateTime(e.at) },
    { key: 'kind', header: m.ledger.kind, cell: (e) => m.ledgerKind[e.kind] },
    { key: 'delta', header: m.ledger.delta, kind: 'num', cell: (e) => <span class={e.delta < 0 ? 'negative' : 'positive'}>{`${e.delta > 0 ? '+' : ''}${format.number(e.delta)}`}</span> },
    { key: 'reason', header: m.ledger.reason, kind: 'text', cell: (e) => e.reason },
    { key: 'by', header: m.ledger.by, cell: (e) => e.by.replace(/^staff:/, '') },
  ];

  return (
    <Page
      title={
        <>
          {v.name} <span class={`badge badge--${v.status}`}>{m.volunteerStatus[v.status]}</span>
        </>
      }
      subtitle={
        <>
          <Link to="/volunteers">← {m.nav.volunteers}</Link> · {m.volunteers.cardNo} <span class="mono">{v.cardNo}</span>
        </>
      }
      actions={
        <>
          <button class="button" onClick={() => navigate(`/print?ids=${v.id}`)}>
            {m.volunteers.printCard}
          </button>
          {writable && (
            <>
              <button class="button" onClick={() => setDialog('edit')}>
                {m.common.edit}
              </button>
              <button class="button" onClick={() => setDialog('reissue')}>
                {m.volunteers.reissue}
              </button>
              {v.status === 'active' ? (
                <button class="button" onClick={() => void setStatus('suspended')}>
                  {m.volunteers.suspend}
                </button>
              ) : (
                <button class="button" onClick={() => void setStatus('active')}>
                  {m.volunteers.reactivate}
                </button>
              )}
            </>
          )}
          {writable && (
            <button class="button" onClick={() => setDialog('certificate')}>
              {m.certificates.action}
            </button>
          )}
          {can('points:write') && (
            <button class="button button--primary" onClick={() => setDialog('points')}>
              {m.volunteers.adjustPoints}
            </button>
          )}
        </>
      }
    >
      <ErrorNotice error={action.failure} />
      {reissued && (
        <p class="notice notice--ok">
          {m.volunteers.reissued} <Link to={`/print?ids=${v.id}`}>{m.volunteers.printCard}</Link>
        </p>
      )}
      <div class="tiles">
        <div class="tile">
          <span class="tile__label">{m.volunteers.hours}</span>
          <strong class="tile__value">{format.number(v.hours)}</strong>
        </div>
        <div class="tile">
          <span class="tile__label">{m.volunteers.periodHours}</span>
          <strong class="tile__value">{format.number(v.periodHours)}</strong>
        </div>
        <div class="tile">
          <span class="tile__label">{m.volunteers.points}</span>
          <strong class="tile__value">{format.number(v.points)}</strong>
        </div>
        <div class="tile">
          <span class="tile__label">{m.volunteers.stars}</span>
          <strong class="tile__value">
            <Stars value={v.stars} />
          </strong>
        </div>
      </div>

      <section class="panel">
        <header class="panel__header">
          <h2>{m.volunteers.details}</h2>
          {(v.phone || v.hasIdNumber) && !revealed && (
            <button class="button button--quiet" onClick={() => void reveal()} title={m.volunteers.revealHint}>
              {m.volunteers.reveal}
            </button>
          )}
        </header>
        <dl class="details">
          {details.map(([label, value]) => (
            <div key={label} class="details__row">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <VolunteerPhotoPanel volunteer={v} writable={writable} onChanged={volunteer.reload} />

      <section class="panel">
        <div class="tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'attendance'} class={`tab${tab === 'attendance' ? ' tab--active' : ''}`} onClick={() => setTab('attendance')}>
            {m.volunteers.history}
          </button>
          <button role="tab" aria-selected={tab === 'ledger'} class={`tab${tab === 'ledger' ? ' tab--active' : ''}`} onClick={() => setTab('ledger')}>
            {m.volunteers.ledger}
          </button>
        </div>
        {tab === 'attendance' ? (
          <>
            <ErrorNotice error={attendance.error} />
            <AttendanceTable rows={attendance.data?.items ?? []} show="activity" onChanged={reloadAll} />
          </>
        ) : (
          <>
            <ErrorNotice error={ledger.error} />
            <DataTable label={m.volunteers.ledger} columns={ledgerColumns} rows={ledger.data?.items ?? []} rowKey={(e) => e.id} empty={m.ledger.empty} />
          </>
        )}
      </section>

      <VolunteerRecordPanel volunteer={v} onChanged={volunteer.reload} />
      <VolunteerPrivacyPanel volunteer={v} onChanged={reloadAll} />
      <StarPanel volunteerId={v.id} onChanged={volunteer.reload} />
      <HoursChart filter={{ volunteerId: v.id }} title={m.volunteers.hoursChart} />
      {/* Keyed by the card serial: a reissued card revokes the phones, and the list is read again. */}
      <VolunteerPhones key={v.cardSerial} volunteerId={v.id} />

      {dialog === 'edit' && (
        <VolunteerFormDialog
          volunteer={v}
          teams={teams.data?.items ?? []}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            setRevealed(undefined);
            void volunteer.reload();
          }}
        />
      )}
      {dialog === 'certificate' && <CertificateDialog volunteer={v} onClose={() => setDialog(null)} />}
      {dialog === 'points' && (
        <PointsDialog
          volunteer={v}
          onClose={() => setDialog(null)}
          onDone={async () => {
            setDialog(null);
            setTab('ledger');
            await reloadAll();
          }}
        />
      )}
      {dialog === 'reissue' && (
        <Dialog title={m.volunteers.reissue} onClose={() => setDialog(null)}>
          <p>{m.volunteers.reissueWarning(v.cardNo)}</p>
          <div class="form__actions">
            <button class="button" onClick={() => setDialog(null)}>
              {m.common.cancel}
            </button>
            <button
              class="button button--danger"
              onClick={() =>
                void run(async () => {
                  await api.post(`/volunteers/${id}/card`);
                  setDialog(null);
                  setReissued(true);
                })
              }
            >
              {m.volunteers.reissueConfirm}
            </button>
          </div>
        </Dialog>
      )}
    </Page>
  );
}

/** A manual bonus or deduction: a new ledger entry with its reason, never an edit. */
function PointsDialog({ volunteer, onClose, onDone }: { volunteer: VolunteerView; onClose: () => void; onDone: () => Promise<void> }) {
  const m = useMessages();
  const format = useFormat();
  const form = useForm({ direction: 'bonus' as 'bonus' | 'deduction', amount: '', reason: '' });
  return (
    <Dialog title={m.volunteers.adjustPoints} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          const amount = numberOrUndefined(form.values.amount);
          const delta = amount === undefined ? undefined : form.values.direction === 'bonus' ? amount : -amount;
          void form.submit(pointsAdjustSchema, { delta, reason: form.values.reason }, async (input) => {
            await api.post(`/volunteers/${volunteer.id}/points`, input);
            await onDone();
          });
        }}
      >
        <p class="muted">{m.volunteers.balanceNow(format.number(volunteer.points))}</p>
        <div class="segmented" role="radiogroup">
          {(['bonus', 'deduction'] as const).map((direction) => (
            <label key={direction} class={`segmented__item${form.values.direction === direction ? ' segmented__item--on' : ''}`}>
              <input type="radio" name="direction" checked={form.values.direction === direction} onChange={() => form.set('direction', direction)} />
              {m.volunteers[direction]}
            </label>
          ))}
        </div>
        <Field label={m.volunteers.amount} error={form.error('delta')}>
          <input {...form.text('amount')} type="number" inputMode="decimal" min={0.1} step={0.1} autoFocus />
        </Field>
        <Field label={m.common.reason} error={form.error('reason')} hint={m.volunteers.pointsReasonHint}>
          <input {...form.text('reason')} maxLength={200} />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={m.common.save} />
      </form>
    </Dialog>
  );
}
