import type { Transferable } from 'node:worker_threads';

/**
 * The messages a running task and its caller exchange beyond the task's input and result
 * (workers/run-worker.ts `startWorker`): input too large to copy in one go sent in slices, output
 * streamed back, acknowledgements for backpressure. In order, each side one reader at a time.
 */
export interface TaskPort {
  post(message: unknown, transfer?: Transferable[]): void;
  /** The next message from the other side; rejects once the other side is gone. */
  receive(): Promise<unknown>;
}

/** Messages waiting for their reader, and a reader waiting for its message. */
export class MessageQueue {
  readonly #items: unknown[] = [];
  readonly #waiting: { resolve: (message: unknown) => void; reject: (error: Error) => void }[] = [];
  #closed: Error | undefined;

  push(message: unknown): void {
    const reader = this.#waiting.shift();
    if (reader) reader.resolve(message);
    else this.#items.push(message);
  }

  receive(): Promise<unknown> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** No more messages will come: readers waiting now and later get `error` (after the messages already queued). */
  close(error: Error): void {
    this.#closed ??= error;
    for (const reader of this.#waiting.splice(0)) reader.reject(error);
  }
}
