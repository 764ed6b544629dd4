import { useState } from 'preact/hooks';
import { api, query } from '../api/client.ts';
import type { DeviceView, Items, RedemptionView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { DayPicker, useDayParam } from '../components/day-picker.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { ReasonDialog } from '../components/reason-dialog.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useResource } from '../use-resource.ts';

/** Today's receipts keep coming from the counters; the admin has no live socket, so it asks again this often. */
const POLL_MS = 10_000;

/** The day's receipts from every counter; a mistake is voided with a reason, never edited. */
export function RedemptionsPage() {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const { day, today, setDay } = useDayParam();
  // Receipts carry the device's id; the device list names the counter.
  const devices = useResource<Items<DeviceView>>('/devices');
  const counterName = (r: RedemptionView) => (r.deviceId ? (devices.data?.items.find((d) => d.id === r.deviceId)?.name ?? '') : m.closeOut.noCounter);
  const list = useResource<{ day: string; items: RedemptionView[] }>(`/redemptions${query({ day })}`, { pollMs: day === today ? POLL_MS : undefined });
  const [voiding, setVoiding] = useState<RedemptionView | null>(null);
  const rows = list.data?.day === day ? list.data.items : [];
  const kept = rows.filter((r) => !r.voided);
  const points = kept.reduce((sum, r) => sum + r.pointsSpent, 0);

  const columns: Column<RedemptionView>[] = [
    { key: 'receipt', header: m.redemptions.receiptNo, cell: (r) => <span class="mono">{r.receiptNo}</span> },
    { key: 'time', header: m.redemptions.time, cell: (r) => format.time(r.at) },
    { key: 'counter', header: m.closeOut.counter, cell: counterName },
    {
      key: 'volunteer',
      header: m.attendance.volunteer,
      cell: (r) => (
        <>
          <Link to={`/volunteers/${r.volunteerId}`}>{r.volunteerName}</Link> <span class="mono muted">{r.cardNo}</span>
        </>
      ),
    },
    {
      key: 'items',
      header: m.redemptions.items,
      kind: 'text',
      cell: (r) => (
        <>
          <span class="cjk-words">{r.items.map((i) => m.redemptions.line(i.name, i.quantity)).join('、')}</span>
          {r.voided && <span class="void-reason">{m.redemptions.voidedBecause(r.voided.reason, format.time(r.voided.at))}</span>}
        </>
      ),
    },
    { key: 'points', header: m.redemptions.points, kind: 'num', cell: (r) => format.number(r.pointsSpent) },
    {
      key: 'state',
      header: m.redemptions.state,
      cell: (r) => <span class={`badge badge--${r.voided ? 'left' : 'active'}`}>{r.voided ? m.redemptions.voided : m.redemptions.valid}</span>,
    },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (r) =>
        !r.voided &&
        can('redemption:void') && (
          <button class="button button--small button--quiet" onClick={() => setVoiding(r)}>
            {m.redemptions.void}
          </button>
        ),
    },
  ];

  return (
    <Page
      title={m.nav.redemptions}
      subtitle={m.redemptions.intro}
      actions={
        <>
          <Link class="button button--primary" to={`/redemptions/close-out${day === today ? '' : `?day=${day}`}`}>
            {m.closeOut.title}
          </Link>
          {can('exports:personal') && (
            // Audited on the server: the export names people.
            <a class="button" href={`/api/exports/redemptions.xlsx${query({ from: day, to: day })}`} download>
              {m.redemptions.export}
            </a>
          )}
        </>
      }
    >
      <div class="toolbar">
        <DayPicker day={day} today={today} onChange={setDay} />
        {list.data?.day === day && (
          <span class="muted" aria-live="polite">
            {m.redemptions.summary(kept.length, rows.length - kept.length, format.number(points))}
          </span>
        )}
      </div>
      <ErrorNotice error={list.error} />
      {list.data?.day !== day && !list.error ? (
        <Loading />
      ) : (
        <DataTable label={m.nav.redemptions} columns={columns} rows={rows} rowKey={(r) => r.id} empty={m.redemptions.none} rowClass={(r) => (r.voided ? 'row--voided' : undefined)} />
      )}
      {voiding && (
        <ReasonDialog
          title={m.redemptions.voidTitle(voiding.receiptNo)}
          confirmLabel={m.redemptions.void}
          onClose={() => setVoiding(null)}
          onConfirm={async (reason) => {
            await api.post(`/redemptions/${voiding.id}/void`, { reason });
            setVoiding(null);
            await list.reload();
          }}
        >
          <p>{m.redemptions.voidWarning(voiding.volunteerName, format.number(voiding.pointsSpent))}</p>
        </ReasonDialog>
      )}
    </Page>
  );
}
