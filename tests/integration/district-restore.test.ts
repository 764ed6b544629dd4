import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_EPOCH_FILE } from '../../server/src/hub-link/link-epoch.ts';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { freePort } from '../support/child-server.ts';
import { HUB_ADMIN_PASSWORD, startHubProcess, waitFor, type HubProcess } from '../support/hub.ts';
import { postgresOrSkip, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { ApiClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

const pgBin = postgresOrSkip();

/**
 * A station restored from an older backup: its journal numbers go back, so new changes reuse
 * numbers the hub already applied. With the store epoch (a restore starts a new one, the hub
 * keeps (epoch, lastSeq) per center) the station sends its restored state as a base of the new
 * epoch, and every change after it reaches the hub exactly once; the hub ends equal to the station.
 */
describe.skipIf(!pgBin)('district: a station restored from an older backup', () => {
  let postgres: TestPostgres;
  let pool: pg.Pool;
  let hub: HubProcess;
  let station: TestStation;
  let api: ApiClient;
  let kiosk: Socket | undefined;
  let centerId: string;
  let joinKey: string;
  let sheets = 0;

  beforeAll(async () => {
    postgres = await startPostgres(pgBin!);
    pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    hub = await startHubProcess(postgres.url, await freePort());
    const hubAdmin = new ApiClient(hub.url);
    expect((await hubAdmin.post('/api/district/login', { password: HUB_ADMIN_PASSWORD })).status).toBe(200);
    const created = (await hubAdmin.post('/api/district/centers', { name: '南湖社区驿站' })).body;
    centerId = created.centerId;
    joinKey = created.joinKey;
    station = await startStation();
    api = await new ApiClient(station.url).login();
    expect((await api.request('PUT', '/api/hub-link', { url: hub.url, joinKey: created.joinKey })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    kiosk?.close();
    await station?.destroy();
    await hub?.kill();
    await pool?.end();
    await postgres?.stop();
  }, 60_000);

  const caughtUp = () =>
    waitFor('the link to catch up', async () => {
      const s = (await api.get('/api/hub-link')).body;
      return s.hubSeq !== null && s.hubSeq === s.stationSeq && s.state === 'idle' ? s : undefined;
    });

  /** Scans, points and a paper-sheet record: each a few journal records. */
  async function work(label: string, volunteers: { id: string; cardCode: string }[]) {
    const activity = await openActivityNow(api, `${label}活动`);
    for (let i = 0; i < 6; i++) {
      const v = volunteers[i % volunteers.length]!;
      const ack = await emitWithAck<ScanAck>(kiosk!, 'scan', { scanId: randomUUID(), code: v.cardCode, scannedAt: new Date().toISOString(), activityId: activity.id }, 15_000);
      expect(ack).toMatchObject({ ok: true });
    }
    expect((await api.post(`/api/volunteers/${volunteers[0]!.id}/points`, { delta: 2, reason: label })).status).toBeLessThan(300);
    // Each sheet an hour of its own, a day apart, so no two overlap.
    const now = Date.now() - ++sheets * 24 * 3600_000;
    const added = await api.post('/api/attendance/bulk', {
      activityId: activity.id, reason: `${label}补录`,
      entries: [{ volunteerId: volunteers[1]!.id, checkInAt: new Date(now - 5 * 3600_000).toISOString(), checkOutAt: new Date(now - 4 * 3600_000).toISOString() }],
    });
    expect(added.status).toBe(201);
  }

  /** The hub's rows of this center equal the station's: attendance (ids and sign-outs), points, volunteers, hours. */
  async function expectHubEqualsStation() {
    const volunteers = (await api.get('/api/volunteers?limit=500')).body.items as { id: string; points: number; hours: number }[];
    const activities = (await api.get('/api/activities?limit=500')).body;
    const activityIds = ((activities.items ?? activities) as { id: string }[]).map((a) => a.id);
    const items: { id: string; checkOutAt?: string }[] = [];
    for (const id of activityIds) items.push(...((await api.get(`/api/activities/${id}/attendance`)).body.items as { id: string; checkOutAt?: string }[]));
    const rows = (await pool.query('SELECT id, check_out_at FROM attendance WHERE center_id = $1', [centerId])).rows;
    expect(rows.map((r) => r.id).sort()).toEqual(items.map((i) => i.id).sort());
    const outAt = new Map(rows.map((r) => [r.id, r.check_out_at ? new Date(r.check_out_at).toISOString() : undefined]));
    for (const item of items) expect(outAt.get(item.id)).toBe(item.checkOutAt);
    const points = new Map((await pool.query('SELECT volunteer_id, sum(delta) AS p FROM ledger WHERE center_id = $1 GROUP BY volunteer_id', [centerId])).rows.map((r) => [r.volunteer_id, Number(r.p)]));
    for (const v of volunteers) expect(points.get(v.id) ?? 0).toBeCloseTo(v.points, 5);
    const hubVolunteers = (await pool.query('SELECT id FROM volunteers WHERE center_id = $1', [centerId])).rows.map((r) => r.id);
    expect(hubVolunteers.sort()).toEqual(volunteers.map((v) => v.id).sort());
    const summary = (await new ApiClient(hub.url).request('GET', '/api/district/summary', undefined, { authorization: `Basic ${Buffer.from(`a:${HUB_ADMIN_PASSWORD}`).toString('base64')}` })).body;
    const center = summary.centers.find((c: { centerId: string }) => c.centerId === centerId);
    const hours = volunteers.reduce((sum, v) => sum + v.hours, 0);
    expect(center).toMatchObject({ volunteers: volunteers.length, attendance: items.length, lag: 0 });
    expect(center.hours).toBeCloseTo(hours, 1);
    return { items: items.length, volunteers: volunteers.length };
  }

  it('links, sends, is backed up, scans more, restores the old backup, scans again: the hub ends equal to the station, nothing twice, nothing lost', async () => {
    await api.patch('/api/settings', { repeatWindowSeconds: 0 });
    const volunteers = [await registerVolunteer(api, '陈一', '13900000101'), await registerVolunteer(api, '陈二', '13900000102'), await registerVolunteer(api, '陈三', '13900000103')];
    kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    await work('备份前', volunteers);
    await caughtUp();
    const epochBefore = (await pool.query('SELECT epoch FROM centers WHERE id = $1', [centerId])).rows[0].epoch as string;
    expect(epochBefore).toBe((await readFile(path.join(station.dataDir, LINK_EPOCH_FILE), 'utf8')).trim());
    const before = await expectHubEqualsStation();

    const backup = (await api.post('/api/backups')).body;
    expect(backup.name).toMatch(/\.tar\.gz$/);
    // After the backup: more work, and a volunteer, all at the hub — then lost by the restore.
    const gone = await registerVolunteer(api, '备份后登记', '13900000109');
    await work('备份后', [...volunteers, gone]);
    const beforeRestore = await caughtUp();
    expect((await expectHubEqualsStation()).items).toBeGreaterThan(before.items);

    kiosk.close();
    kiosk = undefined;
    const restarting = new Promise<void>((resolve) => station.station.ctx.notifications.once('station:restart-requested', () => resolve()));
    expect((await api.post(`/api/backups/${backup.name}/restore`, { confirm: backup.name })).status).toBe(202);
    await restarting;
    const dataDir = station.dataDir;
    await station.stop();
    station = await startStation({ dataDir });
    api = await new ApiClient(station.url).login();
    expect((await api.get('/api/volunteers?q=备份后登记')).body.total).toBe(0);
    const restoredSeq = (await api.get('/api/hub-link')).body.stationSeq as number;
    expect(restoredSeq).toBeLessThan(beforeRestore.stationSeq);

    // New work right away: its journal numbers are ones the hub applied before the restore.
    kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    const newcomer = await registerVolunteer(api, '恢复后登记', '13900000110');
    await work('恢复后', [...volunteers, newcomer]);
    const after = await caughtUp();
    expect(after.stationSeq).toBeLessThanOrEqual(beforeRestore.stationSeq + 40);
    const epochAfter = (await pool.query('SELECT epoch FROM centers WHERE id = $1', [centerId])).rows[0].epoch as string;
    expect(epochAfter).not.toBe(epochBefore);
    expect(epochAfter).toBe((await readFile(path.join(dataDir, LINK_EPOCH_FILE), 'utf8')).trim());
    // A late batch of the old epoch (a retry from before the restore) is refused and changes nothing.
    const late = await new ApiClient(hub.url).post('/api/link/batch', {
      fromSeq: after.hubSeq + 1, toSeq: after.hubSeq + 1, stationSeq: after.hubSeq + 1, epoch: epochBefore,
      records: [{ seq: after.hubSeq + 1, at: new Date().toISOString(), changes: [{ c: 'volunteers', v: { id: 'late', name: '迟到的批次' } }] }],
    }, { authorization: `Bearer ${joinKey}` });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'LINK_OUT_OF_ORDER', details: { epoch: epochAfter, lastSeq: after.hubSeq } });
    // The batch path checks the join key under the center's lock: an unknown key changes nothing.
    const stranger = await new ApiClient(hub.url).post('/api/link/batch', { fromSeq: 1, toSeq: 1, stationSeq: 1, records: [] }, { authorization: 'Bearer vsj_not-a-key' });
    expect(stranger).toMatchObject({ status: 401, body: { error: { code: 'JOIN_KEY_INVALID' } } });
    const final = await expectHubEqualsStation();
    expect(final.volunteers).toBe(4);
    expect((await pool.query('SELECT count(*) FROM volunteers WHERE center_id = $1 AND id = $2', [centerId, gone.id])).rows[0].count).toBe('0');

    // A restart without a restore keeps the epoch: no base, just the journal.
    await station.stop();
    station = await startStation({ dataDir });
    api = await new ApiClient(station.url).login();
    kiosk.close();
    kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    await work('重启后', [...volunteers, newcomer]);
    await caughtUp();
    expect((await pool.query('SELECT epoch FROM centers WHERE id = $1', [centerId])).rows[0].epoch).toBe(epochAfter);
    await expectHubEqualsStation();
  }, 240_000);
});
