import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanAck, ScanSuccess } from '../../server/src/protocol/events.ts';
import { startChildServer, freePort, type ChildServer } from '../support/child-server.ts';
import { ApiClient, connectSocket, emitWithAck, makeDataDir, openActivityNow, pairDevice, registerVolunteer } from '../support/station.ts';

const ROUNDS = 4;
const VOLUNTEERS = 12;
const dataDirs: string[] = [];
let server: ChildServer | undefined;

afterAll(async () => {
  await server?.kill();
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Fires scans as fast as acks come back, until the process dies under it. Returns the acknowledged ones. */
async function burst(socket: Socket, cards: string[], acked: Map<string, { payload: object; ack: ScanSuccess }>, stopAfterMs: number, kill: () => Promise<void>) {
  const deadline = Date.now() + stopAfterMs;
  let killed = false;
  const killer = new Promise<void>((resolve) => setTimeout(() => void kill().then(() => { killed = true; resolve(); }), stopAfterMs));
  const workers = Array.from({ length: 4 }, async (_, worker) => {
    for (let i = 0; !killed && Date.now() < deadline + 2000 && i < 5000; i++) {
      const payload = { scanId: randomUUID(), code: cards[(i * 4 + worker) % cards.length]!, scannedAt: new Date().toISOString() };
      try {
        const ack = await emitWithAck<ScanAck>(socket, 'scan', payload, 1000);
        if (ack.ok) acked.set(payload.scanId, { payload, ack });
      } catch {
        return; // No ack: the server died before it was on disk, which is allowed.
      }
    }
  });
  await Promise.all([killer, ...workers]);
}

describe('crash recovery', () => {
  it('after SIGKILL at random moments during scan bursts, every acknowledged scan is present exactly once', async () => {
    const dataDir = await makeDataDir();
    dataDirs.push(dataDir);
    const port = await freePort();
    server = await startChildServer(dataDir, port);
    const api = await new ApiClient(server.url).login();
    await api.patch('/api/settings', { repeatWindowSeconds: 0 });
    await openActivityNow(api, '应急演练');
    const cards: string[] = [];
    for (let i = 0; i < VOLUNTEERS; i++) cards.push((await registerVolunteer(api, `志愿者${i}`, `1370000${String(i).padStart(4, '0')}`)).cardCode);
    const { token } = await pairDevice(api, 'checkin');

    const acked = new Map<string, { payload: object; ack: ScanSuccess }>();
    for (let round = 0; round < ROUNDS; round++) {
      const socket = await connectSocket(server.url, '/kiosk', { token });
      const current = server;
      await burst(socket, cards, acked, 150 + Math.floor(Math.random() * 600), () => current.kill('SIGKILL'));
      socket.close();
      server = await startChildServer(dataDir, port);
    }
    expect(acked.size).toBeGreaterThan(20);

    // Every acknowledged scan is known to the restarted server, with the same answer, and replaying it changes nothing.
    const socket = await connectSocket(server.url, '/kiosk', { token });
    for (const { payload, ack } of acked.values()) {
      const replay = await emitWithAck<ScanAck>(socket, 'scan', payload);
      expect(replay).toMatchObject({ ok: true, replayed: true, action: ack.action, attendanceId: ack.attendanceId });
    }
    socket.close();

    // Each acknowledged check-in is exactly one attendance; each acknowledged check-out closed it.
    const admin = await new ApiClient(server.url).login();
    const volunteers = (await admin.get('/api/volunteers?limit=500')).body.items as { id: string }[];
    const attendance = new Map<string, { checkOutAt?: string }>();
    for (const v of volunteers) {
      for (const a of (await admin.get(`/api/volunteers/${v.id}/attendance`)).body.items) {
        expect(attendance.has(a.id)).toBe(false);
        attendance.set(a.id, a);
      }
    }
    for (const { ack } of acked.values()) {
      expect(attendance.has(ack.attendanceId)).toBe(true);
      if (ack.action === 'check-out') expect(attendance.get(ack.attendanceId)!.checkOutAt).toBeTruthy();
    }
    await server.kill('SIGTERM');
  }, 120_000);
});
