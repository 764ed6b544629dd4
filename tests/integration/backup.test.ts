import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderPrint } from '../support/folder-print.ts';
import { BackupInvalidError, packBackup, unpackBackup } from '../../server/src/backup/backup-archive.ts';
import { acquireDataLock, DataFolderBusyError } from '../../server/src/backup/data-lock.ts';
import { restoreBackup } from '../../server/src/backup/restore.ts';
import { certificateNames } from '../../server/src/lan/certificate-names.ts';
import { ensureLocalTls } from '../../server/src/lan/local-ca.ts';
import type { RedeemAck, ScanAck } from '../../server/src/protocol/events.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation, connectUnlockedCounter } from '../support/station.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A clock the test moves by hand: Tuesday 10 March 2026, 09:00 in Beijing. */
const clock = { time: new Date('2026-03-10T01:00:00.000Z'), now() { return new Date(this.time); } };

interface Figures {
  volunteers: Record<string, { name: string; points: number; hours: number }>;
  stock: Record<string, number>;
}

let workDir: string;
let t: TestStation;
let api: ApiClient;
let volunteers: { id: string; cardCode: string }[] = [];
let goodsId: string;
let before: Figures;
let backupOnUsb: string;
let downloaded: string;

async function figures(client: ApiClient): Promise<Figures> {
  const result: Figures = { volunteers: {}, stock: {} };
  for (const v of volunteers) {
    const { body } = await client.get(`/api/volunteers/${v.id}`);
    result.volunteers[v.id] = { name: body.name, points: body.points, hours: body.hours };
  }
  result.stock[goodsId] = (await client.get(`/api/goods/${goodsId}`)).body.stock;
  return result;
}


beforeAll(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-backup-test-'));
  t = await startStation({ clock });
  api = await adminClient(t);
  // Certificates as the HTTPS server makes them, so the backup carries a CA key to protect.
  await ensureLocalTls(t.dataDir, certificateNames({ hostname: 'center-pc', extraHostnames: [], lanAddresses: [] }), { hostname: 'center-pc', now: clock.now() });

  const activity = await api.post('/api/activities', { title: '社区清洁', startsAt: '2026-03-10T09:00:00+08:00', endsAt: '2026-03-10T12:00:00+08:00', place: '社区广场' });
  expect(activity.status).toBe(201);
  volunteers = [await registerVolunteer(api, '张伟', '13800000101'), await registerVolunteer(api, '李娜', '13800000102')];
  const checkin = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
  const scan = (code: string) => emitWithAck<ScanAck>(checkin, 'scan', { scanId: randomUUID(), code, scannedAt: clock.now().toISOString() });
  for (const v of volunteers) expect(await scan(v.cardCode)).toMatchObject({ ok: true, action: 'check-in' });
  clock.time = new Date('2026-03-10T03:00:00.000Z');
  for (const v of volunteers) expect(await scan(v.cardCode)).toMatchObject({ ok: true, action: 'check-out' });
  checkin.close();

  expect((await api.post(`/api/volunteers/${volunteers[0]!.id}/points`, { delta: 5, reason: '活动组织奖励' })).status).toBe(201);
  const rice = await api.post('/api/goods', { name: '大米 5kg', points: 3, stock: 10 });
  goodsId = rice.body.id;
  const counter = await connectUnlockedCounter(t.url, (await pairDevice(api, 'counter')).token);
  const redeemed = await emitWithAck<RedeemAck>(counter, 'redeem', { redemptionId: randomUUID(), code: volunteers[0]!.cardCode, items: [{ goodsId, quantity: 1 }] });
  expect(redeemed).toMatchObject({ ok: true, pointsSpent: 3 });
  counter.close();
  before = await figures(api);
});

afterAll(async () => {
  await t?.destroy();
  if (workDir) await fs.rm(workDir, { recursive: true, force: true });
});

