import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CounterGoods, RedeemSuccess, ScanVolunteer } from '@protocol/events.ts';
import { CameraViewfinder } from '../camera-viewfinder.tsx';
import { KioskConnection, type ConnectionStatus } from '../connection.ts';
import { playTone } from '../feedback.ts';
import { useLongPress, useWedgeScanner } from '../hooks.ts';
import { errorText, joinSentences, useMessages } from '../i18n/index.ts';
import type { OfflineStore } from '../offline-queue.ts';
import type { Pairing } from '../pairing.ts';
import type { CardEntry } from '../scan-service.ts';
import { normalizeScannedText, RecentCodeFilter } from '../scanned-text.ts';
import type { KioskSettings } from '../settings.ts';
import { KeypadScreen } from '../screens/keypad-screen.tsx';
import { SettingsPanel } from '../screens/settings-panel.tsx';
import { addToCart, applyStockChange, fitCartToShelf, removeFromCart, summarizeCart, type Cart } from './cart.ts';
import { errorLines } from './counter-errors.ts';
import { CounterLockScreen, rememberStaff } from './counter-lock-screen.tsx';
import { CounterReceiptScreen } from './counter-receipt-screen.tsx';
import { CounterShopScreen } from './counter-shop-screen.tsx';
import { RETRY_MS, sendUntilAnswered, Wakeup } from './redemption-sender.ts';

/** Lock after this long without a touch or a scan; staff walk away from the counter. */
const DEFAULT_IDLE_LOCK_MS = 3 * 60_000;
/** Staff (and tests) may shorten it on a tablet; read once at start. */
export const IDLE_LOCK_KEY = 'vs-counter-idle-ms';
const CAMERA_REPEAT_MS = 3000;

interface Customer {
  entry: CardEntry;
  volunteer: ScanVolunteer;
}

type Stage = { kind: 'scan' } | { kind: 'keypad' } | { kind: 'shop'; customer: Customer } | { kind: 'receipt'; receipt: RedeemSuccess } | { kind: 'settings' };

interface Staff {
  username: string;
  displayName: string;
}

interface Props {
  pairing: Pairing;
  store: OfflineStore;
  settings: KioskSettings;
  onSettingsChange: (settings: KioskSettings) => void;
  onRevoked: () => void;
  onUnpair: () => void;
}

/**
 * The redemption counter (爱心超市): locked until a staff member unlocks it, then card → shelf and
 * cart → receipt. Redemptions are never queued offline: they need the live balance and stock.
 */
