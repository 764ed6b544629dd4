import { useState } from 'preact/hooks';
import { groupInsuranceCreateSchema, insuranceCreateSchema, type InsuranceImportReport, type PolicyView } from '@protocol/organizing.ts';
import { api, query } from '../api/client.ts';
import type { Items, TeamView, VolunteerView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, FormActions, useForm } from '../components/form.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { ReasonDialog } from '../components/reason-dialog.tsx';
import { VolunteerSearch } from '../components/volunteer-picker.tsx';
import { useMessages } from '../i18n/index.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAction, useResource } from '../use-resource.ts';

const EXPIRING_CHOICES = [30, 60, 90];

/**
 * Accident insurance (志愿服务条例 art. 17): policies of one volunteer and group policies of a
 * list or a team, the ones ending soon (who needs renewing before the next risky activity),
 * and the insurer's list imported from its XLSX.
 */
export function InsurancePage() {
  const m = useMessages();
  const s = m.organizing.insurance;
  const { can } = useSession();
  const [days, setDays] = useState(30);
  const expiring = useResource<Items<PolicyView>>(`/insurance${query({ expiring: 1, days })}`);
  const all = useResource<Items<PolicyView>>('/insurance');
  const [creating, setCreating] = useState(false);
  const [removing, setRemoving] = useState<PolicyView>();
  const writable = can('volunteers:write');
  const reload = () => Promise.all([expiring.reload(), all.reload()]);

  const columns: Column<PolicyView>[] = [
    { key: 'insurer', header: s.insurer, cell: (p) => p.insurer },
    { key: 'no', header: s.policyNo, cell: (p) => <span class="mono">{p.policyNo}</span> },
    { key: 'cover', header: s.cover, kind: 'text', cell: (p) => p.cover ?? '' },
    { key: 'period', header: s.period, cell: (p) => `${p.from} ~ ${p.to}` },
    { key: 'covers', header: s.covers, kind: 'text', cell: (p) => <Covers policy={p} /> },
    { key: 'left', header: s.to, cell: (p) => <span class={`badge ${p.daysLeft < 0 ? 'badge--cancelled' : p.daysLeft <= 30 ? 'badge--warn' : 'badge--active'}`}>{s.daysLeft(p.daysLeft)}</span> },
  ];
  if (writable) {
    columns.push({ key: 'actions', header: '', kind: 'actions', cell: (p) => <button class="button button--small" onClick={() => setRemoving(p)}>{s.remove}</button> });
  }

  return (
    <Page
      title={s.title}
      actions={writable && (
        <>
          <button class="button" onClick={() => navigate('/insurance/import')}>
            {s.importList}
          </button>
          <button class="button button--primary" onClick={() => setCreating(true)}>
            {s.createGroup}
          </button>
        </>
      )}
    >
      <section class="panel" aria-label={s.expiringTitle} data-testid="insurance-expiring">
        <header class="panel__header">
          <h2>{s.expiringTitle}</h2>
          <label class="toolbar__group">
            {s.expiringWithin}
            <select value={String(days)} onChange={(event) => setDays(Number(event.currentTarget.value))}>
              {EXPIRING_CHOICES.map((d) => (
                <option key={d} value={d}>
                  {s.withinDays(d)}
                </option>
              ))}
            </select>
          </label>
        </header>
        <ErrorNotice error={expiring.error} />
        <DataTable label={s.expiringTitle} columns={columns} rows={expiring.data?.items ?? []} rowKey={(p) => p.id} empty={s.noneExpiring} />
      </section>
      <section class="panel" aria-label={s.allTitle}>
        <header class="panel__header">
          <h2>{s.allTitle}</h2>
        </header>
        <ErrorNotice error={all.error} />
        {all.data ? <DataTable label={s.allTitle} columns={columns} rows={all.data.items} rowKey={(p) => p.id} empty={s.none} /> : <Loading />}
      </section>
      {creating && (
        <GroupPolicyDialog
          onClose={() => setCreating(false)}
          onSaved={async () => {
            setCreating(false);
            await reload();
          }}
        />
      )}
      {removing && (
        <ReasonDialog
          title={s.removeTitle(removing.policyNo)}
          confirmLabel={s.remove}
          onClose={() => setRemoving(undefined)}
          onConfirm={async (reason) => {
            await api.post(`/insurance/${removing.id}/remove`, { reason });
            setRemoving(undefined);
            await reload();
          }}
        >
          <p>{s.removeHint}</p>
        </ReasonDialog>
      )}
    </Page>
  );
}

function Covers({ policy }: { policy: PolicyView }) {
  const s = useMessages().organizing.insurance;
  const names = [...policy.teams.map((t) => t.name), ...policy.volunteers.slice(0, 3).map((v) => v.name)];
  const more = policy.volunteers.length > 3 ? '…' : '';
  return (
    <span title={policy.volunteers.map((v) => v.name).join('、')}>
      {s.coversCount(policy.volunteers.length, policy.teams.length)}
      {names.length > 0 && <span class="muted">（{names.join('、')}{more}）</span>}
    </span>
  );
}

