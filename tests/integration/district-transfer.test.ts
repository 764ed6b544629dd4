import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { freePort } from '../support/child-server.ts';
import { HUB_ADMIN_PASSWORD, HUB_VIEWER_PASSWORD, startHubProcess, waitFor, type HubProcess } from '../support/hub.ts';
import { postgresOrSkip, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { ApiClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

const pgBin = postgresOrSkip();
const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`x:${password}`).toString('base64')}` });

interface Center {
  centerId: string;
  joinKey: string;
  station: TestStation;
  api: ApiClient;
}

/**
 * A volunteer who moves or serves at two centers: the district admin asks center B to take a
 * person registered at center A; B's station pulls the request over its own link, registers the
 * person with its own card, and both centers' hours add up at the district, the person counted once.
 */
describe.skipIf(!pgBin)('district: adding a volunteer of one center to another center’s station', () => {
  let postgres: TestPostgres;
  let pool: pg.Pool;
  let hub: HubProcess;
  let hubAdmin: ApiClient;
  const centers: Center[] = [];

  beforeAll(async () => {
    postgres = await startPostgres(pgBin!);
    pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    hub = await startHubProcess(postgres.url, await freePort());
    hubAdmin = new ApiClient(hub.url);
    expect((await hubAdmin.post('/api/district/login', { password: HUB_ADMIN_PASSWORD })).status).toBe(200);
    for (const name of ['东风社区驿站', '西湖社区驿站']) {
      const created = await hubAdmin.post('/api/district/centers', { name });
      const station = await startStation();
      centers.push({ centerId: created.body.centerId, joinKey: created.body.joinKey, station, api: await new ApiClient(station.url).login() });
    }
  }, 120_000);

  afterAll(async () => {
    for (const center of centers) await center.station.destroy();
    await hub?.kill();
    await pool?.end();
    await postgres?.stop();
  }, 60_000);

  const link = (center: Center) => center.api.request('PUT', '/api/hub-link', { url: hub.url, joinKey: center.joinKey });
  const caughtUp = (center: Center) =>
    waitFor('the link to catch up', async () => {
      const s = (await center.api.get('/api/hub-link')).body;
      return s.hubSeq !== null && s.hubSeq === s.stationSeq ? s : undefined;
    });
  /** 30 minutes of service recorded from a paper sheet, ending 20 minutes ago. */
  async function serve(center: Center, volunteerId: string) {
    const activity = await openActivityNow(center.api, '社区清洁');
    const now = Date.now();
    const added = await center.api.post('/api/attendance/bulk', {
      activityId: activity.id, reason: '纸质签到表补录',
      entries: [{ volunteerId, checkInAt: new Date(now - 50 * 60_000).toISOString(), checkOutAt: new Date(now - 20 * 60_000).toISOString() }],
    });
    expect(added.status).toBe(201);
  }

  it('B pulls the request, registers the person with its own card, and both centers’ hours add up once', async () => {
    const [a, b] = centers as [Center, Center];
    // Center A registers the person (with consent given to A's notice) and records service.
    const person = (await a.api.post('/api/volunteers', { name: '王大明', phone: '13900000077', birthYear: 1980, address: '东风路1号', consent: { processing: true } })).body;
    await serve(a, person.id);
    // Center B has volunteers of its own, so its card numbers run ahead of A's.
    for (let i = 0; i < 3; i++) await registerVolunteer(b.api, `西湖志愿者${i}`, `1370000000${i}`);
    expect((await link(a)).status).toBe(200);
    await caughtUp(a);

    // The district admin finds the person in the register and asks B to take them.
    const found = (await hubAdmin.get('/api/district/register?q=13900000077')).body.results;
    expect(found).toHaveLength(1);
    const ask = { fromCenterId: a.centerId, volunteerId: found[0].volunteerId, toCenterId: b.centerId, note: '搬到西湖社区' };
    expect((await new ApiClient(hub.url).post('/api/district/transfers', ask, basic(HUB_VIEWER_PASSWORD))).status).toBe(403);
    expect((await hubAdmin.post('/api/district/transfers', { ...ask, volunteerId: 'nobody' })).status).toBe(404);
    const requested = await hubAdmin.post('/api/district/transfers', ask);
    expect(requested.status).toBe(201);
    const { transferId, personId } = requested.body;
    // Asked twice: the same open request.
    const again = await hubAdmin.post('/api/district/transfers', ask);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ transferId, personId });

    // B joins the district: its link pulls the request by itself (the hub never dials a station).
    expect((await link(b)).status).toBe(200);
    const taken = await waitFor('B to take the person', async () => {
      const items = (await b.api.get('/api/volunteers?q=王大明')).body.items as { id: string; cardNo: string; cardCode: string; district?: { personId: string }; consents?: unknown; address?: string }[];
      return items.length === 1 ? items[0] : undefined;
    });
    expect(taken.district).toMatchObject({ personId, transferId, fromCenterName: '东风社区驿站' });
    expect(taken.cardNo).toBe('100004'); // B's own next number, not A's 100001
    expect(taken.cardCode).not.toBe(person.cardCode);
    // Consent was given to A's notice: B confirms it locally; the address never left A.
    expect(taken.consents).toBeUndefined();
    expect(taken.address).toBeUndefined();
    const transfer = await waitFor('the hub to hear it was taken', async () => {
      const t = (await hubAdmin.get('/api/district/transfers')).body.transfers.find((x: { transferId: string }) => x.transferId === transferId);
      return t?.state === 'taken' ? t : undefined;
    });
    expect(transfer).toMatchObject({ name: '王大明', from: { centerId: a.centerId, volunteerId: person.id }, to: { centerId: b.centerId, volunteerId: taken.id, cardNo: '100004' } });
    // The viewer sees the request masked.
    const viewed = (await new ApiClient(hub.url).request('GET', '/api/district/transfers', undefined, basic(HUB_VIEWER_PASSWORD))).body.transfers[0];
    expect(viewed.name).toBe('王*明');

    // B's new card works at B's kiosk, and B records service of its own.
    const kiosk = await connectSocket(b.station.url, '/kiosk', { token: (await pairDevice(b.api, 'checkin')).token });
    try {
      await openActivityNow(b.api, '西湖巡河');
      const scan = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: taken.cardCode, scannedAt: new Date().toISOString() }, 15_000);
      expect(scan).toMatchObject({ ok: true });
    } finally {
      kiosk.close();
    }
    await serve(b, taken.id);
    await caughtUp(a);
    await caughtUp(b);

    // Audited at both ends.
    const audit = (await b.api.get('/api/audit?q=district')).body.items as { action: string; target?: string; actor: string }[];
    expect(audit.filter((e) => e.action === 'volunteer.taken-from-district')).toEqual([expect.objectContaining({ target: taken.id, actor: 'district-hub' })]);
    const hubAudit = (await pool.query('SELECT role, action FROM hub_audit WHERE target = $1 ORDER BY id', [transferId])).rows;
    expect(hubAudit).toEqual([{ role: 'admin', action: 'transfer.requested' }, { role: `center:${b.centerId}`, action: 'transfer.taken' }]);

    // The district: hours are the sum of both centers' distinct records; the person counts once.
    const hoursAt = async (center: Center, id: string) => (await center.api.get(`/api/volunteers/${id}`)).body.hours as number;
    const expected = (await hoursAt(a, person.id)) + (await hoursAt(b, taken.id));
    expect(expected).toBeGreaterThan(0.5);
    const district = (await hubAdmin.get(`/api/district/persons/${personId}`)).body;
    expect(district).toMatchObject({ personId, centers: 2, attendance: 3, hours: expected });
    expect(district.registrations.map((r: { centerId: string; volunteerId: string }) => [r.centerId, r.volunteerId])).toEqual([[a.centerId, person.id], [b.centerId, taken.id]]);
    const summary = (await hubAdmin.get('/api/district/summary')).body;
    expect(summary.totals.volunteers).toBe(5);
    expect(summary.totals.people).toBe(4);
    // Asking B again for someone it already has is refused, naming the volunteer.
    const twice = await hubAdmin.post('/api/district/transfers', ask);
    expect(twice.status).toBe(409);
    expect(twice.body.error.details).toMatchObject({ personId, volunteerId: taken.id });

    // Pulled twice (the hub never heard the answer): still one volunteer, the same answer.
    await pool.query("UPDATE volunteer_transfers SET state = 'pending', to_volunteer_id = NULL, to_card_no = NULL WHERE id = $1", [transferId]);
    expect((await b.api.post('/api/hub-link/pull')).body).toEqual({ taken: 1, refused: 0 });
    expect((await b.api.post('/api/hub-link/pull')).body).toEqual({ taken: 0, refused: 0 });
    expect((await b.api.get('/api/volunteers?q=王大明')).body.total).toBe(1);
    expect((await b.api.get('/api/volunteers')).body.total).toBe(4);
    const after = (await hubAdmin.get('/api/district/transfers')).body.transfers.find((x: { transferId: string }) => x.transferId === transferId);
    expect(after.to).toMatchObject({ volunteerId: taken.id, cardNo: '100004' });
    expect((await hubAdmin.get(`/api/district/persons/${personId}`)).body).toMatchObject({ centers: 2, hours: expected });
  }, 180_000);

  it('a person already registered at the taking center is linked, not registered twice; a child is refused for the desk', async () => {
    const [a, b] = centers as [Center, Center];
    // The same phone at both centers, registered separately before the district knew.
    const atA = await registerVolunteer(a.api, '李秀英', '13900000088');
    const atB = await registerVolunteer(b.api, '李秀英', '13900000088');
    const child = (await a.api.post('/api/volunteers', { name: '张小朋', birthYear: new Date().getFullYear() - 10, guardianConsent: { guardianName: '张大人' } })).body;
    await caughtUp(a);
    await caughtUp(b);
    const linked = (await hubAdmin.post('/api/district/transfers', { fromCenterId: a.centerId, volunteerId: atA.id, toCenterId: b.centerId })).body;
    const refused = (await hubAdmin.post('/api/district/transfers', { fromCenterId: a.centerId, volunteerId: child.id, toCenterId: b.centerId })).body;
    expect((await b.api.post('/api/hub-link/pull')).body).toEqual({ taken: 1, refused: 1 });
    const mine = (await b.api.get(`/api/volunteers/${atB.id}`)).body;
    expect(mine.district).toMatchObject({ personId: linked.personId });
    expect((await b.api.get('/api/volunteers?q=李秀英')).body.total).toBe(1);
    const list = (await hubAdmin.get('/api/district/transfers')).body.transfers as { transferId: string; state: string; refusal: string | null; to: { volunteerId: string } }[];
    expect(list.find((t) => t.transferId === linked.transferId)).toMatchObject({ state: 'taken', to: { volunteerId: atB.id } });
    expect(list.find((t) => t.transferId === refused.transferId)).toMatchObject({ state: 'refused', refusal: expect.stringContaining('GUARDIAN_CONSENT_REQUIRED') });
    expect((await b.api.get('/api/volunteers?q=张小朋')).body.total).toBe(0);
    const audit = (await b.api.get('/api/audit?q=district')).body.items as { action: string }[];
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['volunteer.district-linked', 'volunteer.district-refused']));
  }, 120_000);

  it('the district admin withdraws a request the center has not answered; an answer already under way still counts', async () => {
    const [a, b] = centers as [Center, Center];
    const person = await registerVolunteer(a.api, '周文华', '13900000099');
    await caughtUp(a);
    const ask = { fromCenterId: a.centerId, volunteerId: person.id, toCenterId: b.centerId };
    const first = (await hubAdmin.post('/api/district/transfers', ask)).body;
    expect((await new ApiClient(hub.url).post(`/api/district/transfers/${first.transferId}/withdraw`, {}, basic(HUB_VIEWER_PASSWORD))).status).toBe(403);
    expect((await hubAdmin.post('/api/district/transfers/not-an-id/withdraw', {})).status).toBe(404);
    expect((await hubAdmin.post(`/api/district/transfers/${first.transferId}/withdraw`, {})).body).toEqual({ transferId: first.transferId, state: 'cancelled' });
    // Withdrawn twice: the same answer.
    expect((await hubAdmin.post(`/api/district/transfers/${first.transferId}/withdraw`, {})).body.state).toBe('cancelled');
    expect((await b.api.post('/api/hub-link/pull')).body).toEqual({ taken: 0, refused: 0 });
    expect((await b.api.get('/api/volunteers?q=周文华')).body.total).toBe(0);

    // Asked again, and withdrawn while B's station is registering the person: B's answer is kept.
    const second = (await hubAdmin.post('/api/district/transfers', ask)).body;
    expect(second.transferId).not.toBe(first.transferId);
    const asB = { authorization: `Bearer ${b.joinKey}` };
    const pending = (await new ApiClient(hub.url).post('/api/link/transfers', {}, asB)).body.transfers as { transferId: string }[];
    expect(pending.map((t) => t.transferId)).toEqual([second.transferId]);
    expect((await hubAdmin.post(`/api/district/transfers/${second.transferId}/withdraw`, {})).body.state).toBe('cancelled');
    const answered = await new ApiClient(hub.url).post(`/api/link/transfers/${second.transferId}/done`, { volunteerId: 'b-volunteer-1', cardNo: '100099' }, asB);
    expect(answered.body).toEqual({ transferId: second.transferId, state: 'taken' });
    const list = (await hubAdmin.get('/api/district/transfers')).body.transfers as { transferId: string; state: string }[];
    expect(list.find((t) => t.transferId === first.transferId)?.state).toBe('cancelled');
    expect(list.find((t) => t.transferId === second.transferId)?.state).toBe('taken');
    // Answered requests cannot be withdrawn.
    const late = await hubAdmin.post(`/api/district/transfers/${second.transferId}/withdraw`, {});
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'CONFLICT', details: { state: 'taken' } });
    const audit = (await pool.query("SELECT action FROM hub_audit WHERE target IN ($1, $2) ORDER BY at", [first.transferId, second.transferId])).rows.map((row) => row.action);
    expect(audit).toEqual(expect.arrayContaining(['transfer.withdrawn', 'transfer.taken-after-withdrawal']));
  }, 120_000);
});
