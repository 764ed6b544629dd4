import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutoClose } from '../../server/src/attendance/auto-close.ts';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

/**
 * Every API call the admin app makes, against a real server, in the order a community worker
 * meets them: first run, the register and its import, cards, teams, activities, review, devices,
 * staff, settings, the audit log; and the roles that limit each.
 */

const SAMPLE = new URL('../fixtures/volunteer-register-sample.xlsx', import.meta.url);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A clock the test moves by hand: Tuesday 10 March 2026, 09:00 in Beijing. */
const clock = { time: new Date('2026-03-10T01:00:00.000Z'), now() { return new Date(this.time); } };

let t: TestStation;
let api: ApiClient;

beforeAll(async () => {
  t = await startStation({ clock });
  api = await adminClient(t);
});
afterAll(async () => {
  await t?.destroy();
});

describe('first run', () => {
  it('asks for the admin account when there is none, creates it once, and signs in with it', async () => {
    const fresh = await startStation({ adminPassword: null });
    try {
      const browser = new ApiClient(fresh.url);
      expect((await browser.get('/api/auth/status')).body).toEqual({ setupNeeded: true, user: null });
      const weak = await browser.post('/api/auth/setup', { username: 'admin', password: 'short' });
      expect(weak).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: { problems: [{ field: 'password' }] } } } });
      const created = await browser.post('/api/auth/setup', { username: 'admin', password: 'first-run-pass', displayName: '王主任' });
      expect(created).toMatchObject({ status: 201, body: { user: { username: 'admin', role: 'admin', displayName: '王主任' } } });
      expect((await browser.get('/api/auth/status')).body).toMatchObject({ setupNeeded: false, user: { username: 'admin' } });
      const again = await new ApiClient(fresh.url).post('/api/auth/setup', { username: 'intruder', password: 'another-pass' });
      expect(again).toMatchObject({ status: 409, body: { error: { code: 'SETUP_ALREADY_DONE' } } });
    } finally {
      await fresh.destroy();
    }
  });

  it('signs in and out with the session cookie', async () => {
    const browser = await new ApiClient(t.url).login();
    expect((await browser.get('/api/auth/status')).body.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect((await browser.post('/api/auth/logout')).status).toBe(200);
    expect((await browser.get('/api/auth/status')).body.user).toBeNull();
    expect((await browser.get('/api/volunteers')).status).toBe(401);
  });
});

