import type { RedeemAck } from '@protocol/events.ts';
import type { RedeemInput } from '@protocol/schemas.ts';

/** Between attempts while connected but unanswered; a reconnect retries at once. */
export const RETRY_MS = 2000;

/**
 * Sends one confirmed cart until the server answers. The same `redemptionId` goes with every
 * attempt, so a retry after a lost ack returns the first receipt instead of debiting twice.
 * Nothing is queued across a reload on purpose: a redemption must be checked against the live
 * balance and stock while the volunteer stands at the counter.
 */
export async function sendUntilAnswered(
  input: RedeemInput,
  send: (input: RedeemInput) => Promise<RedeemAck | null>,
  waitBeforeRetry: () => Promise<void>,
  onWaiting: () => void,
  cancelled: () => boolean = () => false,
): Promise<RedeemAck | null> {
  for (;;) {
    const ack = await send(input);
    if (ack) return ack;
    if (cancelled()) return null;
    onWaiting();
    await waitBeforeRetry();
    if (cancelled()) return null;
  }
}

/** A promise that resolves at the next `notify()` — here, when the counter is connected and unlocked again. */
export class Wakeup {
  #waiters: (() => void)[] = [];

  next(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
