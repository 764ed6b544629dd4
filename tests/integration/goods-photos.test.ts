import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup } from '../../server/src/backup/restore.ts';
import type { GoodsListAck } from '../../server/src/protocol/events.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, makeDataDir, pairDevice, startStation, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
let counter: Socket;
let soapId: string;
const extraDirs: string[] = [];

function tinyPng(): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(200);
  return PNG.sync.write(png);
}
const photo = tinyPng();

async function fetchPhoto(url: string, headers: Record<string, string> = {}) {
  // No cookie: the counter tablet has no staff session.
  const response = await fetch(`${t.url}${url}`, { headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  counter = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'counter')).token });
  soapId = (await api.post('/api/goods', { name: '香皂', points: 3, stock: 10 })).body.id;
});
afterAll(async () => {
  counter?.close();
  await t?.destroy();
  await Promise.all(extraDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe('goods photos', () => {
  it('stores an uploaded PNG and serves it back byte for byte without a session', async () => {
    const put = await api.request('PUT', `/api/goods/${soapId}/photo`, photo, { 'content-type': 'image/png' });
    expect(put.status).toBe(200);
    expect(put.body.photo).toMatchObject({ type: 'image/png' });
    expect(await fs.readFile(path.join(t.dataDir, 'goods-photos', `${soapId}.png`))).toEqual(photo);

    const got = await fetchPhoto(`/api/goods/${soapId}/photo`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('cache-control')).toBe('no-cache');
    expect(got.bytes.equals(photo)).toBe(true);
    const again = await fetchPhoto(`/api/goods/${soapId}/photo`, { 'if-none-match': got.headers.get('etag')! });
    expect(again.status).toBe(304);

    const audit = await api.get('/api/audit?q=goods.photo-set');
    expect(audit.body.items[0]).toMatchObject({ action: 'goods.photo-set', target: soapId });
  });

  it('refuses other types, bytes that are not the claimed image, and photos over 2 MB', async () => {
    expect((await api.request('PUT', `/api/goods/${soapId}/photo`, Buffer.from('GIF89a......'), { 'content-type': 'image/gif' })).body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const lying = await api.request('PUT', `/api/goods/${soapId}/photo`, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), { 'content-type': 'image/jpeg' });
    expect(lying.status).toBe(415);
    expect(lying.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = Buffer.concat([photo, Buffer.alloc(2 * 1024 * 1024 + 1)]);
    const tooLarge = await api.request('PUT', `/api/goods/${soapId}/photo`, huge, { 'content-type': 'image/png' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    // Nothing refused replaced the stored photo, and only staff may upload.
    expect((await fetchPhoto(`/api/goods/${soapId}/photo`)).bytes.equals(photo)).toBe(true);
    expect((await new ApiClient(t.url).request('PUT', `/api/goods/${soapId}/photo`, photo, { 'content-type': 'image/png' })).status).toBe(401);
  });

  it('the counter shelf carries a versioned photo URL that loads', async () => {
    const ack = await emitWithAck<GoodsListAck>(counter, 'goods:list');
    if (!ack.ok) throw new Error('goods:list failed');
    const soap = ack.items.find((g) => g.id === soapId)!;
    expect(soap.photoUrl).toMatch(new RegExp(`^/api/goods/${soapId}/photo\\?v=`));
    expect((await fetchPhoto(soap.photoUrl!)).bytes.equals(photo)).toBe(true);
  });

  it('keeps the photo across a restart and in a restored backup', async () => {
    const dataDir = t.dataDir;
    await t.stop();
    t = await startStation({ dataDir });
    api = await adminClient(t);
    expect((await fetchPhoto(`/api/goods/${soapId}/photo`)).bytes.equals(photo)).toBe(true);

    const backup = await api.post('/api/backups');
    expect(backup.status).toBe(201);
    const copy = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'vs-photo-backup-')), backup.body.name);
    extraDirs.push(path.dirname(copy));
    await fs.copyFile(path.join(dataDir, 'backups', backup.body.name), copy);
    await t.stop();
    const restoredDir = await makeDataDir();
    extraDirs.push(restoredDir);
    await restoreBackup(copy, restoredDir);
    t = await startStation({ dataDir: restoredDir });
    api = await adminClient(t);
    expect((await fetchPhoto(`/api/goods/${soapId}/photo`)).bytes.equals(photo)).toBe(true);
    counter.close();
    counter = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'counter')).token });
  });

  it('removing the photo deletes the file and the URL', async () => {
    const removed = await api.request('DELETE', `/api/goods/${soapId}/photo`);
    expect(removed.status).toBe(204);
    expect((await fetchPhoto(`/api/goods/${soapId}/photo`)).status).toBe(404);
    await expect(fs.access(path.join(t.dataDir, 'goods-photos', `${soapId}.png`))).rejects.toThrow();
    const ack = await emitWithAck<GoodsListAck>(counter, 'goods:list');
    expect(ack.ok && ack.items.find((g) => g.id === soapId)?.photoUrl).toBeUndefined();
    expect((await api.get(`/api/goods/${soapId}`)).body.photo).toBeUndefined();
  });
});
