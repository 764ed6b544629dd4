import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, ApiClient, connectSocket, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';
import { exifHasGps, linkPhone, sendSnap, testImage } from '../support/phone.ts';

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
let phone: ApiClient;
let otherPhone: ApiClient;
let volunteerId: string;

const storedPhoto = (id: string) => path.join(t.dataDir, 'snaps', `${id}.jpg`);

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
  const zhao = await registerVolunteer(api, '赵骑手', '13700003333');
  volunteerId = zhao.id;
  phone = await linkPhone(kiosk, t.url, zhao.cardCode);
  otherPhone = await linkPhone(kiosk, t.url, (await registerVolunteer(api, '钱邻居')).cardCode);
});
afterAll(async () => {
  kiosk?.close();
  await t?.destroy();
});

describe('随手拍 upload', () => {
  it('takes a real PNG: 201 pending, stored in DATA_DIR as a re-encoded JPEG', async () => {
    const sent = await sendSnap(phone, { photo: await testImage('png'), type: 'image/png', filename: 'a.png', category: 'lighting', place: '3号楼2单元楼道', note: '灯坏了一周' });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({ id: expect.any(String), status: 'pending' });
    const stored = await fs.readFile(storedPhoto(sent.body.id));
    expect((await sharp(stored).metadata()).format).toBe('jpeg');
    const mine = await phone.get('/api/me/snaps');
    expect(mine.body.items[0]).toMatchObject({ id: sent.body.id, status: 'pending', category: 'lighting', place: '3号楼2单元楼道', note: '灯坏了一周' });
  });

  it('strips EXIF from a JPEG that carries a GPS position: the stored file has no EXIF at all', async () => {
    const original = await testImage('jpeg', { gps: true });
    // The fixture really carries a position, or this test would prove nothing.
    expect(exifHasGps((await sharp(original).metadata()).exif)).toBe(true);
    const sent = await sendSnap(phone, { photo: original, category: 'ebike-charging', place: '5号楼下车棚' });
    expect(sent.status).toBe(201);
    const stored = await fs.readFile(storedPhoto(sent.body.id));
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(exifHasGps(meta.exif)).toBe(false);
    expect(stored.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(stored.includes(Buffer.from('TestPhone'))).toBe(false);
    expect(meta).toMatchObject({ width: 320, height: 240 });
  });

  it('refuses a non-image (whatever its Content-Type), an image it cannot decode, an oversized file, and a missing photo or field', async () => {
    const text = await sendSnap(phone, { photo: Buffer.from('<html>not a photo</html>'), type: 'image/jpeg', category: 'rubbish', place: '东门' });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const truncated = await sendSnap(phone, { photo: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]), category: 'rubbish', place: '东门' });
    expect(truncated.status).toBe(415);

    expect((await api.patch('/api/settings', { snaps: { maxUploadBytes: 100_000 } })).status).toBe(200);
    try {
      const big = await testImage('png', { width: 1200, height: 1200 });
      const noisy = Buffer.concat([big, Buffer.alloc(150_000, 1)]);
      const tooLarge = await sendSnap(phone, { photo: noisy, type: 'image/png', category: 'rubbish', place: '东门' });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await api.patch('/api/settings', { snaps: { maxUploadBytes: 8_000_000 } });
    }

    const noPhoto = await sendSnap(phone, { category: 'rubbish', place: '东门' });
    expect(noPhoto.status).toBe(400);
    const badCategory = await sendSnap(phone, { photo: await testImage('jpeg'), category: 'ufo', place: '东门' });
    expect(badCategory.status).toBe(400);
    expect(badCategory.body.error.code).toBe('VALIDATION_FAILED');
    const noPlace = await sendSnap(phone, { photo: await testImage('jpeg'), category: 'rubbish' });
    expect(noPlace.status).toBe(400);
    // None of the refused ones was stored.
    expect((await phone.get('/api/me/snaps')).body.items).toHaveLength(2);
  });

  it('needs a volunteer session; a WebP is taken too', async () => {
    expect((await sendSnap(new ApiClient(t.url), { photo: await testImage('jpeg'), category: 'rubbish', place: '东门' })).status).toBe(401);
    expect((await sendSnap(phone, { photo: await testImage('webp'), type: 'image/webp', category: 'other', place: '东门' })).status).toBe(201);
  });

  it('a resend from the phone’s offline queue (same clientId) is taken once', async () => {
    const clientId = '6f1c1f4e-8f5b-4b7a-9d7e-2a9b1c3d4e5f';
    const count = async () => (await phone.get('/api/me/snaps')).body.items.length as number;
    const before = await count();
    const first = await sendSnap(phone, { photo: await testImage('jpeg'), category: 'rubbish', place: '西门', clientId });
    const again = await sendSnap(phone, { photo: await testImage('jpeg'), category: 'rubbish', place: '西门', clientId });
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await count()).toBe(before + 1);
  });

  it('a volunteer sees only their own snaps and photos; staff see every photo', async () => {
    const own = (await phone.get('/api/me/snaps')).body.items as { id: string; photoUrl: string }[];
    expect((await otherPhone.get('/api/me/snaps')).body.items).toEqual([]);
    const photoUrl = own[0]!.photoUrl;
    const mineResponse = await fetch(`${t.url}${photoUrl}`, { headers: { cookie: phone.cookie } });
    expect(mineResponse.status).toBe(200);
    expect(mineResponse.headers.get('content-type')).toBe('image/jpeg');
    expect((await fetch(`${t.url}${photoUrl}`, { headers: { cookie: otherPhone.cookie } })).status).toBe(401);
    expect((await fetch(`${t.url}${photoUrl}`)).status).toBe(401);
    expect((await fetch(`${t.url}/api/snaps/${own[0]!.id}/photo`, { headers: { cookie: api.cookie } })).status).toBe(200);
  });
});

