import { useState } from 'preact/hooks';
import { snapCategoryKeys, snapReviewSchema, type SnapCategory, type SnapMonthReport, type SnapStatus, type StaffSnapView } from '@protocol/me.ts';
import { defaultSnapSettings } from '@protocol/me.ts';
import type { Settings } from '@protocol/settings.ts';
import { api, query } from '../api/client.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, FormActions, useForm } from '../components/form.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { ReasonDialog } from '../components/reason-dialog.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { monthIn } from '../time.ts';
import { useResource } from '../use-resource.ts';

const STATUSES: SnapStatus[] = ['pending', 'accepted', 'declined', 'handled'];
/** New reports arrive from phones; the admin has no live socket for them, so it asks again this often. */
const POLL_MS = 15_000;

type Acting = { kind: 'accept' | 'decline' | 'resolve'; snap: StaffSnapView } | { kind: 'photo'; snap: StaffSnapView };

/** 随手拍: the review queue (发现 → 处置 → 反馈 → 激励). Accept with points or decline with a reason; then record what was done. */
export function SnapsPage() {
  const m = useMessages();
  const s = m.snaps;
  const format = useFormat();
  const { can, settings: center } = useSession();
  // The center's month: just after midnight on the 1st in Beijing it is still last month in UTC.
  const thisMonth = monthIn(new Date(), center.timeZone);
  const [status, setStatus] = useState<SnapStatus | ''>('pending');
  const [category, setCategory] = useState<SnapCategory | ''>('');
  const [month, setMonth] = useState(thisMonth);
  const list = useResource<{ items: StaffSnapView[]; pending: number }>(`/snaps${query({ status, category, month })}`, { pollMs: POLL_MS });
  const report = useResource<SnapMonthReport>(`/snaps/report${query({ month })}`);
  const settings = useResource<Settings>('/settings');
  const [acting, setActing] = useState<Acting | null>(null);
  const categories = settings.data?.snaps?.categories ?? defaultSnapSettings.categories;
  const defaultPoints = (snap: StaffSnapView) => categories.find((c) => c.key === snap.category)?.points ?? 0;
  const done = async () => {
    setActing(null);
    await Promise.all([list.reload(), report.reload()]);
  };

  const columns: Column<StaffSnapView>[] = [
    {
      key: 'photo',
      header: s.photo,
      cell: (snap) => (
        <button type="button" class="snap-thumb" onClick={() => setActing({ kind: 'photo', snap })} aria-label={s.showPhoto}>
          <img src={`${snap.photoUrl}?size=thumb`} alt="" width={64} height={64} loading="lazy" />
        </button>
      ),
    },
    // Date over time, category over place, card number under the name, points under the state, the
    // two review buttons one above the other: on a 1024×768 screen the whole row, 不采纳 included,
    // fits beside the navigation without scrolling sideways.
    {
      key: 'time',
      header: s.time,
      cell: (snap) => (
        <>
          {format.date(snap.createdAt)}
          <div class="muted">{format.time(snap.createdAt)}</div>
        </>
      ),
    },
    {
      key: 'place',
      header: `${s.category} · ${s.place}`,
      kind: 'text',
      cell: (snap) => (
        <>
          <span class="badge snap-category">{m.snapCategories[snap.category]}</span>
          <div>
            <strong>{snap.place}</strong>
          </div>
          {snap.note && <div class="muted">{snap.note}</div>}
          {snap.reviewNote && <div class="muted">{s.reviewNote(snap.reviewNote)}</div>}
          {snap.resolution && <div>{s.resolution(snap.resolution)}</div>}
        </>
      ),
    },
    {
      key: 'volunteer',
      header: m.attendance.volunteer,
      cell: (snap) => (
        <>
          <Link to={`/volunteers/${snap.volunteer.id}`}>{snap.volunteer.name}</Link>
          <div class="mono muted">{snap.volunteer.cardNo}</div>
        </>
      ),
    },
    {
      key: 'state',
      header: s.state,
      cell: (snap) => (
        <>
          <span class={`badge snap-state snap-state--${snap.status}`}>{s.status[snap.status]}</span>
          {snap.points ? <div class="muted">{s.pointsGiven(format.number(snap.points))}</div> : null}
        </>
      ),
    },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (snap) => (
        <div class="snap-actions">
          {snap.status === 'pending' && can('points:write') && (
            <>
              <button class="button button--small button--primary" data-testid="snap-accept" onClick={() => setActing({ kind: 'accept', snap })}>
                {s.accept}
              </button>
              <button class="button button--small" data-testid="snap-decline" onClick={() => setActing({ kind: 'decline', snap })}>
                {s.decline}
              </button>
            </>
          )}
          {(snap.status === 'accepted' || snap.status === 'declined') && can('volunteers:write') && (
            <button class="button button--small" onClick={() => setActing({ kind: 'resolve', snap })}>
              {s.resolve}
            </button>
          )}
        </div>
      ),
    },
  ];

  return (
    <Page
      title={m.nav.snaps}
      subtitle={s.intro}
      actions={
        <>
          <Link class="button" to="/snaps/settings" data-testid="snap-settings-link">
            {m.snapSettings.open}
          </Link>
          {can('exports:personal') && (
            // Audited on the server: the export names the volunteers who reported.
            <a class="button" href={`/api/exports/snaps.xlsx${query({ month })}`} download>
              {s.export}
            </a>
          )}
        </>
      }
    >
      <div class="toolbar">
        <label>
          {s.state}{' '}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as SnapStatus | '')}>
            <option value="">{s.all}</option>
            {STATUSES.map((key) => (
              <option key={key} value={key}>
                {s.status[key]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {s.category}{' '}
          <select value={category} onChange={(e) => setCategory(e.currentTarget.value as SnapCategory | '')}>
            <option value="">{s.all}</option>
            {snapCategoryKeys.map((key) => (
              <option key={key} value={key}>
                {m.snapCategories[key]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {s.month} <input type="month" value={month} onChange={(e) => setMonth(e.currentTarget.value || thisMonth)} />
        </label>
      </div>
      {report.data && (
        <p class="muted" aria-live="polite" data-testid="snap-report">
          {s.summary(report.data.count, report.data.accepted, report.data.declined, report.data.handled, format.number(report.data.points))}
          {report.data.byCategory.length > 0 && ` · ${report.data.byCategory.map((c) => `${m.snapCategories[c.category]} ${c.count}`).join('、')}`}
          {report.data.byPlace.length > 0 && ` · ${s.topPlaces}${report.data.byPlace.slice(0, 3).map((p) => `${p.place} ${p.count}`).join('、')}`}
        </p>
      )}
      <ErrorNotice error={list.error} />
      {!list.data && !list.error ? (
        <Loading />
      ) : (
        <div class="snap-queue">
          <DataTable label={m.nav.snaps} columns={columns} rows={list.data?.items ?? []} rowKey={(snap) => snap.id} empty={s.none} />
        </div>
      )}

      {acting?.kind === 'photo' && (
        <Dialog title={`${m.snapCategories[acting.snap.category]} · ${acting.snap.place}`} onClose={() => setActing(null)} wide>
          <img class="snap-photo" src={acting.snap.photoUrl} alt={acting.snap.place} />
        </Dialog>
      )}
      {acting?.kind === 'accept' && <AcceptDialog snap={acting.snap} defaultPoints={defaultPoints(acting.snap)} onClose={() => setActing(null)} onDone={done} />}
      {acting?.kind === 'decline' && (
        <ReasonDialog
          title={s.declineTitle(acting.snap.place)}
          confirmLabel={s.decline}
          onClose={() => setActing(null)}
          onConfirm={async (reason) => {
            await api.post(`/snaps/${acting.snap.id}/review`, { accepted: false, note: reason });
            await done();
          }}
        >
          <p>{s.declineHint}</p>
        </ReasonDialog>
      )}
      {acting?.kind === 'resolve' && (
        <ReasonDialog
          title={s.resolveTitle(acting.snap.place)}
          confirmLabel={s.resolve}
          onClose={() => setActing(null)}
          onConfirm={async (note) => {
            await api.post(`/snaps/${acting.snap.id}/resolve`, { note });
            await done();
          }}
        >
          <p>{s.resolveHint}</p>
        </ReasonDialog>
      )}
    </Page>
  );
}

function AcceptDialog({ snap, defaultPoints, onClose, onDone }: { snap: StaffSnapView; defaultPoints: number; onClose: () => void; onDone: () => Promise<void> }) {
  const m = useMessages();
  const s = m.snaps;
  const form = useForm({ points: String(defaultPoints), note: '' });
  return (
    <Dialog title={s.acceptTitle(snap.place)} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          const input = { accepted: true, points: form.values.points === '' ? undefined : Number(form.values.points), note: form.values.note || undefined };
          void form.submit(snapReviewSchema, input, async (data) => {
            await api.post(`/snaps/${snap.id}/review`, data);
            await onDone();
          });
        }}
      >
        <Field label={s.points} error={form.error('points')} hint={s.pointsHint(defaultPoints)}>
          <input {...form.text('points')} inputMode="decimal" autoFocus data-testid="snap-points" />
        </Field>
        <Field label={s.note} error={form.error('note')}>
          <input {...form.text('note')} maxLength={300} />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={s.accept} />
      </form>
    </Dialog>
  );
}
