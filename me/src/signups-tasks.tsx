import { useEffect, useState } from 'preact/hooks';
import type { MeActivitiesView, MeActivity } from '@protocol/me.ts';
import type { KioskTask } from '@protocol/service.ts';
import { api, ApiError, newClientId } from './api.ts';
import { formatDateTime, formatNumber } from './format.ts';
import { errorMessage, useMessages } from './i18n/index.ts';

const codeOf = (error: unknown) => (error instanceof ApiError ? error.code : undefined);

/** 活动报名: activities open for sign-up with places left, and the volunteer's own sign-ups. */
export function ActivitySignups() {
  const messages = useMessages();
  const m = messages.signups;
  const [view, setView] = useState<MeActivitiesView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = () => api.activities().then(setView, () => setView((v) => v));
  useEffect(() => void refresh(), []);

  const act = async (activityId: string, work: () => Promise<unknown>) => {
    setBusy(activityId);
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(errorMessage(messages, codeOf(error)));
    } finally {
      setBusy(null);
      await refresh();
    }
  };

  const item = (activity: MeActivity) => (
    <li key={activity.id} class="activity-item" data-testid="activity" data-activity-id={activity.id} data-status={activity.mine?.status ?? 'none'}>
      <p class="activity-title">
        {activity.mine && <span class={`badge badge-${activity.mine.status === 'confirmed' ? 'accepted' : 'pending'}`}>{m.status[activity.mine.status]}</span>} {activity.title}
      </p>
      <p class="note">
        {formatDateTime(activity.startsAt, messages.htmlLang)}
        {activity.place ? ` · ${activity.place}` : ''}
      </p>
      <p>{activity.placesLeft === null ? m.noLimit : activity.placesLeft > 0 ? m.placesLeft(formatNumber(activity.placesLeft)) : m.full(formatNumber(activity.waitlisted))}</p>
      {activity.mine ? (
        <button type="button" class="secondary" disabled={busy !== null} onClick={() => {
          if (window.confirm(m.cancelConfirm(activity.title))) void act(activity.id, () => api.cancelSignup(activity.id));
        }}>
          {m.cancel}
        </button>
      ) : (
        <button type="button" class="primary" disabled={busy !== null} onClick={() => void act(activity.id, () => api.signUp(activity.id))}>
          {activity.placesLeft === 0 ? m.joinWaitlist : m.signUp}
        </button>
      )}
    </li>
  );

  return (
    <section class="card" data-testid="signups">
      <h2>{m.title}</h2>
      {problem && <p class="error" role="alert">{problem}</p>}
      {view === null && <p class="note">{messages.loading}</p>}
      {view && view.mine.length > 0 && (
        <>
          <h3>{m.mine}</h3>
          <ul class="list" data-testid="my-signups">{view.mine.map(item)}</ul>
        </>
      )}
      {view && (
        <>
          <h3>{m.open}</h3>
          {view.items.length === 0 && <p class="note">{m.none}</p>}
          <ul class="list" data-testid="open-activities">{view.items.map(item)}</ul>
        </>
      )}
    </section>
  );
}

/** 我的任务: service requests dispatched to the volunteer, and open ones they could take. */
export function MyTasks() {
  const messages = useMessages();
  const m = messages.tasks;
  const [items, setItems] = useState<KioskTask[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = () => api.tasks().then((r) => setItems(r.items), () => setItems((v) => v));
  useEffect(() => void refresh(), []);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
      setDeclining(null);
      setReason('');
    } catch (error) {
      setProblem(errorMessage(messages, codeOf(error)));
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  return (
    <section class="card" data-testid="tasks">
      <h2>{m.title}</h2>
      {problem && <p class="error" role="alert">{problem}</p>}
      {items === null && <p class="note">{messages.loading}</p>}
      {items && items.length === 0 && <p class="note">{m.none}</p>}
      <ul class="list">
        {(items ?? []).map((task) => (
          <li key={task.requestId} class="task-item" data-testid="task" data-mine={task.mine}>
            <p class="activity-title">
              <span class={`badge badge-${task.mine === 'accepted' ? 'accepted' : task.mine === 'dispatched' ? 'pending' : 'handled'}`}>{m.mine[task.mine]}</span> {task.category}
            </p>
            <p>{task.details}</p>
            <p class="note">
              {[task.residentName, task.grid, task.wantedAt ? m.wanted(formatDateTime(task.wantedAt, messages.htmlLang)) : undefined].filter(Boolean).join(' · ')}
            </p>
            {task.mine !== 'accepted' && declining !== task.requestId && (
              <div class="actions">
                {/* One opId per tap: a resend after a lost answer is taken once by the server. */}
                <button type="button" class="primary" disabled={busy} onClick={() => void act(() => api.acceptTask(task.requestId, newClientId()))}>
                  {m.accept}
                </button>
                {task.mine === 'dispatched' && (
                  <button type="button" class="secondary" disabled={busy} onClick={() => setDeclining(task.requestId)}>
                    {m.decline}
                  </button>
                )}
              </div>
            )}
            {declining === task.requestId && (
              <form
                class="actions"
                onSubmit={(event) => {
                  event.preventDefault();
                  if (!reason.trim()) return setProblem(m.needReason);
                  void act(() => api.declineTask(task.requestId, newClientId(), reason.trim()));
                }}
              >
                <label class="field">
                  {m.reason}
                  <input value={reason} maxLength={200} placeholder={m.reasonHint} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
                </label>
                <button type="submit" class="primary" disabled={busy}>{m.sendDecline}</button>
                <button type="button" class="secondary" onClick={() => setDeclining(null)}>{m.back}</button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
