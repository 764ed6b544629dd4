import { promises as fs } from 'node:fs';
import { decodeLine, listJournalFiles, type JournalRecord } from '../store/journal.ts';

const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads the journal in order from a sequence number, for the district link, without ever
 * changing a file (the store appends to the newest one meanwhile). It remembers where it
 * stopped, so following the journal reads each byte once. 'gap' means the records asked for are
 * no longer in any journal file (a snapshot replaced them before the link existed).
 */
export class JournalCursor {
  readonly #dir: string;
  #file: string | null = null;
  #offset = 0;
  #nextSeq = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async read(fromSeq: number, maxSeq: number, maxRecords: number): Promise<JournalRecord[] | 'gap'> {
    if (fromSeq > maxSeq) return [];
    if (this.#file === null || this.#nextSeq !== fromSeq) {
      const found = await this.#locate(fromSeq);
      if (!found) return 'gap';
    }
    const records: JournalRecord[] = [];
    let size = CHUNK_BYTES;
    for (;;) {
      let chunk: Buffer;
      try {
        chunk = await readFrom(this.#file!, this.#offset, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        this.#file = null;
        return records.length > 0 ? records : 'gap';
      }
      let start = 0;
      let stop = false;
      for (;;) {
        const newline = chunk.indexOf(0x0a, start);
        if (newline === -1) break;
        const record = decodeLine(chunk.subarray(start, newline).toString('utf8'));
        // A line still being written, or one after the last synced commit, waits for the next read.
        if (record === null || record.seq > maxSeq) {
          stop = true;
          break;
        }
        if (record.seq >= fromSeq) records.push(record);
        this.#nextSeq = record.seq + 1;
        start = newline + 1;
        if (records.length >= maxRecords) {
          stop = true;
          break;
        }
      }
      this.#offset += start;
      if (stop || this.#nextSeq > maxSeq) return records;
      if (chunk.length === size) {
        // More of this file to read; a line longer than the chunk needs a larger one.
        if (start === 0) size *= 2;
        continue;
      }
      // The end of this file: the next record, if any, starts the next file.
      const files = await listJournalFiles(this.#dir);
      const next = files.find((entry) => entry.firstSeq === this.#nextSeq);
      if (!next) return records.length === 0 && files.some((entry) => entry.firstSeq > this.#nextSeq) ? 'gap' : records;
      this.#file = next.file;
      this.#offset = 0;
      size = CHUNK_BYTES;
    }
  }

  async #locate(fromSeq: number): Promise<boolean> {
    const files = await listJournalFiles(this.#dir);
    const holding = files.filter((entry) => entry.firstSeq <= fromSeq).at(-1);
    if (!holding) return false;
    this.#file = holding.file;
    this.#offset = 0;
    this.#nextSeq = holding.firstSeq;
    return true;
  }
}

async function readFrom(file: string, offset: number, length: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
