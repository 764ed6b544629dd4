import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../scripts/demo-data.ts';
import { BackupInvalidError, checkDataFolder } from '../../server/src/backup/backup-archive.ts';
import { AppError } from '../../server/src/protocol/errors.ts';
import type { Attendance } from '../../server/src/protocol/model.ts';
import type { ServiceRecord } from '../../server/src/protocol/service.ts';
import { archivedCollections, loadArchiveFile, writeArchiveFile } from '../../server/src/store/archive/archive-file.ts';
import { archivableRecords, type YearArchive } from '../../server/src/store/archive/year-archive.ts';
import { DurableStore } from '../../server/src/store/durable-store.ts';
import { StoreDamagedError } from '../../server/src/store/journal.ts';
import type { StationState } from '../../server/src/store/state.ts';
import { figuresOf } from '../../server/src/volunteers/figures.ts';
import { makeDataDir } from '../support/station.ts';

// A fixed day: three years of history, 2022–2024 closed (2024 closed on 1 February 2025).
const NOW = new Date('2025-06-18T10:30:00+08:00');
const now = () => NOW;
const quiet = { warn: () => undefined, now };
const dirs: string[] = [];
let pristine: string;

async function tempDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}
async function copyOf(dir: string): Promise<string> {
  const copy = await tempDir();
  await fs.cp(dir, copy, { recursive: true });
  return copy;
}

/** Every volunteer's hours, period hours, points, stars and raw totals (lifetime and per year). */
function totalsOf(state: StationState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const id of [...state.records.volunteers.keys()].sort()) {
    const totals = state.totalsOf(id);
    out[id] = {
      ...figuresOf(state, id, NOW),
      minutes: totals.minutes,
      pointsTenths: totals.pointsTenths,
      byYear: [...totals.minutesByYear].filter(([, minutes]) => minutes !== 0).sort((a, b) => a[0] - b[0]),
    };
  }
  for (const id of [...state.records.goods.keys()].sort()) out[`stock:${id}`] = state.stockOf(id);
  return out;
}

type History = Map<string, string>;
/** The live history records by collection and id, as JSON. */
function liveHistory(state: StationState): History {
  const out: History = new Map();
  for (const c of archivedCollections) for (const [id, v] of state.records[c] as Map<string, unknown>) out.set(`${c}:${id}`, JSON.stringify(v));
  return out;
}
/** The live records plus every archived record; throws if a record is in two places. */
async function wholeHistory(dir: string, state: StationState): Promise<History> {
  const out = liveHistory(state);
  for (const archive of state.records.archives.values()) {
    const records = await loadArchiveFile(dir, archive);
    for (const c of archivedCollections) {
      for (const v of records[c]) {
        const key = `${c}:${v.id}`;
        if (out.has(key)) throw new Error(`${key} is both live and in the archive of ${archive.year}`);
        out.set(key, JSON.stringify(v));
      }
    }
  }
  return out;
}

