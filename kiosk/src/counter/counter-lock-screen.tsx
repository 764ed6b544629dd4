import { useState } from 'preact/hooks';
import { useMessages } from '../i18n/index.ts';
import { DigitKeys } from '../screens/keypad-screen.tsx';

const PIN_MAX = 12;
const RECENT_KEY = 'vs-counter-recent-staff';
const RECENT_MAX = 4;

interface Props {
  problem: string | null;
  busy: boolean;
  onUnlock: (username: string, secret: string) => void;
  /** The same staff check guards a tablet's settings, with its own title and a way back. */
  title?: string;
  hint?: string;
  screen?: string;
  onCancel?: () => void;
}

/**
 * The counter at rest: nobody can redeem until a staff member unlocks it. The usernames of the
 * last few staff are offered as buttons, since the same few people run a counter.
 */
export function CounterLockScreen({ problem, busy, onUnlock, title, hint, screen = 'counter-locked', onCancel }: Props) {
  const m = useMessages().counter;
  const recent = loadRecentStaff();
  const [username, setUsername] = useState(recent[0] ?? '');
  const [secret, setSecret] = useState('');
  const [usePassword, setUsePassword] = useState(false);
  const [localProblem, setLocalProblem] = useState<string | null>(null);

  const submit = (event?: Event) => {
    event?.preventDefault();
    if (!username.trim()) return setLocalProblem(m.usernameMissing);
    setLocalProblem(null);
    onUnlock(username.trim(), secret);
    setSecret('');
  };
  const shown = localProblem ?? problem;

  return (
    <section class="counter-lock" data-screen={screen}>
      <form class="counter-lock-form" onSubmit={submit}>
        <h1>{title ?? m.lockedTitle}</h1>
        <p class="keypad-hint">{hint ?? m.lockedHint}</p>
        <label class="counter-field">
          <span>{m.username}</span>
          <input name="username" value={username} autoComplete="username" autoCapitalize="off" onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        {recent.length > 0 && (
          <div class="counter-recent">
            <span>{m.recentStaff}</span>
            {recent.map((name) => (
              <button type="button" key={name} class={`toggle${name === username ? ' selected' : ''}`} onClick={() => setUsername(name)}>
                {name}
              </button>
            ))}
          </div>
        )}
        {usePassword ? (
          <label class="counter-field">
            <span>{m.passwordLabel}</span>
            <input name="password" type="password" value={secret} autoComplete="current-password" onInput={(e) => setSecret(e.currentTarget.value)} />
          </label>
        ) : (
          <div class="counter-field">
            <span>{m.pinLabel}</span>
            <output class="keypad-display" data-testid="pin-display" aria-label={m.pinLabel}>
              {'●'.repeat(secret.length) || ' '}
            </output>
          </div>
        )}
        {shown && (
          <p class="notice problem" role="alert" data-testid="unlock-problem">
            {shown}
          </p>
        )}
        <div class="keypad-actions">
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setUsePassword(!usePassword);
              setSecret('');
            }}
          >
            {usePassword ? m.usePin : m.usePassword}
          </button>
          <button type="submit" class="primary" disabled={busy || secret.length < 4}>
            {busy ? m.unlocking : m.unlock}
          </button>
        </div>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            {m.cancel}
          </button>
        )}
      </form>
      {!usePassword && (
        <DigitKeys
          onDigit={(digit) => setSecret((current) => (current.length < PIN_MAX ? current + digit : current))}
          onClear={() => setSecret('')}
          onDelete={() => setSecret((current) => current.slice(0, -1))}
        />
      )}
    </section>
  );
}

function loadRecentStaff(): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(saved) ? saved.filter((name): name is string => typeof name === 'string').slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

export function rememberStaff(username: string): void {
  const names = [username, ...loadRecentStaff().filter((name) => name !== username)].slice(0, RECENT_MAX);
  localStorage.setItem(RECENT_KEY, JSON.stringify(names));
}
