import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Adapter } from 'lowdb';
import { StoreDamagedError, syncDirectory } from './journal.ts';
import { collectionNames, StationState, type CollectionName } from './state.ts';
import { PRIVATE_FILE_MODE } from '../security/file-modes.ts';
import { testPause } from './test-pause.ts';

const FORMAT = 'volunteer-station-snapshot';
const VERSION = 1;
/** Records serialised between yields to the event loop: about a millisecond of work, so scans keep flowing during a snapshot. */
const CHUNK = 1000;
/**
 * Bytes parsed between reads: a few milliseconds of work, because a snapshot is also read while
 * the server runs (the daily backup opens its copy to check it) and must not stall scans.
 */
const READ_BYTES = 256 * 1024;
/** Snapshot bytes (about, in UTF-16 code units) written between two datasyncs. */
const SYNC_EVERY_BYTES = 8 * 1024 * 1024;

interface Header {
  format: string;
  version: number;
  seq: number;
  createdAt: string;
}

interface Trailer {
  end: true;
  count: number;
  crc: number;
}

/**
 * lowdb's storage adapter for the station state, written as JSON Lines instead of one JSON
 * document: the records are captured synchronously (records are replaced, never mutated, so a
 * shallow copy of each collection is a consistent picture) and then written in small chunks,
 * so the event loop never stalls for the whole state. The file is made atomically: temp file,
 * fdatasync, rename, folder sync. The header records the journal position it covers.
 */
export class SnapshotFile implements Adapter<StationState> {
  readonly file: string;

  constructor(dir: string, private readonly filterRecord: (collection: CollectionName, record: unknown) => boolean = () => true) {
    this.file = path.join(dir, 'snapshot.jsonl');
  }

  async read(): Promise<StationState | null> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const state = new StationState();
    let header: Header | null = null;
    let trailer: Trailer | null = null;
    let count = 0;
    let checksum = 0;
    let end = 0;
    const take = (bytes: Buffer, lineOffset: number) => {
      if (trailer) throw new StoreDamagedError(this.file, lineOffset, 'Data after the end of the snapshot');
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new StoreDamagedError(this.file, lineOffset, 'An unreadable snapshot line');
      }
      if (!header) {
        header = value as Header;
        if (header.format !== FORMAT || header.version !== VERSION || !Number.isInteger(header.seq)) {
          throw new StoreDamagedError(this.file, 0, 'Not a Volunteer Station snapshot of a known version');
        }
        return;
      }
      if ((value as Trailer).end === true) {
        trailer = value as Trailer;
        return;
      }
      const { c, v } = value as { c: CollectionName; v: { id?: unknown } };
      if (!collectionNames.includes(c) || typeof v?.id !== 'string') throw new StoreDamagedError(this.file, lineOffset, 'A snapshot record of an unknown kind');
      (state.records[c] as Map<string, unknown>).set(v.id, v);
      checksum = crc32(bytes, checksum);
      count++;
    };
    // Lines are cut from large buffers by hand: readline's decoding and splitting cost about as
    // much as the JSON parsing itself, which made start-up on ten years of records slow.
    try {
      const buffer = Buffer.allocUnsafe(READ_BYTES);
      let carry = Buffer.alloc(0);
      let carryOffset = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        const data = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
        let start = 0;
        for (let newline = data.indexOf(0x0a, start); newline !== -1; newline = data.indexOf(0x0a, start)) {
          // A CR before the newline (a copy edited on Windows) is not part of the record.
          take(data.subarray(start, newline > start && data[newline - 1] === 0x0d ? newline - 1 : newline), carryOffset + start);
          start = newline + 1;
        }
        carry = Buffer.from(data.subarray(start));
        carryOffset += start;
      }
      if (carry.length > 0) take(carry, carryOffset);
      end = carryOffset + carry.length;
    } finally {
      await handle.close();
    }
    if (!header) throw new StoreDamagedError(this.file, 0, 'An empty snapshot');
    const complete = trailer as Trailer | null;
    if (!complete || complete.count !== count || complete.crc !== checksum) throw new StoreDamagedError(this.file, end, 'An incomplete or altered snapshot');
    state.seq = (header as Header).seq;
    return state;
  }

  async write(state: StationState): Promise<void> {
    // Everything below the first await is one synchronous step: this is the consistent picture.
    const seq = state.seq;
    const captured = collectionNames.map((name) => [name, Array.from<unknown>((state.records[name] as Map<string, unknown>).values())] as const);

    const temp = `${this.file}.tmp`;
    const handle = await fs.open(temp, 'w', PRIVATE_FILE_MODE);
    let count = 0;
    let checksum = 0;
    let unsynced = 0;
    let paused = false;
    try {
      await handle.write(`${JSON.stringify({ format: FORMAT, version: VERSION, seq, createdAt: new Date().toISOString() } satisfies Header)}\n`);
      for (const [name, records] of captured) {
        for (let start = 0; start < records.length; start += CHUNK) {
          let chunk = '';
          for (const record of records.slice(start, start + CHUNK)) {
            if (!this.filterRecord(name, record)) continue;
            const line = JSON.stringify({ c: name, v: record });
            checksum = crc32(line, checksum);
            count++;
            chunk += `${line}\n`;
          }
          await handle.write(chunk);
          if (count > 0 && !paused) {
            paused = true;
            await testPause('snapshot-writing');
          }
          unsynced += chunk.length;
          // One datasync of the whole file at the end made the journal's own fdatasync wait
          // behind ~170 MB of writeback (~350 ms acks on the community-10y set); syncing as we
          // go keeps each flush, and so each wait, short.
          if (unsynced >= SYNC_EVERY_BYTES) {
            await handle.datasync();
            unsynced = 0;
          }
        }
      }
      await handle.write(`${JSON.stringify({ end: true, count, crc: checksum } satisfies Trailer)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, this.file);
    await syncDirectory(path.dirname(this.file));
  }
}
