import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../scripts/demo-data.ts';
import { lastClosedYear } from '../../server/src/store/archive/closed-years.ts';
import { DurableStore } from '../../server/src/store/durable-store.ts';
import { decodeLine, listJournalFiles } from '../../server/src/store/journal.ts';
import { freePort, serverEntryArgs, startChildServer, type ChildServer } from '../support/child-server.ts';
import { readStationAnswers, expectSameAnswers } from '../support/station-answers.ts';
import { ADMIN_PASSWORD, copyDataDir, makeDataDir } from '../support/station.ts';

/**
 * Real kill -9 during the archiving of closed years (issue 16): the server, started as `npm start`
 * starts it with ARCHIVE_CLOSED_YEARS=1, is stopped at an exact point by the test-only pause
 * (server/src/store/test-pause.ts, VS_TEST_PAUSE_AT) and killed with SIGKILL there. Restarted, it
 * finishes archiving, and everything the API answers must be what it answered before any
 * archiving: nothing lost, nothing counted twice.
 *
 * The server runs on the real clock (a child process), so the data leads up to today and the
 * closed years are computed, not fixed: at least two of them whatever the date.
 */
const TIME_ZONE = 'Asia/Shanghai';
const dirs: string[] = [];
const running = new Set<ChildServer>();
let base: string;
let years: number[];
let reference: Record<string, unknown>;

const copyOf = (dir: string) => copyDataDir(dir, dirs);

async function start(dataDir: string, archive: boolean): Promise<ChildServer> {
  const server = await startChildServer(dataDir, await freePort(), { ARCHIVE_CLOSED_YEARS: archive ? '1' : '0', ADMIN_PASSWORD });
  running.add(server);
  return server;
}

async function stop(server: ChildServer, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  await server.kill(signal);
  running.delete(server);
}

/**
 * Starts the server with archiving on and the pause armed at `point`, waits until it stops there
 * (it never answers health: archiving at start comes before listening), lets `check` look at the
 * data folder at that moment, and kills it with SIGKILL.
 */