describe('volunteer register', () => {
  it('finds volunteers as you type by name, pinyin initials, card number and phone, and filters by team and status', async () => {
    const team = (await api.post('/api/teams', { name: '助老服务队' })).body;
    const zhang = (await api.post('/api/volunteers', { name: '张晓明', phone: '13900000001', teamIds: [team.id] })).body;
    const li = (await api.post('/api/volunteers', { name: '李华', phone: '13900000002' })).body;
    const names = async (query: string) => (await api.get(`/api/volunteers${query}`)).body.items.map((v: { name: string }) => v.name);
    expect(await names('?q=晓明')).toEqual(['张晓明']);
    expect(await names('?q=zxm')).toEqual(['张晓明']);
    expect(await names(`?q=${li.cardNo}`)).toEqual(['李华']);
    expect(await names('?q=13900000002')).toEqual(['李华']);
    expect(await names('?q=李华%200002')).toEqual(['李华']);
    expect(await names('?q=0000002')).toEqual([]);
    expect(await names(`?teamId=${team.id}`)).toEqual(['张晓明']);
    await api.patch(`/api/volunteers/${li.id}`, { status: 'suspended' });
    expect(await names('?status=suspended')).toEqual(['李华']);
    const page = (await api.get('/api/volunteers?limit=1&offset=1')).body;
    expect(page).toMatchObject({ total: 2, items: [{ name: '李华' }] });
    expect(zhang).toMatchObject({ phone: '139****0001', teamNames: ['助老服务队'], hours: 0, points: 0, stars: 0 });
  });

  it('matches a phone only whole or by its last 4 digits beside a name, so digits cannot spell out a number; searches by number are audited', async () => {
    const searchesByPhone = async () => (await api.get('/api/audit?q=volunteers.searched-by-phone')).body.items;
    const before = (await searchesByPhone()).length;
    await api.post('/api/volunteers', { name: '钱秀英', phone: '13712345678' });
    await api.post('/api/volunteers', { name: '孙建国', phone: '13712340000' });
    const names = async (q: string) => (await api.get(`/api/volunteers?q=${encodeURIComponent(q)}`)).body.items.map((v: { name: string }) => v.name);
    // Any run of digits used to match: 5678, then x5678, … found the whole number in ≤ 80 tries.
    for (const part of ['5678', '45678', '1371234567', '137123', '3712345678']) expect(await names(part)).toEqual([]);
    expect(await names('13712345678')).toEqual(['钱秀英']);
    expect(await names('137 1234 5678')).toEqual(['钱秀英']);
    expect(await names('１３７１２３４５６７８')).toEqual(['钱秀英']);
    expect(await names('钱秀英 5678')).toEqual(['钱秀英']);
    expect(await names('qxy 5678')).toEqual(['钱秀英']);
    expect(await names('5678 秀英')).toEqual(['钱秀英']);
    expect(await names('钱秀英 0000')).toEqual([]);
    expect(await names('孙建国 0000')).toEqual(['孙建国']);
    const audit = (await searchesByPhone()).slice(0, -before || undefined);
    expect(audit).toHaveLength(8);
    expect(audit.map((e: { summary: string }) => e.summary).join(' ')).not.toContain('13712345678');
    expect(audit[audit.length - 1]).toMatchObject({ actor: 'staff:admin', summary: '137****5678: 1 found' });
    expect(audit[0]).toMatchObject({ summary: '孙建国 + *******0000: 1 found' });
    // Names, initials and card numbers are not audited searches.
    const card = (await api.get(`/api/volunteers?q=${encodeURIComponent('钱秀英')}`)).body.items[0].cardNo;
    expect(await names(card)).toEqual(['钱秀英']);
    expect(await searchesByPhone()).toHaveLength(before + 8);
  });

  it('keeps the archive: masked numbers until revealed (audited), edits, sign-ins, ledger with reasons, card reissue', async () => {
    const v = (await api.post('/api/volunteers', { name: '赵敏', phone: '13900000003', idNumber: '11010519491231002X', birthYear: 1949 })).body;
    const archive = (await api.get(`/api/volunteers/${v.id}`)).body;
    expect(archive).toMatchObject({ phone: '139****0003', idNumber: '1101**********002X', hasIdNumber: true });
    const revealed = (await api.get(`/api/volunteers/${v.id}?reveal=1`)).body;
    expect(revealed).toMatchObject({ phone: '13900000003', idNumber: '11010519491231002X' });
    expect((await api.get('/api/audit?q=volunteer.revealed')).body.items[0]).toMatchObject({ action: 'volunteer.revealed', target: v.id, actor: 'staff:admin' });

    const edited = await api.patch(`/api/volunteers/${v.id}`, { address: '幸福里 3 栋', skills: ['理发', '量血压'] });
    expect(edited).toMatchObject({ status: 200, body: { address: '幸福里 3 栋', skills: ['理发', '量血压'], phone: '139****0003' } });
    const badPhone = await api.patch(`/api/volunteers/${v.id}`, { phone: '12345' });
    expect(badPhone).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: { problems: [{ field: 'phone' }] } } } });

    expect((await api.post(`/api/volunteers/${v.id}/points`, { delta: 3, reason: '' })).body.error.details.problems[0].field).toBe('reason');
    expect((await api.post(`/api/volunteers/${v.id}/points`, { delta: 3, reason: '重阳节帮厨' })).status).toBe(201);
    expect((await api.post(`/api/volunteers/${v.id}/points`, { delta: -1, reason: '误加更正' })).status).toBe(201);
    const ledger = (await api.get(`/api/volunteers/${v.id}/ledger`)).body;
    expect(ledger).toMatchObject({ balance: 2, items: [{ delta: -1, kind: 'manual', reason: '误加更正', by: 'staff:admin' }, { delta: 3, reason: '重阳节帮厨' }] });
    expect((await api.get(`/api/volunteers/${v.id}/attendance`)).body).toEqual({ items: [] });

    const oldCode = archive.cardCode;
    const reissued = await api.post(`/api/volunteers/${v.id}/card`);
    expect(reissued).toMatchObject({ status: 201, body: { cardNo: v.cardNo, cardSerial: 2 } });
    expect(reissued.body.cardCode).not.toBe(oldCode);
    const png = await fetch(`${t.url}/api/volunteers/${v.id}/qr.png`, { headers: { cookie: api.cookie } });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    const certificate = await api.post(`/api/volunteers/${v.id}/certificates`, { from: '2026-01-01', to: '2026-03-10' });
    expect(certificate).toMatchObject({ status: 201, body: { hours: 0, number: expect.any(String) } });
  });

  it('refuses a card to an under-14 without a guardian, and a second registration of the same phone', async () => {
    const child = await api.post('/api/volunteers', { name: '小雨', birthYear: 2018 });
    expect(child).toMatchObject({ status: 422, body: { error: { code: 'GUARDIAN_CONSENT_REQUIRED' } } });
    const withGuardian = await api.post('/api/volunteers', { name: '小雨', birthYear: 2018, guardianConsent: { guardianName: '林芳' } });
    expect(withGuardian).toMatchObject({ status: 201, body: { guardianConsent: { guardianName: '林芳', recordedBy: 'staff:admin' } } });
    const twice = await api.post('/api/volunteers', { name: '张晓明', phone: '13900000001' });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'DUPLICATE_VOLUNTEER', details: { volunteerId: expect.any(String) } } } });
  });
});

