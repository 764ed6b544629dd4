/**
 * Limits on guessing a phone's last 4 digits. A bare card number is printed on the card, so the 4
 * digits are the only secret behind "忘带卡" sign-in, my record and a counter redemption: 10,000
 * possibilities, which a script on a paired tablet would try in seconds. So wrong digits are
 * counted per card number (across all tablets) and per tablet (across all card numbers); past
 * the limit the card number, or the tablet's digit entry, is locked for a while, and the lock
 * refuses the right digits as well, or the lock-out would itself be an oracle.
 *
 * Pure and in memory with an injected clock: a server restart clears the counts (a restart
 * takes a staff member at the PC, and the lock-outs already logged stay in the audit log).
 */

export interface PhoneDigitLimits {
  /** Wrong digits for one card number, from any tablet, before it locks. */
  perCard: number;
  /** Wrong digits from one tablet, for any card numbers, before its digit entry locks. */
  perDevice: number;
  /** Wrong attempts older than this are forgotten. */
  windowMs: number;
  /** How long a lock-out lasts. */
  lockMs: number;
}

export const DEFAULT_PHONE_DIGIT_LIMITS: PhoneDigitLimits = {
  perCard: 5,
  perDevice: 10,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

export type DigitLockKind = 'card' | 'device';

export interface DigitLock {
  kind: DigitLockKind;
  /** The card number, or the device id. */
  key: string;
  lockedAt: string;
  until: string;
  /** For a card: the tablet of the wrong attempt that locked it (staff go and talk to whoever stands there). */
  deviceId?: string;
}

interface Counter {
  failures: number[];
  lockedAt?: number;
  lockedUntil?: number;
  lockedBy?: string;
}

export class PhoneDigitGuard {
  readonly #counters = new Map<string, Counter>();

  constructor(
    private readonly now: () => number,
    readonly limits: PhoneDigitLimits = DEFAULT_PHONE_DIGIT_LIMITS,
  ) {}

  /** The lock that stops this attempt, if any (the card's first). */
  lockFor(cardNo: string, deviceId: string): DigitLock | undefined {
    return this.#lock('card', cardNo) ?? this.#lock('device', deviceId);
  }

  /** Counts a wrong attempt; returns the locks it started (to audit them). */
  recordWrong(cardNo: string, deviceId: string): DigitLock[] {
    const started: DigitLock[] = [];
    for (const [kind, key, limit] of [['card', cardNo, this.limits.perCard], ['device', deviceId, this.limits.perDevice]] as const) {
      const now = this.now();
      const id = `${kind}:${key}`;
      const counter = this.#counters.get(id) ?? { failures: [] };
      counter.failures = counter.failures.filter((at) => at > now - this.limits.windowMs);
      counter.failures.push(now);
      if (counter.failures.length >= limit && !(counter.lockedUntil && counter.lockedUntil > now)) {
        counter.lockedAt = now;
        counter.lockedUntil = now + this.limits.lockMs;
        counter.lockedBy = deviceId;
        counter.failures = [];
        started.push(this.#view(kind, key, counter));
      }
      this.#counters.set(id, counter);
    }
    return started;
  }

  /** The right digits for a card that is not locked: its count starts again (the tablet's does not). */
  recordRight(cardNo: string): void {
    const counter = this.#counters.get(`card:${cardNo}`);
    if (counter && !counter.lockedUntil) this.#counters.delete(`card:${cardNo}`);
  }

  /** Locks in force now, for the admin. */
  locks(): DigitLock[] {
    const result: DigitLock[] = [];
    for (const [id, counter] of this.#counters) {
      const [kind, ...rest] = id.split(':');
      const lock = this.#lock(kind as DigitLockKind, rest.join(':'));
      if (lock) result.push(lock);
      else if (counter.failures.length === 0) this.#counters.delete(id);
    }
    return result.sort((a, b) => b.lockedAt.localeCompare(a.lockedAt));
  }

  /** Staff lift a lock (the volunteer showed who they are); its count starts again. Returns whether one was in force. */
  clear(kind: DigitLockKind, key: string): boolean {
    const had = this.#lock(kind, key) !== undefined;
    this.#counters.delete(`${kind}:${key}`);
    return had;
  }

  #lock(kind: DigitLockKind, key: string): DigitLock | undefined {
    const counter = this.#counters.get(`${kind}:${key}`);
    if (!counter?.lockedUntil) return undefined;
    if (counter.lockedUntil <= this.now()) {
      counter.lockedAt = undefined;
      counter.lockedUntil = undefined;
      return undefined;
    }
    return this.#view(kind, key, counter);
  }

  #view(kind: DigitLockKind, key: string, counter: Counter): DigitLock {
    const lock: DigitLock = { kind, key, lockedAt: new Date(counter.lockedAt!).toISOString(), until: new Date(counter.lockedUntil!).toISOString() };
    return kind === 'card' && counter.lockedBy ? { ...lock, deviceId: counter.lockedBy } : lock;
  }
}