async function killAt(dataDir: string, point: string, check: () => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, await serverEntryArgs(), {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', HTTPS_PORT: '0', MDNS: '0', LOG_LEVEL: 'warn', ADMIN_PASSWORD, ARCHIVE_CLOSED_YEARS: '1', VS_TEST_PAUSE_AT: point },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const deadline = Date.now() + 60_000;
    while (!output.includes(`VS_TEST_PAUSED ${point}`)) {
      if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}) before pausing at ${point}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`The server did not pause at ${point} within 60 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await check();
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

async function archiveFolder(dataDir: string): Promise<string[]> {
  return (await fs.readdir(path.join(dataDir, 'archive')).catch(() => [] as string[])).sort();
}

/** The years whose `archives` record is in the journal files on disk. */
async function journalledArchives(dataDir: string): Promise<number[]> {
  const found: number[] = [];
  for (const { file } of await listJournalFiles(dataDir)) {
    for (const line of (await fs.readFile(file, 'utf8')).split('\n')) {
      const record = line ? decodeLine(line) : null;
      for (const change of record?.changes ?? []) if (change.c === 'archives' && !('remove' in change)) found.push(change.v.year);
    }
  }
  return found.sort((a, b) => a - b);
}

async function snapshotHasArchives(dataDir: string): Promise<boolean> {
  return (await fs.readFile(path.join(dataDir, 'snapshot.jsonl'), 'utf8')).includes('{"c":"archives"');
}

const files = (list: number[]) => list.map((year) => `${year}.jsonl.gz`);

/** Restarts with archiving on, checks that every closed year is archived, cleanly, and that the answers are the reference's. */
async function expectRecovered(dataDir: string): Promise<void> {
  const server = await start(dataDir, true);
  try {
    expect(await archiveFolder(dataDir)).toEqual(files(years));
    expectSameAnswers(await readStationAnswers(server.url, years), reference);
  } finally {
    await stop(server);
  }
  // Stopped cleanly: the snapshot holds every archive record, and nothing half-written is left.
  expect(await snapshotHasArchives(dataDir)).toBe(true);
  expect((await fs.readdir(dataDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  expect(await archiveFolder(dataDir)).toEqual(files(years));
}

beforeAll(async () => {
  base = await makeDataDir();
  dirs.push(base);
  const now = new Date();
  const demo = await generateDemoData({ dataDir: base, size: 'small-3y', seed: 7, until: now, adminPassword: ADMIN_PASSWORD });
  const last = lastClosedYear(now, TIME_ZONE);
  const found = new Set<number>();
  for (const a of demo.state.records.attendance.values()) found.add(Number(new Date(a.checkInAt).toLocaleString('sv-SE', { timeZone: TIME_ZONE }).slice(0, 4)));
  years = [...found].filter((year) => year <= last).sort((a, b) => a - b);
  // Fold the loading journal into the snapshot, so the only snapshot at start is the one archiving takes.
  await (await DurableStore.open({ dir: base, warn: () => undefined })).close();
  expect((await listJournalFiles(base)).length).toBe(0);

  const server = await start(await copyOf(base), false);
  try {
    reference = await readStationAnswers(server.url, years);
  } finally {
    await stop(server);
  }
}, 600_000);

afterAll(async () => {
  for (const server of running) await server.kill('SIGKILL');
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe('kill -9 while closed years are archived', () => {
  it('has closed years with history to archive', () => {
    expect(years.length).toBeGreaterThanOrEqual(2);
    expect((reference[`/api/reports/year-summary?year=${years[1]}`] as { service: { hours: number } }).service.hours).toBeGreaterThan(50);
  });

  it('killed while the first archive file is being written: a half-written temp file, nothing else; restarted, nothing lost or doubled', async () => {
    const dir = await copyOf(base);
    await killAt(dir, 'archive-writing:1', async () => {
      expect(await archiveFolder(dir)).toEqual([`${years[0]}.jsonl.gz.tmp`]);
      expect(await journalledArchives(dir)).toEqual([]);
    });
    await expectRecovered(dir);
  }, 600_000);

  it('killed after every year\'s file is renamed into place but before the journal record: orphan files are replaced, not trusted', async () => {
    const dir = await copyOf(base);
    // All closed years move in one durable step: their files first, then one journal record.
    await killAt(dir, 'archive-renamed:1', async () => {
      expect(await archiveFolder(dir)).toEqual(files(years));
      expect(await journalledArchives(dir)).toEqual([]);
    });
    await expectRecovered(dir);
  }, 600_000);

  it('killed after the journal record of the years\' moves, before the snapshot: the journal replays the moves', async () => {
    const dir = await copyOf(base);
    await killAt(dir, 'archive-committed:1', async () => {
      expect(await archiveFolder(dir)).toEqual(files(years));
      expect(await journalledArchives(dir)).toEqual(years);
      expect(await snapshotHasArchives(dir)).toBe(false);
    });
    await expectRecovered(dir);
  }, 600_000);

  it('killed while the snapshot after archiving is being written: the old snapshot and the journal still hold everything', async () => {
    const dir = await copyOf(base);
    await killAt(dir, 'snapshot-writing:1', async () => {
      expect(await archiveFolder(dir)).toEqual(files(years));
      expect(await journalledArchives(dir)).toEqual(years);
      expect((await fs.readdir(dir)).includes('snapshot.jsonl.tmp')).toBe(true);
      expect(await snapshotHasArchives(dir)).toBe(false);
    });
    await expectRecovered(dir);
  }, 600_000);

  it('crashes twice, with a start without archiving in between: leftovers neither confuse that start nor the next', async () => {
    const dir = await copyOf(base);
    await killAt(dir, 'archive-writing:2', async () => {
      expect(await archiveFolder(dir)).toEqual([...files(years.slice(0, 1)), `${years[1]}.jsonl.gz.tmp`]);
      expect(await journalledArchives(dir)).toEqual([]);
    });
    // Archiving off: the first year's file, never journalled, and the stray temp file are ignored.
    const between = await start(dir, false);
    try {
      expectSameAnswers(await readStationAnswers(between.url, years), reference);
    } finally {
      await stop(between);
    }
    expect(await snapshotHasArchives(dir)).toBe(false);
    await killAt(dir, 'archive-renamed:1', async () => {
      expect(await archiveFolder(dir)).toEqual(files(years));
      expect(await journalledArchives(dir)).toEqual([]);
    });
    await expectRecovered(dir);
  }, 600_000);
});
