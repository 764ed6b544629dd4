import { useState } from 'preact/hooks';
import { trainingCreateSchema, type TrainingDetailView, type TrainingHolderView, type TrainingView } from '@protocol/organizing.ts';
import { api } from '../api/client.ts';
import type { Items } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, FormActions, numberOrUndefined, useForm } from '../components/form.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { VolunteerSearch } from '../components/volunteer-picker.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { dayIn } from '../time.ts';
import { useAction, useResource } from '../use-resource.ts';

/** Categories offered while typing: the ones with a validity in settings, and the ones used before. */
const COMMON_CATEGORIES = ['急救', '消防', '助老护理', '心理疏导'];

/**
 * Trainings (志愿服务条例 art. 16: train where a task needs skills): their own records with
 * hours kept apart from service, and who holds which category, valid or expired.
 */
export function TrainingsPage() {
  const m = useMessages();
  const t = m.organizing.trainings;
  const format = useFormat();
  const { can } = useSession();
  const trainings = useResource<Items<TrainingView>>('/trainings');
  const holders = useResource<{ items: TrainingHolderView[]; today: string }>('/training-holders');
  const [creating, setCreating] = useState(false);
  const [category, setCategory] = useState('');
  const items = trainings.data?.items ?? [];
  const categories = [...new Set([...COMMON_CATEGORIES, ...items.map((x) => x.category)])];
  const held = (holders.data?.items ?? []).filter((h) => !category || h.category === category);

  const columns: Column<TrainingView>[] = [
    { key: 'date', header: t.date, cell: (x) => x.date },
    { key: 'title', header: t.titleField, cell: (x) => <Link to={`/trainings/${x.id}`}>{x.title}</Link> },
    { key: 'category', header: t.category, cell: (x) => <span class="badge">{x.category}</span> },
    { key: 'trainer', header: t.trainer, cell: (x) => x.trainer ?? '' },
    { key: 'hours', header: t.hoursColumn, kind: 'num', cell: (x) => format.number(x.hours) },
    { key: 'attendees', header: t.attendeesColumn, kind: 'num', cell: (x) => x.attendeeCount },
    { key: 'valid', header: t.validUntil, cell: (x) => x.validUntil ?? t.forever },
    { key: 'phase', header: t.phaseColumn, cell: (x) => <TrainingPhaseBadge phase={x.phase} /> },
  ];
  const holderColumns: Column<TrainingHolderView>[] = [
    { key: 'category', header: t.category, cell: (h) => h.category },
    { key: 'name', header: m.volunteers.name, cell: (h) => <Link to={`/volunteers/${h.volunteerId}`}>{h.name}</Link> },
    { key: 'card', header: m.volunteers.cardNo, cell: (h) => <span class="mono">{h.cardNo}</span> },
    { key: 'on', header: t.trainedOn, cell: (h) => h.trainedOn },
    { key: 'until', header: t.validUntil, cell: (h) => h.validUntil ?? t.forever },
    { key: 'status', header: t.validity, cell: (h) => <span class={`badge ${h.valid ? 'badge--active' : 'badge--cancelled'}`}>{h.valid ? t.valid : t.expired}</span> },
  ];

  return (
    <Page
      title={t.title}
      actions={can('volunteers:write') && (
        <button class="button button--primary" onClick={() => setCreating(true)}>
          {t.create}
        </button>
      )}
    >
      <ErrorNotice error={trainings.error} />
      {trainings.data ? <DataTable label={t.title} columns={columns} rows={items} rowKey={(x) => x.id} empty={t.none} /> : <Loading />}
      <section class="panel" aria-label={t.holders}>
        <header class="panel__header">
          <h2>{t.holders}</h2>
          <select class="holders-filter" aria-label={t.category} value={category} onChange={(event) => setCategory(event.currentTarget.value)}>
            <option value="">{t.allCategories}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </header>
        <p class="muted">{t.holdersHint}</p>
        <ErrorNotice error={holders.error} />
        <DataTable label={t.holders} columns={holderColumns} rows={held} rowKey={(h) => `${h.volunteerId}|${h.category}`} empty={t.noHolders} rowClass={(h) => (h.valid ? undefined : 'muted')} />
      </section>
      {creating && (
        <TrainingDialog
          categories={categories}
          onClose={() => setCreating(false)}
          onSaved={(created) => {
            setCreating(false);
            navigate(`/trainings/${created.id}`);
          }}
        />
      )}
    </Page>
  );
}

