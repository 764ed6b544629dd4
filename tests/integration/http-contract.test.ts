import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, ApiClient, startStation, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
});
afterAll(async () => {
  await t?.destroy();
});

describe('HTTP contracts', () => {
  it('health answers ok', async () => {
    const response = await new ApiClient(t.url).get('/api/health');
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('login: 200 with an HttpOnly SameSite cookie, 401 when wrong', async () => {
    const client = new ApiClient(t.url);
    const ok = await client.post('/api/auth/login', { username: 'admin', password: 'admin-pass-1' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/vs_session=.*HttpOnly.*SameSite=Lax/i);
    const wrong = await new ApiClient(t.url).post('/api/auth/login', { username: 'admin', password: 'nope-nope' });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS' } } });
  });

  it('rate-limits repeated wrong logins for one name', async () => {
    const client = new ApiClient(t.url);
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await client.post('/api/auth/login', { username: 'guesser', password: 'wrong-password' })).status;
    expect(last).toBe(429);
  });

  it('registers a volunteer with a card number and a signed card code', async () => {
    const created = await api.post('/api/volunteers', { name: '黄志强', phone: '13600000001', gender: 'male' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '黄志强', cardNo: expect.stringMatching(/^\d{6}$/), cardCode: expect.stringMatching(/^VS1\./) });
    expect(created.body.phone).toBe('136****0001');
    const duplicate = await api.post('/api/volunteers', { name: '黄志强', phone: '13600000001' });
    expect(duplicate).toMatchObject({ status: 409, body: { error: { code: 'DUPLICATE_VOLUNTEER' } } });
    const revealed = await api.get(`/api/volunteers/${created.body.id}?reveal=1`);
    expect(revealed.body.phone).toBe('13600000001');
    const audit = await api.get('/api/audit?q=volunteer.revealed');
    expect(audit.body.items.length).toBeGreaterThan(0);
  });

  it('under-14s need a guardian’s consent', async () => {
    const year = new Date().getFullYear();
    const refused = await api.post('/api/volunteers', { name: '小朋友', birthYear: year - 10 });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'GUARDIAN_CONSENT_REQUIRED' } } });
    const accepted = await api.post('/api/volunteers', { name: '小朋友', birthYear: year - 10, guardianConsent: { guardianName: '家长' } });
    expect(accepted.status).toBe(201);
  });

  it('manual points need a reason and never take the balance below zero', async () => {
    const v = (await api.post('/api/volunteers', { name: '吴刚', phone: '13600000002' })).body;
    expect((await api.post(`/api/volunteers/${v.id}/points`, { delta: 5 })).body.error.code).toBe('VALIDATION_FAILED');
    const bonus = await api.post(`/api/volunteers/${v.id}/points`, { delta: 5, reason: '活动表彰' });
    expect(bonus).toMatchObject({ status: 201, body: { delta: 5, balance: 5 } });
    const tooMuch = await api.post(`/api/volunteers/${v.id}/points`, { delta: -6, reason: '扣分' });
    expect(tooMuch).toMatchObject({ status: 409, body: { error: { code: 'INSUFFICIENT_POINTS' } } });
    expect((await api.get(`/api/volunteers/${v.id}`)).body.points).toBe(5);
  });

  it('settings accept repeatWindowSeconds and keep it across a restart', async () => {
    const dataDir = t.dataDir;
    expect((await api.patch('/api/settings', { repeatWindowSeconds: 45 })).body.repeatWindowSeconds).toBe(45);
    expect((await api.patch('/api/settings', { repeatWindowSeconds: -1 })).status).toBe(400);
    await t.stop();
    t = await startStation({ dataDir });
    api = await adminClient(t);
    expect((await api.get('/api/settings')).body.repeatWindowSeconds).toBe(45);
  });

  it('activities need an end after the start', async () => {
    const bad = await api.post('/api/activities', { title: 'x', startsAt: '2026-05-01T10:00:00+08:00', endsAt: '2026-05-01T09:00:00+08:00' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    const ok = await api.post('/api/activities', { title: '植树', startsAt: '2026-05-01T09:00:00+08:00', endsAt: '2026-05-01T11:00:00+08:00' });
    expect(ok).toMatchObject({ status: 201, body: { id: expect.any(String), startsAt: '2026-05-01T01:00:00.000Z' } });
  });

  it('devices: a pairing code and a token', async () => {
    const created = await api.post('/api/devices', { name: '签到一号', mode: 'checkin' });
    expect(created).toMatchObject({ status: 201, body: { id: expect.any(String), pairingCode: expect.stringMatching(/^\d{8}$/) } });
    const paired = await new ApiClient(t.url).post('/api/devices/pair', { pairingCode: created.body.pairingCode });
    expect(paired).toMatchObject({ status: 200, body: { deviceId: created.body.id, token: expect.any(String) } });
    const list = await api.get('/api/devices');
    expect(JSON.stringify(list.body)).not.toContain(paired.body.token);
  });
});

