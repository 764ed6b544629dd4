import { useEffect, useState } from 'preact/hooks';
import type { KioskSignupActivity, KioskSignupListSuccess, KioskTraining } from '@protocol/organizing.ts';
import type { KioskConnection } from '../connection.ts';
import { errorText, useMessages } from '../i18n/index.ts';
import { Chooser } from '../screens/activity-chooser.tsx';
import type { TaskOwner } from '../service/tasks-screen.tsx';

/** Nobody is tapping: the volunteer walked away, and the next person must not sign up as them. */
const GIVE_UP_MS = 60_000;

/** A day and time a volunteer reads at a glance: 12月9日周三 09:00. */
function formatDayTime(at: string, timeZone: string, language: string): string {
  return new Intl.DateTimeFormat(language, { timeZone, month: 'numeric', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
}

function formatClock(at: string, timeZone: string, language: string): string {
  return new Intl.DateTimeFormat(language, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
}

type Outcome = { kind: 'confirmed' } | { kind: 'waitlisted'; position: number } | { kind: 'failed'; message: string };

/**
 * 报名活动 after a scan: upcoming activities open for sign-up as big buttons, each with its time,
 * place and places left; one tap signs up (or joins the waiting list). Same rules as the admin
 * and the phone; a resend with the same opId is harmless.
 */
export function SignupScreen({ owner, connection, timeZone, onDone }: { owner: TaskOwner; connection: () => KioskConnection | null; timeZone: string; onDone: () => void }) {
  const messages = useMessages();
  const o = messages.organizing;
  const [list, setList] = useState<KioskSignupListSuccess | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const card = { code: owner.code, ...(owner.phoneLast4 ? { phoneLast4: owner.phoneLast4 } : {}) };

  useEffect(() => {
    const link = connection();
    if (!link) return setProblem(o.offline);
    void link.serviceEvent('signup:list', card).then((ack) => {
      if (!ack) return setProblem(o.offline);
      if (!ack.ok) return setProblem(errorText(messages, ack.error.code).message);
      setList(ack);
    });
  }, []);

  useEffect(() => {
    const timer = setTimeout(onDone, GIVE_UP_MS);
    return () => clearTimeout(timer);
  }, [outcomes]);

  const signUp = async (activity: KioskSignupActivity) => {
    setBusy(activity.id);
    const ack = await connection()?.serviceEvent('signup:create', { opId: crypto.randomUUID(), ...card, activityId: activity.id });
    setBusy(null);
    const outcome: Outcome = !ack
      ? { kind: 'failed', message: o.offline }
      : !ack.ok
        ? { kind: 'failed', message: errorText(messages, ack.error.code).message }
        : ack.activity.mine?.status === 'waitlisted'
          ? { kind: 'waitlisted', position: ack.position ?? 1 }
          : { kind: 'confirmed' };
    setOutcomes((current) => ({ ...current, [activity.id]: outcome }));
  };

  const when = (a: KioskSignupActivity) => `${formatDayTime(a.startsAt, timeZone, messages.htmlLang)}–${formatClock(a.endsAt, timeZone, messages.htmlLang)}`;

  return (
    <section class="overlay tasks signups" data-screen="signups">
      <h1>{o.title(list?.volunteer.displayName ?? owner.displayName)}</h1>
      {problem && <p class="task-problem" role="alert">{problem}</p>}
      {!list && !problem && <p class="tasks-empty">{o.loading}</p>}
      {list && list.mine.length > 0 && (
        <p class="signup-mine" data-testid="signup-mine">
          {o.mine}：{list.mine.map((a) => `${a.title}（${a.mine?.status === 'waitlisted' ? o.waitlisted : o.confirmed}）`).join('、')}
        </p>
      )}
      {list && list.items.length === 0 && <p class="tasks-empty">{o.none}</p>}
      <div class="task-list">
        {list?.items.map((a) => {
          const outcome = outcomes[a.id];
          return (
            <article key={a.id} class="task-card signup-card" data-activity={a.title}>
              <h2>{a.title}</h2>
              <p class="task-when">
                {when(a)}
                {a.place ? ` · ${a.place}` : ''}
              </p>
              <p class="task-details">
                {a.placesLeft === null ? o.noLimit : a.placesLeft > 0 ? o.placesLeft(a.placesLeft) : o.full(a.waitlisted)} · {o.deadline(formatDayTime(a.signupDeadline, timeZone, messages.htmlLang))}
              </p>
              {outcome?.kind === 'failed' && <p class="task-problem" role="alert">{outcome.message}</p>}
              {outcome?.kind === 'confirmed' ? (
                <p class="task-accepted" data-testid="signup-done">✓ {o.doneConfirmed}</p>
              ) : outcome?.kind === 'waitlisted' ? (
                <p class="task-accepted" data-testid="signup-done">✓ {o.doneWaitlisted(outcome.position)}</p>
              ) : (
                <div class="task-actions">
                  <button class="big-button forgot" data-action="sign-up" disabled={busy !== null} onClick={() => void signUp(a)}>
                    {o.signUp}
                  </button>
                </div>
              )}
            </article>
          );
        })}
      </div>
      <button class="big-button secondary" onClick={onDone}>
        {o.back}
      </button>
    </section>
  );
}

export type TrainingLine = { kind: 'ok' | 'already' | 'failed'; text: string };

/**
 * 培训签到: while a training is open at the kiosk, every scan signs in to it instead of an
 * activity. A band across the top says which training, the last result and the count; the
 * camera stays in view below it.
 */
export function TrainingBanner({ training, count, line, onEnd }: { training: KioskTraining; count: number; line: TrainingLine | null; onEnd: () => void }) {
  const o = useMessages().organizing;
  return (
    <section class="training-banner" data-screen="training" role="status">
      <div>
        <h1>{o.trainingTitle(training.title)}</h1>
        <p>{o.trainingHint}</p>
        {line && (
          <p class={`training-line training-line--${line.kind}`} data-testid="training-line" data-kind={line.kind}>
            {line.text}
          </p>
        )}
      </div>
      <div class="training-banner__side">
        <strong data-testid="training-count">{o.trainingCount(count)}</strong>
        <button class="big-button secondary" onClick={onEnd}>
          {o.endTraining}
        </button>
      </div>
    </section>
  );
}

/** The trainings of today to open at the kiosk; one tap opens one. */
export function TrainingChooser({ trainings, onChoose, onCancel }: { trainings: KioskTraining[]; onChoose: (training: KioskTraining) => void; onCancel: () => void }) {
  const messages = useMessages();
  const options = trainings.map((t) => ({ id: t.id, title: t.title, detail: `${t.category}${t.place ? ` · ${t.place}` : ''}` }));
  return (
    <Chooser
      screen="training-chooser"
      title={messages.organizing.chooseTraining}
      options={options}
      onChoose={(id) => onChoose(trainings.find((t) => t.id === id)!)}
      onCancel={onCancel}
    />
  );
}
