import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminClient, ApiClient, makeDataDir, registerVolunteer, startStation, type TestStation } from '../support/station.ts';
import { freePort, startChildServer } from '../support/child-server.ts';
import { packBackup, unpackBackup } from '../../server/src/backup/backup-archive.ts';

let t: TestStation | undefined;
afterAll(async () => {
  await t?.destroy();
});

async function names(station: TestStation): Promise<string[]> {
  const api = await adminClient(station);
  return (await api.get('/api/volunteers?limit=500')).body.items.map((v: { name: string }) => v.name).sort();
}

describe('restore chosen in the admin', () => {
  it('is carried out by the next start: the data is the backup’s, what it replaced is kept aside', async () => {
    t = await startStation();
    let api = await adminClient(t);
    await registerVolunteer(api, '备份前', '13900000001');
    const backup = (await api.post('/api/backups')).body;
    expect(backup.name).toMatch(/\.tar\.gz$/);
    await registerVolunteer(api, '备份后', '13900000002');
    expect((await api.post(`/api/backups/${backup.name}/restore`, { confirm: 'wrong' })).status).toBe(400);
    expect((await api.post('/api/backups/nope.tar.gz/restore', { confirm: 'nope.tar.gz' })).status).toBe(404);
    const restarting = new Promise<void>((resolve) => t!.station.ctx.notifications.once('station:restart-requested', () => resolve()));
    const requested = await api.post(`/api/backups/${backup.name}/restore`, { confirm: backup.name });
    expect(requested).toMatchObject({ status: 202, body: { restarting: true } });
    await restarting;
    expect((await api.get('/api/backups')).body.pendingRestore).toBe(backup.name);

    const dataDir = t.dataDir;
    await t.stop();
    t = await startStation({ dataDir });
    expect(await names(t)).toEqual(['备份前']);
    api = await adminClient(t);
    const status = (await api.get('/api/backups')).body;
    expect(status.pendingRestore).toBeNull();
    expect(status.lastRestore).toMatchObject({ ok: true, backup: backup.name });
    expect((await fs.readdir(path.join(dataDir, 'replaced'))).length).toBe(1);
  });

  it('a damaged backup is refused at the request, or at the start if it was damaged after, and nothing changes', async () => {
    const api = await adminClient(t!);
    const backup = (await api.post('/api/backups')).body;
    await registerVolunteer(api, '之后登记', '13900000003');
    const file = path.join(t!.dataDir, 'backups', backup.name);
    const bytes = await fs.readFile(file);
    await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await api.post(`/api/backups/${backup.name}/restore`, { confirm: backup.name })).toMatchObject({ status: 422, body: { error: { code: 'BACKUP_INVALID' } } });
    expect((await api.get('/api/backups')).body.pendingRestore).toBeNull();
    // Whole when requested, damaged before the restart carries the request out.
    await fs.writeFile(file, bytes);
    expect((await api.post(`/api/backups/${backup.name}/restore`, { confirm: backup.name })).status).toBe(202);
    await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const dataDir = t!.dataDir;
    await t!.stop();
    t = await startStation({ dataDir });
    expect(await names(t)).toEqual(['之后登记', '备份前']);
    const status = (await (await adminClient(t)).get('/api/backups')).body;
    expect(status.lastRestore).toMatchObject({ ok: false, backup: backup.name });
    expect(status.lastRestore.message).toMatch(/nothing was changed/);
    expect(status.lastRestore.code).toBe('BACKUP_INVALID');
  });

  it('a backup naming files a restore keeps in place (backups/, restore-requested.json) is refused at the request with BACKUP_RESERVED_NAME', async () => {
    const api = await adminClient(t!);
    const backup = (await api.post('/api/backups')).body;
    // A crafted archive: a real backup with reserved names added, its manifest made to match.
    const work = await fs.mkdtemp(path.join(t!.dataDir, '..', 'crafted-'));
    try {
      const manifest = await unpackBackup(path.join(t!.dataDir, 'backups', backup.name), work);
      await fs.mkdir(path.join(work, 'data', 'backups'));
      await fs.writeFile(path.join(work, 'data', 'backups', 'x.tar.gz'), 'x');
      await fs.writeFile(path.join(work, 'data', 'restore-requested.json'), JSON.stringify({ backup: '/elsewhere.tar.gz', requestedBy: 'nobody' }));
      // A backup's own name with another counter (a name made twice in a second already has one).
      const crafted = (backup.name as string).replace(/(-\d{6})(?:-\d+)?\.tar\.gz$/, '$1-99.tar.gz');
      await packBackup(work, path.join(t!.dataDir, 'backups', crafted), { createdAt: manifest.createdAt, seq: manifest.seq, counts: manifest.counts });
      const refused = await api.post(`/api/backups/${crafted}/restore`, { confirm: crafted });
      expect(refused).toMatchObject({ status: 422, body: { error: { code: 'BACKUP_RESERVED_NAME', message: expect.stringContaining('restore-requested.json') } } });
      expect((await api.get('/api/backups')).body.pendingRestore).toBeNull();
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  });

  it('through the real entry point: the server exits 75 to be started again, and that start restores', async () => {
    const dataDir = await makeDataDir();
    const port = await freePort();
    let child = await startChildServer(dataDir, port);
    try {
      const api = await new ApiClient(child.url).login();
      await registerVolunteer(api, '进程前', '13900000011');
      const backup = (await api.post('/api/backups')).body;
      await registerVolunteer(api, '进程后', '13900000012');
      const exited = new Promise<number | null>((resolve) => child.process.once('exit', (code) => resolve(code)));
      expect((await api.post(`/api/backups/${backup.name}/restore`, { confirm: backup.name })).status).toBe(202);
      expect(await exited).toBe(75);
      child = await startChildServer(dataDir, port);
      const after = await new ApiClient(child.url).login();
      expect((await after.get('/api/volunteers')).body.items.map((v: { name: string }) => v.name)).toEqual(['进程前']);
    } finally {
      await child.kill('SIGTERM');
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