async function withStore<T>(dir: string, use: (store: DurableStore) => Promise<T>): Promise<T> {
  const store = await DurableStore.open({ dir, ...quiet });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

function serviceRecord(id: string, volunteerId: string, startedAt: string, minutes: number, removed = false): ServiceRecord {
  return {
    id, volunteerId, kind: 'visit', sourceId: `visit-${id}`, title: '上门探访', startedAt, endedAt: new Date(Date.parse(startedAt) + minutes * 60_000).toISOString(),
    minutes, creditedMinutes: minutes, ...(removed ? { removed: { at: startedAt, by: 'staff:admin', reason: '录错' } } : {}),
  };
}

let beforeTotals: Record<string, unknown>;
let beforeHistory: History;

beforeAll(async () => {
  pristine = await tempDir();
  await generateDemoData({ dataDir: pristine, size: 'small-3y', seed: 11, until: NOW });
  await withStore(pristine, async (store) => {
    const volunteers = [...store.state.records.volunteers.keys()];
    // Service hours count like attendance: a few in a closed year (one removed), one this year.
    await store.commit([
      { c: 'serviceRecords', v: serviceRecord('sr-1', volunteers[0]!, '2023-05-04T02:00:00.000Z', 90) },
      { c: 'serviceRecords', v: serviceRecord('sr-2', volunteers[1]!, '2023-12-31T15:30:00.000Z', 60) },
      { c: 'serviceRecords', v: serviceRecord('sr-3', volunteers[1]!, '2024-02-10T02:00:00.000Z', 45, true) },
      { c: 'serviceRecords', v: serviceRecord('sr-4', volunteers[2]!, '2025-03-10T02:00:00.000Z', 30) },
    ]);
    beforeTotals = totalsOf(store.state);
    beforeHistory = liveHistory(store.state);
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe('closed years archived out of the live state', () => {
  it('moves 2022–2024 to checksummed files; every total is identical before, after, and after a restart; nothing is lost or doubled', async () => {
    const dir = await copyOf(pristine);
    await withStore(dir, async (store) => {
      const state = store.state;
      const liveBefore = state.records.attendance.size + state.records.ledger.size;
      expect(await store.archiveClosedYears()).toEqual([2022, 2023, 2024]);
      expect(state.archivedYears()).toEqual([2022, 2023, 2024]);
      expect(totalsOf(state)).toEqual(beforeTotals);
      expect(await wholeHistory(dir, state)).toEqual(beforeHistory);
      // Most of the history left memory; what stayed of closed years is only what may still change.
      expect(state.records.attendance.size + state.records.ledger.size).toBeLessThan(liveBefore / 2);
      for (const attendance of state.records.attendance.values()) {
        if (state.yearOf(attendance.checkInAt) <= 2024) expect(!attendance.checkOutAt || attendance.needsReview).toBeTruthy();
      }
      expect(state.get('serviceRecords', 'sr-4')).toBeDefined();
      for (const record of state.records.serviceRecords.values()) expect(state.yearOf(record.startedAt)).toBe(2025);
      // The audit log, redemptions and stock movements of closed years moved too; stock is carried per goods.
      for (const c of ['audit', 'redemptions', 'stockMovements'] as const) {
        expect([...beforeHistory.keys()].filter((k) => k.startsWith(`${c}:`)).length, c).toBeGreaterThan(state.records[c].size);
        for (const record of state.records[c].values()) expect(state.isArchivedYear(state.yearOf(record.at)), c).toBe(false);
      }
      expect(Object.entries(beforeTotals).some(([k, v]) => k.startsWith('stock:') && v !== 0)).toBe(true);
      // Nothing left to do the next time (daily).
      expect(await store.archiveClosedYears()).toEqual([]);
    });
    expect((await fs.readdir(path.join(dir, 'archive'))).sort()).toEqual(['2022.jsonl.gz', '2023.jsonl.gz', '2024.jsonl.gz']);
    // The snapshot no longer holds them; a restart reads the summaries and gets the same figures.
    await withStore(dir, async (store) => {
      expect(totalsOf(store.state)).toEqual(beforeTotals);
      expect(await wholeHistory(dir, store.state)).toEqual(beforeHistory);
    });
  }, 120_000);

  it('a crash after the file is written but before the journal record loses nothing and doubles nothing', async () => {
    const dir = await copyOf(pristine);
    const crashed = await DurableStore.open({ dir, ...quiet });
    expect(await crashed.archiveClosedYears({ stopAfter: 'file-written' })).toEqual([]);
    // The process dies here: no close, no snapshot. The files are on disk and referenced by nothing.
    expect((await fs.readdir(path.join(dir, 'archive'))).sort()).toEqual(['2022.jsonl.gz', '2023.jsonl.gz', '2024.jsonl.gz']);
    await withStore(dir, async (store) => {
      expect(store.state.archivedYears()).toEqual([]);
      expect(totalsOf(store.state)).toEqual(beforeTotals);
      expect(liveHistory(store.state)).toEqual(beforeHistory);
      // The next attempt replaces the orphan and completes.
      expect(await store.archiveClosedYears()).toEqual([2022, 2023, 2024]);
      expect(totalsOf(store.state)).toEqual(beforeTotals);
      expect(await wholeHistory(dir, store.state)).toEqual(beforeHistory);
    });
  }, 120_000);

  it('a crash right after the journal record (before any snapshot) is replayed to the same state', async () => {
    const dir = await copyOf(pristine);
    const crashed = await DurableStore.open({ dir, ...quiet });
    expect(await crashed.archiveClosedYears({ stopAfter: 'committed' })).toEqual([2022, 2023, 2024]);
    // Dies before the snapshot: the snapshot on disk still holds the years' records, the journal says they moved.
    await withStore(dir, async (store) => {
      expect(store.state.archivedYears()).toEqual([2022, 2023, 2024]);
      expect(totalsOf(store.state)).toEqual(beforeTotals);
      expect(await wholeHistory(dir, store.state)).toEqual(beforeHistory);
      expect(await store.archiveClosedYears()).toEqual([]);
    });
  }, 120_000);

  it('replays years archived one journal record each in the first format (version 1: the audit log, redemptions and stock stay live)', async () => {
    const dir = await copyOf(pristine);
    const crashed = await DurableStore.open({ dir, ...quiet });
    for (const year of [2022, 2023, 2024]) {
      const picked = archivableRecords(crashed.state, year, 1);
      const facts = await writeArchiveFile(dir, year, picked.records, NOW);
      const { counts } = facts;
      const v1: YearArchive = { id: String(year), year, archivedAt: NOW.toISOString(), ...facts, counts: { attendance: counts.attendance, ledger: counts.ledger, serviceRecords: counts.serviceRecords }, totals: picked.totals };
      await crashed.commit([{ c: 'archives', v: v1 }]);
    }
    // Dies before any snapshot: the next start replays three archive records, one after the other.
    await withStore(dir, async (store) => {
      const state = store.state;
      expect(state.archivedYears()).toEqual([2022, 2023, 2024]);
      expect(totalsOf(state)).toEqual(beforeTotals);
      expect(await wholeHistory(dir, state)).toEqual(beforeHistory);
      for (const c of ['audit', 'redemptions', 'stockMovements'] as const) {
        expect(state.records[c].size, c).toBe([...beforeHistory.keys()].filter((k) => k.startsWith(`${c}:`)).length);
      }
      expect(await store.archiveClosedYears()).toEqual([]);
    });
    // And from the snapshot that close wrote.
    await withStore(dir, async (store) => {
      expect(totalsOf(store.state)).toEqual(beforeTotals);
      expect(await wholeHistory(dir, store.state)).toEqual(beforeHistory);
    });
  }, 120_000);

  it('refuses a change dated in an archived year (YEAR_ARCHIVED) and changes nothing; the current year is untouched', async () => {
    const dir = await copyOf(pristine);
    await withStore(dir, async (store) => {
      await store.archiveClosedYears();
      const state = store.state;
      const seq = state.seq;
      const volunteerId = [...state.records.volunteers.keys()][0]!;
      const archived = (await loadArchiveFile(dir, state.records.archives.get('2023')!)).attendance[0]!;
      const archivedRedemption = (await loadArchiveFile(dir, state.records.archives.get('2023')!)).redemptions[0]!;
      expect(state.get('redemptions', archivedRedemption.id)).toBeUndefined();
      const backdated: Attendance = { ...archived, id: 'late-2023', createdAt: NOW.toISOString() };
      const current: Attendance = { ...archived, id: 'new-2025', checkInAt: '2025-06-18T01:00:00.000Z', checkOutAt: '2025-06-18T02:00:00.000Z', creditedMinutes: 60 };
      for (const changes of [
        [{ c: 'attendance', v: current }, { c: 'attendance', v: backdated }],
        [{ c: 'attendance', v: { ...archived, removed: { at: NOW.toISOString(), by: 'staff:admin', reason: '更正' } } }],
        [{ c: 'ledger', v: { id: 'l-late', volunteerId, delta: 5, kind: 'manual', reason: '补', at: '2024-12-30T00:00:00.000Z', by: 'staff:admin' } }],
        [{ c: 'serviceRecords', v: serviceRecord('sr-late', volunteerId, '2023-07-01T02:00:00.000Z', 60) }],
        // Voiding a redemption of an archived year (it left the live state with the year).
        [{ c: 'redemptions', v: { ...archivedRedemption, voided: { at: NOW.toISOString(), by: 'staff:admin', reason: '退回' } } }],
      ] as const) {
        const error = await store.commit([...changes]).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('YEAR_ARCHIVED');
        expect((error as AppError).status).toBe(409);
      }
      expect(state.seq).toBe(seq);
      expect(state.get('attendance', 'new-2025')).toBeUndefined();
      expect(state.get('attendance', archived.id)).toBeUndefined();
      await store.commit([{ c: 'attendance', v: current }]);
      expect(state.get('attendance', 'new-2025')).toBeDefined();
    });
  }, 120_000);

  it('receipts past their retention leave memory (not only the next snapshot); those within it stay', async () => {
    const dir = await copyOf(pristine);
    await withStore(dir, async (store) => {
      const days = store.state.settings.receiptRetentionDays;
      const receipt = (id: string, daysAgo: number) => ({ c: 'receipts' as const, v: { id, kind: 'scan' as const, at: new Date(NOW.getTime() - daysAgo * 86400_000).toISOString(), fingerprint: 'f', response: { ok: true } } });
      await store.commit([receipt('old', days + 1), receipt('recent', days - 1)]);
      expect(store.pruneExpired()).toBeGreaterThanOrEqual(1);
      expect(store.state.get('receipts', 'old')).toBeUndefined();
      expect(store.state.get('receipts', 'recent')).toBeDefined();
    });
  }, 120_000);

  it('archives are in the backup check: whole files pass, an altered or missing one is refused', async () => {
    const dir = await copyOf(pristine);
    await withStore(dir, (store) => store.archiveClosedYears());
    const good = await copyOf(dir);
    const result = await checkDataFolder(good, now);
    expect(result.counts.volunteers).toBeGreaterThan(0);

    // Same size, one byte changed inside the compressed data.
    const altered = await copyOf(dir);
    const file = path.join(altered, 'archive', '2023.jsonl.gz');
    const bytes = await fs.readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await fs.writeFile(file, bytes);
    await expect(checkDataFolder(altered, now)).rejects.toBeInstanceOf(BackupInvalidError);

    // A missing archive stops the start (its records are no longer in the snapshot) and fails the check.
    const missing = await copyOf(dir);
    await fs.rm(path.join(missing, 'archive', '2022.jsonl.gz'));
    await expect(DurableStore.open({ dir: missing, ...quiet })).rejects.toBeInstanceOf(StoreDamagedError);
    await expect(checkDataFolder(missing, now)).rejects.toBeInstanceOf(BackupInvalidError);
  }, 120_000);
});