describe('bad input never gives a 5xx', () => {
  const routes: [string, string][] = [
    ['POST', '/api/volunteers'], ['POST', '/api/activities'], ['POST', '/api/devices'], ['POST', '/api/devices/pair'],
    ['POST', '/api/goods'], ['POST', '/api/auth/login'], ['POST', '/api/teams'], ['POST', '/api/staff'], ['POST', '/api/attendance'],
  ];
  const bodies: unknown[] = [null, 42, 'text', [], { name: 123 }, { title: ['x'], startsAt: 5 }, { repeatWindowSeconds: '30' }, { __proto__: { admin: true } }, { name: 'x'.repeat(10_000) }];

  it('wrong types and shapes get a 4xx with a code and a message', async () => {
    for (const [method, route] of routes) {
      for (const body of bodies) {
        const response = await api.request(method, route, body);
        expect(response.status, `${method} ${route} ${JSON.stringify(body)?.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.body.error).toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) });
      }
    }
  });

  it('settings with wrong types are refused and nothing changes', async () => {
    const before = (await api.get('/api/settings')).body;
    for (const body of [{ repeatWindowSeconds: '30' }, { hours: { roundingMode: 'sideways' } }, { stars: { thresholds: [5, 4, 3, 2, 1] } }, { timeZone: 'Mars/Base' }, [], 'x']) {
      const response = await api.patch('/api/settings', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api.get('/api/settings')).body).toEqual(before);
  });

  it('malformed JSON is MALFORMED_JSON', async () => {
    const response = await fetch(`${t.url}/api/volunteers`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: api.cookie }, body: '{"name": "x",' });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('MALFORMED_JSON');
  });

  it('a huge body is PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(`${t.url}/api/volunteers`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: api.cookie }, body: JSON.stringify({ name: 'x', notes: 'y'.repeat(2_000_000) }) });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('unknown fields are dropped, not stored', async () => {
    const created = await api.post('/api/volunteers', { name: '郑洁', phone: '13600000009', isAdmin: true, cardNo: '000001' });
    expect(created.status).toBe(201);
    expect(created.body.isAdmin).toBeUndefined();
    expect(created.body.cardNo).not.toBe('000001');
  });

  it('unknown API routes are a JSON 404', async () => {
    const response = await api.get('/api/does-not-exist');
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await api.get('/api/volunteers/no-such-id')).status).toBe(404);
  });
});

describe('roles', () => {
  it('counter and viewer accounts are held to their role; no session is 401', async () => {
    for (const [username, role] of [['counter1', 'counter'], ['viewer1', 'viewer']] as const) {
      expect((await api.post('/api/staff', { username, role, password: 'password-123' })).status).toBe(201);
    }
    const counter = await new ApiClient(t.url).login('counter1', 'password-123');
    const viewer = await new ApiClient(t.url).login('viewer1', 'password-123');
    expect((await counter.post('/api/volunteers', { name: '某人' })).status).toBe(403);
    expect((await counter.get('/api/volunteers')).status).toBe(403);
    expect((await counter.get('/api/goods')).status).toBe(200);
    expect((await viewer.post('/api/activities', { title: 'x', startsAt: '2026-05-01T09:00:00Z', endsAt: '2026-05-01T10:00:00Z' })).status).toBe(403);
    expect((await viewer.patch('/api/settings', { repeatWindowSeconds: 5 })).status).toBe(403);
    expect((await viewer.get('/api/activities')).status).toBe(200);
    expect((await new ApiClient(t.url).get('/api/volunteers')).status).toBe(401);
    expect((await api.get('/api/staff')).body.items.every((u: object) => !('passwordHash' in u))).toBe(true);
  });

  it('the last admin cannot be demoted', async () => {
    const me = (await api.get('/api/auth/me')).body.user;
    expect((await api.patch(`/api/staff/${me.id}`, { role: 'staff' })).status).toBe(409);
  });
});

describe('admin conveniences', () => {
  it('a volunteer field sent as null is cleared; activities filter by days in the center’s zone; times are stored in UTC', async () => {
    const v = (await api.post('/api/volunteers', { name: '林青', phone: '13600000010', address: '幸福里3栋', notes: '会修电器' })).body;
    const cleared = await api.patch(`/api/volunteers/${v.id}`, { address: null, notes: '', phone: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.address).toBeUndefined();
    expect(cleared.body.notes).toBeUndefined();
    expect(cleared.body.phone).toBeUndefined();
    expect((await api.patch(`/api/volunteers/${v.id}`, { name: null })).status).toBe(400);
    // 07:00 Beijing time on 1 June is 23:00 UTC on 31 May.
    const early = (await api.post('/api/activities', { title: '晨练陪护', startsAt: '2026-06-01T07:00:00+08:00', endsAt: '2026-06-01T08:00:00+08:00' })).body;
    expect(early.startsAt).toBe('2026-05-31T23:00:00.000Z');
    const june1 = (await api.get('/api/activities?from=2026-06-01&to=2026-06-01')).body.items.map((a: { id: string }) => a.id);
    const may31 = (await api.get('/api/activities?from=2026-05-31&to=2026-05-31')).body.items.map((a: { id: string }) => a.id);
    expect(june1).toContain(early.id);
    expect(may31).not.toContain(early.id);
    expect((await api.get(`/api/activities/${early.id}`)).body).toMatchObject({ onSite: 0, attendanceCount: 0 });
  });

  it('exports the register with the import template’s headers, and it imports again adding nobody', async () => {
    const response = await fetch(`${t.url}/api/exports/volunteers.xlsx`, { headers: { cookie: api.cookie } });
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    const again = await api.post('/api/volunteers/import', bytes, { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(again.status).toBe(200);
    expect(again.body.imported).toBe(0);
    expect(again.body.skipped).toBeGreaterThan(0);
  });

  it('staff change their own password with the current one', async () => {
    await api.post('/api/staff', { username: 'pw-user', role: 'staff', password: 'first-pass-1' });
    const me = await new ApiClient(t.url).login('pw-user', 'first-pass-1');
    expect((await me.post('/api/auth/password', { current: 'wrong-one', next: 'second-pass-2' })).status).toBe(401);
    expect((await me.post('/api/auth/password', { current: 'first-pass-1', next: 'short' })).status).toBe(400);
    expect((await me.post('/api/auth/password', { current: 'first-pass-1', next: 'second-pass-2' })).status).toBe(200);
    expect((await me.get('/api/auth/me')).status).toBe(200);
    await expect(new ApiClient(t.url).login('pw-user', 'first-pass-1')).rejects.toThrow();
    await new ApiClient(t.url).login('pw-user', 'second-pass-2');
  });

  it('tracks which cards were printed: new and reissued cards are listed until marked printed', async () => {
    const a = (await api.post('/api/volunteers', { name: '甲一', phone: '13600000021' })).body;
    const b = (await api.post('/api/volunteers', { name: '乙二', phone: '13600000022' })).body;
    const unprinted = async () => (await api.get('/api/volunteers?cardPrinted=false&limit=500')).body.items.map((v: { id: string }) => v.id);
    expect(await unprinted()).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await api.post('/api/volunteers/cards/printed', { ids: [a.id, b.id] })).body.marked).toBe(2);
    expect(await unprinted()).not.toContain(a.id);
    await api.post(`/api/volunteers/${a.id}/card`);
    expect(await unprinted()).toContain(a.id);
    expect(await unprinted()).not.toContain(b.id);
    expect((await api.post('/api/volunteers/cards/printed', { ids: [] })).status).toBe(400);
  });
});

