import { useState } from 'preact/hooks';
import { noticeCreateSchema, type NoticeKind, type NoticeStatus } from '@protocol/notices.ts';
import { api, ApiError } from '../api/client.ts';
import type { Items, NoticeSummary, NoticeView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, FormActions, numberOrUndefined, useForm } from '../components/form.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages, type Messages } from '../i18n/index.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { dayIn, lastDayOf } from '../time.ts';
import { useResource } from '../use-resource.ts';

/** The printable A4 notice and the TV board are the board app's pages, served without a login. */
export const noticePrintUrl = (id: string) => `/board/notice/${encodeURIComponent(id)}`;
export const BOARD_URL = '/board/';

const badgeOf: Record<NoticeStatus, string> = { draft: 'planned', published: 'open', final: 'active', withdrawn: 'left' };

export function NoticeStatusBadge({ status }: { status: NoticeStatus }) {
  const m = useMessages();
  return <span class={`badge badge--${badgeOf[status]}`}>{m.notices.status[status]}</span>;
}

/** Staff's own heading, or one worded from the kind and period, as the printed page words it. */
export function noticeTitle(m: Messages, notice: Pick<NoticeSummary, 'title' | 'kind' | 'period'>): string {
  return notice.title ?? (notice.kind === 'yearStars' ? m.notices.yearTitle(notice.period.from.slice(0, 4)) : m.notices.newStarsTitle(notice.period.from, notice.period.to));
}

/** A refused step of a notice's life (409 with details.reason) in words; other failures as usual. */
export function NoticeFailure({ error }: { error: ApiError | undefined }) {
  const m = useMessages();
  const reason = error?.details?.reason;
  const refusals = m.notices.refusals as Record<string, string>;
  if (error?.code === 'CONFLICT' && typeof reason === 'string' && refusals[reason]) {
    return (
      <p class="notice notice--error" role="alert">
        {refusals[reason]}
      </p>
    );
  }
  return <ErrorNotice error={error} />;
}

/** Star lists for public notice (公示): drafted from the data, reviewed, published, final. */
export function NoticesPage() {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const notices = useResource<Items<NoticeSummary>>('/notices');
  const [creating, setCreating] = useState(false);

  const columns: Column<NoticeSummary>[] = [
    { key: 'title', header: m.notices.title, kind: 'text', cell: (n) => <Link to={`/notices/${n.id}`}>{noticeTitle(m, n)}</Link> },
    { key: 'kind', header: m.notices.kind, cell: (n) => m.notices.kinds[n.kind] },
    { key: 'period', header: m.notices.period, cell: (n) => m.reports.periodText(n.period.from, n.period.to) },
    { key: 'status', header: m.notices.state, cell: (n) => <NoticeStatusBadge status={n.status} /> },
    { key: 'listed', header: m.notices.listed, kind: 'num', cell: (n) => n.listedCount },
    { key: 'objections', header: m.notices.openObjections, kind: 'num', cell: (n) => (n.openObjections > 0 ? <span class="badge badge--warn">{n.openObjections}</span> : '—') },
    { key: 'window', header: m.notices.window, cell: (n) => (n.published ? m.reports.periodText(n.published.startsOn, n.published.endsOn) : '—') },
    { key: 'created', header: m.notices.created, cell: (n) => format.date(n.createdAt) },
  ];

  return (
    <Page
      title={m.nav.notices}
      subtitle={m.notices.intro}
      actions={
        <>
          <a class="button" href={BOARD_URL} target="_blank" rel="noopener">
            {m.notices.openBoard}
          </a>
          {can('volunteers:write') && (
            <button class="button button--primary" onClick={() => setCreating(true)}>
              {m.notices.prepare}
            </button>
          )}
        </>
      }
    >
      <ErrorNotice error={notices.error} />
      <DataTable label={m.nav.notices} columns={columns} rows={notices.data?.items ?? []} rowKey={(n) => n.id} empty={m.notices.none} />
      {creating && <PrepareNoticeDialog onClose={() => setCreating(false)} />}
    </Page>
  );
}

function PrepareNoticeDialog({ onClose }: { onClose: () => void }) {
  const m = useMessages();
  const format = useFormat();
  const today = dayIn(new Date(), format.timeZone);
  const month = today.slice(0, 7);
  const form = useForm({ kind: 'newStars' as NoticeKind, year: today.slice(0, 4), from: `${month}-01`, to: lastDayOf(month), title: '', contact: '' });
  const v = form.values;
  return (
    <Dialog title={m.notices.prepare} onClose={onClose}>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const common = { title: blank(v.title), contact: blank(v.contact) };
          const input = v.kind === 'yearStars' ? { kind: v.kind, year: numberOrUndefined(v.year), ...common } : { kind: v.kind, from: v.from, to: v.to, ...common };
          void form.submit(noticeCreateSchema, input, async (data) => {
            const created = await api.post<NoticeView>('/notices', data);
            navigate(`/notices/${created.id}`);
          });
        }}
      >
        <fieldset class="field">
          <legend class="field__label">{m.notices.kind}</legend>
          {(['newStars', 'yearStars'] as const).map((kind) => (
            <label key={kind} class="radio-card">
              <input type="radio" name="kind" checked={v.kind === kind} onChange={() => form.set('kind', kind)} />
              <span>
                <strong>{m.notices.kinds[kind]}</strong>
                <span class="muted">{m.notices.kindHints[kind]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {v.kind === 'yearStars' ? (
          <Field label={m.notices.year} error={form.error('year')}>
            <input {...form.text('year')} type="number" inputMode="numeric" min={2000} max={2100} />
          </Field>
        ) : (
          <div class="form__row">
            <Field label={m.certificates.from} error={form.error('from')}>
              <input {...form.text('from')} type="date" />
            </Field>
            <Field label={m.certificates.to} error={form.error('to')}>
              <input {...form.text('to')} type="date" />
            </Field>
          </div>
        )}
        <Field label={m.notices.customTitle} error={form.error('title')} hint={m.notices.customTitleHint}>
          <input {...form.text('title')} maxLength={60} />
        </Field>
        <Field label={m.notices.contact} error={form.error('contact')} hint={m.notices.contactHint}>
          <input {...form.text('contact')} maxLength={200} />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={m.notices.draft} />
      </form>
    </Dialog>
  );
}
