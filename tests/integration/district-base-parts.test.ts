import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/child-server.ts';
import { HUB_ADMIN_PASSWORD, startHubProcess, type HubProcess } from '../support/hub.ts';
import { postgresOrSkip, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { ApiClient } from '../support/station.ts';

const pgBin = postgresOrSkip();

/**
 * A base (a center's whole district state, sent in parts when the hub needs records no journal
 * holds) against late and repeated deliveries: part 0 replaces the center's data, so a second
 * delivery of it arriving after later parts must change nothing, and every part counts once.
 */
describe.skipIf(!pgBin)('district: the parts of a base, delivered twice or late', () => {
  let postgres: TestPostgres;
  let pool: pg.Pool;
  let hub: HubProcess;
  let link: ApiClient;
  let centerId: string;
  let joinKey: string;

  beforeAll(async () => {
    postgres = await startPostgres(pgBin!);
    pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    hub = await startHubProcess(postgres.url, await freePort());
    const admin = new ApiClient(hub.url);
    expect((await admin.post('/api/district/login', { password: HUB_ADMIN_PASSWORD })).status).toBe(200);
    const created = (await admin.post('/api/district/centers', { name: '东湖社区驿站' })).body;
    centerId = created.centerId;
    joinKey = created.joinKey;
    link = new ApiClient(hub.url);
  }, 120_000);

  afterAll(async () => {
    await hub?.kill();
    await pool?.end();
    await postgres?.stop();
  }, 60_000);

  const volunteers = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ c: 'volunteers', v: { id: `v${from + i}`, name: `志愿者${from + i}` } }));
  const sendPart = (baseSeq: number, part: number, final: boolean, changes: unknown[], epoch = 'epoch-one') =>
    link.post('/api/link/base', { baseSeq, part, final, stationSeq: baseSeq, changes, epoch }, { authorization: `Bearer ${joinKey}` });
  const ids = async () => (await pool.query<{ id: string }>('SELECT id FROM volunteers WHERE center_id = $1 ORDER BY id', [centerId])).rows.map((row) => row.id);
  const position = async () => (await pool.query('SELECT last_seq, epoch FROM centers WHERE id = $1', [centerId])).rows[0];

  it('a repeated part 0 after part 1 wipes nothing; a part out of order is refused; the final part moves the hub to the base', async () => {
    expect((await link.post('/api/link/hello', { stationSeq: 30, epoch: 'epoch-one' }, { authorization: `Bearer ${joinKey}` })).status).toBe(200);
    const part0 = volunteers(0, 3);
    expect((await sendPart(30, 0, false, part0)).status).toBe(200);
    expect((await sendPart(30, 1, false, volunteers(3, 3))).status).toBe(200);
    // The original part 0, held up somewhere, arrives after its retry and part 1.
    const late = await sendPart(30, 0, false, part0);
    expect(late.status).toBe(200);
    expect(await ids()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5']);
    // So does a second part 1; and a part beyond the next one is out of order.
    expect((await sendPart(30, 1, false, volunteers(3, 3))).status).toBe(200);
    const skipped = await sendPart(30, 3, true, volunteers(9, 1));
    expect(skipped.status).toBe(409);
    expect(skipped.body.error.code).toBe('LINK_OUT_OF_ORDER');
    expect((await sendPart(30, 2, true, volunteers(6, 3))).body).toMatchObject({ lastSeq: 30, epoch: 'epoch-one' });
    expect(await ids()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    expect(await position()).toMatchObject({ last_seq: '30', epoch: 'epoch-one' });
    // Once the base is complete, any part of it again is a no-op.
    expect((await sendPart(30, 0, false, volunteers(100, 1))).body).toMatchObject({ lastSeq: 30 });
    expect(await ids()).toHaveLength(9);
  });

  it('a newer base replaces the data; a late part 0 of an older base of the same epoch does not', async () => {
    expect((await sendPart(50, 0, false, volunteers(20, 2))).status).toBe(200);
    expect(await ids()).toEqual(['v20', 'v21']);
    // Part 0 of an older base under way (seq 40 < 50) but still above the hub's position.
    expect((await sendPart(40, 0, false, volunteers(0, 1))).status).toBe(200);
    expect(await ids()).toEqual(['v20', 'v21']);
    expect((await sendPart(50, 1, true, volunteers(22, 1))).body).toMatchObject({ lastSeq: 50 });
    expect(await ids()).toEqual(['v20', 'v21', 'v22']);
  });

  it('a base of a new epoch (a restored station) starts over at part 0, and its repeated part 0 keeps what followed', async () => {
    expect((await sendPart(10, 0, false, volunteers(40, 2), 'epoch-two')).body).toMatchObject({ lastSeq: 0, epoch: 'epoch-two' });
    expect((await sendPart(10, 1, false, volunteers(42, 2), 'epoch-two')).status).toBe(200);
    expect((await sendPart(10, 0, false, volunteers(40, 2), 'epoch-two')).status).toBe(200);
    expect((await sendPart(10, 2, true, volunteers(44, 1), 'epoch-two')).body).toMatchObject({ lastSeq: 10, epoch: 'epoch-two' });
    expect(await ids()).toEqual(['v40', 'v41', 'v42', 'v43', 'v44']);
  });
});
