import type { LookupAck, OpenActivity, ScanSuccess } from '@protocol/events.ts';
import type { ScanInput } from '@protocol/schemas.ts';
import type { KioskConnection } from './connection.ts';
import type { OfflineStore } from './offline-queue.ts';
import { replayQueue, type QueueStore } from './queue-replay.ts';
import { cardNumberOf, normalizeScannedText } from './scanned-text.ts';

/** What the volunteer entered: a card's QR text, or a card number with the phone's last 4 digits. */
export interface CardEntry {
  code: string;
  phoneLast4?: string;
}

export interface ActivityChoice {
  id: string;
  title: string;
  place?: string;
}

export type ScanOutcome =
  | { kind: 'success'; ack: ScanSuccess }
  | { kind: 'failure'; code: string; details?: Record<string, unknown> }
  /** Several activities are open: the volunteer picks one, then `submit` is called again with it. */
  | { kind: 'choose'; entry: CardEntry; scannedAt: string; activities: ActivityChoice[] }
  | { kind: 'queued'; queueLength: number; displayName?: string; stars?: number };

/** What the service needs of the IndexedDB store and the socket; narrow, so tests can stand in for both. */
export type ScanStore = QueueStore & Pick<OfflineStore, 'enqueue' | 'count' | 'rosterEntry' | 'markOnSite'>;
export type ScanConnection = Pick<KioskConnection, 'online' | 'scan' | 'lookup'>;

export interface ScanServiceEvents {
  queueChanged(length: number): void;
}

/**
 * Every scan goes through here, one at a time. Online it is sent at once; offline (or when no
 * ack comes in time) it is stored in the queue first and the volunteer is told it was saved.
 * A live scan waits for the queue to drain, so the server always sees scans in the order they
 * were made.
 */
export class ScanService {
  #tail: Promise<unknown> = Promise.resolve();
  #openActivities: OpenActivity[] = [];

  constructor(
    private readonly store: ScanStore,
    private readonly clock: { now(): Date },
    private readonly connection: () => ScanConnection | null,
    private readonly events: ScanServiceEvents,
  ) {}

  /** The activities open at this station, as last heard from the server (kept for offline choices). */
  setOpenActivities(activities: OpenActivity[]): void {
    this.#openActivities = activities;
  }

  submit(entry: CardEntry, choice?: { activityId: string; scannedAt: string }): Promise<ScanOutcome> {
    // The time is taken when the card is read, not when the queue lets the scan through.
    const scannedAt = choice?.scannedAt ?? this.clock.now().toISOString();
    return this.#serially(() => this.#submit(entry, scannedAt, choice?.activityId));
  }

  /** Sends what is queued; called on reconnect, on a timer and at start-up. */
  async replay(): Promise<void> {
    await this.#serially(() => this.#replay());
  }

  async lookup(entry: CardEntry): Promise<LookupAck | null> {
    return (await this.connection()?.lookup(normalizeScannedText(entry.code), entry.phoneLast4)) ?? null;
  }

  async #submit(entry: CardEntry, scannedAt: string, activityId: string | undefined): Promise<ScanOutcome> {
    const scan: ScanInput = {
      // A new id for every attempt that differs in content: the server refuses a reused id with other content.
      scanId: crypto.randomUUID(),
      code: normalizeScannedText(entry.code),
      scannedAt,
      ...(activityId ? { activityId } : {}),
      ...(entry.phoneLast4 ? { phoneLast4: entry.phoneLast4 } : {}),
    };
    const connection = this.connection();
    const drained = connection?.online ? (await this.#replay()) === 0 : false;
    const ack = drained && connection ? await connection.scan(scan) : null;
    if (!ack) {
      // Offline the server cannot ask which activity, and a queued scan cannot ask later: ask now,
      // unless this is surely a sign-out (the server signs out without an activity).
      if (!activityId && this.#openActivities.length > 1 && !(await this.#surelyOnSite(scan.code))) {
        return { kind: 'choose', entry, scannedAt, activities: this.#openActivities.map(activityChoice) };
      }
      return this.#queue(scan);
    }
    if (ack.ok) {
      this.#remember(scan.code, ack.action);
      return { kind: 'success', ack };
    }
    if (ack.error.code === 'ACTIVITY_REQUIRED') {
      const activities = parseActivities(ack.error.details?.openActivities);
      if (activities.length > 0) return { kind: 'choose', entry, scannedAt, activities };
    }
    return { kind: 'failure', code: ack.error.code, ...(ack.error.details ? { details: ack.error.details } : {}) };
  }

  async #queue(scan: ScanInput): Promise<ScanOutcome> {
    const cardNo = cardNumberOf(scan.code);
    const known = cardNo ? await this.store.rosterEntry(cardNo) : undefined;
    const queueLength = await this.store.enqueue(scan, known?.displayName);
    this.events.queueChanged(queueLength);
    return { kind: 'queued', queueLength, ...(known ? { displayName: known.displayName, stars: known.stars } : {}) };
  }

  /**
   * Whether this tablet knows the card's holder to be signed in: the roster's word (fetched on
   * connect, kept current by this tablet's own acks), turned over by each scan of the card queued
   * since. Unknown cards and doubtful cases say no, so the volunteer is asked: a sign-in queued
   * without an activity could not be placed later.
   */
  async #surelyOnSite(code: string): Promise<boolean> {
    const cardNo = cardNumberOf(code);
    const known = cardNo ? await this.store.rosterEntry(cardNo) : undefined;
    if (!known) return false;
    const queued = (await this.store.list()).filter((item) => cardNumberOf(item.scan.code) === cardNo).length;
    return known.onSite !== (queued % 2 === 1);
  }

  #remember(code: string, action: ScanSuccess['action']): void {
    const cardNo = cardNumberOf(code);
    if (!cardNo || action === 'repeat') return;
    // Not awaited: the volunteer's green screen never waits for the tablet's own bookkeeping.
    void this.store.markOnSite(cardNo, action === 'check-in').catch(() => undefined);
  }

  /** Replays the queue; resolves with the number of scans still waiting. */
  async #replay(): Promise<number> {
    const connection = this.connection();
    if (!connection?.online) return this.store.count();
    const report = await replayQueue(this.store, (scan) => connection.scan(scan));
    if (report.delivered + report.toAttention > 0) this.events.queueChanged(report.remaining);
    return report.remaining;
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

function activityChoice(activity: OpenActivity): ActivityChoice {
  return { id: activity.id, title: activity.title, ...(activity.place ? { place: activity.place } : {}) };
}

/** `details` is loosely typed on the wire; only well-formed entries become buttons. */
function parseActivities(value: unknown): ActivityChoice[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const candidate = item as Partial<ActivityChoice> | null;
    if (!candidate || typeof candidate.id !== 'string' || typeof candidate.title !== 'string') return [];
    return [{ id: candidate.id, title: candidate.title, ...(typeof candidate.place === 'string' ? { place: candidate.place } : {}) }];
  });
}

