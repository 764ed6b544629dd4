import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { io as connectIo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { freePort, startChildServer, type ChildServer } from '../support/child-server.ts';
import { HUB_ADMIN_PASSWORD, HUB_VIEWER_PASSWORD, startBalancer, startHubProcess, waitFor, type HubProcess } from '../support/hub.ts';
import { postgresOrSkip, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { ApiClient, connectSocket, emitWithAck, makeDataDir, openActivityNow, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

const pgBin = postgresOrSkip();
const VOLUNTEERS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` });

interface TestCenter {
  name: string;
  centerId: string;
  joinKey: string;
  dataDir: string;
  port: number;
  hubUrl: string;
  /** Center B runs as its own process (it is killed with SIGKILL); center A in this one, linked from its admin. */
  server?: ChildServer;
  inProcess?: TestStation;
  url?: string;
  api?: ApiClient;
  socket?: Socket;
  token?: string;
  counterToken?: string;
  counter?: Socket;
  goodsId?: string;
  redeemed: Set<string>;
  activityId?: string;
  volunteers: { id: string; cardCode: string }[];
  acked: number;
}

describe.skipIf(!pgBin)('district hub (PostgreSQL)', () => {
  let postgres: TestPostgres;
  let pool: pg.Pool;
  let hubPorts: number[];
  const hubs: HubProcess[] = [];
  const centers: TestCenter[] = [];
  let balancer: Awaited<ReturnType<typeof startBalancer>>;
  let hubAdmin: ApiClient;

  beforeAll(async () => {
    postgres = await startPostgres(pgBin!);
    pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
    hubPorts = [await freePort(), await freePort()];
    // Both processes start at once: the advisory lock lets only one migrate.
    hubs.push(...(await Promise.all(hubPorts.map((port) => startHubProcess(postgres.url, port)))));
    balancer = await startBalancer(hubs.map((hub) => hub.url));
    hubAdmin = new ApiClient(hubs[0]!.url);
    expect((await hubAdmin.post('/api/district/login', { password: HUB_ADMIN_PASSWORD })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    for (const center of centers) {
      center.socket?.close();
      center.counter?.close();
      await center.server?.kill();
      await center.inProcess?.stop();
      await rm(center.dataDir, { recursive: true, force: true });
    }
    await Promise.all(hubs.map((hub) => hub.kill()));
    await balancer?.close();
    await pool?.end();
    await postgres?.stop();
  }, 60_000);

  async function startCenterStation(center: TestCenter, inProcess = false): Promise<void> {
    if (inProcess) {
      center.inProcess = await startStation({ dataDir: center.dataDir });
      center.url = center.inProcess.url;
      center.api = await new ApiClient(center.url).login();
      expect((await center.api.request('PUT', '/api/hub-link', { url: center.hubUrl, joinKey: center.joinKey })).status).toBe(200);
    } else {
      center.server = await startChildServer(center.dataDir, center.port, { HUB_URL: center.hubUrl, HUB_JOIN_KEY: center.joinKey });
      center.url = center.server.url;
      center.api = await new ApiClient(center.url).login();
    }
    if (center.token) center.socket = await connectSocket(center.url, '/kiosk', { token: center.token });
    if (center.counterToken) await connectCounter(center);
  }

  async function connectCounter(center: TestCenter): Promise<void> {
    center.counter = await connectSocket(center.url!, '/kiosk', { token: center.counterToken });
    expect(await emitWithAck(center.counter, 'counter:unlock', { username: 'admin', secret: 'admin-pass-1' })).toMatchObject({ ok: true });
  }

  async function linkStatus(center: TestCenter) {
    return (await center.api!.get('/api/hub-link')).body as { state: string; stationSeq: number; hubSeq: number | null; lag: number | null; lastError: string | null };
  }

  it('migrates once with two processes starting together; the admin creates centers with join keys (hash only stored)', async () => {
    // Every file of hub/migrations, each once (other branches add their own numbers).
    const files = readdirSync(new URL('../../hub/migrations', import.meta.url)).filter((name) => name.endsWith('.sql')).sort();
    expect(files.slice(0, 3)).toEqual(['001_district.sql', '002_report_indexes.sql', '003_center_totals.sql']);
    expect((await pool.query('SELECT name FROM schema_migrations ORDER BY name')).rows.map((row) => row.name)).toEqual(files);
    expect((await new ApiClient(hubs[1]!.url).post('/api/district/centers', { name: 'x' })).status).toBe(401);
    expect((await new ApiClient(hubs[1]!.url).post('/api/district/centers', { name: 'x' }, basic(HUB_VIEWER_PASSWORD))).status).toBe(403);
    expect((await hubAdmin.post('/api/district/centers', { name: '' })).body.error.code).toBe('VALIDATION_FAILED');
    for (const [index, name] of ['东风社区驿站', '西湖社区驿站'].entries()) {
      const created = await new ApiClient(hubs[index]!.url).post('/api/district/centers', { name }, basic(HUB_ADMIN_PASSWORD));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ centerId: expect.any(String), joinKey: expect.any(String) });
      centers.push({
        name, centerId: created.body.centerId, joinKey: created.body.joinKey, dataDir: await makeDataDir(), port: await freePort(),
        // Center A talks to hub process 1 only; center B to both behind one address.
        hubUrl: index === 0 ? hubs[0]!.url : balancer.url, volunteers: [], acked: 0, redeemed: new Set(),
      });
    }
    const stored = await pool.query('SELECT join_key_hash FROM centers');
    expect(stored.rows.map((row) => row.join_key_hash)).not.toContain(centers[0]!.joinKey);
  });

  it('a board on hub process 2 sees a scan from a station linked to hub process 1', async () => {
    for (const [index, center] of centers.entries()) {
      await startCenterStation(center, index === 0);
      const api = center.api!;
      await api.patch('/api/settings', { repeatWindowSeconds: 0 });
      center.activityId = (await openActivityNow(api, `${center.name}巡河`)).id;
      // The same person (same phone) is registered at both centers.
      center.volunteers.push(await registerVolunteer(api, '王小明', '13900000001'));
      for (let i = 1; i < VOLUNTEERS; i++) center.volunteers.push(await registerVolunteer(api, `志愿者${index}${i}`, `1370${index}00000${i}`));
      center.token = (await pairDevice(api, 'checkin')).token;
      center.socket = await connectSocket(center.url!, '/kiosk', { token: center.token });
      center.counterToken = (await pairDevice(api, 'counter')).token;
      center.goodsId = (await api.post('/api/goods', { name: '毛巾', points: 1, stock: 100000 })).body.id;
      await connectCounter(center);
    }
    const viewer = new ApiClient(hubs[1]!.url);
    await viewer.post('/api/district/login', { password: HUB_VIEWER_PASSWORD });
    const board = connectIo(`${hubs[1]!.url}/district-board`, { extraHeaders: { cookie: viewer.cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      await new Promise<void>((resolve, reject) => {
        board.once('connect', resolve);
        board.once('connect_error', reject);
      });
      const a = centers[0]!;
      const seen = new Promise<{ volunteerId: string; centerId: string; displayName: string; action: string }>((resolve) => {
        board.on('district:attendance', (event) => {
          if (event.volunteerId === a.volunteers[1]!.id) resolve(event);
        });
      });
      const ack = await emitWithAck<ScanAck>(a.socket!, 'scan', { scanId: randomUUID(), code: a.volunteers[1]!.cardCode, scannedAt: new Date().toISOString() });
      expect(ack.ok).toBe(true);
      const event = await Promise.race([seen, sleep(30_000).then(() => null)]);
      expect(event).toMatchObject({ centerId: a.centerId, action: 'check-in', displayName: '志***1' });
    } finally {
      board.close();
    }
    // An unauthenticated board is refused.
    const stranger = connectIo(`${hubs[1]!.url}/district-board`, { transports: ['websocket'], reconnection: false, forceNew: true });
    const refused = await new Promise<string>((resolve) => {
      stranger.once('connect', () => resolve('connected'));
      stranger.once('connect_error', (error) => resolve(error.message));
    });
    stranger.close();
    expect(refused).toBe('UNAUTHENTICATED');
  }, 120_000);

  it('scans and points at both stations reach the district exactly once through a SIGKILLed hub process, a hub outage and a SIGKILLed station', async () => {
    let running = true;
    const loops = centers.map(async (center) => {
      for (let i = 0; running; i++) {
        const socket = center.socket;
        if (!socket?.connected) {
          await sleep(50);
          continue;
        }
        const volunteer = center.volunteers[i % center.volunteers.length]!;
        try {
          const ack = await emitWithAck<ScanAck>(socket, 'scan', { scanId: randomUUID(), code: volunteer.cardCode, scannedAt: new Date().toISOString() }, 3000);
          if (ack.ok) center.acked++;
          if (i % 5 === 0) await center.api!.post(`/api/volunteers/${volunteer.id}/points`, { delta: 1.5, reason: '区级联调' });
          if (i % 7 === 0 && center.counter?.connected) {
            const redemptionId = randomUUID();
            const redeemed = await emitWithAck<{ ok: boolean }>(center.counter, 'redeem', { redemptionId, code: volunteer.cardCode, items: [{ goodsId: center.goodsId, quantity: 1 }] }, 3000);
            if (redeemed.ok) center.redeemed.add(redemptionId);
          }
        } catch {
          await sleep(100); // The station is down: the kiosk would queue and retry.
        }
        await sleep(15);
      }
    });
    const [a, b] = centers as [TestCenter, TestCenter];
    await sleep(1500);
    // (a) one hub process dies mid-stream: B's link goes on through process 2, A's waits.
    await hubs[0]!.kill('SIGKILL');
    await sleep(1500);
    // (b) the whole hub is down for a while, then comes back.
    await hubs[1]!.kill('SIGKILL');
    await sleep(2500);
    expect((await linkStatus(a)).state).toBe('error');
    hubs[0] = await startHubProcess(postgres.url, hubPorts[0]!);
    hubs[1] = await startHubProcess(postgres.url, hubPorts[1]!);
    await sleep(1000);
    // (c) a station dies mid-stream and restarts on its data folder.
    b.socket?.close();
    b.socket = undefined;
    b.counter?.close();
    b.counter = undefined;
    await b.server!.kill('SIGKILL');
    await sleep(500);
    await startCenterStation(b);
    await sleep(1500);
    running = false;
    await Promise.all(loops);
    expect(a.acked).toBeGreaterThan(20);
    expect(b.acked).toBeGreaterThan(20);
    expect(a.redeemed.size).toBeGreaterThan(2);
    expect(b.redeemed.size).toBeGreaterThan(2);

    for (const center of centers) {
      const status = await waitFor(`${center.name} caught up`, async () => {
        const s = await linkStatus(center);
        return s.hubSeq !== null && s.hubSeq === s.stationSeq && s.state === 'idle' ? s : undefined;
      });
      expect(status.lag).toBe(0);
      // The same attendance records, no more, no fewer, with the same sign-outs.
      const items = (await center.api!.get(`/api/activities/${center.activityId}/attendance`)).body.items as { id: string; checkOutAt?: string; removed?: unknown }[];
      const rows = (await pool.query('SELECT id, check_out_at FROM attendance WHERE center_id = $1', [center.centerId])).rows;
      expect(rows.map((row) => row.id).sort()).toEqual(items.map((item) => item.id).sort());
      const outAt = new Map(rows.map((row) => [row.id, row.check_out_at ? new Date(row.check_out_at).toISOString() : undefined]));
      for (const item of items) expect(outAt.get(item.id)).toBe(item.checkOutAt);
      // Points: every ledger entry once.
      const hubPoints = new Map((await pool.query('SELECT volunteer_id, sum(delta) AS points FROM ledger WHERE center_id = $1 GROUP BY volunteer_id', [center.centerId])).rows.map((row) => [row.volunteer_id, Number(row.points)]));
      for (const volunteer of center.volunteers) {
        const points = (await center.api!.get(`/api/volunteers/${volunteer.id}`)).body.points as number;
        expect(hubPoints.get(volunteer.id) ?? 0).toBeCloseTo(points, 5);
      }
      // Redemptions: every acknowledged one at the hub, and nothing the station does not have.
      const redemptionIds = (await pool.query('SELECT id FROM redemptions WHERE center_id = $1', [center.centerId])).rows.map((row) => row.id as string);
      for (const id of center.redeemed) expect(redemptionIds).toContain(id);
      for (const id of redemptionIds) expect((await center.api!.get(`/api/redemptions/${id}`)).status).toBe(200);
      const summary = (await hubAdmin.get('/api/district/summary')).body.centers.find((c: { centerId: string }) => c.centerId === center.centerId);
      expect(summary).toMatchObject({ name: center.name, volunteers: VOLUNTEERS, attendance: items.filter((item) => !item.removed).length, redemptions: redemptionIds.length, lag: 0, lastSeenAt: expect.any(String) });
    }
  }, 180_000);

  it('the same batch delivered twice (and to two hub processes at once) is applied once; a batch past the hub’s position is refused with where to resume', async () => {
    const created = await hubAdmin.post('/api/district/centers', { name: '测试批次驿站' });
    const key = { authorization: `Bearer ${created.body.joinKey}` };
    const now = new Date().toISOString();
    const batch = {
      fromSeq: 1, toSeq: 3, stationSeq: 3,
      records: [
        { seq: 1, at: now, changes: [{ c: 'volunteers', v: { id: 'v1', name: '李四', phone: '13800000009', cardNo: '100001', address: '不出驿站' } }] },
        { seq: 2, at: now, changes: [{ c: 'attendance', v: { id: 'a1', volunteerId: 'v1', activityId: 'x', checkInAt: now, checkOutAt: now, creditedMinutes: 90 } }] },
        { seq: 3, at: now, changes: [{ c: 'ledger', v: { id: 'l1', volunteerId: 'v1', delta: 2, kind: 'manual', reason: 'r', at: now, by: 'admin' } }] },
      ],
    };
    const first = await new ApiClient(hubs[0]!.url).post('/api/link/batch', batch, key);
    expect(first.body).toMatchObject({ lastSeq: 3 });
    const twice = await Promise.all([new ApiClient(hubs[0]!.url).post('/api/link/batch', batch, key), new ApiClient(hubs[1]!.url).post('/api/link/batch', batch, key)]);
    expect(twice.map((r) => r.body.lastSeq)).toEqual([3, 3]);
    const counts = await pool.query('SELECT (SELECT count(*) FROM attendance WHERE center_id = $1) AS a, (SELECT sum(delta) FROM ledger WHERE center_id = $1) AS p', [created.body.centerId]);
    expect(counts.rows[0]).toMatchObject({ a: '1', p: '2' });
    const summary = (await hubAdmin.get('/api/district/summary')).body.centers.find((c: { centerId: string }) => c.centerId === created.body.centerId);
    expect(summary).toMatchObject({ attendance: 1, hours: 1.5, volunteers: 1, lag: 0 });
    // The district keeps no address.
    expect((await pool.query('SELECT data FROM volunteers WHERE center_id = $1', [created.body.centerId])).rows[0].data.address).toBeUndefined();
    const ahead = await new ApiClient(hubs[1]!.url).post('/api/link/batch', { fromSeq: 9, toSeq: 9, stationSeq: 9, records: [] }, key);
    expect(ahead.status).toBe(409);
    expect(ahead.body.error).toMatchObject({ code: 'LINK_OUT_OF_ORDER', details: { lastSeq: 3 } });
    const bad = await new ApiClient(hubs[1]!.url).post('/api/link/batch', { ...batch, fromSeq: 4, toSeq: 4, records: [{ seq: 4, at: now, changes: [{ c: 'attendance', v: { id: 'a2', volunteerId: 'v1', checkInAt: 'yesterday' } }] }] }, key);
    expect(bad.status).toBe(400);
  });

  it('a bad or revoked join key is refused, at the hub and in the station’s link status', async () => {
    const hub = new ApiClient(hubs[1]!.url);
    const unknown = await hub.post('/api/link/hello', { stationSeq: 0 }, { authorization: 'Bearer vsj_not-a-real-key' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('JOIN_KEY_INVALID');
    expect((await hub.post('/api/link/hello', { stationSeq: 0 })).body.error.code).toBe('JOIN_KEY_INVALID');

    const created = await hubAdmin.post('/api/district/centers', { name: '撤销测试驿站' });
    const key = { authorization: `Bearer ${created.body.joinKey}` };
    expect((await hub.post('/api/link/hello', { stationSeq: 0 }, key)).status).toBe(200);
    expect((await hubAdmin.post(`/api/district/centers/${created.body.centerId}/revoke`)).status).toBe(200);
    const revoked = await hub.post('/api/link/hello', { stationSeq: 0 }, key);
    expect(revoked.status).toBe(403);
    expect(revoked.body.error.code).toBe('JOIN_KEY_REVOKED');
    const rotated = await hubAdmin.post(`/api/district/centers/${created.body.centerId}/join-key`);
    expect((await hub.post('/api/link/hello', { stationSeq: 0 }, { authorization: `Bearer ${rotated.body.joinKey}` })).status).toBe(200);
    expect((await hub.post('/api/link/hello', { stationSeq: 0 }, key)).status).toBe(401);

    // A station given a wrong key in its admin says so, and keeps working.
    const station = await startStation();
    try {
      const api = await new ApiClient(station.url).login();
      expect((await api.get('/api/hub-link')).body).toMatchObject({ configured: false, state: 'off' });
      expect((await api.request('PUT', '/api/hub-link', { url: hubs[1]!.url, joinKey: 'vsj_wrong-key-123' })).status).toBe(200);
      const status = await waitFor('the link error', async () => {
        const body = (await api.get('/api/hub-link')).body;
        return body.state === 'error' ? body : undefined;
      });
      expect(status).toMatchObject({ configured: true, source: 'settings', lastError: expect.stringContaining('JOIN_KEY_INVALID') });
      expect((await registerVolunteer(api, '赵六')).id).toEqual(expect.any(String));
    } finally {
      await station.destroy();
    }
  });

  it('the district register finds a person registered at two centers, flagged; a viewer sees masked personal data', async () => {
    const admin = await hubAdmin.get('/api/district/register?q=13900000001');
    expect(admin.status).toBe(200);
    expect(admin.body.results).toHaveLength(2);
    expect(new Set(admin.body.results.map((r: { centerId: string }) => r.centerId))).toEqual(new Set(centers.map((c) => c.centerId)));
    for (const hit of admin.body.results) {
      expect(hit).toMatchObject({ name: '王小明', phone: '13900000001' });
      expect(hit.alsoAt).toHaveLength(1);
      expect(hit.alsoAt[0].centerId).not.toBe(hit.centerId);
    }
    const byName = await hubAdmin.get(`/api/district/register?q=${encodeURIComponent('王小')}`);
    expect(byName.body.results).toHaveLength(2);
    const viewer = await new ApiClient(hubs[1]!.url).request('GET', '/api/district/register?q=13900000001', undefined, basic(HUB_VIEWER_PASSWORD));
    expect(viewer.body.results[0]).toMatchObject({ name: '王*明', phone: '139****0001' });
    const month = new Date().toISOString().slice(0, 7);
    const report = await hubAdmin.get(`/api/district/reports/monthly?from=${month}&to=${month}`);
    expect(report.status).toBe(200);
    expect(report.body.rows.filter((row: { centerId: string }) => centers.some((c) => c.centerId === row.centerId))).toHaveLength(2);
    expect((await hubAdmin.get('/api/district/reports/monthly?from=2026-13&to=x')).body.error.code).toBe('VALIDATION_FAILED');
  });
});