describe('register import', () => {
  it('previews the real sample register, imports it, and imports nobody the second time', async () => {
    const file = await readFile(SAMPLE);
    const before = (await api.get('/api/volunteers?limit=1')).body.total;

    const preview = await api.post('/api/volunteers/import?dryRun=1', file, { 'content-type': XLSX });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, skipped: 0 });
    expect(preview.body.imported).toBeGreaterThan(10);
    expect(preview.body.errors.length).toBeGreaterThan(0);
    for (const error of preview.body.errors) expect(error).toEqual({ row: expect.any(Number), message: expect.any(String) });
    expect(preview.body.columns).toMatchObject({ name: expect.any(String), phone: expect.any(String) });
    expect(preview.body.preview).toHaveLength(preview.body.imported);
    expect((await api.get('/api/volunteers?limit=1')).body.total).toBe(before);

    const imported = await api.post('/api/volunteers/import', file, { 'content-type': XLSX });
    expect(imported.body).toMatchObject({ dryRun: false, imported: preview.body.imported, errors: preview.body.errors });
    expect((await api.get('/api/volunteers?limit=1')).body.total).toBe(before + preview.body.imported);
    const firstCard = imported.body.preview[0];
    expect((await api.get(`/api/volunteers?q=${firstCard.cardNo}`)).body.items[0]).toMatchObject({ name: firstCard.name });

    const again = await api.post('/api/volunteers/import', file, { 'content-type': XLSX });
    expect(again.body).toMatchObject({ imported: 0, skipped: preview.body.imported });
    expect(again.body.skippedRows).toHaveLength(preview.body.imported);
    expect((await api.get('/api/volunteers?limit=1')).body.total).toBe(before + preview.body.imported);
    expect((await api.get('/api/audit?q=volunteers.imported')).body.items).toHaveLength(1);
  });

  it('offers the template and refuses a file that is not a register', async () => {
    const template = await fetch(`${t.url}/api/volunteers/import/template.xlsx`, { headers: { cookie: api.cookie } });
    expect(template.status).toBe(200);
    expect(Buffer.from(await template.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const garbage = await api.post('/api/volunteers/import?dryRun=1', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), { 'content-type': XLSX });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
  });
});

