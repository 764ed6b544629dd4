import { useState } from 'preact/hooks';
import type { Activity, ActivityStatus } from '@protocol/model.ts';
import { api, query } from '../api/client.ts';
import type { ActivityView, Items, TeamView } from '../api/types.ts';
import { activityPhase } from '../activity-phase.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { addDays, dayIn, fromLocalInput, mondayOf } from '../time.ts';
import { useAction, useResource } from '../use-resource.ts';
import { ActivityFormDialog, DuplicateActivityDialog } from './activity-form.tsx';
import { SeriesBadge, SeriesCancelDialog } from './activity-series.tsx';

type Editing = { kind: 'create'; startsAt?: string } | { kind: 'edit' | 'duplicate'; activity: ActivityView } | null;

/** Status changes staff make by hand; the kiosk accepts sign-ins for an open activity until its end plus grace. */
/**
 * The status buttons follow what the activity is now (its phase), not only the stored status: one
 * already taking sign-ins in its window offers to end them, not to start them; one that is over
 * offers neither 开始签到 nor 取消活动; one closed by hand before its end can be reopened.
 */
export function statusActions(activity: Activity, phase: ActivityStatus, now = new Date()): ActivityStatus[] {
  switch (phase) {
    case 'cancelled':
      return ['planned'];
    case 'open':
      return ['closed'];
    case 'closed':
      return Date.parse(activity.endsAt) > now.getTime() ? ['open'] : [];
    case 'planned':
      return ['open', 'cancelled'];
  }
}

/** Edit, open or close, duplicate: the same buttons in the list, the week and the activity's own page. */
export function ActivityActions({ activity, onChanged, onEdit, onDuplicate }: { activity: Activity; onChanged: () => Promise<void>; onEdit: () => void; onDuplicate: () => void }) {
  const m = useMessages();
  const action = useAction();
  const phase = activityPhase(activity, useSession().settings);
  // Cancelling an occurrence of a series asks: this one, or this and all later (issue 12).
  const [cancelling, setCancelling] = useState(false);
  const setStatus = async (status: ActivityStatus) => {
    if (status === 'cancelled' && activity.seriesId) return setCancelling(true);
    if (await action.run(() => api.patch(`/activities/${activity.id}`, { status }))) await onChanged();
  };
  return (
    <span class="actions">
      {statusActions(activity, phase).map((status) => (
        <button key={status} class={`button button--small${status === 'open' ? ' button--primary' : ''}`} onClick={() => void setStatus(status)}>
          {m.activities.toStatus[status]}
        </button>
      ))}
      <button class="button button--small" onClick={onEdit}>
        {m.common.edit}
      </button>
      <button class="button button--small" onClick={onDuplicate}>
        {m.activities.duplicate}
      </button>
      <ErrorNotice error={action.failure} />
      {cancelling && (
        <SeriesCancelDialog
          activity={activity}
          onClose={() => setCancelling(false)}
          onDone={async () => {
            setCancelling(false);
            await onChanged();
          }}
        />
      )}
    </span>
  );
}

export function ActivityBadge({ activity }: { activity: Activity }) {
  const m = useMessages();
  const phase = activityPhase(activity, useSession().settings);
  return <span class={`badge badge--${phase}`}>{m.activityStatus[phase]}</span>;
}

