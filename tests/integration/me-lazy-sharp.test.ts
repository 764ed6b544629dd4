import { readFile, rm } from 'node:fs/promises';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startChildServer, type ChildServer } from '../support/child-server.ts';
import { linkPhone, sendSnap, testImage } from '../support/phone.ts';
import { ApiClient, connectSocket, makeDataDir, pairDevice, registerVolunteer } from '../support/station.ts';

let server: ChildServer | undefined;
let kiosk: Socket | undefined;
let dataDir = '';

afterAll(async () => {
  kiosk?.close();
  await server?.kill('SIGTERM');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Whether the process has sharp's native addon or libvips mapped: what "loaded" means for a native library. */
async function sharpLoadedIn(pid: number): Promise<boolean> {
  const maps = await readFile(`/proc/${pid}/maps`, 'utf8');
  return /sharp-[\w-]+\.node|libvips/.test(maps);
}

// sharp (libvips, tens of MB of native code) is needed only when a 随手拍 photo comes in; the
// station starts without it. Checked on the real entry point in its own process, through Linux's
// /proc/<pid>/maps (the only platform that has it).
describe.skipIf(process.platform !== 'linux')('sharp on start-up', () => {
  it('is not loaded by a started station, and is loaded once a snap photo is processed', { timeout: 180_000 }, async () => {
    dataDir = await makeDataDir();
    server = await startChildServer(dataDir, await freePort());
    const pid = server.process.pid!;
    const api = await new ApiClient(server.url).login();
    const volunteer = await registerVolunteer(api, '孙骑手', '13700005555');
    kiosk = await connectSocket(server.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    const phone = await linkPhone(kiosk, server.url, volunteer.cardCode);
    expect((await phone.get('/api/me')).status).toBe(200);
    expect(await sharpLoadedIn(pid)).toBe(false);

    const sent = await sendSnap(phone, { photo: await testImage('png'), type: 'image/png', filename: 'a.png', category: 'lighting', place: '3号楼楼道' });
    expect(sent.status).toBe(201);
    // The same check sees it once a photo was processed, so the first assertion can fail.
    expect(await sharpLoadedIn(pid)).toBe(true);
  });
});