describe('teams and activities', () => {
  it('creates teams, renames them, names leaders and counts members', async () => {
    const team = (await api.post('/api/teams', { name: '环保队' })).body;
    const member = await registerVolunteer(api, '钱多多', '13900000010');
    await api.patch(`/api/volunteers/${member.id}`, { teamIds: [team.id] });
    expect((await api.patch(`/api/teams/${team.id}`, { name: '环保服务队', leaderIds: [member.id] })).body).toMatchObject({ name: '环保服务队', leaderIds: [member.id] });
    expect((await api.get('/api/teams')).body.items.find((x: { id: string }) => x.id === team.id)).toMatchObject({ memberCount: 1 });
    expect((await api.post('/api/teams', { name: '环保服务队' })).body.error.code).toBe('CONFLICT');
  });

  it('plans, lists by week, opens, closes and duplicates activities', async () => {
    const created = await api.post('/api/activities', {
      title: '周二巡河',
      theme: '环境保护',
      place: '滨河路',
      organizer: '社区居委会',
      startsAt: '2026-03-10T14:00:00+08:00',
      endsAt: '2026-03-10T16:00:00+08:00',
      pointsRule: { kind: 'fixed', points: 5 },
      capacity: 20,
    });
    expect(created).toMatchObject({ status: 201, body: { status: 'planned', pointsRule: { kind: 'fixed', points: 5 } } });
    const id = created.body.id;
    const week = (await api.get('/api/activities?from=2026-03-09&to=2026-03-15')).body.items;
    expect(week.find((a: { id: string }) => a.id === id)).toMatchObject({ onSite: 0, attendanceCount: 0 });
    expect((await api.get('/api/activities?from=2026-03-16&to=2026-03-22')).body.items.some((a: { id: string }) => a.id === id)).toBe(false);
    expect((await api.patch(`/api/activities/${id}`, { status: 'open' })).body.status).toBe('open');
    expect((await api.patch(`/api/activities/${id}`, { status: 'closed', place: '滨河路北段' })).body).toMatchObject({ status: 'closed', place: '滨河路北段' });
    expect((await api.get(`/api/activities/${id}`)).body.title).toBe('周二巡河');
    const copy = await api.post(`/api/activities/${id}/duplicate`, { startsAt: '2026-03-17T14:00:00+08:00' });
    expect(copy).toMatchObject({ status: 201, body: { title: '周二巡河', status: 'planned', startsAt: '2026-03-17T06:00:00.000Z', endsAt: '2026-03-17T08:00:00.000Z' } });
    const backwards = await api.post('/api/activities', { title: 'x', startsAt: '2026-03-10T16:00:00+08:00', endsAt: '2026-03-10T14:00:00+08:00' });
    expect(backwards.body.error.details.problems[0].field).toBe('endsAt');
  });
});

