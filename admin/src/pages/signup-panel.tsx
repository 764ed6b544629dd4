import { useState } from 'preact/hooks';
import type { Activity } from '@protocol/model.ts';
import type { SignupListView } from '@protocol/organizing.ts';
import { api } from '../api/client.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { ReasonDialog } from '../components/reason-dialog.tsx';
import { VolunteerSearch } from '../components/volunteer-picker.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAction, useResource } from '../use-resource.ts';

type Row = SignupListView['items'][number];

/**
 * The organizer's sign-up list of one activity: confirmed and waiting in order of arrival,
 * with a cancel that promotes the first waiting, printable (the page prints without the admin's
 * chrome) and exportable as XLSX or CSV.
 */
export function SignupPanel({ activity }: { activity: Activity }) {
  const m = useMessages();
  const s = m.signups;
  const format = useFormat();
  const { can } = useSession();
  const list = useResource<SignupListView>(`/activities/${activity.id}/signups`);
  const action = useAction();
  const [adding, setAdding] = useState(false);
  const [excusing, setExcusing] = useState<Row>();
  const writable = can('activities:write');
  const rows = list.data?.items ?? [];
  const active = rows.filter((r) => r.status !== 'cancelled');
  const present = new Set(active.map((r) => r.volunteerId));

  const signUp = async (volunteerId: string) => {
    if (await action.run(() => api.post(`/activities/${activity.id}/signups`, { volunteerId }))) await list.reload();
  };
  const cancel = async (row: Row) => {
    if (!window.confirm(s.confirmCancel(row.name))) return;
    if (await action.run(() => api.delete(`/activities/${activity.id}/signups/${row.volunteerId}`))) await list.reload();
  };

  const printList = () => {
    document.body.classList.add('printing-signups');
    window.addEventListener('afterprint', () => document.body.classList.remove('printing-signups'), { once: true });
    window.print();
  };

  const columns: Column<Row>[] = [
    { key: 'number', header: s.number, cell: (r) => r.number, kind: 'num' },
    { key: 'name', header: s.name, cell: (r) => <Link to={`/volunteers/${r.volunteerId}`}>{r.name}</Link> },
    { key: 'card', header: s.cardNo, cell: (r) => <span class="mono">{r.cardNo}</span> },
    { key: 'phone', header: s.phone, cell: (r) => <span class="mono">{r.phone ?? ''}</span> },
    { key: 'status', header: s.status, cell: (r) => <span class={`badge signup-status signup-status--${r.status}`}>{s.statuses[r.status]}</span> },
    { key: 'at', header: s.signedUpAt, cell: (r) => format.dateTime(r.signedUpAt) },
    { key: 'came', header: s.came, cell: (r) => (r.attended ? s.attended : r.noShow ? (r.excused ? s.noShowExcused : s.noShow) : '') },
  ];
  if (writable) {
    columns.push({
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (r) =>
        r.noShow && !r.excused ? (
          <button class="button button--small no-print" onClick={() => setExcusing(r)}>
            {m.organizing.noShows.excuse}
          </button>
        ) : (
          r.status !== 'cancelled' && !r.noShow && <button class="button button--small no-print" onClick={() => void cancel(r)}>{s.cancel}</button>
        ),
    });
  }

  return (
    <section class="signup-panel" aria-label={s.title}>
      <div class="toolbar">
        <h2>
          {s.title} · {activity.title}
        </h2>
        <span data-testid="signup-summary">
          {s.summary(list.data?.confirmed ?? 0, list.data?.waitlisted ?? 0, list.data?.capacity ?? null)}
          {list.data && ` · ${s.deadline} ${format.dateTime(list.data.signupDeadline)}`}
          {activity.signupOnly && ` · ${s.signupOnly}`}
        </span>
        <span class="toolbar__spacer" />
        {writable && (
          <button class="button no-print" onClick={() => setAdding(!adding)}>
            {s.add}
          </button>
        )}
        <button class="button no-print" onClick={printList}>
          {s.print}
        </button>
        {can('exports:personal') && (
          <>
            <a class="button no-print" href={`/api/activities/${activity.id}/signups.xlsx`} download>
              {s.exportXlsx}
            </a>
            <a class="button no-print" href={`/api/activities/${activity.id}/signups.csv`} download>
              CSV
            </a>
          </>
        )}
      </div>
      {adding && (
        <div class="no-print">
          <VolunteerSearch label={s.addLabel} exclude={present} onPick={(v) => void signUp(v.id)} autoFocus />
        </div>
      )}
      <ErrorNotice error={action.failure ?? list.error} />
      <DataTable columns={columns} rows={rows} rowKey={(r) => r.id} empty={s.empty} rowClass={(r) => (r.status === 'cancelled' ? 'muted' : undefined)} label={s.title} />
      {excusing && (
        <ReasonDialog
          title={m.organizing.noShows.excuseTitle(excusing.name, activity.title)}
          confirmLabel={m.organizing.noShows.excuse}
          onClose={() => setExcusing(undefined)}
          onConfirm={async (reason) => {
            await api.post(`/activities/${activity.id}/signups/${excusing.volunteerId}/excuse`, { reason });
            setExcusing(undefined);
            await list.reload();
          }}
        >
          <p>{m.organizing.noShows.excuseHint}</p>
        </ReasonDialog>
      )}
    </section>
  );
}
