import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { KioskState, LookupSuccess, OpenActivity } from '@protocol/events.ts';
import { KioskConnection, type ConnectionStatus } from './connection.ts';
import { playTone, speak } from './feedback.ts';
import { useWedgeScanner } from './hooks.ts';
import { errorText, useMessages, type Messages } from './i18n/index.ts';
import type { OfflineStore } from './offline-queue.ts';
import type { Pairing } from './pairing.ts';
import { ScanService, type CardEntry, type ScanOutcome } from './scan-service.ts';
import { RecentCodeFilter } from './scanned-text.ts';
import { formatNumber, ServerClock } from './server-clock.ts';
import type { KioskSettings } from './settings.ts';
import { ActivityChooser } from './screens/activity-chooser.tsx';
import { KeypadScreen } from './screens/keypad-screen.tsx';
import { RecordScreen } from './screens/record-screen.tsx';
import { ResultScreen, type ShownOutcome } from './screens/result-screen.tsx';
import { ScanningScreen } from './screens/scanning-screen.tsx';
import { PhoneLinkScreen } from './screens/phone-link-screen.tsx';
import { SettingsPanel } from './screens/settings-panel.tsx';
import type { KioskTask } from '@protocol/service.ts';
import { HelpScreen } from './service/help-screen.tsx';
import { RateScreen } from './service/rate-screen.tsx';
import { useServiceMessages } from './service/service-messages.ts';
import { replayAccepts } from './service/task-queue.ts';
import { TasksScreen, type TaskOwner } from './service/tasks-screen.tsx';
import type { KioskTraining } from '@protocol/organizing.ts';
import { SignupScreen, TrainingBanner, TrainingChooser, type TrainingLine } from './organizing/signup-screen.tsx';

type Screen =
  | { kind: 'scanning' }
  | { kind: 'keypad' }
  | { kind: 'chooser'; outcome: Extract<ScanOutcome, { kind: 'choose' }> }
  /** `id` remounts the result for every scan, so each one gets its full time on screen. */
  | { kind: 'result'; outcome: ShownOutcome; id: number }
  | { kind: 'record'; record: LookupSuccess }
  | { kind: 'settings' }
  /** 用手机查看: the one-time QR code for the card just scanned. */
  | { kind: 'phone-link'; code: string }
  | { kind: 'tasks'; owner: TaskOwner; items: KioskTask[] }
  | { kind: 'help' }
  /** 评价服务: a resident rates with the request number and their phone's last 4 digits. */
  | { kind: 'rate' }
  /** 报名活动 after a scan, and choosing which of today's trainings to open (issue 15). */
  | { kind: 'signups'; owner: TaskOwner }
  | { kind: 'training-chooser' };

/** Replays the queue and refreshes the open activities this often, besides on every reconnect. */
const REFRESH_MS = 30_000;
/** A card held to the camera is read again only after it has been out of view this long. */
const CAMERA_REPEAT_MS = 3000;
/** "My record" waits this long for a card, then the kiosk goes back to signing in. */
const RECORD_MODE_MS = 30_000;
const STATE_KEY = 'vs-kiosk-state';

interface Props {
  pairing: Pairing;
  store: OfflineStore;
  settings: KioskSettings;
  onSettingsChange: (settings: KioskSettings) => void;
  onRevoked: () => void;
  onUnpair: () => void;
}

