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

/** Sends one acceptance now if possible; keeps it for later otherwise. Resolves to the ack, or null when it waits. */
export async function sendAccept(connection: KioskConnection | null, item: PendingAccept) {
  save([...pendingAccepts().filter((p) => p.opId !== item.opId), item]);
  const ack = (await connection?.serviceEvent('task:accept', item)) ?? null;
  // An answer, success or refusal, settles it; no answer leaves it queued.
  if (ack) save(pendingAccepts().filter((p) => p.opId !== item.opId));
  return ack;
}

/** After a reconnect: send what waited, oldest first. */
export async function replayAccepts(connection: KioskConnection | null): Promise<void> {
  for (const item of pendingAccepts()) {
    const ack = await connection?.serviceEvent('task:accept', item);
    if (!ack) return;
    save(pendingAccepts().filter((p) => p.opId !== item.opId));
  }
}
