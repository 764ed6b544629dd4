import { useState } from 'preact/hooks';
import type { z } from 'zod';
import { NOTICE_DEFAULT_WORKING_DAYS, noticeEntryAddSchema, noticePublishSchema, noticeUpdateSchema, objectionCreateSchema, objectionResolveSchema } from '@protocol/notices.ts';
import { api, ApiError } from '../api/client.ts';
import type { NoticeView, VolunteerView } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, numberOrUndefined, useForm } from '../components/form.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { ReasonDialog } from '../components/reason-dialog.tsx';
import { STAR_LEVELS, Stars } from '../components/stars.tsx';
import { VolunteerField } from '../components/volunteer-picker.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { dayIn } from '../time.ts';
import { useResource } from '../use-resource.ts';
import { BOARD_URL, NoticeFailure, noticePrintUrl, NoticeStatusBadge, noticeTitle } from './notices-page.tsx';

type Entry = NoticeView['entries'][number];
type Objection = NoticeView['objections'][number];
type Dialogs =
  | { kind: 'publish' | 'withdraw' | 'add' | 'edit' }
  | { kind: 'remove' | 'restore'; entry: Entry }
  | { kind: 'objection'; entry?: Entry }
  | { kind: 'resolve'; objection: Objection }
  | null;