export function CounterKiosk({ pairing, store, settings, onSettingsChange, onRevoked, onUnpair }: Props) {
  const messages = useMessages();
  const m = messages.counter;
  const connection = useRef<KioskConnection | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [staff, setStaff] = useState<Staff | null>(null);
  const [unlockProblem, setUnlockProblem] = useState<string | null>(null);
  const [shelf, setShelf] = useState<CounterGoods[]>([]);
  const [cart, setCart] = useState<Cart>({});
  const [stage, setStage] = useState<Stage>({ kind: 'scan' });
  const [problem, setProblem] = useState<string[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const cameraFilter = useMemo(() => new RecentCodeFilter(CAMERA_REPEAT_MS), []);
  // The server keeps the counter lock: the unlock token it gave goes with every reconnect (in the
  // handshake), so the page never keeps the staff member's password or PIN.
  const unlockToken = useRef<string | null>(null);
  // True once this socket is connected and unlocked: a retried redemption waits for it.
  const sessionReady = useRef(false);
  const ready = useMemo(() => new Wakeup(), []);
  const submitting = useRef(false);
  const idleLockMs = useMemo(() => Number(localStorage.getItem(IDLE_LOCK_KEY)) || DEFAULT_IDLE_LOCK_MS, []);

  const refreshShelf = async () => {
    const ack = await connection.current?.goods();
    if (ack?.ok) setShelf(ack.items);
  };

  // Another counter may sell the last units of something in this cart.
  useEffect(() => setCart((current) => fitCartToShelf(current, shelf)), [shelf]);

  const lock = () => {
    unlockToken.current = null;
    sessionReady.current = false;
    connection.current?.setUnlockToken(null);
    void connection.current?.lockCounter();
    setStaff(null);
    setCart({});
    setProblem(null);
    setStage({ kind: 'scan' });
  };

  useEffect(() => {
    const link = new KioskConnection(pairing.token, {
      status: (next) => {
        if (next !== 'online') sessionReady.current = false;
        setStatus(next);
      },
      connected: () => {
        void (async () => {
          // The handshake carried the unlock token; the server says in state:get whether it still holds.
          if (unlockToken.current) sessionReady.current = true;
          await refreshShelf();
          ready.notify();
        })();
      },
      state: (state) => {
        setTimeZone(state.timeZone);
        // Idle too long on the server, the server restarted, or another unlock replaced this one.
        if (unlockToken.current && state.counterUnlocked === false) lock();
      },
      activities: () => undefined,
      revoked: onRevoked,
      stockChanged: (change) => setShelf((current) => applyStockChange(current, change)),
    });
    connection.current = link;
    return () => {
      link.close();
      connection.current = null;
    };
  }, [pairing.token]);

  // Idle lock: any touch or key keeps the counter open; a redemption in flight is never interrupted.
  useEffect(() => {
    if (!staff) return;
    let timer: ReturnType<typeof setTimeout>;
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(() => (submitting.current ? restart() : lock()), idleLockMs);
    };
    restart();
    window.addEventListener('pointerdown', restart, { capture: true });
    window.addEventListener('keydown', restart, { capture: true });
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointerdown', restart, { capture: true });
      window.removeEventListener('keydown', restart, { capture: true });
    };
  }, [staff, idleLockMs]);

  const unlock = async (username: string, secret: string) => {
    setBusy(m.unlocking);
    try {
      const ack = await connection.current?.unlockCounter(username, secret);
      if (!ack) return setUnlockProblem(m.unlockNeedsNetwork);
      // Said to a staff member about their own PIN: try again, not "ask the staff".
      if (!ack.ok) return setUnlockProblem(ack.error.code === 'INVALID_CREDENTIALS' ? m.unlockRefused : plain(errorText(messages, ack.error.code)));
      unlockToken.current = ack.unlockToken;
      connection.current?.setUnlockToken(ack.unlockToken);
      sessionReady.current = true;
      rememberStaff(ack.staff.username);
      setUnlockProblem(null);
      setStaff(ack.staff);
      setStage({ kind: 'scan' });
      void refreshShelf();
    } finally {
      setBusy(null);
    }
  };

  const lookUp = async (entry: CardEntry) => {
    // A stray scan must not throw away a cart being built; staff finish it or tap 换一位 first.
    if (stage.kind === 'shop' && Object.keys(cart).length > 0) return setProblem([m.finishCartFirst]);
    const normalized: CardEntry = { ...entry, code: normalizeScannedText(entry.code) };
    setBusy(m.lookingUp);
    try {
      const ack = await connection.current?.lookup(normalized.code, normalized.phoneLast4);
      if (!ack) return setProblem([m.lookupNeedsNetwork]);
      if (!ack.ok) {
        playTone('problem');
        return setProblem(errorLines(messages, ack.error));
      }
      setProblem(null);
      setCart({});
      setStage({ kind: 'shop', customer: { entry: normalized, volunteer: ack.volunteer } });
    } finally {
      setBusy(null);
    }
  };

  const confirm = async (customer: Customer) => {
    const items = Object.entries(cart).map(([goodsId, quantity]) => ({ goodsId, quantity }));
    if (items.length === 0 || submitting.current) return;
    // Made once per confirm and reused on every retry: the server makes one redemption of it, however often it arrives.
    const input = { redemptionId: crypto.randomUUID(), code: customer.entry.code, ...(customer.entry.phoneLast4 ? { phoneLast4: customer.entry.phoneLast4 } : {}), items };
    submitting.current = true;
    setBusy(m.submitting);
    try {
      const ack = await sendUntilAnswered(
        input,
        (payload) => (sessionReady.current && connection.current ? connection.current.redeem(payload) : Promise.resolve(null)),
        () => ready.next(RETRY_MS),
        () => setBusy(m.submittingWaiting),
      );
      if (!ack) return;
      if (ack.ok) {
        playTone('success');
        setCart({});
        setProblem(null);
        setStage({ kind: 'receipt', receipt: ack });
        return;
      }
      playTone('problem');
      if (ack.error.code === 'COUNTER_LOCKED') {
        lock();
        setUnlockProblem(plain(errorText(messages, ack.error.code)));
        return;
      }
      setProblem(errorLines(messages, ack.error));
      const balance = ack.error.details?.balance;
      if (typeof balance === 'number') setStage({ kind: 'shop', customer: { ...customer, volunteer: { ...customer.volunteer, points: balance } } });
      void refreshShelf();
    } finally {
      submitting.current = false;
      setBusy(null);
    }
  };

  const scanning = staff !== null && (stage.kind === 'scan' || stage.kind === 'receipt' || stage.kind === 'shop');
  useWedgeScanner(scanning, (code) => void lookUp({ code }));

  const online = status === 'online';
  const titleHold = useLongPress(3000, () => setStage({ kind: 'settings' }));

  return (
    <main class="kiosk counter" data-screen={staff ? 'counter' : 'counter-locked-main'} data-unlocked={staff ? 'true' : 'false'}>
      <header class="kiosk-header">
        <h1 class="kiosk-title" {...titleHold}>
          {messages.appTitle} · {m.title}
        </h1>
        {staff && <span class="counter-staff">{m.servedBy(staff.displayName)}</span>}
        <span class={`connection connection-${status}`} data-testid="connection" data-status={status}>
          {messages.connection[status]}
        </span>
        {staff && (
          <button class="secondary counter-lock-button" data-testid="lock" onClick={lock}>
            {m.lock}
          </button>
        )}
      </header>
      {!online && <p class="counter-offline" data-testid="offline-banner">{m.offline}</p>}
      {!staff ? (
        <CounterLockScreen problem={unlockProblem} busy={busy !== null} onUnlock={(username, secret) => void unlock(username, secret)} />
      ) : stage.kind === 'shop' ? (
        <CounterShopScreen
          volunteer={stage.customer.volunteer}
          shelf={shelf}
          cart={cart}
          summary={summarizeCart(cart, shelf, stage.customer.volunteer.points)}
          online={online}
          problem={problem}
          onAdd={(goods) => {
            setProblem(null);
            setCart((current) => addToCart(current, goods));
          }}
          onRemove={(goodsId) => {
            setProblem(null);
            setCart((current) => removeFromCart(current, goodsId));
          }}
          onConfirm={() => void confirm(stage.customer)}
          onNextVolunteer={() => {
            setCart({});
            setProblem(null);
            setStage({ kind: 'scan' });
          }}
        />
      ) : (
        <div class="scan-area" data-screen="counter-scan">
          <CameraViewfinder facing={settings.camera} onCode={(code) => cameraFilter.accept(code, Date.now()) && void lookUp({ code })} />
          <div class="scan-side">
            <p class="scan-hint">{m.scanTitle}</p>
            <p class="scan-subhint">{m.scanHint}</p>
            {problem && (
              <div class="notice problem" role="alert" data-testid="scan-problem">
                {problem.map((line) => (
                  <p key={line}>{line}</p>
                ))}
              </div>
            )}
            <button class="big-button forgot" onClick={() => setStage({ kind: 'keypad' })}>
              {m.forgotCard}
            </button>
          </div>
        </div>
      )}
      {staff && stage.kind === 'keypad' && (
        <KeypadScreen
          onCancel={() => setStage({ kind: 'scan' })}
          onSubmit={(entry) => {
            setStage({ kind: 'scan' });
            void lookUp(entry);
          }}
        />
      )}
      {staff && stage.kind === 'receipt' && <CounterReceiptScreen receipt={stage.receipt} timeZone={timeZone} onDone={() => setStage({ kind: 'scan' })} />}
      {stage.kind === 'settings' && (
        <SettingsPanel
          settings={settings}
          deviceName={pairing.name}
          queueLength={0}
          store={store}
          timeZone={timeZone}
          onChange={onSettingsChange}
          onUnpair={onUnpair}
          onClose={() => setStage({ kind: 'scan' })}
          unlock={async (username, secret) => (await connection.current?.unlockSettings(username, secret)) ?? null}
        />
      )}
      {busy && (
        <div class="working" role="status" data-testid="working">
          {busy}
        </div>
      )}
    </main>
  );
}

function plain(text: { message: string; next: string }): string {
  return joinSentences(text.message, text.next);
}