describe('attendance review', () => {
  it('fixes a forgotten sign-out with a reversing ledger entry and an audit entry; removes, adds and marks reviewed', async () => {
    clock.time = new Date('2026-03-10T01:00:00.000Z');
    const activity = (await api.post('/api/activities', { title: '助老送餐', startsAt: '2026-03-10T09:00:00+08:00', endsAt: '2026-03-10T11:00:00+08:00' })).body;
    const forgot = await registerVolunteer(api, '孙立', '13900000020');
    const wrong = await registerVolunteer(api, '周全', '13900000021');
    const { token } = await pairDevice(api, 'checkin');
    const kiosk = await connectSocket(t.url, '/kiosk', { token });
    for (const v of [forgot, wrong]) {
      const ack = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: v.cardCode, scannedAt: clock.now().toISOString() });
      expect(ack).toMatchObject({ ok: true, action: 'check-in' });
    }
    kiosk.close();

    // Nobody signed out; in the afternoon the server closes both at the end and flags them.
    clock.time = new Date('2026-03-10T06:00:00.000Z');
    await runAutoClose(t.station.ctx);
    const queue = (await api.get('/api/attendance/review')).body.items;
    expect(queue.map((a: { volunteerName: string }) => a.volunteerName).sort()).toEqual(['周全', '孙立']);
    expect((await api.get(`/api/activities/${activity.id}/attendance`)).body.items).toHaveLength(2);
    const forgotten = queue.find((a: { volunteerId: string }) => a.volunteerId === forgot.id);
    expect(forgotten).toMatchObject({ autoClosed: true, needsReview: true, creditedMinutes: 120, pointsCredited: 2, activityTitle: '助老送餐', cardNo: forgot.cardNo });

    const fixed = await api.post(`/api/attendance/${forgotten.id}/checkout`, { checkOutAt: '2026-03-10T10:00:00+08:00', reason: '十点离开，忘记签退' });
    expect(fixed).toMatchObject({ status: 200, body: { creditedMinutes: 60, pointsCredited: 1 } });
    expect(fixed.body.needsReview).toBeFalsy();
    const ledger = (await api.get(`/api/volunteers/${forgot.id}/ledger`)).body;
    expect(ledger.balance).toBe(1);
    expect(ledger.items.map((e: { kind: string; delta: number }) => [e.kind, e.delta])).toEqual([['attendance', 1], ['reversal', -2], ['attendance', 2]]);
    expect(ledger.items[1].reason).toContain('十点离开，忘记签退');
    expect((await api.get('/api/audit?q=attendance.corrected')).body.items[0]).toMatchObject({ target: forgotten.id, actor: 'staff:admin', summary: expect.stringContaining('十点离开') });
    const history = (await api.get(`/api/volunteers/${forgot.id}/attendance`)).body.items;
    expect(Date.parse(history[0].checkOutAt)).toBe(Date.parse('2026-03-10T02:00:00.000Z'));

    const other = queue.find((a: { volunteerId: string }) => a.volunteerId === wrong.id);
    expect((await api.post(`/api/attendance/${other.id}/remove`, { reason: '' })).status).toBe(400);
    const removed = await api.post(`/api/attendance/${other.id}/remove`, { reason: '代签，本人未到' });
    expect(removed).toMatchObject({ status: 200, body: { removed: { reason: '代签，本人未到', by: 'staff:admin' } } });
    const again = await api.post(`/api/attendance/${other.id}/remove`, { reason: '再点一次' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_VOIDED', details: { removed: { reason: '代签，本人未到' } } } } });
    expect((await api.get(`/api/volunteers/${wrong.id}`)).body).toMatchObject({ hours: 0, points: 0 });
    expect((await api.get(`/api/volunteers/${wrong.id}/ledger`)).body.items[0]).toMatchObject({ kind: 'reversal', delta: -2 });
    expect((await api.get('/api/audit?q=attendance.removed')).body.items[0].summary).toBe('代签，本人未到');
    expect((await api.get('/api/attendance/review')).body.items).toEqual([]);

    const added = await api.post('/api/attendance', { volunteerId: wrong.id, activityId: activity.id, checkInAt: '2026-03-10T09:00:00+08:00', checkOutAt: '2026-03-10T10:30:00+08:00', reason: '纸质签到表补录' });
    expect(added).toMatchObject({ status: 201, body: { source: 'manual', creditedMinutes: 90, volunteerName: '周全' } });
    expect((await api.get('/api/audit?q=attendance.added')).body.items[0].summary).toContain('纸质签到表补录');

    // The same sheet entered again, or a time inside it, would count the hours twice: refused, nothing saved.
    const hoursBefore = (await api.get(`/api/volunteers/${wrong.id}`)).body.hours;
    const twice = await api.post('/api/attendance', { volunteerId: wrong.id, activityId: activity.id, checkInAt: '2026-03-10T10:00:00+08:00', checkOutAt: '2026-03-10T11:00:00+08:00', reason: '又录了一次' });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', details: { problem: 'OVERLAP', attendanceId: added.body.id, activityTitle: activity.title } } } });
    expect((await api.get(`/api/volunteers/${wrong.id}`)).body.hours).toBe(hoursBefore);
    // Right after it is fine; stretching the earlier one's sign-out over it is not, and the earlier one may be corrected within its own time.
    const after = await api.post('/api/attendance', { volunteerId: wrong.id, activityId: activity.id, checkInAt: '2026-03-10T10:30:00+08:00', checkOutAt: '2026-03-10T11:00:00+08:00', reason: '下半场' });
    expect(after.status).toBe(201);
    const stretched = await api.post(`/api/attendance/${added.body.id}/checkout`, { checkOutAt: '2026-03-10T10:45:00+08:00', reason: '写错了' });
    expect(stretched).toMatchObject({ status: 409, body: { error: { details: { problem: 'OVERLAP', attendanceId: after.body.id } } } });
    expect((await api.post(`/api/attendance/${added.body.id}/checkout`, { checkOutAt: '2026-03-10T10:15:00+08:00', reason: '写错了' })).status).toBe(200);

    // A flagged sign-in that was right all along is marked reviewed, and leaves the queue.
    const third = await registerVolunteer(api, '吴用', '13900000022');
    const kiosk2 = await connectSocket(t.url, '/kiosk', { token });
    clock.time = new Date('2026-03-10T01:30:00.000Z');
    await emitWithAck<ScanAck>(kiosk2, 'scan', { scanId: randomUUID(), code: third.cardCode, scannedAt: clock.now().toISOString() });
    kiosk2.close();
    clock.time = new Date('2026-03-10T06:00:00.000Z');
    await runAutoClose(t.station.ctx);
    const [flagged] = (await api.get('/api/attendance/review')).body.items;
    expect((await api.post(`/api/attendance/${flagged.id}/reviewed`)).body.needsReview).toBe(false);
    expect((await api.get('/api/attendance/review')).body.items).toEqual([]);
  });
});

