import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import type { Receipt, Session } from '../protocol/model.ts';
import { encodeRecord, JournalWriter, listJournalFiles, readJournalFile, StoreDamagedError } from './journal.ts';
import { SnapshotFile } from './snapshot-file.ts';
import { parseStoredSettings, StationState, type Change, type CollectionName } from './state.ts';
import type { StationStore } from './station-store.ts';
import { makePrivateFolder } from '../security/file-modes.ts';
import { StoreFailedError } from './store-failed-error.ts';
import { testPause } from './test-pause.ts';
import { AppError } from '../protocol/errors.ts';
import { writeArchiveFile, type ArchivedRecords } from './archive/archive-file.ts';
import { ArchiveCache, historyView, type YearRange } from './archive/history.ts';
import { lastClosedYear } from './archive/closed-years.ts';
import { archivableRecords, countOf, sameSelection, type YearArchive } from './archive/year-archive.ts';

export interface DurableStoreOptions {
  dir: string;
  now?: () => Date;
  warn?: (message: string) => void;
  /** Called once when the journal cannot be written; the entry point stops the process. */
  onFailure?: (error: Error) => void;
  /** A snapshot is taken after this many journal bytes (default 16 MiB), bounding replay time at start-up. */
  snapshotAfterBytes?: number;
  /**
   * The first journal sequence number that must stay on disk (a district hub has not received it
   * yet). Journal files holding it or anything later are kept past a snapshot. Unset: no limit.
   */
  retainJournalFrom?: number;
}

/** Where an archiving step stopped, for tests that simulate a crash between its steps. */
export type ArchiveStep = 'file-written' | 'committed';

const DAY = 24 * 3600_000;

/**
 * lowdb keeps the state in memory; every commit is journalled before it is acknowledged, and
 * snapshots are taken now and then (Redis AOF + RDB). See docs/architecture.md.
 */
export class DurableStore implements StationStore {
  readonly #db: Low<StationState>;
  readonly #dir: string;
  readonly #writer: JournalWriter;
  readonly #snapshotAfterBytes: number;
  readonly #now: () => Date;
  #fileSeq = 1;
  #bytesSinceSnapshot = 0;
  #snapshotting: Promise<void> | null = null;
  #closed = false;
  #durableSeq = 0;
  #retainFrom: number | undefined;
  readonly #durableListeners = new Set<(seq: number) => void>();
  readonly #archives: ArchiveCache;

  private constructor(dir: string, db: Low<StationState>, writer: JournalWriter, options: DurableStoreOptions) {
    this.#dir = dir;
    this.#db = db;
    this.#writer = writer;
    this.#snapshotAfterBytes = options.snapshotAfterBytes ?? 16 * 1024 * 1024;
    this.#now = options.now ?? (() => new Date());
    this.#retainFrom = options.retainJournalFrom;
    this.#archives = new ArchiveCache(dir);
  }

  static async open(options: DurableStoreOptions): Promise<DurableStore> {
    const dir = path.resolve(options.dir);
    const warn = options.warn ?? ((message) => console.warn(message));
    await makePrivateFolder(dir);
    const now = options.now ?? (() => new Date());
    let current: StationState | null = null;
    const adapter = new SnapshotFile(dir, (collection, record) => isKept(collection, record, current, now()));
    const db = new Low<StationState>(adapter, new StationState());
    await db.read();
    current = db.data;
    const state = db.data;

    const files = await listJournalFiles(dir);
    let replayed = 0;
    for (const [index, { file, firstSeq }] of files.entries()) {
      const records = await readJournalFile(file, index === files.length - 1, warn);
      let expected = firstSeq;
      for (const record of records) {
        if (record.seq !== expected) throw new StoreDamagedError(file, 0, `Journal record ${record.seq} where ${expected} was expected`);
        expected++;
        if (record.seq <= state.seq) continue;
        if (record.seq !== state.seq + 1) throw new StoreDamagedError(file, 0, `A gap in the journal: record ${record.seq} follows ${state.seq}`);
        for (const change of record.changes) state.apply(change);
        state.seq = record.seq;
        replayed++;
      }
    }
    state.rebuildIndexes();
    checkStoredSettings(dir, state);
    await checkArchiveFiles(dir, state);

    const writer = new JournalWriter(dir, (error) => options.onFailure?.(error));
    const store = new DurableStore(dir, db, writer, options);
    // Always continue in a new file: a snapshot may already cover records that never reached the
    // old file's end (written, not synced, before a crash), and sequence numbers must not repeat.
    store.#fileSeq = state.seq + 1;
    store.#durableSeq = state.seq;
    // A long replay means the next start would replay it again: fold it into a snapshot now.
    if (replayed > 1000) await store.snapshot();
    return store;
  }

