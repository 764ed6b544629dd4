import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../scripts/demo-data.ts';
import { BackupInvalidError, checkDataFolder, copyDataFolder, packBackup, unpackBackup } from '../../server/src/backup/backup-archive.ts';
import { DurableStore } from '../../server/src/store/durable-store.ts';
import { restoreBackup } from '../../server/src/backup/restore.ts';
import { expectSameAnswers, readStationAnswers } from '../support/station-answers.ts';
import { ADMIN_PASSWORD, adminClient, copyDataDir, makeDataDir, startStation, type TestStation } from '../support/station.ts';

/**
 * Backups of a station whose closed years live in archive files (issue 16): the archive files
 * travel in every backup, a restore (`npm run restore`, the admin's, encrypted) brings back
 * closed-year reports, certificates and histories exactly, and a backup missing an archive its
 * state refers to, or holding an altered one, is refused before anything changes.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// A fixed day: 2022–2024 are closed (2024 closed on 1 February 2025).
const NOW = new Date('2025-06-18T10:30:00+08:00');
const clock = { now: () => NOW };
const YEARS = [2022, 2023, 2024];
const ARCHIVES = YEARS.map((year) => `archive/${year}.jsonl.gz`);
const PASSPHRASE = '归档年份的备份口令2025';
const dirs: string[] = [];
let base: string;
let reference: Record<string, unknown>;
let t: TestStation | undefined;

async function tempDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}
const copyOf = (dir: string) => copyDataDir(dir, dirs);

/** Every file of a folder (but backups/) with its sha256: "nothing changed" is checked byte for byte. */
async function fingerprint(dir: string, under = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(path.join(dir, under), { withFileTypes: true })) {
    const relative = under ? `${under}/${entry.name}` : entry.name;
    if (relative === 'backups') continue;
    if (entry.isDirectory()) Object.assign(out, await fingerprint(dir, relative));
    else out[relative] = createHash('sha256').update(await fs.readFile(path.join(dir, relative))).digest('hex');
  }
  return out;
}

/** A station on `dataDir` with archiving on, its closed years archived. */
async function archivedStation(dataDir: string): Promise<TestStation> {
  t = await startStation({ dataDir, clock, archiveClosedYears: true });
  expect(t.station.ctx.store.state.archivedYears()).toEqual(YEARS);
  return t;
}

/** A copy of a backup with `change` applied to its data, packed again with a manifest that matches (as a hand-made backup would be). */
async function doctored(file: string, change: (data: string) => Promise<void>): Promise<string> {
  const work = await tempDir();
  const manifest = await unpackBackup(file, path.join(work, 'unpacked'));
  await change(path.join(work, 'unpacked', 'data'));
  await fs.rm(path.join(work, 'unpacked', 'manifest.json'));
  const out = path.join(work, path.basename(file));
  await packBackup(path.join(work, 'unpacked'), out, { createdAt: manifest.createdAt, seq: manifest.seq, counts: manifest.counts });
  return out;
}

beforeAll(async () => {
  base = await tempDir();
  await generateDemoData({ dataDir: base, size: 'small-3y', seed: 5, until: NOW, adminPassword: ADMIN_PASSWORD });
  const before = await startStation({ dataDir: await copyOf(base), clock });
  try {
    expect(before.station.ctx.store.state.archivedYears()).toEqual([]);
    reference = await readStationAnswers(before.url, YEARS);
  } finally {
    await before.stop();
  }
}, 600_000);