describe('devices', () => {
  it('adds a kiosk with a pairing code and URL, sees it paired, renames it, makes a new code, and revokes it', async () => {
    const created = await api.post('/api/devices', { name: '大厅签到机', mode: 'checkin' });
    expect(created).toMatchObject({ status: 201, body: { mode: 'checkin', pairingCode: expect.stringMatching(/^\d{8}$/), online: false } });
    expect(created.body.pairingUrl).toBe(`/kiosk/?pair=${created.body.pairingCode}`);
    const listed = () => api.get('/api/devices').then((r) => r.body.items.find((d: { id: string }) => d.id === created.body.id));
    expect(await listed()).toMatchObject({ name: '大厅签到机', pairingExpiresAt: expect.any(String) });
    expect((await listed()).pairedAt).toBeUndefined();

    const paired = await new ApiClient(t.url).post('/api/devices/pair', { pairingCode: created.body.pairingCode });
    expect(paired).toMatchObject({ status: 200, body: { deviceId: created.body.id, token: expect.any(String) } });
    expect(await listed()).toMatchObject({ pairedAt: expect.any(String), lastSeenAt: expect.any(String) });
    const kiosk = await connectSocket(t.url, '/kiosk', { token: paired.body.token });
    expect((await listed()).online).toBe(true);
    kiosk.close();

    expect((await api.patch(`/api/devices/${created.body.id}`, { name: '二楼签到机' })).body.name).toBe('二楼签到机');
    const again = await api.post(`/api/devices/${created.body.id}/pairing-code`);
    expect(again).toMatchObject({ status: 201, body: { pairingCode: expect.stringMatching(/^\d{8}$/) } });
    expect(again.body.pairingCode).not.toBe(created.body.pairingCode);
    expect((await listed()).pairedAt).toBeUndefined();
    expect((await api.post(`/api/devices/${created.body.id}/revoke`)).body.revokedAt).toEqual(expect.any(String));
    expect((await new ApiClient(t.url).post('/api/devices/pair', { pairingCode: again.body.pairingCode })).body.error.code).toBe('PAIRING_CODE_INVALID');
  });
});

