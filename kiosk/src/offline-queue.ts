import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { WireError } from '@protocol/errors.ts';
import type { RosterEntry } from '@protocol/events.ts';
import type { ScanInput } from '@protocol/schemas.ts';
import type { AttentionItem, QueuedScan, QueueStore } from './queue-replay.ts';

interface KioskDb extends DBSchema {
  queue: { key: number; value: QueuedScan };
  attention: { key: string; value: AttentionItem };
  roster: { key: string; value: RosterEntry };
}

/**
 * The tablet's durable memory, in IndexedDB: scans not yet acknowledged, scans the server
 * refused for good, and the roster for greeting people while offline. Each write is its own
 * transaction, committed before the volunteer sees "saved", so closing the tab loses nothing.
 */
export class OfflineStore implements QueueStore {
  readonly #db: IDBPDatabase<KioskDb>;

  private constructor(db: IDBPDatabase<KioskDb>) {
    this.#db = db;
  }

  static async open(name = 'volunteer-station-kiosk'): Promise<OfflineStore> {
    const db = await openDB<KioskDb>(name, 1, {
      upgrade(database) {
        database.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
        database.createObjectStore('attention', { keyPath: 'scanId' });
        database.createObjectStore('roster', { keyPath: 'cardNo' });
      },
    });
    return new OfflineStore(db);
  }

  /** Queues a scan and resolves with the queue length once it is committed. */
  async enqueue(scan: ScanInput, displayName?: string): Promise<number> {
    const tx = this.#db.transaction('queue', 'readwrite');
    // seq is filled in by the store's key generator, which only ever counts up.
    const item = { scan, queuedAt: Date.now(), attempts: 0, ...(displayName ? { displayName } : {}) } as QueuedScan;
    await tx.store.add(item);
    const count = await tx.store.count();
    await tx.done;
    return count;
  }

  list(): Promise<QueuedScan[]> {
    return this.#db.getAll('queue');
  }

  count(): Promise<number> {
    return this.#db.count('queue');
  }

  remove(seq: number): Promise<void> {
    return this.#db.delete('queue', seq);
  }

  async recordAttempt(item: QueuedScan): Promise<void> {
    await this.#db.put('queue', { ...item, attempts: item.attempts + 1 });
  }

  async moveToAttention(item: QueuedScan, error: WireError): Promise<void> {
    const tx = this.#db.transaction(['queue', 'attention'], 'readwrite');
    const entry: AttentionItem = { scanId: item.scan.scanId, scan: item.scan, error, ...(item.displayName ? { displayName: item.displayName } : {}) };
    await Promise.all([tx.objectStore('attention').put(entry), tx.objectStore('queue').delete(item.seq), tx.done]);
  }

  attention(): Promise<AttentionItem[]> {
    return this.#db.getAll('attention');
  }

  clearAttention(): Promise<void> {
    return this.#db.clear('attention');
  }

  /** Replaces the cached roster in one transaction, so a reader never sees half of it. */
  async replaceRoster(entries: RosterEntry[]): Promise<void> {
    const tx = this.#db.transaction('roster', 'readwrite');
    await Promise.all([tx.store.clear(), ...entries.map((entry) => tx.store.put(entry)), tx.done]);
  }

  rosterEntry(cardNo: string): Promise<RosterEntry | undefined> {
    return this.#db.get('roster', cardNo);
  }

  /** Keeps a roster entry's presence current after this tablet's own sign-in or sign-out. */
  async markOnSite(cardNo: string, onSite: boolean): Promise<void> {
    const tx = this.#db.transaction('roster', 'readwrite');
    const entry = await tx.store.get(cardNo);
    if (entry && entry.onSite !== onSite) await tx.store.put({ ...entry, onSite });
    await tx.done;
  }
}
