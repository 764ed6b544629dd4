import type { ErrorCode, WireError } from '@protocol/errors.ts';
import type { ScanAck } from '@protocol/events.ts';
import type { ScanInput } from '@protocol/schemas.ts';

/** A scan kept on the tablet until the server has acknowledged it. */
export interface QueuedScan {
  /** Queue order: scans are replayed in the order they were made, so a sign-in comes before its sign-out. */
  seq: number;
  scan: ScanInput;
  /** Tablet time when it was queued (ms), for the staff list. */
  queuedAt: number;
  /** Failed deliveries that may succeed later (e.g. an internal error); see replayVerdict. */
  attempts: number;
  /** Masked name from the cached roster, so staff can tell whose scan needs attention. */
  displayName?: string;
}

/** A queued scan the server refused for good: a person has to sort it out. */
export interface AttentionItem {
  scanId: string;
  scan: ScanInput;
  displayName?: string;
  error: WireError;
}

export interface QueueStore {
  /** Queued scans in queue order. */
  list(): Promise<QueuedScan[]>;
  remove(seq: number): Promise<void>;
  recordAttempt(item: QueuedScan): Promise<void>;
  moveToAttention(item: QueuedScan, error: WireError): Promise<void>;
}

/** The server could not decide now but may later: keep the scan and try again. */
const RETRY_LATER: ReadonlySet<ErrorCode> = new Set(['STORE_UNAVAILABLE', 'RATE_LIMITED']);
/** Unexpected server errors are retried a few times, then shown to staff so one bad scan cannot block the queue forever. */
const INTERNAL_ERROR_ATTEMPTS = 3;

export type ReplayVerdict = 'done' | 'attention' | 'retry-later';

/**
 * What to do with a queued scan after one delivery. `ack` is null when no answer came (timeout
 * or disconnect): the scan may or may not be on the server, and resending the same scanId is
 * harmless, so it stays. An ok ack (including a repeat) is done; a definitive refusal goes to staff.
 */
export function replayVerdict(ack: ScanAck | null, attemptsBefore: number): ReplayVerdict {
  if (!ack) return 'retry-later';
  if (ack.ok) return 'done';
  if (RETRY_LATER.has(ack.error.code)) return 'retry-later';
  if (ack.error.code === 'INTERNAL_ERROR') return attemptsBefore + 1 >= INTERNAL_ERROR_ATTEMPTS ? 'attention' : 'retry-later';
  return 'attention';
}

export interface ReplayReport {
  delivered: number;
  toAttention: number;
  /** Scans still queued because a delivery must be retried later. */
  remaining: number;
}

/**
 * Sends queued scans one at a time, in order, and stops at the first one that must wait: sending
 * a later scan first could turn a volunteer's sign-out into a sign-in.
 */
export async function replayQueue(store: QueueStore, send: (scan: ScanInput) => Promise<ScanAck | null>): Promise<ReplayReport> {
  const items = await store.list();
  const report: ReplayReport = { delivered: 0, toAttention: 0, remaining: items.length };
  for (const item of items) {
    const ack = await send(item.scan);
    const verdict = replayVerdict(ack, item.attempts);
    if (verdict === 'retry-later') {
      if (ack) await store.recordAttempt(item);
      break;
    }
    if (verdict === 'attention' && ack && !ack.ok) {
      await store.moveToAttention(item, ack.error);
      report.toAttention++;
    } else {
      await store.remove(item.seq);
      report.delivered++;
    }
    report.remaining--;
  }
  return report;
}