describe('backups', () => {
  it('has figures worth keeping: hours from two sign-ins, points earned, given and spent, stock taken', () => {
    const [first, second] = volunteers.map((v) => before.volunteers[v.id]!);
    expect(first).toMatchObject({ name: '张伟', hours: 2, points: 2 + 5 - 3 });
    expect(second).toMatchObject({ name: '李娜', hours: 2, points: 2 });
    expect(before.stock[goodsId]).toBe(9);
  });

  it('backs up now for an admin, lists the backup and refuses other roles', async () => {
    const created = await api.post('/api/backups');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: expect.stringMatching(/^volunteer-station-2026-03-10-\d{6}\.tar\.gz$/), counts: { volunteers: 2, goods: 1 } });
    const listed = await api.get('/api/backups');
    expect(listed.body.items.map((b: { name: string }) => b.name)).toContain(created.body.name);
    expect(listed.body.rotation).toEqual({ daily: 14, monthly: 12 });

    const anonymous = await new ApiClient(t.url).get('/api/backups');
    expect(anonymous.status).toBe(401);
    expect((await api.post('/api/staff', { username: 'clerk', password: 'clerk-pass-1', role: 'staff', displayName: '职员' })).status).toBe(201);
    const staff = await new ApiClient(t.url).login('clerk', 'clerk-pass-1');
    expect((await staff.post('/api/backups')).status).toBe(403);

    // What a center carries to a new PC: the copy on the USB drive.
    backupOnUsb = path.join(workDir, created.body.name);
    await fs.copyFile(path.join(t.dataDir, 'backups', created.body.name), backupOnUsb);
    const inside: string[] = [];
    await tar.t({ file: backupOnUsb, onReadEntry: (entry) => inside.push(entry.path) });
    expect(inside).toEqual(expect.arrayContaining(['manifest.json', 'data/snapshot.jsonl', 'data/card-secret.key', 'data/tls/ca.key', 'data/tls/ca.pem']));
  });

  it('downloads a backup without the CA key, and the download is audited', async () => {
    const [latest] = (await api.get('/api/backups')).body.items;
    const response = await fetch(`${t.url}/api/backups/${latest.name}`, { headers: { cookie: api.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/gzip');
    downloaded = path.join(workDir, `downloaded-${latest.name}`);
    await fs.writeFile(downloaded, new Uint8Array(await response.arrayBuffer()));
    const inside: string[] = [];
    await tar.t({ file: downloaded, onReadEntry: (entry) => inside.push(entry.path) });
    expect(inside).toContain('data/tls/ca.pem');
    expect(inside).not.toContain('data/tls/ca.key');
    const caKey = (await fs.readFile(path.join(t.dataDir, 'tls', 'ca.key'), 'utf8')).split('\n')[1]!;
    const unpacked = path.join(workDir, 'downloaded-unpacked');
    const manifest = await unpackBackup(downloaded, unpacked);
    expect(manifest.includesCaKey).toBe(false);
    for (const file of Object.keys(await folderPrint(unpacked))) expect(await fs.readFile(path.join(unpacked, file), 'utf8')).not.toContain(caKey);

    const audit = await api.get('/api/audit?q=backup.downloaded');
    expect(audit.body.items[0]).toMatchObject({ action: 'backup.downloaded', target: latest.name, actor: 'staff:admin' });
    expect((await api.get('/api/backups/..%2Fsnapshot.jsonl')).status).toBe(404);
    expect((await api.get('/api/backups/volunteer-station-2000-01-01-000000.tar.gz')).status).toBe(404);
  });

  it('restores onto a wiped data folder with `npm run restore`, and every figure and card is as before', async () => {
    const dataDir = t.dataDir;
    const caKeyBefore = await fs.readFile(path.join(dataDir, 'tls', 'ca.key'), 'utf8');
    await t.stop();
    await fs.rm(dataDir, { recursive: true, force: true });

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/restore.ts'), backupOnUsb], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir },
    });
    expect(stdout).toContain('Done');
    expect(stdout).toContain('2 volunteers');
    // The CA came back too: tablets that trusted the old PC trust the new one.
    expect(await fs.readFile(path.join(dataDir, 'tls', 'ca.key'), 'utf8')).toBe(caKeyBefore);

    t = await startStation({ dataDir, clock });
    api = await adminClient(t);
    expect(await figures(api)).toEqual(before);
    // The card key came back: yesterday's printed cards still scan.
    clock.time = new Date('2026-03-10T06:00:00.000Z');
    const afternoon = await api.post('/api/activities', { title: '午后巡河', startsAt: '2026-03-10T14:00:00+08:00', endsAt: '2026-03-10T16:00:00+08:00' });
    const kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    const ack = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: volunteers[1]!.cardCode, scannedAt: clock.now().toISOString(), activityId: afternoon.body.id });
    expect(ack).toMatchObject({ ok: true, action: 'check-in' });
    kiosk.close();
  });

  it('restores a downloaded backup (no CA key) over existing data: keeps this PC’s certificates and sets the replaced data aside', async () => {
    const dataDir = t.dataDir;
    expect((await api.post('/api/backups')).status).toBe(201);
    await t.stop();
    const tlsBefore = await folderPrint(path.join(dataDir, 'tls'));
    const snapshotBefore = await fs.readFile(path.join(dataDir, 'snapshot.jsonl'));
    const result = await restoreBackup(downloaded, dataDir);
    expect(result.keptLocalCertificates).toBe(true);
    expect(await folderPrint(path.join(dataDir, 'tls'))).toEqual(tlsBefore);
    expect(result.replacedDir).toBeTruthy();
    expect(await fs.readFile(path.join(result.replacedDir!, 'snapshot.jsonl'))).toEqual(snapshotBefore);
    // Backups stay where they were, and nothing half-made is left behind.
    expect((await fs.readdir(path.join(dataDir, 'backups'))).length).toBeGreaterThan(0);
    expect((await fs.readdir(dataDir)).filter((name) => name.startsWith('restoring-') || name.includes('restore-in-progress'))).toEqual([]);

    t = await startStation({ dataDir, clock });
    api = await adminClient(t);
    expect(await figures(api)).toEqual(before);
  });

  it('refuses to restore while a server runs on the data folder', async () => {
    const lock = await acquireDataLock(t.dataDir, t.port);
    try {
      const printBefore = await folderPrint(t.dataDir);
      await expect(restoreBackup(backupOnUsb, t.dataDir)).rejects.toThrow(DataFolderBusyError);
      await expect(restoreBackup(backupOnUsb, t.dataDir)).rejects.toThrow(/running on this data folder/);
      expect(await folderPrint(t.dataDir)).toEqual(printBefore);
    } finally {
      await lock.release();
    }
  });
});