  get state(): StationState {
    return this.#db.data;
  }

  commit(changes: Change[]): Promise<void> {
    if (this.#closed) return Promise.reject(new StoreFailedError('The store is closed'));
    if (this.#writer.failed) return Promise.reject(this.#writer.failed);
    if (changes.length === 0) return Promise.resolve();
    const state = this.state;
    // Checked before anything is applied: a refused transaction changes nothing.
    const archivedYear = state.archivedYearWrittenBy(changes);
    if (archivedYear !== undefined) {
      return Promise.reject(new AppError('YEAR_ARCHIVED', `The records of ${archivedYear} are archived and can no longer be changed`, 409, { year: archivedYear }));
    }
    const seq = state.seq + 1;
    const line = encodeRecord({ seq, at: this.#now().toISOString(), changes });
    for (const change of changes) state.apply(change);
    state.seq = seq;
    this.#bytesSinceSnapshot += line.length;
    const durable = this.#writer.append(this.#fileSeq, line).then(() => this.#markDurable(seq));
    if (this.#bytesSinceSnapshot >= this.#snapshotAfterBytes && !this.#snapshotting) void this.snapshot().catch(() => undefined);
    return durable;
  }

  /** The data folder holding the journal files (read by the district link, server/src/hub-link). */
  get dir(): string {
    return this.#dir;
  }

  /** The last sequence number whose journal line is on disk (lines are synced in order). */
  get durableSeq(): number {
    return this.#durableSeq;
  }

  /** Calls the listener with the new durable sequence number after every synced commit; returns the unsubscribe function. */
  onDurable(listener: (seq: number) => void): () => void {
    this.#durableListeners.add(listener);
    return () => this.#durableListeners.delete(listener);
  }

  /** See DurableStoreOptions.retainJournalFrom; undefined lifts the limit. */
  retainJournalFrom(seq: number | undefined): void {
    this.#retainFrom = seq;
  }

  #markDurable(seq: number): void {
    if (seq <= this.#durableSeq) return;
    this.#durableSeq = seq;
    for (const listener of this.#durableListeners) listener(seq);
  }

  /**
   * Writes a snapshot of the state as it is now and then removes the journal files it covers.
   * The journal is rotated at the same instant, so records after the snapshot go to a new file.
   */
  snapshot(): Promise<void> {
    this.#snapshotting ??= this.#takeSnapshot().finally(() => {
      this.#snapshotting = null;
    });
    return this.#snapshotting;
  }

  async #takeSnapshot(): Promise<void> {
    // Rotate in the same synchronous step that fixes the covered position: files that start at or
    // before it hold nothing newer, so they can go once the snapshot is on disk.
    const coveredSeq = this.state.seq;
    this.#fileSeq = coveredSeq + 1;
    this.#bytesSinceSnapshot = 0;
    const previousFiles = removableJournalFiles(await listJournalFiles(this.#dir), coveredSeq, this.#retainFrom);
    // Only lines already on disk may be covered by a snapshot that replaces their journal.
    await this.#writer.drain();
    if (this.#writer.failed) throw this.#writer.failed;
    await this.#db.write();
    for (const { file } of previousFiles) await fs.rm(file, { force: true });
  }

  async history(years?: YearRange): Promise<StationState> {
    const { archives } = this.archiveFiles(years);
    if (archives.length === 0) return this.state;
    const loaded = new Map<number, ArchivedRecords>();
    for (const archive of archives) loaded.set(archive.year, await this.#archives.load(archive));
    return historyView(this.state, loaded);
  }

  archivedRecords(year: number): Promise<ArchivedRecords> {
    const archive = this.state.records.archives.get(String(year));
    return archive ? this.#archives.load(archive) : Promise.resolve({ attendance: [], ledger: [], serviceRecords: [] });
  }

  archiveFiles(years?: YearRange): { dir: string; archives: YearArchive[] } {
    const wanted = this.state.archivedYears().filter((year) => !years || (year >= years.from && year <= years.to));
    return { dir: this.#dir, archives: wanted.map((year) => this.state.records.archives.get(String(year))!) };
  }

  /**
   * Moves every closed year (store/archive/closed-years.ts) still in the live state to its archive
   * file, oldest first, and snapshots so the next start no longer reads them. Each year is one
   * durable step: the file is written and synced, then one journal record (the `archives` record
   * with the year's totals) drops the records from the live state. A crash before that record
   * leaves an unreferenced file that the next attempt replaces: nothing lost, nothing counted
   * twice. Returns the years archived. `stopAfter` is for tests that simulate a crash.
   */
  async archiveClosedYears(options: { stopAfter?: ArchiveStep } = {}): Promise<number[]> {
    const done: number[] = [];
    const state = this.state;
    const last = lastClosedYear(this.#now(), state.settings.timeZone);
    const years = new Set<number>();
    for (const record of state.records.attendance.values()) years.add(state.yearOf(record.checkInAt));
    for (const record of state.records.ledger.values()) years.add(state.yearOf(record.at));
    for (const record of state.records.serviceRecords.values()) years.add(state.yearOf(record.startedAt));
    for (const year of [...years].filter((y) => y <= last && !state.isArchivedYear(y)).sort((a, b) => a - b)) {
      const picked = archivableRecords(state, year);
      if (countOf(picked.records) === 0) continue;
      const facts = await writeArchiveFile(this.#dir, year, picked.records, this.#now());
      if (options.stopAfter === 'file-written') return done;
      await testPause('archive-renamed');
      // Anything changed in the year while the file was written: leave the file (unreferenced) and try again next time.
      if (this.#closed || state.isArchivedYear(year) || !sameSelection(picked.records, archivableRecords(state, year).records)) break;
      const archive: YearArchive = { id: String(year), year, archivedAt: this.#now().toISOString(), ...facts, totals: picked.totals };
      await this.commit([{ c: 'archives', v: archive }]);
      done.push(year);
      if (options.stopAfter === 'committed') return done;
      await testPause('archive-committed');
    }
    if (done.length > 0) await this.snapshot();
    return done;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#snapshotting?.catch(() => undefined);
    await this.#writer.drain();
    if (!this.#writer.failed) await this.snapshot().catch(() => undefined);
    this.#closed = true;
    this.#archives.clear();
    await this.#writer.close();
  }
}

/**
 * Journal files a snapshot at coveredSeq makes redundant: those starting at or before it, except
 * any still holding a record at or after retainFrom (a file ends where the next one starts).
 */
function removableJournalFiles(files: { file: string; firstSeq: number }[], coveredSeq: number, retainFrom: number | undefined) {
  return files.filter((entry, index) => {
    if (entry.firstSeq > coveredSeq) return false;
    if (retainFrom === undefined) return true;
    const lastSeq = Math.min(coveredSeq, (files[index + 1]?.firstSeq ?? coveredSeq + 1) - 1);
    return lastSeq < retainFrom;
  });
}

/** Receipts past their retention and expired sessions are left out of the next snapshot, so they do not pile up over the years. */
function isKept(collection: CollectionName, record: unknown, state: StationState | null, now: Date): boolean {
  if (collection === 'receipts') {
    const days = state?.settings.receiptRetentionDays ?? 90;
    return now.getTime() - Date.parse((record as Receipt).at) < days * DAY;
  }
  if (collection === 'sessions') return Date.parse((record as Session).expiresAt) > now.getTime();
  return true;
}

/**
 * Every archive the state refers to must be there, whole in size: its records are no longer in
 * the snapshot. The full check (checksums of every line, sha256) is the backup's
 * (store/archive/archive-file.ts readArchiveFile, run by backup-archive checkDataFolder).
 */
async function checkArchiveFiles(dir: string, state: StationState): Promise<void> {
  for (const archive of state.records.archives.values()) {
    const file = path.join(dir, archive.file);
    const size = await fs.stat(file).then((stat) => stat.size).catch(() => -1);
    if (size !== archive.bytes) {
      throw new StoreDamagedError(file, 0, size < 0 ? `The archive of ${archive.year} is missing` : `The archive of ${archive.year} has ${size} bytes where ${archive.bytes} were recorded`);
    }
  }
}

/**
 * The settings decide every scan (time zone, repeat window, points rules): a hand-edited or
 * damaged settings record is refused at start, naming the record and the fields, rather than
 * found later in a wrong total. Records are replaced whole, so a valid one stays valid.
 */
function checkStoredSettings(dir: string, state: StationState): void {
  const record = state.records.config.get('settings') as { settings?: unknown } | undefined;
  if (!record) return;
  try {
    parseStoredSettings(record.settings);
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
    const fields = issues.map((issue) => `${issue.path.map(String).join('.') || '(settings)'}: ${issue.message}`).join('; ');
    throw new StoreDamagedError(dir, 0, `The settings record (config "settings") is not valid (${fields || String(error)})`);
  }
}
