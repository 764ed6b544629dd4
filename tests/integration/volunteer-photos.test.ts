import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup } from '../../server/src/backup/restore.ts';
import type { ScanAck, ScanSuccess } from '../../server/src/protocol/events.ts';
import { exifHasGps, testImage } from '../support/phone.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

/** A clock the test moves by hand (the kiosk's photo passes expire by it). */
const clock = { time: new Date(), now() { return new Date(this.time); } };

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
let activityId: string;
let li: { id: string; cardCode: string };
let wang: { id: string; cardCode: string };

const photoDir = () => path.join(t.dataDir, 'volunteer-photos');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Sends a photo the way the admin's record page does: multipart `photo` plus the consent confirmation. */
async function sendPhoto(client: ApiClient, volunteerId: string, fields: { photo?: Buffer; type?: string; consent?: string | null } = {}) {
  const form = new FormData();
  if (fields.photo) form.append('photo', new Blob([new Uint8Array(fields.photo)], { type: fields.type ?? 'image/jpeg' }), 'camera.jpg');
  if (fields.consent !== null) form.append('consent', fields.consent ?? 'yes');
  const response = await fetch(`${client.baseUrl}/api/volunteers/${volunteerId}/photo`, { method: 'PUT', body: form, headers: client.cookie ? { cookie: client.cookie } : {} });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function getBytes(client: ApiClient | undefined, url: string) {
  const response = await fetch(`${t.url}${url}`, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const scan = (code: string) => emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code, scannedAt: clock.now().toISOString(), activityId });

async function staffWithRole(role: 'staff' | 'counter' | 'viewer'): Promise<ApiClient> {
  const username = `${role}-${randomUUID().slice(0, 6)}`;
  expect((await api.post('/api/staff', { username, password: 'role-pass-123', role, displayName: role })).status).toBe(201);
  return new ApiClient(t.url).login(username, 'role-pass-123');
}

beforeAll(async () => {
  t = await startStation({ clock });
  api = await adminClient(t);
  activityId = (await openActivityNow(api, '社区清洁', clock.now())).id;
  kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
  li = await registerVolunteer(api, '李秀英', '13800001111');
  wang = await registerVolunteer(api, '王建国', '13800002222');
});
afterAll(async () => {
  kiosk?.close();
  await t?.destroy();
});

describe('volunteer photos: upload by staff', () => {
  it('re-encodes a camera JPEG to a 480 px JPEG without EXIF, stores it in DATA_DIR/volunteer-photos and keeps only a reference in the state', async () => {
    const camera = await testImage('jpeg', { width: 1600, height: 1200, gps: true });
    // The fixture really carries a position, or the EXIF check below would prove nothing.
    expect(exifHasGps((await sharp(camera).metadata()).exif)).toBe(true);
    const sent = await sendPhoto(api, li.id, { photo: camera });
    expect(sent.status).toBe(200);
    expect(sent.body.photo).toMatchObject({ width: 480, height: 360, takenBy: 'staff:admin' });

    const files = await fs.readdir(photoDir());
    expect(files).toEqual([`${li.id}-${sent.body.photo.sha256.slice(0, 16)}.jpg`]);
    const stored = await fs.readFile(path.join(photoDir(), files[0]!));
    expect(sha256(stored)).toBe(sent.body.photo.sha256);
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 480, height: 360 });
    expect(meta.exif).toBeUndefined();
    expect(stored.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(stored.includes(Buffer.from('TestPhone'))).toBe(false);

    const record = await api.get(`/api/volunteers/${li.id}`);
    expect(record.body.photo).toEqual(sent.body.photo);
    // The state holds the reference, never the picture: no JPEG bytes in the snapshot or journal.
    for (const name of (await fs.readdir(t.dataDir)).filter((n) => /^(snapshot|journal)/.test(n))) {
      const text = await fs.readFile(path.join(t.dataDir, name));
      expect(text.includes(stored.subarray(0, 64))).toBe(false);
      expect(text.includes(Buffer.from(stored.subarray(0, 48).toString('base64')))).toBe(false);
    }

    const shown = await getBytes(api, `/api/volunteers/${li.id}/photo?v=${sent.body.photo.sha256}`);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/jpeg');
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect(shown.bytes.equals(stored)).toBe(true);

    const audit = await api.get('/api/audit?q=volunteer.photo-set');
    expect(audit.body.items[0]).toMatchObject({ action: 'volunteer.photo-set', target: li.id, actor: 'staff:admin', details: { consent: true } });
  });

  it('takes a PNG or WebP too, and a portrait photo keeps its shape', async () => {
    const sent = await sendPhoto(api, wang.id, { photo: await testImage('png', { width: 600, height: 800 }), type: 'image/png' });
    expect(sent.status).toBe(200);
    expect(sent.body.photo).toMatchObject({ width: 360, height: 480 });
    const webp = await sendPhoto(api, wang.id, { photo: await testImage('webp', { width: 300, height: 400 }), type: 'image/webp' });
    expect(webp.status).toBe(200);
    // Never enlarged; the replaced PNG's file is gone.
    expect(webp.body.photo).toMatchObject({ width: 300, height: 400 });
    expect((await fs.readdir(photoDir())).filter((n) => n.startsWith(wang.id))).toEqual([`${wang.id}-${webp.body.photo.sha256.slice(0, 16)}.jpg`]);
  });

  it('refuses a non-image, an undecodable image, a file over 8 MB, a missing photo, a missing consent and an unknown volunteer, and stores nothing', async () => {
    const before = await fs.readdir(photoDir());
    const html = await sendPhoto(api, li.id, { photo: Buffer.from('<html>not a photo</html>'), type: 'image/jpeg' });
    expect(html).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
    const broken = await sendPhoto(api, li.id, { photo: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]) });
    expect(broken).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
    const huge = await sendPhoto(api, li.id, { photo: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(8 * 1024 * 1024 + 10)]) });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(await sendPhoto(api, li.id, {})).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    const noConsent = await sendPhoto(api, li.id, { photo: await testImage('jpeg'), consent: null });
    expect(noConsent).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(await sendPhoto(api, 'no-such-volunteer', { photo: await testImage('jpeg') })).toMatchObject({ status: 404 });
    expect(await fs.readdir(photoDir())).toEqual(before);
  });

  it('is staff only: no session 401; counter and viewer accounts 403 for upload, view and removal; a staff account may', async () => {
    const anonymous = new ApiClient(t.url);
    expect((await sendPhoto(anonymous, li.id, { photo: await testImage('jpeg') })).status).toBe(401);
    expect((await getBytes(undefined, `/api/volunteers/${li.id}/photo`)).status).toBe(401);
    for (const role of ['counter', 'viewer'] as const) {
      const client = await staffWithRole(role);
      expect((await sendPhoto(client, li.id, { photo: await testImage('jpeg') })).status).toBe(403);
      expect((await getBytes(client, `/api/volunteers/${li.id}/photo`)).status).toBe(403);
      expect((await client.request('DELETE', `/api/volunteers/${li.id}/photo`)).status).toBe(403);
    }
    const staff = await staffWithRole('staff');
    expect((await getBytes(staff, `/api/volunteers/${li.id}/photo`)).status).toBe(200);
    expect((await api.get(`/api/volunteers/${li.id}`)).body.photo).toBeDefined();
  });
});