/** One star list: review the entries (remove or add, each with a reason), publish, record and resolve objections. */
export function NoticePage({ params }: { params: Record<string, string> }) {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const notice = useResource<NoticeView>(`/notices/${params.id}`);
  const [dialog, setDialog] = useState<Dialogs>(null);

  if (notice.error && !notice.data) return <ErrorNotice error={notice.error} />;
  const n = notice.data;
  if (!n) return <Loading />;
  const writable = can('volunteers:write');
  const draft = n.status === 'draft';
  const published = n.status === 'published';
  const inWindow = published && n.published !== undefined && Date.now() < Date.parse(n.published.endsAt);
  const open = n.objections.filter((o) => !o.resolution);

  /** Every step answers with the notice as it now stands. */
  const step = async (path: string, body: unknown) => {
    await api.post<NoticeView>(`/notices/${n.id}${path}`, body);
    setDialog(null);
    await notice.reload();
  };

  const entryState = (e: Entry) => {
    if (e.removed) return <span class="muted">{m.notices.removedBecause(e.removed.reason)}</span>;
    if (e.added) return <span class="muted">{m.notices.addedBecause(e.added.reason)}</span>;
    return null;
  };
  const entryColumns: Column<Entry>[] = [
    { key: 'name', header: m.volunteers.name, cell: (e) => <Link to={`/volunteers/${e.volunteerId}`}>{e.name}</Link> },
    { key: 'public', header: m.notices.publicName, cell: (e) => e.displayName },
    { key: 'cardNo', header: m.volunteers.cardNo, cell: (e) => <span class="mono">{e.cardNo}</span> },
    { key: 'teams', header: m.volunteers.teams, cell: (e) => e.teamNames.join('、') || '—' },
    { key: 'hours', header: m.notices.hours, kind: 'num', cell: (e) => format.number(e.hours) },
    {
      key: 'stars',
      header: m.volunteers.stars,
      cell: (e) =>
        n.kind === 'newStars' && e.previousStars !== undefined ? (
          <span title={m.notices.rose(e.previousStars, e.stars)}>
            <Stars value={e.stars} /> <span class="muted">{m.notices.from(e.previousStars)}</span>
          </span>
        ) : (
          <Stars value={e.stars} />
        ),
    },
    { key: 'state', header: m.notices.entryState, kind: 'text', cell: entryState },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (e) =>
        writable &&
        (draft ? (
          <button class="button button--small button--quiet" onClick={() => setDialog({ kind: e.removed ? 'restore' : 'remove', entry: e })}>
            {e.removed ? m.notices.restore : m.notices.remove}
          </button>
        ) : (
          inWindow &&
          !e.removed && (
            <button class="button button--small" onClick={() => setDialog({ kind: 'objection', entry: e })}>
              {m.notices.recordObjection}
            </button>
          )
        )),
    },
  ];

  const objectionColumns: Column<Objection>[] = [
    { key: 'at', header: m.notices.receivedAt, cell: (o) => format.dateTime(o.receivedAt) },
    { key: 'who', header: m.notices.about, cell: (o) => o.volunteer.name },
    { key: 'content', header: m.notices.objection, kind: 'text', cell: (o) => o.content },
    { key: 'by', header: m.notices.raisedBy, cell: (o) => o.raisedBy ?? '—' },
    {
      key: 'state',
      header: m.notices.state,
      kind: 'text',
      cell: (o) =>
        o.resolution ? (
          <span>
            <span class={`badge badge--${o.resolution.outcome === 'upheld' ? 'left' : 'active'}`}>{m.notices.outcomes[o.resolution.outcome]}</span> <span class="muted">{o.resolution.note}</span>
          </span>
        ) : (
          <span class="badge badge--warn">{m.notices.objectionOpen}</span>
        ),
    },
    {
      key: 'actions',
      header: '',
      kind: 'actions',
      cell: (o) =>
        writable &&
        !o.resolution && (
          <button class="button button--small button--primary" onClick={() => setDialog({ kind: 'resolve', objection: o })}>
            {m.notices.resolve}
          </button>
        ),
    },
  ];

  return (
    <Page
      title={
        <>
          {noticeTitle(m, n)} <NoticeStatusBadge status={n.status} />
        </>
      }
      subtitle={
        <>
          <Link to="/notices">← {m.nav.notices}</Link> · {m.notices.kinds[n.kind]} · {m.reports.periodText(n.period.from, n.period.to)} · {m.notices.basis[n.basis]}
        </>
      }
      actions={
        <>
          {(published || n.status === 'final') && (
            <a class="button" href={noticePrintUrl(n.id)} target="_blank" rel="noopener">
              {m.notices.print}
            </a>
          )}
          <a class="button" href={BOARD_URL} target="_blank" rel="noopener">
            {m.notices.openBoard}
          </a>
          {writable && draft && (
            <>
              <button class="button" onClick={() => setDialog({ kind: 'edit' })}>
                {m.notices.editHeading}
              </button>
              <button class="button" onClick={() => setDialog({ kind: 'add' })}>
                {m.notices.add}
              </button>
              <button class="button button--primary" onClick={() => setDialog({ kind: 'publish' })}>
                {m.notices.publish}
              </button>
            </>
          )}
          {writable && inWindow && (
            <button class="button" onClick={() => setDialog({ kind: 'objection' })}>
              {m.notices.recordObjection}
            </button>
          )}
          {writable && (draft || published) && (
            <button class="button button--quiet" onClick={() => setDialog({ kind: 'withdraw' })}>
              {m.notices.withdraw}
            </button>
          )}
        </>
      }
    >
      <ErrorNotice error={notice.error} />
      <p class={`notice${n.status === 'final' ? ' notice--ok' : n.status === 'withdrawn' ? ' notice--error' : published ? ' notice--warn' : ''}`} role="status" data-testid="notice-state">
        {n.status === 'draft' && m.notices.draftState(n.listedCount)}
        {n.status === 'published' &&
          n.published &&
          (inWindow
            ? m.notices.publishedState(n.published.startsOn, n.published.endsOn, n.published.workingDays)
            : m.notices.waitingState(n.published.endsOn, open.length))}
        {n.status === 'final' && n.finalAt && m.notices.finalState(format.date(n.finalAt), n.listedCount)}
        {n.status === 'withdrawn' && n.withdrawn && m.notices.withdrawnState(format.date(n.withdrawn.at), n.withdrawn.reason)}
      </p>
      {n.contact && <p class="muted">{m.notices.contactLine(n.contact)}</p>}

      <h2>{m.notices.entries(n.listedCount)}</h2>
      <DataTable label={m.notices.entries(n.listedCount)} columns={entryColumns} rows={n.entries} rowKey={(e) => e.volunteerId} empty={m.notices.noEntries} rowClass={(e) => (e.removed ? 'row--removed' : undefined)} />

      {(n.objections.length > 0 || published) && (
        <>
          <h2 class="section-heading">{m.notices.objections}</h2>
          <DataTable label={m.notices.objections} columns={objectionColumns} rows={n.objections} rowKey={(o) => o.id} empty={m.notices.noObjections} />
        </>
      )}

      {(dialog?.kind === 'remove' || dialog?.kind === 'restore') && (
        <ReasonDialog
          title={dialog.kind === 'remove' ? m.notices.removeTitle(dialog.entry.name) : m.notices.restoreTitle(dialog.entry.name)}
          confirmLabel={dialog.kind === 'remove' ? m.notices.remove : m.notices.restore}
          onClose={() => setDialog(null)}
          onConfirm={(reason) =>
            dialog.kind === 'remove'
              ? step(`/entries/${dialog.entry.volunteerId}/remove`, { reason })
              : step('/entries', { volunteerId: dialog.entry.volunteerId, reason, stars: dialog.entry.stars })
          }
        />
      )}
      {dialog?.kind === 'withdraw' && (
        <ReasonDialog title={m.notices.withdraw} confirmLabel={m.notices.withdraw} onClose={() => setDialog(null)} onConfirm={(reason) => step('/withdraw', { reason })}>
          <p>{m.notices.withdrawWarning}</p>
        </ReasonDialog>
      )}
      {dialog?.kind === 'edit' && (
        <EditNoticeDialog
          notice={n}
          onClose={() => setDialog(null)}
          onSubmit={async (input) => {
            await api.patch(`/notices/${n.id}`, input);
            setDialog(null);
            await notice.reload();
          }}
        />
      )}
      {dialog?.kind === 'add' && <AddEntryDialog onClose={() => setDialog(null)} onSubmit={(input) => step('/entries', input)} />}
      {dialog?.kind === 'publish' && <PublishDialog listed={n.listedCount} onClose={() => setDialog(null)} onSubmit={(input) => step('/publish', input)} />}
      {dialog?.kind === 'objection' && (
        <ObjectionDialog entries={n.entries.filter((e) => !e.removed)} entry={dialog.entry} onClose={() => setDialog(null)} onSubmit={(input) => step('/objections', input)} />
      )}
      {dialog?.kind === 'resolve' && <ResolveDialog objection={dialog.objection} onClose={() => setDialog(null)} onSubmit={(input) => step(`/objections/${dialog.objection.id}/resolve`, input)} />}
    </Page>
  );
}

