import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Change } from './state.ts';
import { PRIVATE_FILE_MODE } from '../security/file-modes.ts';
import { StoreFailedError } from './store-failed-error.ts';

/**
 * The journal: one line per transaction, `<crc32 hex> <json>\n`, in files named by the first
 * sequence number they hold. A line is on disk (fdatasync) before its transaction is
 * acknowledged; transactions that arrive together share one write and one sync (group commit).
 */

export interface JournalRecord {
  seq: number;
  at: string;
  changes: Change[];
}

export class StoreDamagedError extends Error {
  constructor(readonly file: string, readonly offset: number, problem: string) {
    super(`${problem} in ${file} at byte ${offset}. The data was left untouched; restore a backup or ask for help (docs/architecture.md, "Recovering").`);
    this.name = 'StoreDamagedError';
  }
}

const FILE_PATTERN = /^journal\.(\d{12})\.jsonl$/;

export function journalFileName(firstSeq: number): string {
  return `journal.${String(firstSeq).padStart(12, '0')}.jsonl`;
}

export async function listJournalFiles(dir: string): Promise<{ file: string; firstSeq: number }[]> {
  const names = await fs.readdir(dir);
  return names
    .map((name) => ({ name, match: FILE_PATTERN.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ file: path.join(dir, name), firstSeq: Number(match[1]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

export function encodeRecord(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

/**
 * Reads every record of one journal file. Damage in the last line of the newest file is a
 * write torn by a crash or power cut: it was never acknowledged, so it is cut off and the
 * caller warned. Damage anywhere else means the disk or a person changed the file, and
 * starting would silently lose acknowledged work: refuse, naming the file and position.
 */
export async function readJournalFile(file: string, isNewest: boolean, warn: (message: string) => void): Promise<JournalRecord[]> {
  const bytes = await fs.readFile(file);
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const newline = bytes.indexOf(0x0a, offset);
    const end = newline === -1 ? bytes.length : newline;
    const record = decodeLine(bytes.subarray(offset, end).toString('utf8'));
    const isLast = newline === -1 || newline === bytes.length - 1;
    if (record === null || newline === -1) {
      if (isNewest && isLast) {
        warn(`Journal ${path.basename(file)}: cut off ${bytes.length - offset} bytes of an incomplete last record at byte ${offset} (a write interrupted by a crash or power cut; it was never acknowledged).`);
        await fs.truncate(file, offset);
        break;
      }
      throw new StoreDamagedError(file, offset, 'A damaged journal record');
    }
    records.push(record);
    offset = end + 1;
  }
  return records;
}

/** One journal line (without its newline) as a record, or null when it is incomplete or damaged. */
export function decodeLine(line: string): JournalRecord | null {
  const space = line.indexOf(' ');
  if (space !== 8) return null;
  const json = line.slice(9);
  if (crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8)) return null;
  try {
    const record = JSON.parse(json) as JournalRecord;
    return Number.isInteger(record.seq) && Array.isArray(record.changes) ? record : null;
  } catch {
    return null;
  }
}

interface PendingLine {
  fileSeq: number;
  text: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Appends lines with group commit. Every line names the journal file it belongs to, so a
 * rotation (for a snapshot) takes effect at an exact sequence number while earlier lines are
 * still being flushed to the previous file.
 */
export class JournalWriter {
  #dir: string;
  #queue: PendingLine[] = [];
  #flushing: Promise<void> | null = null;
  #handle: fs.FileHandle | null = null;
  #handleSeq = -1;
  #failure: Error | null = null;
  #syncDirectory: boolean;

  constructor(dir: string, readonly onFailure: (error: Error) => void) {
    this.#dir = dir;
    // Windows cannot fsync a folder; a rename on NTFS is atomic on its own.
    this.#syncDirectory = process.platform !== 'win32';
  }

  get failed(): Error | null {
    return this.#failure;
  }

  append(fileSeq: number, text: string): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#queue.push({ fileSeq, text, resolve, reject });
      this.#flushing ??= new Promise<void>((done) => setImmediate(done)).then(() => this.#flushLoop());
    });
  }

  /** Resolves once every line queued so far is on disk. */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async close(): Promise<void> {
    await this.drain();
    await this.#handle?.close();
    this.#handle = null;
  }

  async #flushLoop(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#failure) {
        const batch = this.#queue;
        this.#queue = [];
        try {
          await this.#writeBatch(batch);
          for (const line of batch) line.resolve();
        } catch (cause) {
          const error = new StoreFailedError(`The journal could not be written (${(cause as Error).message}); no change after the last acknowledged one is kept.`, { cause });
          this.#failure = error;
          for (const line of [...batch, ...this.#queue]) line.reject(error);
          this.#queue = [];
          this.onFailure(error);
        }
      }
    } finally {
      this.#flushing = null;
    }
  }

  async #writeBatch(batch: PendingLine[]): Promise<void> {
    let start = 0;
    while (start < batch.length) {
      const fileSeq = batch[start]!.fileSeq;
      let end = start;
      while (end < batch.length && batch[end]!.fileSeq === fileSeq) end++;
      const handle = await this.#open(fileSeq);
      await handle.write(batch.slice(start, end).map((line) => line.text).join(''));
      await handle.datasync();
      start = end;
    }
  }

  async #open(fileSeq: number): Promise<fs.FileHandle> {
    if (this.#handle && this.#handleSeq === fileSeq) return this.#handle;
    await this.#handle?.close();
    const file = path.join(this.#dir, journalFileName(fileSeq));
    this.#handle = await fs.open(file, 'a', PRIVATE_FILE_MODE);
    this.#handleSeq = fileSeq;
    // A new file's directory entry must survive a power cut too, or its records vanish with it.
    if (this.#syncDirectory) await syncDirectory(this.#dir);
    return this.#handle;
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