afterAll(async () => {
  await t?.stop();
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe('backups of archived years', () => {
  let backupFile: string;
  let dataDir: string;

  it('the daily backup holds every archive file, checked against the checksums the state recorded', async () => {
    dataDir = await copyOf(base);
    const station = await archivedStation(dataDir);
    const recorded = new Map([...station.station.ctx.store.state.records.archives.values()].map((a) => [a.file, a.sha256]));
    // The daily schedule, as the server runs it (no backup of today yet: it makes one at once).
    const daily = station.station.backups.startDailySchedule();
    const deadline = Date.now() + 60_000;
    while ((await station.station.backups.list()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await daily.stop();
    const [entry] = await station.station.backups.list();
    expect(entry).toBeDefined();
    backupFile = path.join(dataDir, 'backups', entry!.name);
    const unpacked = await tempDir();
    const manifest = await unpackBackup(backupFile, unpacked);
    for (const file of ARCHIVES) expect(manifest.files.find((f) => f.path === file)?.sha256, file).toBe(recorded.get(file));
    expect(manifest.files.some((f) => f.path.endsWith('.tmp'))).toBe(false);

    // The backup's check reads each archive whole: one altered byte (same size, so the start's own size check passes) fails the backup.
    const archive = path.join(dataDir, 'archive', '2023.jsonl.gz');
    const good = await fs.readFile(archive);
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)]! ^= 0x55;
    await fs.writeFile(archive, bad);
    const api = await adminClient(station);
    // A damaged data folder is the server's problem, not the caller's: a 5xx, and no backup is kept.
    expect((await api.post('/api/backups')).status).toBe(500);
    await fs.writeFile(archive, good);
    expect((await station.station.backups.list()).length).toBe(1);
    await station.stop();
  }, 120_000);

  it('`npm run restore` onto a wiped data folder brings back closed-year reports, certificates and histories exactly', async () => {
    const usb = path.join(await tempDir(), path.basename(backupFile));
    await fs.copyFile(backupFile, usb);
    backupFile = usb;
    await fs.rm(dataDir, { recursive: true, force: true });
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/restore.ts'), usb], { cwd: root, env: { ...process.env, DATA_DIR: dataDir } });
    expect(stdout).toContain('Done');
    expect((await fs.readdir(path.join(dataDir, 'archive'))).sort()).toEqual(YEARS.map((year) => `${year}.jsonl.gz`));
    const station = await archivedStation(dataDir);
    expectSameAnswers(await readStationAnswers(station.url, YEARS), reference);
    await station.stop();
  }, 120_000);

  it('an encrypted backup restored from the admin brings the archived years back', async () => {
    const station = await archivedStation(dataDir);
    let api = await adminClient(station);
    expect((await api.request('PUT', '/api/backups/encryption', { enabled: true, passphrase: PASSPHRASE, passphraseAgain: PASSPHRASE })).status).toBe(200);
    const backup = (await api.post('/api/backups')).body as { name: string };
    expect(backup.name).toMatch(/\.tar\.gz\.enc$/);
    // After the backup: a closed year can no longer change, so the difference is a new volunteer.
    expect((await api.post('/api/volunteers', { name: '备份之后', phone: '13900009999' })).status).toBe(201);
    expect((await api.post(`/api/backups/${backup.name}/restore`, { confirm: backup.name, passphrase: PASSPHRASE })).status).toBe(202);
    await station.stop();

    const restored = await archivedStation(dataDir);
    api = await adminClient(restored);
    expect((await api.get('/api/backups')).body.lastRestore).toMatchObject({ ok: true, backup: backup.name });
    expectSameAnswers(await readStationAnswers(restored.url, YEARS), reference);
    await restored.stop();
  }, 120_000);

  it('a backup that lacks an archive file its state refers to, or holds an altered one, is refused and nothing changes', async () => {
    const missing = await doctored(backupFile, (data) => fs.rm(path.join(data, 'archive', '2023.jsonl.gz')));
    const altered = await doctored(backupFile, async (data) => {
      const file = path.join(data, 'archive', '2022.jsonl.gz');
      const bytes = await fs.readFile(file);
      bytes[bytes.length >> 1]! ^= 0x55;
      await fs.writeFile(file, bytes);
    });
    const before = await fingerprint(dataDir);
    for (const [file, reason] of [[missing, /archive of 2023 is missing/], [altered, /2022\.jsonl\.gz/]] as const) {
      const error = await restoreBackup(file, dataDir, { now: clock.now }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(BackupInvalidError);
      expect((error as Error).message).toMatch(reason);
      expect(await fingerprint(dataDir)).toEqual(before);
    }

    // From the admin: the request is taken (its names are fine), the next start refuses it and opens the data as it was.
    const station = await archivedStation(dataDir);
    const api = await adminClient(station);
    const name = 'volunteer-station-2025-06-18-120000.tar.gz';
    await fs.copyFile(missing, path.join(dataDir, 'backups', name));
    expect((await api.post(`/api/backups/${name}/restore`, { confirm: name })).status).toBe(202);
    await station.stop();
    const after = await fingerprint(dataDir);
    const again = await archivedStation(dataDir);
    const status = (await (await adminClient(again)).get('/api/backups')).body;
    expect(status.lastRestore).toMatchObject({ ok: false, backup: name, code: 'BACKUP_INVALID' });
    expect(status.lastRestore.message).toMatch(/archive of 2023 is missing/);
    expect(Object.keys(await fingerprint(dataDir)).filter((file) => file.startsWith('archive/'))).toEqual(Object.keys(after).filter((file) => file.startsWith('archive/')));
    expectSameAnswers(await readStationAnswers(again.url, YEARS), reference);
    await again.stop();
  }, 120_000);

  it('a closed year archived while a backup copies the data folder: the copy never names an archive file it lacks', async () => {
    const dir = await copyOf(base);
    const store = await DurableStore.open({ dir, now: clock.now, warn: () => undefined });
    try {
      // As a backup does: a snapshot, then the copy; the hourly archiving runs between two entries of it.
      await store.snapshot();
      const copy = path.join(await tempDir(), 'data');
      let archived: number[] | undefined;
      await copyDataFolder(dir, copy, async () => {
        archived ??= await store.archiveClosedYears();
      });
      expect(archived).toEqual(YEARS);
      const checked = await checkDataFolder(copy, clock.now);
      expect(checked.counts.volunteers).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 120_000);
});