/** Buttons at the foot of a notice dialog; failures of the step show above them, refusals in words. */
function DialogActions({ busy, failure, label, onClose }: { busy: boolean; failure: ApiError | undefined; label: string; onClose: () => void }) {
  const m = useMessages();
  return (
    <>
      <NoticeFailure error={failure} />
      <div class="form__actions">
        <button type="button" class="button" onClick={onClose}>
          {m.common.cancel}
        </button>
        <button type="submit" class="button button--primary" disabled={busy}>
          {label}
        </button>
      </div>
    </>
  );
}

/** The heading and the contact printed on the notice; only a draft changes. */
function EditNoticeDialog({ notice, onClose, onSubmit }: { notice: NoticeView; onClose: () => void; onSubmit: (input: z.output<typeof noticeUpdateSchema>) => Promise<void> }) {
  const m = useMessages();
  const form = useForm({ title: notice.title ?? noticeTitle(m, notice), contact: notice.contact ?? '' });
  return (
    <Dialog title={m.notices.editHeading} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(noticeUpdateSchema, { title: blank(form.values.title), contact: blank(form.values.contact) }, onSubmit);
        }}
      >
        <Field label={m.notices.customTitle} error={form.error('title')}>
          <input {...form.text('title')} maxLength={60} autoFocus />
        </Field>
        <Field label={m.notices.contact} error={form.error('contact')} hint={m.notices.contactHint}>
          <input {...form.text('contact')} maxLength={200} />
        </Field>
        <DialogActions busy={form.busy} failure={form.failure} label={m.common.save} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function AddEntryDialog({ onClose, onSubmit }: { onClose: () => void; onSubmit: (input: z.output<typeof noticeEntryAddSchema>) => Promise<void> }) {
  const m = useMessages();
  const form = useForm({ volunteerId: '', reason: '', stars: '' });
  const [chosen, setChosen] = useState<VolunteerView>();
  return (
    <Dialog title={m.notices.add} onClose={onClose} wide>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(noticeEntryAddSchema, { ...form.values, stars: numberOrUndefined(form.values.stars) }, onSubmit);
        }}
      >
        <p class="muted">{m.notices.addHint}</p>
        <VolunteerField
          label={m.attendance.volunteer}
          error={form.error('volunteerId')}
          chosen={chosen}
          autoFocus
          onChange={(volunteer) => {
            setChosen(volunteer);
            form.set('volunteerId', volunteer?.id ?? '');
          }}
        />
        <Field label={m.volunteers.stars} error={form.error('stars')} hint={m.notices.starsHint}>
          <select value={form.values.stars} onChange={(event) => form.set('stars', event.currentTarget.value)}>
            <option value="">{m.notices.starsFromData}</option>
            {Array.from({ length: STAR_LEVELS }, (_, i) => i + 1).map((level) => (
              <option key={level} value={level}>
                {m.volunteers.starLevel(level)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={m.common.reason} error={form.error('reason')} hint={m.common.reasonHint}>
          <input {...form.text('reason')} maxLength={200} />
        </Field>
        <DialogActions busy={form.busy} failure={form.failure} label={m.notices.add} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function PublishDialog({ listed, onClose, onSubmit }: { listed: number; onClose: () => void; onSubmit: (input: z.output<typeof noticePublishSchema>) => Promise<void> }) {
  const m = useMessages();
  const format = useFormat();
  const today = dayIn(new Date(), format.timeZone);
  const form = useForm({ workingDays: String(NOTICE_DEFAULT_WORKING_DAYS), startsOn: today });
  return (
    <Dialog title={m.notices.publish} onClose={onClose}>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(noticePublishSchema, { workingDays: numberOrUndefined(form.values.workingDays) ?? Number.NaN, startsOn: form.values.startsOn }, onSubmit);
        }}
      >
        <p>{m.notices.publishIntro(listed)}</p>
        <div class="form__row">
          <Field label={m.notices.workingDays} error={form.error('workingDays')} hint={m.notices.workingDaysHint}>
            <input {...form.text('workingDays')} type="number" inputMode="numeric" min={3} max={30} autoFocus />
          </Field>
          <Field label={m.notices.startsOn} error={form.error('startsOn')} hint={m.notices.startsOnHint}>
            <input {...form.text('startsOn')} type="date" min={today} />
          </Field>
        </div>
        <DialogActions busy={form.busy} failure={form.failure} label={m.notices.publish} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function ObjectionDialog({
  entries,
  entry,
  onClose,
  onSubmit,
}: {
  entries: Entry[];
  entry?: Entry;
  onClose: () => void;
  onSubmit: (input: z.output<typeof objectionCreateSchema>) => Promise<void>;
}) {
  const m = useMessages();
  const form = useForm({ volunteerId: entry?.volunteerId ?? '', content: '', raisedBy: '' });
  return (
    <Dialog title={m.notices.recordObjection} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(objectionCreateSchema, { ...form.values, raisedBy: blank(form.values.raisedBy) }, onSubmit);
        }}
      >
        <Field label={m.notices.about} error={form.error('volunteerId')}>
          <select value={form.values.volunteerId} onChange={(event) => form.set('volunteerId', event.currentTarget.value)}>
            <option value="">{m.notices.chooseEntry}</option>
            {entries.map((e) => (
              <option key={e.volunteerId} value={e.volunteerId}>
                {e.name} ({e.cardNo})
              </option>
            ))}
          </select>
        </Field>
        <Field label={m.notices.objection} error={form.error('content')} hint={m.notices.objectionHint}>
          <textarea {...form.text('content')} rows={3} maxLength={500} autoFocus={!!entry} />
        </Field>
        <Field label={m.notices.raisedBy} error={form.error('raisedBy')} hint={m.notices.raisedByHint}>
          <input {...form.text('raisedBy')} maxLength={100} />
        </Field>
        <DialogActions busy={form.busy} failure={form.failure} label={m.notices.recordObjection} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function ResolveDialog({ objection, onClose, onSubmit }: { objection: Objection; onClose: () => void; onSubmit: (input: z.output<typeof objectionResolveSchema>) => Promise<void> }) {
  const m = useMessages();
  const form = useForm({ outcome: 'dismissed' as 'upheld' | 'dismissed', note: '' });
  return (
    <Dialog title={m.notices.resolveTitle(objection.volunteer.name)} onClose={onClose}>
      <form
        class="form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(objectionResolveSchema, form.values, onSubmit);
        }}
      >
        <blockquote class="quote">{objection.content}</blockquote>
        <fieldset class="field">
          <legend class="field__label">{m.notices.outcome}</legend>
          {(['dismissed', 'upheld'] as const).map((outcome) => (
            <label key={outcome} class="radio-card">
              <input type="radio" name="outcome" checked={form.values.outcome === outcome} onChange={() => form.set('outcome', outcome)} />
              <span>
                <strong>{m.notices.outcomes[outcome]}</strong>
                <span class="muted">{m.notices.outcomeHints[outcome]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <Field label={m.notices.resolutionNote} error={form.error('note')} hint={m.notices.resolutionNoteHint}>
          <textarea {...form.text('note')} rows={2} maxLength={500} />
        </Field>
        <DialogActions busy={form.busy} failure={form.failure} label={m.notices.resolve} onClose={onClose} />
      </form>
    </Dialog>
  );
}