const emptyPolicy = { insurer: '', policyNo: '', cover: '', from: '', to: '' };

function PolicyFields({ form }: { form: ReturnType<typeof useForm<typeof emptyPolicy>> }) {
  const s = useMessages().organizing.insurance;
  return (
    <>
      <Field label={s.insurer} error={form.error('insurer')}>
        <input {...form.text('insurer')} maxLength={100} autoFocus />
      </Field>
      <Field label={s.policyNo} error={form.error('policyNo')}>
        <input {...form.text('policyNo')} maxLength={60} />
      </Field>
      <Field label={s.cover} error={form.error('cover')}>
        <input {...form.text('cover')} maxLength={200} />
      </Field>
      <Field label={s.from} error={form.error('from')}>
        <input {...form.text('from')} type="date" />
      </Field>
      <Field label={s.to} error={form.error('to')}>
        <input {...form.text('to')} type="date" />
      </Field>
    </>
  );
}

const policyInput = (v: typeof emptyPolicy) => ({ insurer: v.insurer, policyNo: v.policyNo, cover: blank(v.cover), from: v.from, to: v.to });

/** A group policy naming teams (their members are covered) and/or volunteers one by one. */
function GroupPolicyDialog({ onClose, onSaved }: { onClose: () => void; onSaved: () => Promise<void> }) {
  const m = useMessages();
  const s = m.organizing.insurance;
  const teams = useResource<Items<TeamView>>('/teams');
  const form = useForm(emptyPolicy);
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [people, setPeople] = useState<VolunteerView[]>([]);
  return (
    <Dialog title={s.createGroup} onClose={onClose} wide>
      <form
        class="form form--grid"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const input = { ...policyInput(form.values), teamIds, volunteerIds: people.map((p) => p.id) };
          void form.submit(groupInsuranceCreateSchema, input, async (data) => {
            await api.post('/insurance', data);
            await onSaved();
          });
        }}
      >
        <PolicyFields form={form} />
        <fieldset class="field field--wide">
          <legend class="field__label">{s.teams}</legend>
          <div class="chips">
            {(teams.data?.items ?? []).map((team) => (
              <label key={team.id} class="chip">
                <input type="checkbox" checked={teamIds.includes(team.id)} onChange={(event) => setTeamIds(event.currentTarget.checked ? [...teamIds, team.id] : teamIds.filter((id) => id !== team.id))} />
                {team.name}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field--wide">
          <VolunteerSearch label={s.volunteers} hint={s.addVolunteer} exclude={new Set(people.map((p) => p.id))} onPick={(v) => setPeople([...people, v])} error={form.error('volunteerIds') && s.groupNeedsPeople} />
          <div class="chips">
            {people.map((p) => (
              <button type="button" key={p.id} class="chip" onClick={() => setPeople(people.filter((x) => x.id !== p.id))}>
                {p.name} ✕
              </button>
            ))}
          </div>
        </div>
        <div class="field--wide">
          <FormActions form={form} onCancel={onClose} submitLabel={m.common.save} />
        </div>
      </form>
    </Dialog>
  );
}

/** One volunteer's own policy, recorded from their record page. */
export function VolunteerPolicyDialog({ volunteerId, onClose, onSaved }: { volunteerId: string; onClose: () => void; onSaved: () => Promise<void> }) {
  const m = useMessages();
  const s = m.organizing.insurance;
  const form = useForm(emptyPolicy);
  return (
    <Dialog title={s.addForVolunteer} onClose={onClose}>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(insuranceCreateSchema, policyInput(form.values), async (data) => {
            await api.post(`/volunteers/${volunteerId}/insurance`, data);
            await onSaved();
          });
        }}
      >
        <PolicyFields form={form} />
        <FormActions form={form} onCancel={onClose} submitLabel={m.common.save} />
      </form>
    </Dialog>
  );
}

/**
 * The insurer's list: preview first (nothing is saved), with every row that cannot be used and
 * why, then commit. The same file imported twice adds nobody the second time.
 */
