import { Writable } from 'node:stream';
import type { Response } from 'express';
import { collectionNames, type CollectionName, type StationState } from '../store/state.ts';
import type { TaskPort } from '../workers/task-port.ts';

/** What the report worker needs of the live state comes in slices; the last one carries the journal position. */
export type StateSlice = { c: CollectionName; v: unknown[] } | { seq: number };
/** The file a worker writes, in pieces, each acknowledged once the response took it. */
export type OutputMessage = { bytes: Uint8Array } | { end: true };
export type InputMessage = { ack: true };

/** Collections no report, export or certificate reads: not sent (the audit log and receipts are the largest of all). */
const notSent = new Set<CollectionName>(['audit', 'receipts', 'sessions', 'phones', 'meLinks', 'snaps']);
const SLICE_RECORDS = 500;
/** Copying records into a message runs on the event loop: a turn for the scans after this much of it. */
const SLICE_MS = 4;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sends the live state to a report worker. The records of every collection are captured in one
 * synchronous step (records are replaced, never mutated, so these lists are one consistent
 * picture, as a snapshot takes it), then copied into messages a slice at a time with a turn of
 * the event loop between, so even ten years of live records never hold the scans up.
 */
export async function sendState(port: TaskPort, state: StationState): Promise<void> {
  const seq = state.seq;
  const captured = collectionNames.filter((name) => !notSent.has(name)).map((name) => ({ c: name, v: [...state.records[name].values()] as unknown[] }));
  let sliceStart = performance.now();
  for (const { c, v } of captured) {
    for (let start = 0; start < v.length; start += SLICE_RECORDS) {
      port.post({ c, v: v.slice(start, start + SLICE_RECORDS) } satisfies StateSlice);
      if (performance.now() - sliceStart < SLICE_MS) continue;
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  port.post({ seq } satisfies StateSlice);
}

/** Bytes in one message to the main thread, and how many may wait for the response before the writer pauses. */
const PIECE_BYTES = 64 * 1024;
const PIECES_IN_FLIGHT = 4;

/**
 * The worker's end of a download: what exceljs or csv-stringify write is gathered into 64 KiB
 * pieces, each moved (not copied) to the main thread; the writer waits while 4 pieces are not yet
 * taken by the response, so a slow client slows the worker instead of filling memory.
 */
export class PortWritable extends Writable {
  readonly #port: TaskPort;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #inFlight = 0;
  readonly #done: Promise<void>;

  constructor(port: TaskPort) {
    super({ highWaterMark: PIECE_BYTES });
    this.#port = port;
    this.#done = new Promise((resolve, reject) => {
      this.once('finish', resolve);
      // Also the stream's error listener: a stopped download must not become an uncaught error in the thread.
      this.once('error', reject);
    });
    this.#done.catch(() => undefined);
  }

  /** Resolves once every piece is posted and the end told. */
  finished(): Promise<void> {
    return this.#done;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes < PIECE_BYTES) return callback();
    this.#flush().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#flush().then(() => {
      this.#port.post({ end: true } satisfies OutputMessage);
      callback();
    }, callback);
  }

  async #flush(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const piece = new Uint8Array(this.#pendingBytes);
    let offset = 0;
    for (const chunk of this.#pending) {
      piece.set(chunk, offset);
      offset += chunk.length;
    }
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#port.post({ bytes: piece } satisfies OutputMessage, [piece.buffer]);
    this.#inFlight++;
    while (this.#inFlight >= PIECES_IN_FLIGHT) {
      (await this.#port.receive()) as InputMessage;
      this.#inFlight--;
    }
  }
}

/**
 * The main thread's end: writes each piece to the response, waits while the client is slow, and
 * acknowledges it. `beforeFirstByte` runs once the worker has its data and starts the file (the
 * download's headers, the audit entry); a failure before that leaves the response untouched, so
 * it still becomes an ordinary error answer. False when the client went away first.
 */
export async function pipeToResponse(next: () => Promise<unknown>, port: TaskPort, res: Response, beforeFirstByte: () => Promise<void>): Promise<boolean> {
  let started = false;
  for (;;) {
    const message = (await next()) as OutputMessage;
    if (!started) {
      await beforeFirstByte();
      started = true;
    }
    if ('end' in message) return true;
    if (res.destroyed) return false;
    res.write(message.bytes);
    if (res.writableNeedDrain) await drainedOrClosed(res);
    if (res.destroyed) return false;
    port.post({ ack: true } satisfies InputMessage);
  }
}

function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