describe('volunteer photos: the kiosk, for the volunteer just scanned only', () => {
  it('gives the scanning tablet a one-off address of the photo that expires in a minute', async () => {
    const ack = (await scan(li.cardCode)) as ScanSuccess;
    expect(ack).toMatchObject({ ok: true, action: 'check-in' });
    expect(ack.photoUrl).toMatch(/^\/api\/kiosk-photos\/[\w-]{24}$/);
    const stored = await fs.readFile(path.join(photoDir(), (await fs.readdir(photoDir())).find((n) => n.startsWith(li.id))!));
    // No session needed: the pass is the key.
    const shown = await getBytes(undefined, ack.photoUrl!);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect(shown.bytes.equals(stored)).toBe(true);

    // Nothing to walk: another pass, a volunteer id or a guessed file name is no address.
    expect((await getBytes(undefined, `/api/kiosk-photos/${'A'.repeat(24)}`)).status).toBe(404);
    expect((await getBytes(undefined, `/api/kiosk-photos/${li.id}`)).status).toBe(404);
    expect((await getBytes(undefined, '/api/kiosk-photos/')).status).toBe(404);

    clock.time = new Date(clock.time.getTime() + 61_000);
    expect((await getBytes(undefined, ack.photoUrl!)).status).toBe(404);
  });

  it('a replayed scan id gets a fresh pass while the receipt itself never stores one; a volunteer without a photo gets none', async () => {
    const scanId = randomUUID();
    const first = (await emitWithAck<ScanAck>(kiosk, 'scan', { scanId, code: wang.cardCode, scannedAt: clock.now().toISOString(), activityId })) as ScanSuccess;
    const again = (await emitWithAck<ScanAck>(kiosk, 'scan', { scanId, code: wang.cardCode, scannedAt: clock.now().toISOString(), activityId })) as ScanSuccess;
    expect(again.replayed).toBe(true);
    expect(first.photoUrl).toBeDefined();
    expect(again.photoUrl).toBeDefined();
    expect(again.photoUrl).not.toBe(first.photoUrl);
    for (const name of (await fs.readdir(t.dataDir)).filter((n) => /^(snapshot|journal)/.test(n))) {
      expect(await fs.readFile(path.join(t.dataDir, name), 'utf8')).not.toContain('kiosk-photos');
    }
    const zhao = await registerVolunteer(api, '赵无照', '13800003333');
    const plain = (await scan(zhao.cardCode)) as ScanSuccess;
    expect(plain.ok).toBe(true);
    expect(plain.photoUrl).toBeUndefined();
  });

  it('a pass stops working once the photo is removed; the board and its API carry no photo at all', async () => {
    const ack = (await scan(wang.cardCode)) as ScanSuccess;
    expect(ack.photoUrl).toBeDefined();
    const board = await pairDevice(api, 'board');
    const boardState = await new ApiClient(t.url).request('GET', '/api/board', undefined, { authorization: `Bearer ${board.token}` });
    expect(boardState.status).toBe(200);
    expect(JSON.stringify(boardState.body)).not.toMatch(/photo|kiosk-photos/i);
    // A board device's token opens no photo either.
    expect((await new ApiClient(t.url).request('GET', `/api/volunteers/${wang.id}/photo`, undefined, { authorization: `Bearer ${board.token}` })).status).toBe(401);

    const file = path.join(photoDir(), (await fs.readdir(photoDir())).find((n) => n.startsWith(wang.id))!);
    expect((await api.request('DELETE', `/api/volunteers/${wang.id}/photo`)).status).toBe(204);
    await expect(fs.access(file)).rejects.toThrow();
    expect((await api.get(`/api/volunteers/${wang.id}`)).body.photo).toBeUndefined();
    expect((await getBytes(api, `/api/volunteers/${wang.id}/photo`)).status).toBe(404);
    expect((await getBytes(undefined, ack.photoUrl!)).status).toBe(404);
    expect((await api.get('/api/audit?q=volunteer.photo-removed')).body.items[0]).toMatchObject({ action: 'volunteer.photo-removed', target: wang.id });
  });
});