/** The check-in kiosk: owns the connection and the scan pipeline, and decides which screen is up. */
export function CheckinKiosk({ pairing, store, settings, onSettingsChange, onRevoked, onUnpair }: Props) {
  const messages = useMessages();
  // The connection's handlers are made once per pairing; they read the language chosen since through this.
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  const clock = useMemo(() => new ServerClock(), []);
  const connection = useRef<KioskConnection | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  // The last state heard, so a tablet reloaded while the server is down still shows where it is.
  const [kioskState, setKioskState] = useState<KioskState | null>(loadCachedState);
  const [activities, setActivities] = useState<OpenActivity[]>(() => kioskState?.openActivities ?? []);
  const [queueLength, setQueueLength] = useState(0);
  const [screen, setScreen] = useState<Screen>({ kind: 'scanning' });
  /** A card is awaited for 我的记录 or 我的任务 rather than for signing in. */
  const [waitingFor, setWaitingFor] = useState<'record' | 'tasks' | null>(null);
  const recordMode = waitingFor !== null;
  const setRecordMode = (on: boolean) => setWaitingFor(on ? 'record' : null);
  const [busy, setBusy] = useState(false);
  /** After a sign-in: the volunteer's waiting tasks, mentioned on the result screen (issue 13). */
  const [taskHint, setTaskHint] = useState<{ owner: TaskOwner; items: KioskTask[]; resultId: number } | null>(null);
  const serviceText = useServiceMessages();
  /** A training opened at this kiosk (issue 15): scans sign in to it until staff end it. */
  const [training, setTraining] = useState<{ training: KioskTraining; count: number; line: TrainingLine | null } | null>(null);
  const resultCount = useRef(0);
  // The card behind the result on screen, for 用手机查看; a typed number is not enough for a phone session.
  const lastCard = useRef<string | null>(null);
  const cameraFilter = useMemo(() => new RecentCodeFilter(CAMERA_REPEAT_MS), []);
  const service = useMemo(
    () => new ScanService(store, clock, () => connection.current, { queueChanged: setQueueLength }),
    [store, clock],
  );
  const timeZone = kioskState?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  useEffect(() => {
    void store.count().then(setQueueLength);
    const link = new KioskConnection(pairing.token, {
      status: setStatus,
      connected: () => {
        void service.replay();
        void replayAccepts(link);
        void link.roster().then((roster) => roster && store.replaceRoster(roster));
      },
      state: (state, roundTripMs, sentAt) => {
        clock.sync(state.serverTime, sentAt, roundTripMs);
        localStorage.setItem(STATE_KEY, JSON.stringify(state));
        setKioskState(state);
        setActivities(state.openActivities);
      },
      activities: setActivities,
      trainings: (open) => {
        setKioskState((current) => (current ? { ...current, trainingsToday: open } : current));
        // Closed by staff while this tablet takes its sign-ins: it stays on the training (so the
        // next card is not taken as an activity sign-in) and says so; scans now get TRAINING_NOT_OPEN.
        setTraining((current) =>
          current && !open.some((t) => t.id === current.training.id) ? { ...current, line: { kind: 'failed', text: messagesRef.current.organizing.trainingClosed(current.training.title) } } : current,
        );
      },
      revoked: onRevoked,
    });
    connection.current = link;
    const timer = setInterval(() => {
      void service.replay();
      void replayAccepts(link);
      void link.refreshState();
    }, REFRESH_MS);
    return () => {
      clearInterval(timer);
      link.close();
      connection.current = null;
    };
  }, [pairing.token]);

  useEffect(() => service.setOpenActivities(activities), [activities]);

  useEffect(() => {
    if (!recordMode) return;
    const timer = setTimeout(() => setRecordMode(false), RECORD_MODE_MS);
    return () => clearTimeout(timer);
  }, [recordMode]);

  const showResult = (outcome: ShownOutcome, speech: boolean) => {
    setScreen({ kind: 'result', outcome, id: ++resultCount.current });
    giveFeedback(outcome, messages, speech);
  };

  const present = (outcome: ScanOutcome) => {
    if (outcome.kind === 'choose') return setScreen({ kind: 'chooser', outcome });
    showResult(outcome, settings.speech);
  };

  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    try {
      await task();
    } finally {
      setBusy(false);
    }
  };

  const attendTraining = async (entry: CardEntry, open: KioskTraining) => {
    const o = messages.organizing;
    const ack = await connection.current?.serviceEvent('training:attend', { opId: crypto.randomUUID(), code: entry.code, ...(entry.phoneLast4 ? { phoneLast4: entry.phoneLast4 } : {}), trainingId: open.id });
    const line: TrainingLine = !ack
      ? { kind: 'failed', text: o.trainingOffline }
      : !ack.ok
        ? { kind: 'failed', text: errorText(messages, ack.error.code).message }
        : { kind: ack.alreadyAttended ? 'already' : 'ok', text: ack.alreadyAttended ? o.trainingAlready(ack.volunteer.displayName) : o.trainingSigned(ack.volunteer.displayName) };
    playTone(line.kind === 'failed' ? 'problem' : 'success');
    setTraining((current) => (current && current.training.id === open.id ? { ...current, line, count: ack?.ok ? ack.attendeeCount : current.count } : current));
  };

  const handleEntry = (entry: CardEntry) => {
    // A card shown while a question is open must not answer it for someone else.
    if (screen.kind === 'chooser' || screen.kind === 'settings' || screen.kind === 'help' || screen.kind === 'rate' || screen.kind === 'tasks' || screen.kind === 'signups' || screen.kind === 'training-chooser') return;
    if (training) return run(() => attendTraining(entry, training.training));
    if (waitingFor === 'tasks') {
      setWaitingFor(null);
      return run(() => openTasks(entry));
    }
    if (recordMode) {
      setRecordMode(false);
      return run(async () => {
        const ack = await service.lookup(entry);
        if (ack?.ok) return setScreen({ kind: 'record', record: ack });
        showResult(ack ? { kind: 'failure', code: ack.error.code, ...(ack.error.details ? { details: ack.error.details } : {}) } : { kind: 'problem', text: { message: messages.record.needsNetwork, next: '' } }, false);
      });
    }
    lastCard.current = entry.phoneLast4 ? null : entry.code;
    return run(async () => {
      const outcome = await service.submit(entry);
      // A typed number that is no card is a typing slip, not a stranger's card.
      if (entry.phoneLast4 && outcome.kind === 'failure' && outcome.code === 'CARD_UNKNOWN') return showResult({ kind: 'problem', text: messages.keypad.unknownNumber }, settings.speech);
      present(outcome);
      // With nothing open to sign in to, a volunteer's card still leads to their tasks (issue 13).
      if (outcome.kind === 'success' || (outcome.kind === 'failure' && outcome.code === 'NO_OPEN_ACTIVITY')) void lookUpTasks(entry, resultCount.current);
    });
  };

  const listTasks = (entry: CardEntry) => connection.current?.serviceEvent('task:list', { code: entry.code, ...(entry.phoneLast4 ? { phoneLast4: entry.phoneLast4 } : {}) }) ?? Promise.resolve(null);

  const lookUpTasks = async (entry: CardEntry, resultId: number) => {
    setTaskHint(null);
    const list = await listTasks(entry);
    if (list?.ok && list.items.length > 0) setTaskHint({ owner: { code: entry.code, phoneLast4: entry.phoneLast4, displayName: list.volunteer.displayName }, items: list.items, resultId });
  };

  /** 我的任务 from the home screen: needs no open activity, only the server (tasks are not kept on the tablet). */
  const openTasks = async (entry: CardEntry) => {
    const list = await listTasks(entry);
    if (!list) return showResult({ kind: 'problem', text: { message: serviceText.tasksNeedNetwork, next: '' } }, false);
    if (!list.ok) return showResult({ kind: 'failure', code: list.error.code, ...(list.error.details ? { details: list.error.details } : {}) }, false);
    setScreen({ kind: 'tasks', owner: { code: entry.code, phoneLast4: entry.phoneLast4, displayName: list.volunteer.displayName }, items: list.items });
  };

  const taskButton = (resultId: number) => {
    if (!taskHint || taskHint.resultId !== resultId) return undefined;
    const waiting = taskHint.items.filter((t) => t.mine === 'dispatched').length;
    const open = taskHint.items.filter((t) => t.mine === 'open').length;
    return (
      <button
        class="result-tasks"
        data-action="my-tasks"
        onClick={(event) => {
          event.stopPropagation();
          setScreen({ kind: 'tasks', owner: taskHint.owner, items: taskHint.items });
        }}
      >
        {serviceText.myTasks}：{waiting > 0 ? serviceText.waitingTasks(waiting) : serviceText.openTasks(open)}
      </button>
    );
  };

  useWedgeScanner(true, (code) => void handleEntry({ code }));
  const toScanning = () => setScreen({ kind: 'scanning' });
  const trainingsToday = kioskState?.trainingsToday ?? [];
  const openTraining = (t: KioskTraining) => {
    setTraining({ training: t, count: 0, line: null });
    toScanning();
  };
  // 报名活动 on the result of a scanned card (a typed number is not enough): the same card signs up.
  const signupButton = (outcome: ShownOutcome) => {
    const code = lastCard.current;
    if (!code || status !== 'online' || outcome.kind !== 'success') return undefined;
    const owner = { code, displayName: outcome.ack.volunteer.displayName };
    return (
      <button
        class="result-tasks"
        data-action="sign-up"
        onClick={(event) => {
          event.stopPropagation();
          setScreen({ kind: 'signups', owner });
        }}
      >
        {messages.organizing.signUp}
      </button>
    );
  };

  return (
    <>
      <ScanningScreen
        centerName={kioskState?.centerName ?? ''}
        activities={activities}
        status={status}
        queueLength={queueLength}
        clock={clock}
        timeZone={timeZone}
        camera={settings.camera}
        recordMode={recordMode}
        waitingForTasks={waitingFor === 'tasks'}
        onMyTasks={() => setWaitingFor('tasks')}
        onCameraCode={(code) => cameraFilter.accept(code, Date.now()) && void handleEntry({ code })}
        onForgotCard={() => setScreen({ kind: 'keypad' })}
        onMyRecord={() => setRecordMode(true)}
        onCancelRecord={() => setRecordMode(false)}
        onOpenSettings={() => setScreen({ kind: 'settings' })}
        onAskHelp={() => setScreen({ kind: 'help' })}
        onRate={() => setScreen({ kind: 'rate' })}
      />
      {screen.kind === 'keypad' && (
        <KeypadScreen
          onCancel={toScanning}
          onSubmit={(entry) => {
            toScanning();
            void handleEntry(entry);
          }}
        />
      )}
      {screen.kind === 'chooser' && (
        <ActivityChooser
          activities={screen.outcome.activities}
          onCancel={toScanning}
          onChoose={(activityId) => {
            const { entry, scannedAt } = screen.outcome;
            toScanning();
            void run(async () => present(await service.submit(entry, { activityId, scannedAt })));
          }}
        />
      )}
      {screen.kind === 'result' && (
        <ResultScreen
          key={screen.id}
          outcome={screen.outcome}
          timeZone={timeZone}
          onDone={toScanning}
          extra={
            <>
              {taskButton(screen.id)}
              {signupButton(screen.outcome)}
            </>
          }
          onPhoneLink={lastCard.current && status === 'online' ? () => setScreen({ kind: 'phone-link', code: lastCard.current! }) : undefined}
        />
      )}
      {screen.kind === 'phone-link' && <PhoneLinkScreen code={screen.code} request={(code) => connection.current?.meLink(code) ?? Promise.resolve(null)} onDone={toScanning} />}
      {screen.kind === 'signups' && <SignupScreen owner={screen.owner} connection={() => connection.current} timeZone={timeZone} onDone={toScanning} />}
      {screen.kind === 'training-chooser' && <TrainingChooser trainings={trainingsToday} onChoose={openTraining} onCancel={toScanning} />}
      {training && screen.kind === 'scanning' && <TrainingBanner training={training.training} count={training.count} line={training.line} onEnd={() => setTraining(null)} />}
      {!training && screen.kind === 'scanning' && trainingsToday.length > 0 && status === 'online' && (
        <button
          class="training-open"
          data-action="open-training"
          onClick={() => (trainingsToday.length === 1 ? openTraining(trainingsToday[0]!) : setScreen({ kind: 'training-chooser' }))}
        >
          📋 {messages.organizing.trainingButton}
        </button>
      )}
      {screen.kind === 'tasks' && <TasksScreen owner={screen.owner} items={screen.items} connection={() => connection.current} timeZone={timeZone} onDone={toScanning} />}
      {screen.kind === 'help' && <HelpScreen connection={() => connection.current} onDone={toScanning} />}
      {screen.kind === 'rate' && <RateScreen connection={() => connection.current} onDone={toScanning} />}
      {screen.kind === 'record' && <RecordScreen record={screen.record} timeZone={timeZone} onDone={toScanning} />}
      {screen.kind === 'settings' && (
        <SettingsPanel
          settings={settings}
          deviceName={pairing.name}
          queueLength={queueLength}
          store={store}
          timeZone={timeZone}
          onChange={onSettingsChange}
          onUnpair={onUnpair}
          onClose={toScanning}
          unlock={async (username, secret) => (await connection.current?.unlockSettings(username, secret)) ?? null}
          assisted={{ connection: () => connection.current, activities }}
        />
      )}
      {busy && (
        <div class="working" role="status">
          {messages.scanning.working}
        </div>
      )}
    </>
  );
}

function giveFeedback(outcome: ShownOutcome, messages: Messages, speech: boolean): void {
  const r = messages.result;
  const say = (text: string) => speech && speak(text, messages.htmlLang);
  switch (outcome.kind) {
    case 'success': {
      const { ack } = outcome;
      playTone(ack.volunteer.newStar ? 'celebrate' : 'success');
      if (ack.action === 'repeat') say(r.speakRepeat);
      else if (ack.action === 'check-out') say(r.speakCheckOut(ack.volunteer.displayName, formatNumber(ack.hoursEarned ?? 0)));
      else say(r.speakCheckIn(ack.volunteer.displayName));
      return;
    }
    case 'queued':
      playTone('saved');
      say(r.speakSaved);
      return;
    case 'failure':
    case 'problem':
      playTone('problem');
      say(r.speakFailed);
  }
}

function loadCachedState(): KioskState | null {
  try {
    return JSON.parse(localStorage.getItem(STATE_KEY) ?? 'null') as KioskState | null;
  } catch {
    return null;
  }
}
