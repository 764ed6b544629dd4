import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { createGunzip, crc32, gzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { promisify } from 'node:util';
import { StoreDamagedError, syncDirectory } from '../journal.ts';
import { PRIVATE_FILE_MODE, makePrivateFolder } from '../../security/file-modes.ts';
import { testPause } from '../test-pause.ts';
import type { Attendance, LedgerEntry } from '../../protocol/model.ts';
import type { ServiceRecord } from '../../protocol/service.ts';

const FORMAT = 'volunteer-station-archive';
const VERSION = 1;
/** The folder of DATA_DIR holding one file per closed year. */
export const ARCHIVE_DIR = 'archive';

const gzipAsync = promisify(gzip);

/** What a closed year's file holds: the history only reports, certificates and exports need. */
export interface ArchivedRecords {
  attendance: Attendance[];
  ledger: LedgerEntry[];
  serviceRecords: ServiceRecord[];
}
export type ArchivedCollection = keyof ArchivedRecords;
export const archivedCollections: readonly ArchivedCollection[] = ['attendance', 'ledger', 'serviceRecords'];

export type ArchivedRecord = { [C in ArchivedCollection]: { c: C; v: ArchivedRecords[C][number] } }[ArchivedCollection];

interface Header {
  format: string;
  version: number;
  year: number;
  createdAt: string;
}

interface Trailer {
  end: true;
  count: number;
  crc: number;
}

/** How a written file is identified in the live state: its place, size and checksum of the bytes on disk. */
export interface ArchiveFileFacts {
  /** Relative to DATA_DIR, with `/`. */
  file: string;
  bytes: number;
  sha256: string;
  counts: Record<ArchivedCollection, number>;
}

export function archiveFileName(year: number): string {
  return `${ARCHIVE_DIR}/${year}.jsonl.gz`;
}

/**
 * Writes a closed year's records as gzipped JSON Lines: a header, one `{"c","v"}` line per record,
 * a trailer with the count and the crc32 of the record lines (the snapshot's format). Made
 * atomically: temp file, fsync, rename, folder fsync; a file of the same name (left by an
 * archiving that crashed before it was committed, so never referenced) is replaced.
 */
export async function writeArchiveFile(dataDir: string, year: number, records: ArchivedRecords, createdAt: Date): Promise<ArchiveFileFacts> {
  const relative = archiveFileName(year);
  const target = path.join(dataDir, relative);
  await makePrivateFolder(path.dirname(target));
  const lines: string[] = [JSON.stringify({ format: FORMAT, version: VERSION, year, createdAt: createdAt.toISOString() } satisfies Header)];
  let checksum = 0;
  let count = 0;
  for (const c of archivedCollections) {
    for (const v of records[c]) {
      const line = JSON.stringify({ c, v });
      checksum = crc32(line, checksum);
      count++;
      lines.push(line);
    }
  }
  lines.push(JSON.stringify({ end: true, count, crc: checksum } satisfies Trailer));
  // zlib's async gzip runs on the thread pool: a year of a busy center (~30,000 lines) never blocks the loop.
  const bytes = await gzipAsync(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
  const temp = `${target}.tmp`;
  const handle = await fs.open(temp, 'w', PRIVATE_FILE_MODE);
  try {
    // Two writes, so a kill -9 test can stop between them (store/test-pause.ts).
    const half = bytes.length >> 1;
    await handle.write(bytes.subarray(0, half));
    await testPause('archive-writing');
    await handle.write(bytes.subarray(half));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, target);
  await syncDirectory(path.dirname(target));
  await syncDirectory(dataDir);
  return {
    file: relative,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    counts: { attendance: records.attendance.length, ledger: records.ledger.length, serviceRecords: records.serviceRecords.length },
  };
}

/**
 * Streams a closed year's records, checking as it goes: the header, each line, and at the end
 * the trailer's count and crc and, when given, the sha256 and size the live state recorded.
 * Any difference throws StoreDamagedError naming the file; a caller that collected records
 * must drop them then (the check at the end is what makes them trustworthy).
 */
export async function* readArchiveFile(dataDir: string, expected: { file: string; year?: number; sha256?: string; bytes?: number }): AsyncGenerator<ArchivedRecord> {
  const file = path.join(dataDir, expected.file);
  const hash = createHash('sha256');
  let size = 0;
  const raw = createReadStream(file);
  raw.on('data', (chunk) => {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  });
  const lines = createGunzip();
  raw.on('error', (error) => lines.destroy(error));
  raw.pipe(lines);
  let header: Header | null = null;
  let trailer: Trailer | null = null;
  let count = 0;
  let checksum = 0;
  let carry = '';
  const decoder = new StringDecoder('utf8');
  let offset = 0;
  const parse = (line: string): ArchivedRecord | undefined => {
    if (trailer) throw new StoreDamagedError(file, offset, 'Data after the end of the archive');
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new StoreDamagedError(file, offset, 'An unreadable archive line');
    }
    if (!header) {
      header = value as Header;
      if (header.format !== FORMAT || header.version !== VERSION || (expected.year !== undefined && header.year !== expected.year)) {
        throw new StoreDamagedError(file, 0, 'Not a Volunteer Station archive of a known version and of the expected year');
      }
      return undefined;
    }
    if ((value as Trailer).end === true) {
      trailer = value as Trailer;
      return undefined;
    }
    const record = value as ArchivedRecord;
    if (!archivedCollections.includes(record.c) || typeof record.v?.id !== 'string') throw new StoreDamagedError(file, offset, 'An archive record of an unknown kind');
    checksum = crc32(line, checksum);
    count++;
    return record;
  };
  try {
    for await (const chunk of lines) {
      // A chunk may end inside a character (Chinese text is 3 bytes a character): the decoder keeps the rest.
      const text = carry + decoder.write(chunk as Buffer);
      let start = 0;
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
        const record = parse(text.slice(start, newline));
        offset += Buffer.byteLength(text.slice(start, newline + 1));
        start = newline + 1;
        if (record) yield record;
      }
      carry = text.slice(start);
    }
  } catch (error) {
    if (error instanceof StoreDamagedError) throw error;
    throw new StoreDamagedError(file, offset, `The archive cannot be read (${(error as Error).message})`);
  } finally {
    raw.destroy();
  }
  carry += decoder.end();
  if (carry.length > 0) {
    const record = parse(carry);
    if (record) yield record;
  }
  const end = trailer as Trailer | null;
  if (!header || !end || end.count !== count || end.crc !== checksum) throw new StoreDamagedError(file, offset, 'An incomplete or altered archive');
  if (expected.bytes !== undefined && size !== expected.bytes) throw new StoreDamagedError(file, size, `The archive has ${size} bytes where ${expected.bytes} were recorded`);
  if (expected.sha256 !== undefined && hash.digest('hex') !== expected.sha256) throw new StoreDamagedError(file, 0, 'The archive does not match the checksum recorded when it was written');
}

/** Reads a whole archive file into memory, checked (see readArchiveFile). */
export async function loadArchiveFile(dataDir: string, expected: { file: string; year?: number; sha256?: string; bytes?: number }): Promise<ArchivedRecords> {
  const records: ArchivedRecords = { attendance: [], ledger: [], serviceRecords: [] };
  for await (const record of readArchiveFile(dataDir, expected)) (records[record.c] as unknown[]).push(record.v);
  return records;
}

/** Reads every archive the state refers to, whole, checking every line and the recorded size and sha256 (a backup's check). */
export async function checkArchiveFiles(dataDir: string, state: { records: { archives: Map<string, { file: string; year: number; sha256: string; bytes: number }> } }): Promise<void> {
  for (const archive of state.records.archives.values()) {
    for await (const record of readArchiveFile(dataDir, archive)) void record;
  }
}