describe('review and resolution', () => {
  async function newSnap(category = 'fire-safety', place = '7号楼消防通道'): Promise<string> {
    const sent = await sendSnap(phone, { photo: await testImage('jpeg'), category, place, note: '堆了很多纸箱' });
    expect(sent.status).toBe(201);
    return sent.body.id;
  }
  const points = async () => (await phone.get('/api/me')).body.points as number;

  it('accepting credits the category’s default points once; a second review is refused and changes nothing', async () => {
    const id = await newSnap();
    const before = await points();
    const accepted = await api.post(`/api/snaps/${id}/review`, { accepted: true });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', points: 5, accepted: true, volunteer: { id: volunteerId, name: '赵骑手' } });
    expect(await points()).toBe(before + 5);

    const again = await api.post(`/api/snaps/${id}/review`, { accepted: true, points: 50 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SNAP_STATE');
    const flip = await api.post(`/api/snaps/${id}/review`, { accepted: false, note: '重复' });
    expect(flip.status).toBe(409);
    expect(await points()).toBe(before + 5);
    const ledger = (await api.get(`/api/volunteers/${volunteerId}/ledger`)).body.items as { kind: string; snapId?: string }[];
    expect(ledger.filter((e) => e.snapId === id)).toHaveLength(1);
    expect(ledger.find((e) => e.snapId === id)!.kind).toBe('snap');
  });

  it('two reviews sent at the same moment credit once', async () => {
    const id = await newSnap('lighting');
    const before = await points();
    const [a, b] = await Promise.all([api.post(`/api/snaps/${id}/review`, { accepted: true, points: 4 }), api.post(`/api/snaps/${id}/review`, { accepted: true, points: 4 })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await points()).toBe(before + 4);
  });

  it('declining needs a reason, credits nothing, and the volunteer sees the reason', async () => {
    const id = await newSnap('rubbish', '北门');
    const before = await points();
    const noReason = await api.post(`/api/snaps/${id}/review`, { accepted: false });
    expect(noReason.status).toBe(400);
    const declined = await api.post(`/api/snaps/${id}/review`, { accepted: false, note: '已有人上报过' });
    expect(declined.status).toBe(200);
    expect(await points()).toBe(before);
    const mine = (await phone.get('/api/me/snaps')).body.items.find((s: { id: string }) => s.id === id);
    expect(mine).toMatchObject({ status: 'declined', reviewNote: '已有人上报过', points: 0 });
  });

  it('handled is recorded after the review, once, and the volunteer sees what was done', async () => {
    const id = await newSnap('fire-safety', '9号楼消防通道');
    const early = await api.post(`/api/snaps/${id}/resolve`, { note: '已清理' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('SNAP_STATE');
    await api.post(`/api/snaps/${id}/review`, { accepted: true, points: 6 });
    const resolved = await api.post(`/api/snaps/${id}/resolve`, { note: '物业已清理通道，并张贴告示' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('handled');
    expect((await api.post(`/api/snaps/${id}/resolve`, { note: 'again' })).status).toBe(409);
    const mine = (await phone.get('/api/me/snaps')).body.items.find((s: { id: string }) => s.id === id);
    expect(mine).toMatchObject({ status: 'handled', points: 6, resolution: '物业已清理通道，并张贴告示', resolvedAt: expect.any(String) });
    expect((await api.post(`/api/snaps/${id}/resolve`, {})).status).toBe(400);
  });

  it('a phone session can neither review nor resolve', async () => {
    const id = await newSnap();
    expect((await phone.post(`/api/snaps/${id}/review`, { accepted: true, points: 100 })).status).toBe(401);
    expect((await phone.post(`/api/snaps/${id}/resolve`, { note: 'x' })).status).toBe(401);
    expect((await phone.get('/api/snaps')).status).toBe(401);
  });
});

describe('staff queue, report, export and board', () => {
  it('filters by state, category and month', async () => {
    const all = (await api.get('/api/snaps')).body;
    expect(all.items.length).toBeGreaterThanOrEqual(8);
    expect(all.pending).toBe(all.items.filter((s: { status: string }) => s.status === 'pending').length);
    const pending = (await api.get('/api/snaps?status=pending')).body.items as { status: string }[];
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((s) => s.status === 'pending')).toBe(true);
    const lighting = (await api.get('/api/snaps?category=lighting')).body.items as { category: string }[];
    expect(lighting.length).toBeGreaterThan(0);
    expect(lighting.every((s) => s.category === 'lighting')).toBe(true);
    expect((await api.get('/api/snaps?month=2001-01')).body.items).toEqual([]);
    expect((await api.get('/api/snaps?status=bogus')).status).toBe(400);
  });

  it('the monthly report counts, accepts and sums points by category and place; the XLSX has a row per snap', async () => {
    const report = (await api.get('/api/snaps/report')).body;
    const all = (await api.get(`/api/snaps?month=${report.month}`)).body.items as { review?: unknown; points?: number; accepted?: boolean }[];
    expect(report.count).toBe(all.length);
    expect(report.accepted).toBe(all.filter((s) => s.accepted).length);
    expect(report.points).toBe(all.filter((s) => s.accepted).reduce((sum, s) => sum + (s.points ?? 0), 0));
    expect(report.byCategory.reduce((sum: number, c: { count: number }) => sum + c.count, 0)).toBe(report.count);
    expect(report.byPlace[0]).toMatchObject({ place: expect.any(String), count: expect.any(Number) });

    const response = await fetch(`${t.url}/api/exports/snaps.xlsx?month=${report.month}`, { headers: { cookie: api.cookie } });
    expect(response.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await response.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(2).value).toBe('志愿者');
    expect(sheet.rowCount - 1).toBe(report.count);
  });

  it('the board shows this month’s count and the latest handled ones with category and place only', async () => {
    const board = (await api.get('/api/board')).body;
    expect(board.snaps.monthCount).toBeGreaterThanOrEqual(8);
    expect(board.snaps.latestHandled[0]).toEqual({ id: expect.any(String), category: 'fire-safety', place: '9号楼消防通道', resolvedAt: expect.any(String) });
    expect(JSON.stringify(board.snaps)).not.toContain('赵');
    const thumb = `/api/board/snaps/${board.snaps.latestHandled[0].id}/thumb`;
    expect((await fetch(`${t.url}${thumb}`)).status).toBe(404);
    await api.patch('/api/settings', { snaps: { boardThumbnails: true } });
    const withThumbs = (await api.get('/api/board')).body;
    expect(withThumbs.snaps.latestHandled[0].thumbnailUrl).toBe(thumb);
    expect((await fetch(`${t.url}${thumb}`)).status).toBe(200);
    await api.patch('/api/settings', { snaps: { boardThumbnails: false } });
  });

  it('photos are in DATA_DIR, so a backup carries them', async () => {
    const files = await fs.readdir(path.join(t.dataDir, 'snaps'));
    expect(files.filter((f) => f.endsWith('.jpg') && !f.endsWith('.thumb.jpg')).length).toBeGreaterThanOrEqual(8);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});
