import { useEffect, useState } from 'preact/hooks';
import type { KioskTask } from '@protocol/service.ts';
import type { KioskConnection } from '../connection.ts';
import { errorText, useMessages } from '../i18n/index.ts';
import { formatTime } from '../server-clock.ts';
import { useServiceMessages } from './service-messages.ts';
import { onAcceptSettled, sendAccept } from './task-queue.ts';

export interface TaskOwner {
  code: string;
  phoneLast4?: string;
  displayName: string;
}

/**
 * 我的任务: what was sent to this volunteer and open requests they could take, one large card
 * each with a one-tap accept. An accept goes through the task queue with its opId, so a Wi-Fi
 * drop keeps it for later and a resend is harmless.
 */
export function TasksScreen({ owner, items, connection, timeZone, onDone }: { owner: TaskOwner; items: KioskTask[]; connection: () => KioskConnection | null; timeZone: string; onDone: () => void }) {
  const s = useServiceMessages();
  const messages = useMessages();
  const [states, setStates] = useState<Record<string, { kind: 'accepted' | 'queued' | 'declined' } | { kind: 'failed'; message: string }>>({});
  const [declining, setDeclining] = useState<string | null>(null);
  // A queued acceptance sent after a reconnect: its answer replaces 已保存 while the screen is up.
  useEffect(() => onAcceptSettled((item, ack) => {
    setStates((current) => (current[item.requestId] && current[item.requestId]!.kind !== 'queued' ? current : { ...current, [item.requestId]: ack.ok ? { kind: 'accepted' } : { kind: 'failed', message: errorText(messages, ack.error.code).message } }));
  }), [messages]);

  const accept = async (task: KioskTask) => {
    const ack = await sendAccept(connection(), { opId: crypto.randomUUID(), code: owner.code, ...(owner.phoneLast4 ? { phoneLast4: owner.phoneLast4 } : {}), requestId: task.requestId });
    setStates((current) => ({
      ...current,
      // No answer in time, but a replay may have settled it meanwhile: keep what that said.
      [task.requestId]: !ack ? (current[task.requestId]?.kind === 'accepted' ? current[task.requestId]! : { kind: 'queued' }) : ack.ok ? { kind: 'accepted' } : { kind: 'failed', message: errorText(messages, ack.error.code).message },
    }));
  };
  const decline = async (task: KioskTask, reason: string) => {
    setDeclining(null);
    const ack = await connection()?.serviceEvent('task:decline', { opId: crypto.randomUUID(), code: owner.code, ...(owner.phoneLast4 ? { phoneLast4: owner.phoneLast4 } : {}), requestId: task.requestId, reason });
    setStates((current) => ({ ...current, [task.requestId]: !ack ? { kind: 'failed', message: s.offline } : ack.ok ? { kind: 'declined' } : { kind: 'failed', message: errorText(messages, ack.error.code).message } }));
  };

  return (
    <section class="overlay tasks" data-screen="tasks">
      <h1>{s.myTasks} · {owner.displayName}</h1>
      {items.length === 0 && <p class="tasks-empty">{s.noTasks}</p>}
      <div class="task-list">
        {items.map((task) => {
          const state = states[task.requestId];
          const done = task.mine === 'accepted' || state?.kind === 'accepted';
          return (
            <article key={task.requestId} class={`task-card task-${task.mine}`} data-task={task.number}>
              <p class="task-kind">{task.mine === 'open' ? s.openToTake : s.dispatchedToYou} · {task.number}</p>
              <h2>{task.category}{task.residentName ? ` · ${task.residentName}` : ''}</h2>
              <p class="task-details">{task.details}</p>
              {(task.grid || task.wantedAt) && <p class="task-when">{task.grid ?? ''} {task.wantedAt ? `${s.wanted} ${formatTime(task.wantedAt, timeZone, messages.htmlLang)}` : ''}</p>}
              {state?.kind === 'failed' && <p class="task-problem" role="alert">{state.message}</p>}
              {state?.kind === 'queued' && <p class="task-note">{s.acceptQueued}</p>}
              {state?.kind === 'declined' ? <p class="task-note">✓</p> : done ? (
                <p class="task-accepted" data-testid="task-accepted">✓ {s.accepted}</p>
              ) : declining === task.requestId ? (
                <div class="task-actions">
                  {s.declineReasons.map((reason) => <button key={reason} class="big-button secondary" onClick={() => void decline(task, reason)}>{reason}</button>)}
                </div>
              ) : (
                <div class="task-actions">
                  <button class="big-button forgot" data-action="accept" disabled={state?.kind === 'queued'} onClick={() => void accept(task)}>{s.accept}</button>
                  {task.mine === 'dispatched' && <button class="big-button secondary" onClick={() => setDeclining(task.requestId)}>{s.decline}</button>}
                </div>
              )}
            </article>
          );
        })}
      </div>
      <button class="big-button secondary" onClick={onDone}>{s.back}</button>
    </section>
  );
}
