import type { KioskClientEvents } from '@protocol/events.ts';
import type { KioskConnection } from '../connection.ts';

/**
 * Task acceptances waiting for the connection, kept in localStorage like the scan queue keeps
 * scans: each has its opId, so sending it again after a drop is harmless (the server answers
 * from its receipt).
 */
export interface PendingAccept {
  opId: string;
  code: string;
  phoneLast4?: string;
  requestId: string;
}

const KEY = 'vs-kiosk-task-queue';

export function pendingAccepts(): PendingAccept[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as PendingAccept[];
  } catch {
    return [];
  }
}

function save(items: PendingAccept[]): void {
  localStorage.setItem(KEY, JSON.stringify(items));
}

type AcceptAck = Parameters<Parameters<KioskClientEvents['task:accept']>[1]>[0];

/** Told when a queued acceptance gets its answer, so a task screen still open can show it. */
const settledListeners = new Set<(item: PendingAccept, ack: AcceptAck) => void>();

export function onAcceptSettled(listener: (item: PendingAccept, ack: AcceptAck) => void): () => void {
  settledListeners.add(listener);
  return () => settledListeners.delete(listener);
}

/** An answer, success or refusal, settles an acceptance; no answer leaves it queued. */
function settle(item: PendingAccept, ack: AcceptAck): void {
  save(pendingAccepts().filter((p) => p.opId !== item.opId));
  for (const listener of settledListeners) listener(item, ack);
}

/** Sends one acceptance now if possible; keeps it for later otherwise. Resolves to the ack, or null when it waits. */
export async function sendAccept(connection: KioskConnection | null, item: PendingAccept) {
  save([...pendingAccepts().filter((p) => p.opId !== item.opId), item]);
  const ack = (await connection?.serviceEvent('task:accept', item)) ?? null;
  if (ack) settle(item, ack);
  return ack;
}

/**
 * After a reconnect and on the kiosk's refresh timer: send what waited, oldest first. An ack lost
 * on a live connection (a timeout) is sent again here too; the server answers it from its receipt.
 */
export async function replayAccepts(connection: KioskConnection | null): Promise<void> {
  for (const item of pendingAccepts()) {
    const ack = await connection?.serviceEvent('task:accept', item);
    if (!ack) return;
    settle(item, ack);
  }
}
