import { can } from '../protocol/roles.ts';
import { hashToken, randomToken } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { StationState } from '../store/state.ts';

/** Used when the settings do not name an idle time. */
export const DEFAULT_COUNTER_IDLE_MINUTES = 10;

export interface CounterStaff {
  username: string;
  displayName: string;
}

interface Unlock {
  staffId: string;
  tokenHash: string;
  lastActiveAt: number;
}

/**
 * The counter lock, kept by the server (DESIGN §6): a counter tablet may redeem only while a
 * staff member has unlocked it, until `counter:lock` or until it has been idle for the
 * center's idle time. An unlock issues a short-lived unlock token (kept here only as a hash)
 * that the tablet carries in its socket handshake, so a reconnect keeps the counter unlocked
 * without the page holding a password or PIN. Held in memory: a server restart locks every
 * counter, which is the safe side.
 */
export class CounterLocks {
  readonly #unlocks = new Map<string, Unlock>();

  constructor(
    private readonly state: () => StationState,
    private readonly now: () => number,
    private readonly idleMs: () => number,
  ) {}

  /** Unlocks the device for this staff member; any earlier unlock token of the device stops working. */
  unlock(deviceId: string, staffId: string): { unlockToken: string; tokenHash: string; expiresAt: string } {
    const unlockToken = randomToken();
    const tokenHash = hashToken(unlockToken);
    const lastActiveAt = this.now();
    this.#unlocks.set(deviceId, { staffId, tokenHash, lastActiveAt });
    return { unlockToken, tokenHash, expiresAt: new Date(lastActiveAt + this.idleMs()).toISOString() };
  }

  lock(deviceId: string): void {
    this.#unlocks.delete(deviceId);
  }

  /** At the handshake: the hash to remember on the socket when its unlock token is the device's current one, else undefined. */
  admit(deviceId: string, unlockToken: unknown): string | undefined {
    if (typeof unlockToken !== 'string' || unlockToken.length < 16 || unlockToken.length > 128) return undefined;
    const tokenHash = hashToken(unlockToken);
    return this.#current(deviceId, tokenHash) ? tokenHash : undefined;
  }

  /** Whether a socket holding this token hash may redeem now; does not count as activity. */
  isUnlocked(deviceId: string, socketTokenHash: string | undefined): boolean {
    return socketTokenHash !== undefined && this.#current(deviceId, socketTokenHash) !== undefined;
  }

  /**
   * The staff member serving at this counter, for a socket that unlocked it (or reconnected
   * with its token); counts as activity, so the idle time starts again. Refused with
   * COUNTER_LOCKED otherwise.
   */
  staffServing(deviceId: string, socketTokenHash: string | undefined): CounterStaff {
    const unlock = socketTokenHash ? this.#current(deviceId, socketTokenHash) : undefined;
    if (!unlock) throw new AppError('COUNTER_LOCKED', 'The counter is locked; a staff member must unlock it first', 403);
    const staff = this.state().get('staff', unlock.staffId);
    if (!staff || staff.disabled || !can(staff.role, 'redemption:run')) {
      this.#unlocks.delete(deviceId);
      throw new AppError('COUNTER_LOCKED', 'The staff member who unlocked the counter can no longer run it; unlock it again', 403);
    }
    unlock.lastActiveAt = this.now();
    return { username: staff.username, displayName: staff.displayName };
  }

  /** The device's unlock if the token matches and it has not been idle too long; an idle one is dropped. */
  #current(deviceId: string, tokenHash: string): Unlock | undefined {
    const unlock = this.#unlocks.get(deviceId);
    if (!unlock || unlock.tokenHash !== tokenHash) return undefined;
    if (this.now() - unlock.lastActiveAt >= this.idleMs()) {
      this.#unlocks.delete(deviceId);
      return undefined;
    }
    return unlock;
  }
}