export function InsuranceImportPage() {
  const m = useMessages();
  const s = m.organizing.insuranceImport;
  const p = m.organizing.insurance;
  const [file, setFile] = useState<File>();
  const defaults = useForm(emptyPolicy);
  const [report, setReport] = useState<InsuranceImportReport>();
  const [done, setDone] = useState<InsuranceImportReport>();
  const action = useAction();

  const send = (dryRun: boolean) =>
    action.run(async () => {
      const v = defaults.values;
      const path = `/insurance/import${query({ dryRun: dryRun ? 1 : undefined, insurer: blank(v.insurer), policyNo: blank(v.policyNo), cover: blank(v.cover), from: v.from, to: v.to })}`;
      const answer = await api.post<InsuranceImportReport>(path, file!, { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      if (dryRun) {
        setReport(answer);
        setDone(undefined);
      } else {
        setDone(answer);
        setReport(undefined);
      }
    });

  const toAdd = report?.policies.reduce((sum, x) => sum + x.added, 0) ?? 0;
  const errorColumns: Column<InsuranceImportReport['errors'][number]>[] = [
    { key: 'row', header: s.row, kind: 'num', cell: (e) => e.row },
    { key: 'column', header: s.column, cell: (e) => e.column ?? '' },
    { key: 'value', header: s.value, cell: (e) => e.value ?? '' },
    { key: 'problem', header: s.problem, kind: 'text', cell: (e) => s.problems[e.problem] },
  ];
  const policyColumns: Column<InsuranceImportReport['policies'][number]>[] = [
    { key: 'insurer', header: p.insurer, cell: (x) => x.insurer },
    { key: 'no', header: p.policyNo, cell: (x) => <span class="mono">{x.policyNo}</span> },
    { key: 'period', header: p.period, cell: (x) => `${x.from} ~ ${x.to}` },
    { key: 'people', header: p.covers, cell: (x) => `${s.people(x.volunteers)} · ${s.addedPeople(x.added)}` },
    { key: 'kind', header: '', cell: (x) => (x.existingPolicyId ? s.existingPolicy : s.newPolicy) },
  ];
  const rowColumns: Column<InsuranceImportReport['rows'][number]>[] = [
    { key: 'row', header: s.row, kind: 'num', cell: (r) => r.row },
    { key: 'name', header: m.volunteers.name, cell: (r) => <Link to={`/volunteers/${r.volunteerId}`}>{r.name}</Link> },
    { key: 'card', header: m.volunteers.cardNo, cell: (r) => <span class="mono">{r.cardNo}</span> },
    { key: 'no', header: p.policyNo, cell: (r) => <span class="mono">{r.policyNo}</span> },
    { key: 'period', header: p.period, cell: (r) => `${r.from} ~ ${r.to}` },
  ];

  return (
    <Page title={s.title} subtitle={<Link to="/insurance">← {p.title}</Link>}>
      <p class="muted">{s.intro}</p>
      <form
        class="form form--grid panel"
        onSubmit={(event) => {
          event.preventDefault();
          if (file) void send(true);
        }}
      >
        <Field label={s.file} wide>
          <input
            type="file"
            name="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(event) => {
              setFile(event.currentTarget.files?.[0]);
              setReport(undefined);
              setDone(undefined);
            }}
          />
        </Field>
        <p class="field--wide field__label">{s.defaults}</p>
        <p class="field--wide muted">{s.defaultsHint}</p>
        <PolicyFields form={defaults} />
        <div class="form__actions field--wide">
          <button type="submit" class="button button--primary" disabled={!file || action.busy}>
            {s.preview}
          </button>
        </div>
      </form>
      <ErrorNotice error={action.failure} />
      {done && (
        <p class="notice notice--ok" role="status" data-testid="insurance-import-done">
          {s.done(done.policies.reduce((sum, x) => sum + x.added, 0))}
        </p>
      )}
      {report && (
        <section class="panel" data-testid="insurance-import-preview">
          <header class="panel__header">
            <h2>{s.summary(report.totalRows, report.matched, report.errors.length)}</h2>
            {report.alreadyCovered > 0 && <span class="muted">{s.alreadyCovered(report.alreadyCovered)}</span>}
          </header>
          <p class="muted">{s.columns(Object.values(report.columns).join('、'))}</p>
          {report.policies.length > 0 && (
            <>
              <h3>{s.policies}</h3>
              <DataTable label={s.policies} columns={policyColumns} rows={report.policies} rowKey={(x) => `${x.insurer}|${x.policyNo}|${x.from}|${x.to}`} />
            </>
          )}
          {report.errors.length > 0 && (
            <>
              <h3>{s.errors}</h3>
              <DataTable label={s.errors} columns={errorColumns} rows={report.errors} rowKey={(e) => `${e.row}`} rowClass={() => 'row--problem'} />
            </>
          )}
          {report.rows.length > 0 && (
            <>
              <h3>{s.matchedRows}</h3>
              <DataTable label={s.matchedRows} columns={rowColumns} rows={report.rows} rowKey={(r) => `${r.row}`} />
            </>
          )}
          <div class="form__actions">
            {toAdd > 0 ? (
              <button class="button button--primary" disabled={action.busy} onClick={() => void send(false)}>
                {s.commit(toAdd)}
              </button>
            ) : (
              <p class="muted">{s.nothingToAdd}</p>
            )}
          </div>
        </section>
      )}
    </Page>
  );
}