function TrainingDialog({ categories, onClose, onSaved }: { categories: string[]; onClose: () => void; onSaved: (training: TrainingView) => void }) {
  const m = useMessages();
  const t = m.organizing.trainings;
  const { settings } = useSession();
  const form = useForm({ title: '', category: '', date: dayIn(new Date(), settings.timeZone), hours: '', trainer: '', place: '' });
  const { values } = form;
  return (
    <Dialog title={t.create} onClose={onClose}>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const input = { title: values.title, category: values.category, date: values.date, hours: numberOrUndefined(values.hours), trainer: blank(values.trainer), place: blank(values.place) };
          void form.submit(trainingCreateSchema, input, async (data) => onSaved(await api.post<TrainingView>('/trainings', data)));
        }}
      >
        <Field label={t.titleField} error={form.error('title')}>
          <input {...form.text('title')} maxLength={100} autoFocus />
        </Field>
        <Field label={t.category} error={form.error('category')} hint={t.categoryHint}>
          <input {...form.text('category')} maxLength={40} list="training-categories" />
        </Field>
        <datalist id="training-categories">
          {categories.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <Field label={t.date} error={form.error('date')}>
          <input {...form.text('date')} type="date" />
        </Field>
        <Field label={t.hours} error={form.error('hours')} hint={t.hoursHint}>
          <input {...form.text('hours')} type="number" min={0} step={0.5} inputMode="decimal" />
        </Field>
        <Field label={t.trainer} error={form.error('trainer')}>
          <input {...form.text('trainer')} maxLength={60} />
        </Field>
        <Field label={t.place} error={form.error('place')}>
          <input {...form.text('place')} maxLength={100} />
        </Field>
        <FormActions form={form} onCancel={onClose} submitLabel={m.common.save} />
      </form>
    </Dialog>
  );
}

/** One training: its details and the attendance, taken by scan at a kiosk on the day or added here from the paper list. */
export function TrainingPage({ params }: { params: Record<string, string> }) {
  const m = useMessages();
  const t = m.organizing.trainings;
  const format = useFormat();
  const { can } = useSession();
  const training = useResource<TrainingDetailView>(`/trainings/${params.id}`);
  const action = useAction();
  const [added, setAdded] = useState<string>();
  if (training.error) return <ErrorNotice error={training.error} />;
  const x = training.data;
  if (!x) return <Loading />;
  const present = new Set(x.attendeeIds);
  // The server's phase: the kiosks accept sign-ins exactly while it says `open`.
  const kioskNotice = x.phase === 'open' ? t.kioskOpen : x.phase === 'closed' ? t.kioskClosed : x.canOpen ? t.kioskReady : t.kioskNotToday;
  const setKiosk = (to: 'open' | 'close') => action.run(async () => {
    await api.post(`/trainings/${x.id}/${to}`);
    await training.reload();
  });

  const add = async (volunteerId: string, name: string) => {
    setAdded(undefined);
    if (await action.run(() => api.post(`/trainings/${x.id}/attendees`, { volunteerIds: [volunteerId] }))) {
      setAdded(name);
      await training.reload();
    }
  };

  const columns: Column<TrainingDetailView['attendees'][number]>[] = [
    { key: 'name', header: m.volunteers.name, cell: (a) => <Link to={`/volunteers/${a.volunteerId}`}>{a.name}</Link> },
    { key: 'card', header: m.volunteers.cardNo, cell: (a) => <span class="mono">{a.cardNo}</span> },
  ];

  return (
    <Page
      title={
        <>
          {x.title} <span class="badge">{x.category}</span>
        </>
      }
      subtitle={
        <>
          <Link to="/trainings">{t.back}</Link> · {x.date}
          {x.trainer && ` · ${t.trainer} ${x.trainer}`}
          {x.place && ` · ${x.place}`} · {t.trainingHours(format.number(x.hours))} · {t.validUntil} {x.validUntil ?? t.forever}
        </>
      }
    >
      <div class={`notice training-kiosk${x.phase === 'open' ? ' notice--ok' : ''}`} data-testid="training-kiosk-hint" data-phase={x.phase}>
        <TrainingPhaseBadge phase={x.phase} /> {kioskNotice}
        {can('activities:write') && x.phase === 'open' && (
          <button class="button button--small" data-action="close-training" disabled={action.busy} onClick={() => void setKiosk('close')}>
            {t.closeKiosk}
          </button>
        )}
        {can('activities:write') && x.phase !== 'open' && x.canOpen && (
          <button class="button button--small button--primary" data-action="open-training" disabled={action.busy} onClick={() => void setKiosk('open')}>
            {x.phase === 'closed' ? t.reopenKiosk : t.openKiosk}
          </button>
        )}
      </div>
      <section class="panel">
        <header class="panel__header">
          <h2>
            {t.attendance} · {x.attendeeCount}
          </h2>
        </header>
        {can('volunteers:write') && (
          <div class="training-add">
            <VolunteerSearch label={t.addByList} hint={t.addLabel} exclude={present} onPick={(v) => void add(v.id, v.name)} />
            {added && <p class="notice notice--ok">{t.added(added)}</p>}
          </div>
        )}
        <ErrorNotice error={action.failure} />
        <DataTable label={t.attendance} columns={columns} rows={x.attendees} rowKey={(a) => a.volunteerId} empty={t.noAttendees} />
      </section>
    </Page>
  );
}

/** 未开始 / 签到中 / 已结束 at the kiosk, as the server decides it (signups/training-phase.ts). */
function TrainingPhaseBadge({ phase }: { phase: TrainingView['phase'] }) {
  const t = useMessages().organizing.trainings;
  return <span class={`badge ${phase === 'open' ? 'badge--open' : phase === 'closed' ? 'badge--cancelled' : 'badge--planned'}`}>{t.phase[phase]}</span>;
}
