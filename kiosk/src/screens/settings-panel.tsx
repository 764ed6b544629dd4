import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { SettingsUnlockAck } from '@protocol/events.ts';
import { CounterLockScreen, rememberStaff } from '../counter/counter-lock-screen.tsx';
import { catalogs, errorText, joinSentences, useMessages, type Language } from '../i18n/index.ts';
import type { OfflineStore } from '../offline-queue.ts';
import type { AttentionItem } from '../queue-replay.ts';
import type { KioskSettings } from '../settings.ts';
import type { OpenActivity } from '@protocol/events.ts';
import type { KioskConnection } from '../connection.ts';
import { AssistedCheckInPanel } from './assisted-checkin-panel.tsx';
import { formatTime } from '../server-clock.ts';

interface Props {
  settings: KioskSettings;
  deviceName: string;
  queueLength: number;
  store: OfflineStore;
  timeZone: string;
  onChange: (settings: KioskSettings) => void;
  onUnpair: () => void;
  onClose: () => void;
  /** Asks the server whether this staff member may open the settings; null when offline. */
  unlock: (username: string, secret: string) => Promise<SettingsUnlockAck | null>;
  /** Check-in kiosks: 代人签到 / 签退 for the staff member who opened the panel (issue 12). */
  assisted?: { connection: () => KioskConnection | null; activities: OpenActivity[] };
}

/** The settings, after a staff member's PIN or password has been checked by the server. */
export function SettingsPanel(props: Props) {
  const s = useMessages().settings;
  const messages = useMessages();
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [assisting, setAssisting] = useState(false);
  // Closing the panel locks it on the server too, so the assisted check-in events refuse at once.
  const close = () => {
    if (opened) void props.assisted?.connection()?.endStaffPanel();
    props.onClose();
  };
  if (opened && assisting && props.assisted) {
    return (
      <AssistedCheckInPanel
        connection={props.assisted.connection}
        activities={props.assisted.activities}
        timeZone={props.timeZone}
        onBack={() => setAssisting(false)}
        onLocked={() => {
          setAssisting(false);
          setOpened(false);
          setProblem(messages.assisted.locked);
        }}
      />
    );
  }
  if (opened) return <UnlockedSettings {...props} onClose={close} onAssist={props.assisted ? () => setAssisting(true) : undefined} />;
  const unlock = async (username: string, secret: string) => {
    setBusy(true);
    try {
      const ack = await props.unlock(username, secret);
      if (!ack) return setProblem(s.staffCheckNeedsNetwork);
      if (!ack.ok) {
        if (ack.error.code === 'INVALID_CREDENTIALS') return setProblem(messages.counter.unlockRefused);
        if (ack.error.code === 'FORBIDDEN') return setProblem(s.staffCheckForbidden);
        const text = errorText(messages, ack.error.code);
        return setProblem(joinSentences(text.message, text.next));
      }
      rememberStaff(ack.staff.username);
      setOpened(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="overlay staff-check">
      <CounterLockScreen screen="settings-locked" title={s.staffCheckTitle} hint={s.staffCheckHint} problem={problem} busy={busy} onUnlock={(username, secret) => void unlock(username, secret)} onCancel={props.onClose} />
    </div>
  );
}

/** Staff only, behind a long press and a staff check: the per-tablet choices, the offline scans that need a person, and unpairing. */
function UnlockedSettings({ settings, deviceName, queueLength, store, timeZone, onChange, onUnpair, onClose, onAssist }: Props & { onAssist?: () => void }) {
  const messages = useMessages();
  const s = messages.settings;
  const [attention, setAttention] = useState<AttentionItem[]>([]);
  const [confirmingUnpair, setConfirmingUnpair] = useState(false);
  useEffect(() => {
    void store.attention().then(setAttention);
  }, []);

  return (
    <section class="overlay settings" data-screen="settings">
      <h1>{s.title}</h1>
      <p>{s.device(deviceName)}</p>
      {onAssist && (
        <button class="primary assisted-open" data-action="assisted-open" onClick={onAssist}>
          {messages.assisted.button}
        </button>
      )}
      <Choice label={s.camera}>
        <Toggle selected={settings.camera === 'user'} onClick={() => onChange({ ...settings, camera: 'user' })} label={s.cameraFront} />
        <Toggle selected={settings.camera === 'environment'} onClick={() => onChange({ ...settings, camera: 'environment' })} label={s.cameraBack} />
      </Choice>
      <Choice label={s.speech}>
        <Toggle selected={settings.speech} onClick={() => onChange({ ...settings, speech: true })} label={s.on} />
        <Toggle selected={!settings.speech} onClick={() => onChange({ ...settings, speech: false })} label={s.off} />
      </Choice>
      <Choice label={s.language}>
        {(Object.keys(catalogs) as Language[]).map((language) => (
          <Toggle key={language} selected={settings.language === language} onClick={() => onChange({ ...settings, language })} label={catalogs[language].languageName} />
        ))}
      </Choice>
      <p data-testid="settings-queue">{s.queue(queueLength)}</p>
      <h2>{s.attention}</h2>
      {attention.length === 0 ? (
        <p>{s.attentionNone}</p>
      ) : (
        <>
          <ul class="attention-list">
            {attention.map((item) => (
              <li key={item.scanId}>
                {s.attentionItem(item.displayName ?? s.unknownPerson, formatTime(item.scan.scannedAt, timeZone, messages.htmlLang), errorText(messages, item.error.code).message)}
              </li>
            ))}
          </ul>
          <button class="secondary" onClick={() => void store.clearAttention().then(() => setAttention([]))}>
            {s.clearAttention}
          </button>
        </>
      )}
      <div class="settings-actions">
        {confirmingUnpair ? (
          <>
            <p class="notice problem">{s.unpairConfirm}</p>
            <button class="danger" onClick={onUnpair}>
              {s.unpair}
            </button>
          </>
        ) : (
          <button class="secondary" onClick={() => setConfirmingUnpair(true)}>
            {s.unpair}
          </button>
        )}
        <button class="primary" onClick={onClose}>
          {s.close}
        </button>
      </div>
    </section>
  );
}

function Choice({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="choice" role="group" aria-label={label}>
      <span class="choice-label">{label}</span>
      <div class="choice-options">{children}</div>
    </div>
  );
}

function Toggle({ selected, onClick, label }: { selected: boolean; onClick: () => void; label: string }) {
  return (
    <button class={selected ? 'toggle selected' : 'toggle'} aria-pressed={selected} onClick={onClick}>
      {label}
    </button>
  );
}