describe('damaged backups are refused and change nothing', () => {
  let target: string;
  let printBefore: Record<string, string>;

  beforeAll(async () => {
    // A stopped server's data folder, as a restore finds it.
    target = t.dataDir;
    await t.stop();
    printBefore = await folderPrint(target);
  });

  afterAll(async () => {
    t = await startStation({ dataDir: target, clock });
  });

  async function expectRefused(file: string, reason: RegExp, code = 'BACKUP_INVALID'): Promise<void> {
    const error = await restoreBackup(file, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupInvalidError);
    expect((error as Error).message).toMatch(reason);
    expect((error as BackupInvalidError).code).toBe(code);
    expect(await folderPrint(target)).toEqual(printBefore);
    expect((await fs.readdir(target)).filter((name) => name.startsWith('restoring-') || name === 'restore-in-progress.json')).toEqual([]);
  }

  it('with flipped bytes', async () => {
    const bytes = await fs.readFile(backupOnUsb);
    for (const at of [Math.floor(bytes.length / 3), Math.floor(bytes.length / 2)]) bytes[at] = bytes[at]! ^ 0xff;
    const file = path.join(workDir, 'flipped.tar.gz');
    await fs.writeFile(file, bytes);
    await expectRefused(file, /damaged|not a backup/);
  });

  it('cut short', async () => {
    const bytes = await fs.readFile(backupOnUsb);
    const file = path.join(workDir, 'truncated.tar.gz');
    await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expectRefused(file, /damaged|not a backup/);
  });

  it('with a file changed after it was made', async () => {
    const dir = path.join(workDir, 'altered');
    await unpackBackup(backupOnUsb, dir);
    const snapshot = path.join(dir, 'data', 'snapshot.jsonl');
    await fs.writeFile(snapshot, (await fs.readFile(snapshot, 'utf8')).replace('张伟', '张三'));
    const file = path.join(workDir, 'altered.tar.gz');
    await tar.c({ gzip: true, file, cwd: dir }, ['manifest.json', 'data']);
    await expectRefused(file, /snapshot\.jsonl was altered/);
  });

  it('with a damaged store whose manifest was made to match', async () => {
    const dir = path.join(workDir, 'damaged-store');
    const manifest = await unpackBackup(backupOnUsb, dir);
    const snapshot = path.join(dir, 'data', 'snapshot.jsonl');
    await fs.writeFile(snapshot, (await fs.readFile(snapshot, 'utf8')).replace('李娜', '李四'));
    const file = path.join(workDir, 'damaged-store.tar.gz');
    await packBackup(dir, file, { createdAt: manifest.createdAt, seq: manifest.seq, counts: manifest.counts });
    await expectRefused(file, /cannot be opened/);
  });

  // Before, each of these passed every check and then failed while moving files in, after the
  // data had been set aside: the folder was left half-restored and the server refused to start.
  for (const [what, plant, named] of [
    ['naming backups/ (kept in place by a restore)', async (data: string) => { await fs.mkdir(path.join(data, 'backups')); await fs.writeFile(path.join(data, 'backups', 'old.tar.gz'), 'x'); }, /backups\/old\.tar\.gz/],
    ['naming restore-requested.json (a restore for the next start)', (data: string) => fs.writeFile(path.join(data, 'restore-requested.json'), '{"backup":"/tmp/x.tar.gz","requestedBy":"x"}'), /restore-requested\.json/],
    ['naming the restore marker and the data lock', async (data: string) => { await fs.writeFile(path.join(data, 'restore-in-progress.json'), '{}'); await fs.writeFile(path.join(data, 'server.lock'), '{}'); }, /restore-in-progress\.json.*server\.lock|server\.lock.*restore-in-progress\.json/],
    ['holding an empty replaced/ folder the manifest does not list', (data: string) => fs.mkdir(path.join(data, 'replaced')), /replaced/],
  ] as const) {
    it(`${what}, before anything is moved, with BACKUP_RESERVED_NAME`, async () => {
      const dir = path.join(workDir, `reserved-${randomUUID()}`);
      const manifest = await unpackBackup(backupOnUsb, dir);
      await plant(path.join(dir, 'data'));
      const file = path.join(workDir, `reserved-${randomUUID()}.tar.gz`);
      await packBackup(dir, file, { createdAt: manifest.createdAt, seq: manifest.seq, counts: manifest.counts });
      await expectRefused(file, named, 'BACKUP_RESERVED_NAME');
    });
  }

  it('whose manifest names a path outside the data folder', async () => {
    const dir = path.join(workDir, 'escaping');
    const manifest = await unpackBackup(backupOnUsb, dir);
    const listed = { ...manifest, files: [...manifest.files, { path: '../manifest.json', size: 1, sha256: '0'.repeat(64) }] };
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(listed));
    const file = path.join(workDir, 'escaping.tar.gz');
    await tar.c({ gzip: true, file, cwd: dir }, ['manifest.json', 'data']);
    await expectRefused(file, /\.\.\/manifest\.json/, 'BACKUP_RESERVED_NAME');
  });

  it('that is not a backup at all', async () => {
    const file = path.join(workDir, 'notes.tar.gz');
    await fs.writeFile(file, 'just some text');
    await expectRefused(file, /damaged|not a backup/);
  });
});
