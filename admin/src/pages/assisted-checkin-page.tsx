import { useState } from 'preact/hooks';
import type { AssistedCheckInResult, AssistedPerson } from '@protocol/assisted-checkin.ts';
import type { OpenActivity } from '@protocol/events.ts';
import { api, query } from '../api/client.ts';
import type { Items } from '../api/types.ts';
import { DataTable } from '../components/data-table.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useAction, useDebounced, useResource } from '../use-resource.ts';

/**
 * 代签到 (issue 12): someone at the desk with no card and no phone. Staff find the person by
 * name, pinyin initials, card number or phone digits and sign them in or out; the server applies
 * the kiosk's own rules and audits it under the staff member's name.
 */
export function AssistedCheckInPage() {
  const m = useMessages();
  const t = m.assisted;
  const format = useFormat();
  const open = useResource<Items<OpenActivity>>('/activities/open', { pollMs: 30_000 });
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 200);
  const people = useResource<Items<AssistedPerson>>(q ? `/assisted-checkin/people${query({ q })}` : null);
  const [chosen, setChosen] = useState<string>('');
  const [done, setDone] = useState<{ name: string; result: AssistedCheckInResult }>();
  const action = useAction();
  const activities = open.data?.items ?? [];
  const activityId = activities.length === 1 ? activities[0]!.id : chosen;

  const act = async (person: AssistedPerson, kind: 'check-in' | 'check-out') => {
    setDone(undefined);
    await action.run(async () => {
      const result = await api.post<AssistedCheckInResult>('/assisted-checkin', { volunteerId: person.id, action: kind, ...(kind === 'check-in' && activityId ? { activityId } : {}) });
      setDone({ name: person.name, result });
    });
    await Promise.all([people.reload(), open.reload()]);
  };

  return (
    <Page title={t.title} subtitle={t.intro}>
      <ErrorNotice error={open.error} />
      {open.data && activities.length === 0 && <p class="notice notice--warn">{t.noOpenActivity}</p>}
      {activities.length > 1 && (
        <fieldset class="assisted__activities">
          <legend>{t.chooseActivity}</legend>
          {activities.map((a) => (
            <label key={a.id} class="assisted__activity">
              <input type="radio" name="activity" value={a.id} checked={chosen === a.id} onChange={() => setChosen(a.id)} />
              {a.title} <span class="muted">{format.time(a.startsAt)}–{format.time(a.endsAt)} · {t.onSiteCount(a.onSite)}</span>
            </label>
          ))}
        </fieldset>
      )}
      {activities.length === 1 && (
        <p class="muted">
          {t.activity(activities[0]!.title)} · {t.onSiteCount(activities[0]!.onSite)}
        </p>
      )}
      <div class="toolbar">
        <input class="toolbar__search" type="search" aria-label={t.search} placeholder={t.search} value={search} onInput={(event) => setSearch(event.currentTarget.value)} autoFocus />
      </div>
      <div aria-live="polite">
        {done && <p class="notice notice--ok">{resultText(t, done.name, done.result, format.time)}</p>}
        <ErrorNotice error={action.failure} />
        <ErrorNotice error={people.error} />
      </div>
      {q && people.data && (
        <DataTable
          label={t.title}
          rows={people.data.items}
          rowKey={(p) => p.id}
          empty={t.nobody}
          columns={[
            { key: 'name', header: m.attendance.volunteer, cell: (p) => p.name },
            { key: 'card', header: m.volunteers.cardNo, cell: (p) => <span class="mono">{p.cardNo}</span> },
            { key: 'teams', header: m.volunteers.teams, kind: 'text', cell: (p) => p.teamNames.join('、') },
            {
              key: 'where',
              header: t.state,
              kind: 'text',
              cell: (p) => (p.status !== 'active' ? <span class="badge badge--suspended">{m.volunteerStatus[p.status]}</span> : p.onSite ? t.onSiteAt(p.onSite.activityTitle, format.time(p.onSite.checkInAt)) : <span class="muted">{t.notOnSite}</span>),
            },
            {
              key: 'act',
              header: '',
              kind: 'actions',
              cell: (p) =>
                p.status !== 'active' ? null : p.onSite ? (
                  <button class="button" disabled={action.busy} onClick={() => void act(p, 'check-out')}>
                    {t.checkOut}
                  </button>
                ) : (
                  <button class="button button--primary" disabled={action.busy || !activityId} onClick={() => void act(p, 'check-in')}>
                    {t.checkIn}
                  </button>
                ),
            },
          ]}
        />
      )}
    </Page>
  );
}

function resultText(t: ReturnType<typeof useMessages>['assisted'], name: string, result: AssistedCheckInResult, time: (iso: string) => string): string {
  if (result.action === 'check-in') return t.checkedIn(name, result.activity.title, time(result.at));
  if (result.action === 'check-out') return t.checkedOut(name, result.activity.title, time(result.at), result.hoursEarned ?? 0, result.pointsEarned ?? 0);
  return t.repeat(name);
}
