import { useServiceMessages } from '../service/service-messages.ts';
import { useEffect, useState } from 'preact/hooks';
import type { OpenActivity } from '@protocol/events.ts';
import { CameraViewfinder } from '../camera-viewfinder.tsx';
import type { ConnectionStatus } from '../connection.ts';
import { useLongPress } from '../hooks.ts';
import { useMessages } from '../i18n/index.ts';
import type { ServerClock } from '../server-clock.ts';
import { formatTime } from '../server-clock.ts';

interface Props {
  centerName: string;
  activities: OpenActivity[];
  status: ConnectionStatus;
  queueLength: number;
  clock: ServerClock;
  timeZone: string;
  camera: 'user' | 'environment';
  recordMode: boolean;
  onCameraCode: (text: string) => void;
  onForgotCard: () => void;
  onMyRecord: () => void;
  /** 我要求助 (issue 13): a resident asks for help without a card. */
  onAskHelp?: () => void;
  /** 评价服务 (issue 13): a resident rates the help they had. */
  onRate?: () => void;
  onCancelRecord: () => void;
  /** 我的任务 from the home screen (issue 13): the next card opens the volunteer's tasks, open activity or not. */
  onMyTasks?: () => void;
  /** The card awaited is for 我的任务, not 我的记录. */
  waitingForTasks?: boolean;
  onOpenSettings: () => void;
}

const TITLE_HOLD_MS = 3000;
const CORNER_HOLD_MS = 2000;

/** The resting screen: what is on, the time, the connection, the camera, and the two big buttons. */
export function ScanningScreen(props: Props) {
  const messages = useMessages();
  const m = messages.scanning;
  const s = useServiceMessages();
  const titleHold = useLongPress(TITLE_HOLD_MS, props.onOpenSettings);
  const cornerHold = useLongPress(CORNER_HOLD_MS, props.onOpenSettings);

  return (
    <main class={`kiosk${props.recordMode ? ' record-mode' : ''}`} data-screen="scanning">
      <header class="kiosk-header">
        <h1 class="kiosk-title" {...titleHold}>
          {messages.appTitle}
          {props.centerName && props.centerName !== messages.appTitle && <span class="center-name"> · {props.centerName}</span>}
        </h1>
        <Clock clock={props.clock} timeZone={props.timeZone} language={messages.htmlLang} />
        <span class={`connection connection-${props.status}`} data-testid="connection" data-status={props.status}>
          {messages.connection[props.status]}
        </span>
        <button class="corner-settings" aria-label={m.settingsHold} title={m.settingsHold} {...cornerHold}>
          ⚙
        </button>
      </header>
      <p class={`activity-bar${props.activities.length === 0 ? ' activity-none' : ''}`} data-testid="activity">
        {activityLine(props.activities, messages.scanning)}
      </p>
      <div class="scan-area">
        <CameraViewfinder facing={props.camera} onCode={props.onCameraCode} />
        <div class="scan-side">
          {props.recordMode ? (
            <p class="scan-hint record-prompt">{props.waitingForTasks ? s.tasksPrompt : m.recordPrompt}</p>
          ) : (
            <>
              <p class="scan-hint">{m.hint}</p>
              <p class="scan-subhint">{m.scannerHint}</p>
            </>
          )}
          <div class="scan-buttons">
            <button class="big-button forgot" onClick={props.onForgotCard}>
              {m.forgotCard}
            </button>
            {props.recordMode ? (
              <button class="big-button secondary" onClick={props.onCancelRecord}>
                {m.cancel}
              </button>
            ) : (
              <button class="big-button record" onClick={props.onMyRecord}>
                {m.myRecord}
              </button>
            )}
            {props.onMyTasks && !props.recordMode && (
              <button class="big-button secondary my-tasks" data-action="tasks-home" onClick={props.onMyTasks}>
                {s.tasksByCard}
              </button>
            )}
          </div>
          {props.onAskHelp && !props.recordMode && <ResidentButtons onAskHelp={props.onAskHelp} onRate={props.onRate} />}
        </div>
      </div>
      {props.queueLength > 0 && (
        <p class="queue-banner" data-testid="queue-banner" data-count={props.queueLength}>
          {m.waiting(props.queueLength)}
        </p>
      )}
    </main>
  );
}

function activityLine(activities: OpenActivity[], m: ReturnType<typeof useMessages>['scanning']): string {
  if (activities.length === 0) return m.noActivity;
  if (activities.length === 1) return m.activity(activities[0]!.title);
  return m.severalActivities(activities.length);
}

function Clock({ clock, timeZone, language }: { clock: ServerClock; timeZone: string; language: string }) {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(clock.now()), 1000);
    return () => clearInterval(timer);
  }, [clock]);
  return (
    <time class="clock" dateTime={now.toISOString()}>
      {formatTime(now, timeZone, language, true)}
    </time>
  );
}

/** For residents, who have no card: ask for help, and rate the help they had. */
function ResidentButtons({ onAskHelp, onRate }: { onAskHelp: () => void; onRate?: () => void }) {
  const s = useServiceMessages();
  return (
    <div class="scan-buttons resident-buttons">
      <button class="big-button secondary ask-help" data-action="ask-help" onClick={onAskHelp}>
        {s.askHelp}
      </button>
      {onRate && (
        <button class="big-button secondary rate-service" data-action="rate-service" onClick={onRate}>
          {s.rateService}
        </button>
      )}
    </div>
  );
}
