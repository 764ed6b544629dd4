/**
 * At most `limit` tasks at once; the rest wait in order. `limit` 1 is a mutex: what must not
 * interleave across an `await` (check, then create) runs one at a time.
 */
export class Semaphore {
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    /** How many may wait; beyond it `run` refuses at once instead of queueing without end. */
    readonly maxWaiting = Number.POSITIVE_INFINITY,
  ) {}

  get waiting(): number {
    return this.#waiting.length;
  }

  /** True when a new task would be refused because the queue is full. */
  get full(): boolean {
    return this.#active >= this.limit && this.#waiting.length >= this.maxWaiting;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) {
      if (this.#waiting.length >= this.maxWaiting) throw new SemaphoreFullError();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active += 1;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so the count never dips and lets a newcomer jump the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    }
  }
}

export class SemaphoreFullError extends Error {
  constructor() {
    super('Too many tasks are waiting');
    this.name = 'SemaphoreFullError';
  }
}

export class Mutex extends Semaphore {
  constructor() {
    super(1);
  }
}
