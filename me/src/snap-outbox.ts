import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { api, isNetworkFailure } from './api.ts';

/** A snap waiting on the phone for the Wi-Fi: the photo (already shrunk) and the form, with the id that makes a resend harmless. */
export interface OutboxSnap {
  clientId: string;
  photo: Blob;
  category: string;
  place: string;
  note: string;
  createdAt: string;
}

interface OutboxDb extends DBSchema {
  outbox: { key: string; value: OutboxSnap };
}

export type SendResult = { kind: 'sent' } | { kind: 'queued' } | { kind: 'refused'; code: string };

export function formOf(snap: OutboxSnap): FormData {
  const form = new FormData();
  form.append('clientId', snap.clientId);
  form.append('category', snap.category);
  form.append('place', snap.place);
  if (snap.note) form.append('note', snap.note);
  form.append('photo', snap.photo, 'photo.jpg');
  return form;
}

/**
 * Snaps are sent at once when the server answers; when it cannot be reached they stay in
 * IndexedDB and go out when the phone is back on the Wi-Fi (the `online` event, the next visit,
 * or a periodic retry). The server takes the same clientId only once.
 */
export class SnapOutbox {
  #db: Promise<IDBPDatabase<OutboxDb>> | null = null;
  #flushing = false;

  #open(): Promise<IDBPDatabase<OutboxDb>> {
    this.#db ??= openDB<OutboxDb>('vs-me', 1, { upgrade: (db) => db.createObjectStore('outbox', { keyPath: 'clientId' }) });
    return this.#db;
  }

  async count(): Promise<number> {
    try {
      return await (await this.#open()).count('outbox');
    } catch {
      return 0;
    }
  }

  async send(snap: OutboxSnap): Promise<SendResult> {
    try {
      await api.sendSnap(formOf(snap));
      return { kind: 'sent' };
    } catch (error) {
      if (!isNetworkFailure(error)) return { kind: 'refused', code: (error as { code: string }).code };
      await (await this.#open()).put('outbox', snap);
      return { kind: 'queued' };
    }
  }

  /** Sends what waits, oldest first; stops at the first network failure. Returns how many went out. */
  async flush(): Promise<number> {
    if (this.#flushing) return 0;
    this.#flushing = true;
    let sent = 0;
    try {
      const db = await this.#open();
      const waiting = (await db.getAll('outbox')).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
      for (const snap of waiting) {
        try {
          await api.sendSnap(formOf(snap));
        } catch (error) {
          if (isNetworkFailure(error)) break;
          // Refused for good (a bad photo, a revoked phone): keeping it would retry forever.
        }
        await db.delete('outbox', snap.clientId);
        sent++;
      }
    } catch {
      // No IndexedDB (private mode on an old browser): nothing was queued either.
    } finally {
      this.#flushing = false;
    }
    return sent;
  }
}