describe('staff, settings and audit', () => {
  it('creates accounts, changes roles, resets passwords and disables accounts', async () => {
    const created = await api.post('/api/staff', { username: 'liu', displayName: '刘姐', role: 'staff', password: 'liu-password-1' });
    expect(created).toMatchObject({ status: 201, body: { username: 'liu', role: 'staff', disabled: false } });
    expect(created.body.passwordHash).toBeUndefined();
    expect((await api.post('/api/staff', { username: 'liu', role: 'viewer', password: 'another-pass' })).body.error.code).toBe('USERNAME_TAKEN');
    const liu = await new ApiClient(t.url).login('liu', 'liu-password-1');

    expect((await api.patch(`/api/staff/${created.body.id}`, { role: 'viewer' })).body.role).toBe('viewer');
    expect((await liu.post('/api/volunteers', { name: '某人' })).status).toBe(403);
    // A reset password ends the person's sessions everywhere.
    await api.patch(`/api/staff/${created.body.id}`, { password: 'liu-password-2' });
    expect((await liu.get('/api/activities')).status).toBe(401);
    await new ApiClient(t.url).login('liu', 'liu-password-2');
    await api.patch(`/api/staff/${created.body.id}`, { disabled: true });
    expect((await new ApiClient(t.url).post('/api/auth/login', { username: 'liu', password: 'liu-password-2' })).body.error.code).toBe('ACCOUNT_DISABLED');
    expect((await api.get('/api/staff')).body.items.find((s: { id: string }) => s.id === created.body.id)).toMatchObject({ disabled: true, role: 'viewer' });
    expect((await api.get('/api/audit?q=staff.updated')).body.items[0].summary).toContain('liu');
  });

  it('reads and changes the center’s settings, nested groups merged', async () => {
    const before = (await api.get('/api/settings')).body;
    expect(before).toMatchObject({ centerName: expect.any(String), timeZone: 'Asia/Shanghai', stars: { thresholds: [100, 300, 600, 1000, 1500] } });
    const changed = await api.patch('/api/settings', { centerName: '幸福里志愿驿站', hours: { graceMinutes: 15 }, stars: { thresholds: [10, 20, 30, 40, 50], period: 'calendarYear' }, publicNames: 'full', defaultLanguage: 'en' });
    expect(changed.body).toMatchObject({ centerName: '幸福里志愿驿站', hours: { graceMinutes: 15, roundingMinutes: before.hours.roundingMinutes }, stars: { period: 'calendarYear' }, publicNames: 'full', defaultLanguage: 'en' });
    const falling = await api.patch('/api/settings', { stars: { thresholds: [50, 40, 30, 20, 10] } });
    expect(falling).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect((await api.get('/api/settings')).body.stars.thresholds).toEqual([10, 20, 30, 40, 50]);
  });

  it('searches the audit log', async () => {
    const all = (await api.get('/api/audit')).body.items;
    expect(all.length).toBeGreaterThan(10);
    expect(Date.parse(all[0].at)).toBeGreaterThanOrEqual(Date.parse(all[all.length - 1].at));
    const found = (await api.get(`/api/audit?q=${encodeURIComponent('周二巡河')}`)).body.items;
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((e: { summary?: string }) => e.summary?.includes('周二巡河'))).toBe(true);
  });

  it('exports the attendance of a period as XLSX', async () => {
    const response = await fetch(`${t.url}/api/exports/attendance.xlsx?from=2026-03-01&to=2026-03-31`, { headers: { cookie: api.cookie } });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});

describe('roles', () => {
  /** Every change the admin can ask for, with a body that would otherwise be valid or at least reach the role check. */
  const writeRoutes = (ids: { volunteer: string; team: string; activity: string; attendance: string; device: string; staff: string }) =>
    [
      ['POST', '/api/volunteers', { name: '某人' }],
      ['PATCH', `/api/volunteers/${ids.volunteer}`, { notes: 'x' }],
      ['POST', `/api/volunteers/${ids.volunteer}/card`, {}],
      ['POST', `/api/volunteers/${ids.volunteer}/points`, { delta: 1, reason: 'x' }],
      ['POST', `/api/volunteers/${ids.volunteer}/certificates`, { from: '2026-01-01', to: '2026-01-31' }],
      ['POST', '/api/volunteers/import?dryRun=1', { name: 'x' }],
      ['POST', '/api/teams', { name: '新队' }],
      ['PATCH', `/api/teams/${ids.team}`, { name: '新名' }],
      ['POST', '/api/activities', { title: 'x', startsAt: '2026-05-01T09:00:00Z', endsAt: '2026-05-01T10:00:00Z' }],
      ['PATCH', `/api/activities/${ids.activity}`, { status: 'open' }],
      ['POST', `/api/activities/${ids.activity}/duplicate`, { startsAt: '2026-05-08T09:00:00Z' }],
      ['POST', `/api/attendance/${ids.attendance}/checkout`, { checkOutAt: '2026-03-10T10:00:00Z', reason: 'x' }],
      ['POST', `/api/attendance/${ids.attendance}/remove`, { reason: 'x' }],
      ['POST', `/api/attendance/${ids.attendance}/reviewed`, {}],
      ['POST', '/api/attendance', { volunteerId: ids.volunteer, activityId: ids.activity, checkInAt: '2026-03-10T01:00:00Z', checkOutAt: '2026-03-10T02:00:00Z', reason: 'x' }],
      ['POST', '/api/devices', { name: 'x', mode: 'checkin' }],
      ['PATCH', `/api/devices/${ids.device}`, { name: 'y' }],
      ['POST', `/api/devices/${ids.device}/pairing-code`, {}],
      ['POST', `/api/devices/${ids.device}/revoke`, {}],
      ['POST', '/api/staff', { username: 'someone', role: 'admin', password: 'password-123' }],
      ['PATCH', `/api/staff/${ids.staff}`, { role: 'admin' }],
      ['PATCH', '/api/settings', { repeatWindowSeconds: 5 }],
    ] as const;

  /** What the admin reads, each behind a permission. */
  const readRoutes = (ids: { volunteer: string; activity: string }) => [
    '/api/volunteers',
    `/api/volunteers/${ids.volunteer}`,
    `/api/volunteers/${ids.volunteer}/attendance`,
    `/api/volunteers/${ids.volunteer}/ledger`,
    `/api/volunteers/${ids.volunteer}/qr.png`,
    '/api/volunteers/import/template.xlsx',
    `/api/activities/${ids.activity}/attendance`,
    '/api/attendance/review',
    '/api/devices',
    '/api/staff',
    '/api/audit',
    '/api/exports/attendance.xlsx?from=2026-03-01&to=2026-03-31',
  ];

  let ids: Parameters<typeof writeRoutes>[0];
  let counter: ApiClient;
  let viewer: ApiClient;
  beforeAll(async () => {
    const volunteer = await registerVolunteer(api, '权限测试', '13900000099');
    const team = (await api.post('/api/teams', { name: '权限队' })).body;
    const activity = (await api.post('/api/activities', { title: '权限活动', startsAt: '2026-03-10T09:00:00+08:00', endsAt: '2026-03-10T11:00:00+08:00' })).body;
    const attendance = (await api.post('/api/attendance', { volunteerId: volunteer.id, activityId: activity.id, checkInAt: '2026-03-10T01:00:00Z', checkOutAt: '2026-03-10T02:00:00Z', reason: '补录' })).body;
    const device = (await api.post('/api/devices', { name: '权限设备', mode: 'board' })).body;
    const staff = (await api.post('/api/staff', { username: 'viewer2', role: 'viewer', password: 'viewer-pass-1' })).body;
    await api.post('/api/staff', { username: 'counter2', role: 'counter', password: 'counter-pass-1' });
    ids = { volunteer: volunteer.id, team: team.id, activity: activity.id, attendance: attendance.id, device: device.id, staff: staff.id };
    counter = await new ApiClient(t.url).login('counter2', 'counter-pass-1');
    viewer = await new ApiClient(t.url).login('viewer2', 'viewer-pass-1');
  });

  it('a counter account can neither read nor edit volunteers', async () => {
    expect((await counter.get('/api/volunteers')).status).toBe(403);
    expect((await counter.get(`/api/volunteers/${ids.volunteer}`)).status).toBe(403);
    expect((await counter.patch(`/api/volunteers/${ids.volunteer}`, { notes: 'changed' })).body.error.code).toBe('FORBIDDEN');
    expect((await counter.post('/api/volunteers', { name: '某人' })).status).toBe(403);
    expect((await counter.post(`/api/volunteers/${ids.volunteer}/points`, { delta: 100, reason: 'x' })).status).toBe(403);
    expect((await api.get(`/api/volunteers/${ids.volunteer}`)).body.notes).toBeUndefined();
  });

  it('a viewer cannot change anything: 403 on every write route', async () => {
    const auditBefore = (await api.get('/api/audit?limit=1000')).body.items.length;
    for (const [method, path, body] of writeRoutes(ids)) {
      const response = await viewer.request(method, path, body);
      expect({ method, path, status: response.status, code: response.body?.error?.code }).toEqual({ method, path, status: 403, code: 'FORBIDDEN' });
    }
    expect((await api.get('/api/audit?limit=1000')).body.items.length).toBe(auditBefore);
    // What a viewer may see: activities, teams and the settings (for the language and the center's name).
    for (const path of ['/api/activities', '/api/teams', '/api/settings']) expect((await viewer.get(path)).status).toBe(200);
  });

  it('without a session every admin route is 401', async () => {
    const anonymous = new ApiClient(t.url);
    for (const path of readRoutes(ids)) expect({ path, status: (await anonymous.get(path)).status }).toEqual({ path, status: 401 });
    for (const [method, path, body] of writeRoutes(ids)) {
      expect({ method, path, status: (await anonymous.request(method, path, body)).status }).toEqual({ method, path, status: 401 });
    }
  });

  it('staff may run the register but not staff accounts, settings or the audit log', async () => {
    await api.post('/api/staff', { username: 'worker', role: 'staff', password: 'worker-pass-1' });
    const worker = await new ApiClient(t.url).login('worker', 'worker-pass-1');
    expect((await worker.patch(`/api/volunteers/${ids.volunteer}`, { notes: '由工作人员修改' })).status).toBe(200);
    expect((await worker.get('/api/devices')).status).toBe(200);
    for (const [method, path, body] of [['GET', '/api/staff', undefined], ['GET', '/api/audit', undefined], ['PATCH', '/api/settings', { repeatWindowSeconds: 5 }]] as const) {
      expect((await worker.request(method, path, body)).status).toBe(403);
    }
  });
});