export function ActivitiesPage() {
  const m = useMessages();
  const format = useFormat();
  const { can, settings } = useSession();
  const today = dayIn(new Date(), format.timeZone);
  const [view, setView] = useState<'week' | 'list'>('week');
  const [monday, setMonday] = useState(mondayOf(today));
  const [status, setStatus] = useState<ActivityStatus | ''>('');
  const [editing, setEditing] = useState<Editing>(null);
  const writable = can('activities:write');
  const sunday = addDays(monday, 6);
  const listFrom = addDays(today, -14);
  const listTo = addDays(today, 60);
  // The server compares days in UTC; a day either side, then filtering by the center's day, keeps early-morning activities in their week.
  const range = view === 'week' ? { from: addDays(monday, -1), to: addDays(sunday, 1) } : { from: listFrom, to: listTo };
  const activities = useResource<Items<ActivityView>>(`/activities${query({ ...range, status })}`);
  const teams = useResource<Items<TeamView>>('/teams');
  const items = activities.data?.items ?? [];
  /** After a save, the week shows the activity where it now is, even in another week. */
  const reload = async (startsAt?: string) => {
    setEditing(null);
    const savedMonday = startsAt ? mondayOf(dayIn(startsAt, format.timeZone)) : monday;
    if (view === 'week' && savedMonday !== monday) setMonday(savedMonday);
    else await activities.reload();
  };
  const actions = (a: ActivityView) =>
    writable && <ActivityActions activity={a} onChanged={activities.reload} onEdit={() => setEditing({ kind: 'edit', activity: a })} onDuplicate={() => setEditing({ kind: 'duplicate', activity: a })} />;

  const columns: Column<ActivityView>[] = [
    { key: 'when', header: m.activities.when, cell: (a) => `${format.dateTime(a.startsAt)}–${format.time(a.endsAt)}` },
    {
      key: 'title',
      header: m.activities.titleField,
      cell: (a) => (
        <>
          <Link to={`/activities/${a.id}`}>{a.title}</Link> <SeriesBadge activity={a} />
        </>
      ),
    },
    { key: 'place', header: m.activities.place, cell: (a) => a.place ?? '—' },
    { key: 'status', header: m.activities.status, cell: (a) => <ActivityBadge activity={a} /> },
    { key: 'people', header: m.activities.attendance, kind: 'num', cell: (a) => (a.onSite > 0 ? m.activities.onSiteOf(a.onSite, a.attendanceCount) : a.attendanceCount) },
    { key: 'actions', header: '', kind: 'actions', cell: actions },
  ];

  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return (
    <Page
      title={m.nav.activities}
      actions={
        writable && (
          <button class="button button--primary" onClick={() => setEditing({ kind: 'create' })}>
            {m.activities.create}
          </button>
        )
      }
    >
      <div class="toolbar">
        <div class="segmented" role="tablist">
          {(['week', 'list'] as const).map((choice) => (
            <button key={choice} role="tab" aria-selected={view === choice} class={`segmented__item${view === choice ? ' segmented__item--on' : ''}`} onClick={() => setView(choice)}>
              {m.activities.views[choice]}
            </button>
          ))}
        </div>
        {view === 'week' ? (
          <div class="toolbar__group">
            <button class="button" onClick={() => setMonday(addDays(monday, -7))} aria-label={m.activities.previousWeek}>
              ‹
            </button>
            <button class="button" onClick={() => setMonday(mondayOf(today))}>
              {m.activities.thisWeek}
            </button>
            <button class="button" onClick={() => setMonday(addDays(monday, 7))} aria-label={m.activities.nextWeek}>
              ›
            </button>
            <strong>
              {format.dayHeading(monday)} – {format.dayHeading(sunday)}
            </strong>
          </div>
        ) : (
          <span class="muted">{m.activities.listRange(format.dayHeading(listFrom), format.dayHeading(listTo))}</span>
        )}
        <select aria-label={m.activities.status} value={status} onChange={(event) => setStatus(event.currentTarget.value as ActivityStatus | '')}>
          <option value="">{m.activities.allStatuses}</option>
          {(['planned', 'open', 'closed', 'cancelled'] as const).map((s) => (
            <option key={s} value={s}>
              {m.activityStatus[s]}
            </option>
          ))}
        </select>
        {can('exports:personal') && (
          // Audited on the server: the export names people.
          <a class="button toolbar__end" href={`/api/exports/attendance.xlsx${query(view === 'week' ? { from: monday, to: sunday } : { from: listFrom, to: listTo })}`} download>
            {m.activities.export}
          </a>
        )}
      </div>
      <ErrorNotice error={activities.error} />
      {view === 'list' ? (
        <DataTable label={m.nav.activities} columns={columns} rows={items} rowKey={(a) => a.id} empty={m.activities.none} />
      ) : (
        <div class="week">
          {days.map((day) => {
            const ofDay = items.filter((a) => dayIn(a.startsAt, format.timeZone) === day);
            return (
              <section key={day} class={`week__day${day === today ? ' week__day--today' : ''}`} aria-label={format.dayHeading(day)}>
                <header class="week__heading">
                  <span>{format.dayHeading(day)}</span>
                  {writable && (
                    <button
                      class="button button--small button--quiet"
                      aria-label={m.activities.createOn(format.dayHeading(day))}
                      onClick={() => setEditing({ kind: 'create', startsAt: fromLocalInput(`${day}T09:00`, format.timeZone) ?? undefined })}
                    >
                      +
                    </button>
                  )}
                </header>
                {ofDay.length === 0 && <p class="week__empty">—</p>}
                {ofDay.map((a) => (
                  <Link key={a.id} to={`/activities/${a.id}`} class={`week__item week__item--${activityPhase(a, settings)}`}>
                    <span class="week__time">
                      {format.time(a.startsAt)}–{format.time(a.endsAt)}
                    </span>
                    <strong>{a.title}</strong>
                    {a.place && <span class="muted">{a.place}</span>}
                    <span class="week__meta">
                      <ActivityBadge activity={a} />
                      <SeriesBadge activity={a} />
                      {a.attendanceCount > 0 && <span>{m.activities.people(a.attendanceCount)}</span>}
                    </span>
                  </Link>
                ))}
              </section>
            );
          })}
        </div>
      )}
      {editing?.kind === 'create' && <ActivityFormDialog startsAt={editing.startsAt} teams={teams.data?.items ?? []} onClose={() => setEditing(null)} onSaved={reload} />}
      {editing?.kind === 'edit' && <ActivityFormDialog activity={editing.activity} teams={teams.data?.items ?? []} onClose={() => setEditing(null)} onSaved={reload} />}
      {editing?.kind === 'duplicate' && <DuplicateActivityDialog activity={editing.activity} onClose={() => setEditing(null)} onSaved={reload} />}
    </Page>
  );
}