describe('volunteer photos: anonymization, backup and restore', () => {
  it('anonymizing a volunteer deletes their photo file and reference, and no new photo can be added', async () => {
    const leaving = await registerVolunteer(api, '周离开', '13800004444');
    expect((await sendPhoto(api, leaving.id, { photo: await testImage('jpeg') })).status).toBe(200);
    const file = (await fs.readdir(photoDir())).find((n) => n.startsWith(leaving.id));
    expect(file).toBeDefined();
    expect((await api.post(`/api/volunteers/${leaving.id}/anonymize`, { reason: '本人申请退出' })).status).toBe(200);
    expect((await fs.readdir(photoDir())).filter((n) => n.startsWith(leaving.id))).toEqual([]);
    expect((await api.get(`/api/volunteers/${leaving.id}`)).body.photo).toBeUndefined();
    expect((await sendPhoto(api, leaving.id, { photo: await testImage('jpeg') })).status).toBe(409);
  });

  it('a backup carries the photo and a restore brings it back, byte for byte, still shown on the record and the kiosk', async () => {
    const record = (await api.get(`/api/volunteers/${li.id}`)).body;
    const original = (await getBytes(api, `/api/volunteers/${li.id}/photo`)).bytes;
    const created = await api.post('/api/backups');
    expect(created.status).toBe(201);
    const backupFile = path.join(t.dataDir, 'backups', created.body.name);

    // After the backup the photo is removed: only the restore can bring it back.
    expect((await api.request('DELETE', `/api/volunteers/${li.id}/photo`)).status).toBe(204);
    expect((await fs.readdir(photoDir())).some((n) => n.startsWith(li.id))).toBe(false);
    kiosk.close();
    const dataDir = t.dataDir;
    await t.stop();
    await restoreBackup(backupFile, dataDir);

    t = await startStation({ dataDir, clock });
    api = await adminClient(t);
    const restored = (await api.get(`/api/volunteers/${li.id}`)).body;
    expect(restored.photo).toEqual(record.photo);
    const shown = await getBytes(api, `/api/volunteers/${li.id}/photo`);
    expect(shown.status).toBe(200);
    expect(shown.bytes.equals(original)).toBe(true);
    expect(sha256(shown.bytes)).toBe(record.photo.sha256);

    kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    const ack = (await scan(li.cardCode)) as ScanSuccess;
    expect(ack.ok).toBe(true);
    expect((await getBytes(undefined, ack.photoUrl!)).bytes.equals(original)).toBe(true);
  });
});
