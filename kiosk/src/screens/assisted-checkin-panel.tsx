import { useState } from 'preact/hooks';
import type { AssistedPerson } from '@protocol/assisted-checkin.ts';
import type { OpenActivity } from '@protocol/events.ts';
import type { KioskConnection } from '../connection.ts';
import { errorText, joinSentences, useMessages } from '../i18n/index.ts';
import { formatNumber, formatTime } from '../server-clock.ts';

type Line = { kind: 'ok' | 'problem'; text: string } | null;

/**
 * 代人签到 / 签退 in a check-in kiosk's staff panel (issue 12): a staff member, already checked by
 * the server's staff PIN, finds someone with no card and no phone and signs them in or out. The
 * server checks the staff member again on every request; this screen only asks.
 */
export function AssistedCheckInPanel({ connection, activities, timeZone, onBack, onLocked }: {
  connection: () => KioskConnection | null;
  activities: OpenActivity[];
  timeZone: string;
  onBack: () => void;
  /** The server no longer holds the panel open (idle, or the account was disabled): back to the PIN. */
  onLocked: () => void;
}) {
  const messages = useMessages();
  const a = messages.assisted;
  const [query, setQuery] = useState('');
  const [people, setPeople] = useState<AssistedPerson[] | null>(null);
  const [choosing, setChoosing] = useState<string | null>(null);
  const [line, setLine] = useState<Line>(null);
  const [busy, setBusy] = useState(false);

  const refused = (code: string, details?: Record<string, unknown>) => {
    if (code === 'FORBIDDEN' && typeof details?.reason === 'string') {
      setLine({ kind: 'problem', text: a.locked });
      return onLocked();
    }
    if (code === 'CONFLICT') return setLine({ kind: 'problem', text: a.changed });
    const text = errorText(messages, code);
    setLine({ kind: 'problem', text: joinSentences(text.message, text.next) });
  };

  const search = async (event?: Event) => {
    event?.preventDefault();
    if (!query.trim()) return;
    setBusy(true);
    try {
      const ack = await connection()?.assistedSearch(query.trim());
      if (!ack) return setLine({ kind: 'problem', text: a.offline });
      if (!ack.ok) return refused(ack.error.code, ack.error.details);
      setPeople(ack.items);
      setChoosing(null);
      setLine(ack.items.length === 0 ? { kind: 'problem', text: a.none } : null);
    } finally {
      setBusy(false);
    }
  };

  const sign = async (person: AssistedPerson, action: 'check-in' | 'check-out', activityId?: string) => {
    setBusy(true);
    setChoosing(null);
    try {
      const ack = await connection()?.assistedCheckIn({ volunteerId: person.id, action, ...(activityId ? { activityId } : {}) });
      if (!ack) return setLine({ kind: 'problem', text: a.offline });
      if (!ack.ok) {
        refused(ack.error.code, ack.error.details);
        return void search();
      }
      // The list is searched again, so it shows where the person is now.
      await search();
      // Within the repeat window right after a sign-in or sign-out, nothing changed: say so.
      if (ack.action === 'repeat') return setLine({ kind: 'problem', text: a.repeat });
      setLine({ kind: 'ok', text: action === 'check-in' ? a.signedIn(person.name, ack.activity.title) : a.signedOut(person.name, formatNumber(ack.hoursEarned ?? 0)) });
    } finally {
      setBusy(false);
    }
  };

  const checkIn = (person: AssistedPerson) => {
    if (activities.length > 1) return setChoosing(person.id);
    void sign(person, 'check-in', activities[0]?.id);
  };

  return (
    <section class="overlay settings assisted" data-screen="assisted-checkin">
      <h1>{a.title}</h1>
      <p class="assisted-hint">{a.hint}</p>
      <form class="assisted-search" onSubmit={(event) => void search(event)}>
        <input name="q" type="search" autocomplete="off" placeholder={a.placeholder} value={query} onInput={(event) => setQuery(event.currentTarget.value)} />
        <button class="primary" type="submit" disabled={busy || !query.trim()}>{a.search}</button>
      </form>
      {activities.length === 0 && <p class="assisted-note">{a.noActivity}</p>}
      {line && <p class={line.kind === 'ok' ? 'assisted-done' : 'task-problem'} role={line.kind === 'ok' ? 'status' : 'alert'} data-testid="assisted-line">{line.text}</p>}
      {people && people.length > 0 && (
        <ul class="assisted-people">
          {people.map((person) => (
            <li key={person.id} data-person={person.cardNo}>
              <div class="assisted-who">
                <strong>{person.name}</strong>
                <span>{a.card(person.cardNo)}{person.teamNames.length > 0 ? ` · ${a.team(person.teamNames.join('、'))}` : ''}</span>
                <span class={person.onSite ? 'assisted-on-site' : 'assisted-off-site'}>
                  {person.onSite ? a.onSite(person.onSite.activityTitle, formatTime(person.onSite.checkInAt, timeZone, messages.htmlLang)) : a.notOnSite}
                </span>
              </div>
              {choosing === person.id ? (
                <div class="assisted-actions" role="group" aria-label={a.chooseActivity}>
                  <span>{a.chooseActivity}</span>
                  {activities.map((activity) => (
                    <button key={activity.id} class="secondary" disabled={busy} data-activity={activity.id} onClick={() => void sign(person, 'check-in', activity.id)}>{activity.title}</button>
                  ))}
                </div>
              ) : person.onSite ? (
                <button class="primary" data-action="assisted-check-out" disabled={busy} onClick={() => void sign(person, 'check-out')}>{a.checkOut}</button>
              ) : (
                <button class="primary" data-action="assisted-check-in" disabled={busy || activities.length === 0 || person.status !== 'active'} onClick={() => checkIn(person)}>{a.checkIn}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="settings-actions">
        <button class="secondary" onClick={onBack}>{a.back}</button>
      </div>
    </section>
  );
}
