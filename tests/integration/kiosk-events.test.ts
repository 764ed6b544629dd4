import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { KioskDeviceMode, KioskEvent } from '../../server/src/realtime/kiosk-event.ts';
import { StoreFailedError } from '../../server/src/store/store-failed-error.ts';
import { adminClient, connectSocket, emitWithAck, pairDevice, startStation, type ApiClient, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
const sockets: Socket[] = [];

async function kioskSocket(mode: KioskDeviceMode, name?: string): Promise<{ socket: Socket; deviceId: string }> {
  const device = await pairDevice(api, mode, name);
  const socket = await connectSocket(t.url, '/kiosk', { token: device.token });
  sockets.push(socket);
  return { socket, deviceId: device.deviceId };
}

/** Sends an event the way the kiosk does: with a payload when there is one, then the ack. */
function send(socket: Socket, name: string, payload?: unknown): Promise<any> {
  return emitWithAck(socket, name, payload);
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t?.destroy();
});

const registry = () => t.station.kioskEvents as unknown as Record<string, KioskEvent>;

describe('every kiosk event goes through one wrapper', () => {
  it('a throw in every kiosk event handler is answered as an error ack, and the server keeps running', async () => {
    const byMode = { checkin: await kioskSocket('checkin'), counter: await kioskSocket('counter') };
    const logged = vi.spyOn(t.station.ctx.logger, 'error').mockImplementation(() => undefined);
    const names = Object.keys(registry());
    expect(names).toEqual(expect.arrayContaining(['scan', 'redeem', 'volunteer:lookup', 'state:get', 'roster:get', 'counter:unlock', 'counter:lock', 'goods:list']));
    for (const name of names) {
      const event = registry()[name]!;
      const original = { schema: event.schema, run: event.run };
      // Any payload gets through, and the handler itself throws: the wrapper alone must answer.
      Object.assign(event, { schema: z.unknown(), run: () => { throw new Error(`boom in ${name}`); } });
      try {
        const ack = await send(byMode[event.modes[0]!].socket, name, { [event.idField ?? 'x']: 'id-1' });
        expect(ack, name).toMatchObject({ ok: false, error: { code: 'INTERNAL_ERROR' } });
        expect(JSON.stringify(ack), name).not.toContain('boom');
        if (event.idField) expect(ack[event.idField], name).toBe('id-1');
        Object.assign(event, { run: async () => { throw 'not even an Error'; } });
        expect(await send(byMode[event.modes[0]!].socket, name, {}), name).toMatchObject({ ok: false, error: { code: 'INTERNAL_ERROR' } });
      } finally {
        Object.assign(event, original);
      }
    }
    expect(logged).toHaveBeenCalledTimes(names.length * 2);
    logged.mockRestore();
    expect(await send(byMode.checkin.socket, 'state:get')).toMatchObject({ device: { mode: 'checkin' } });
    expect((await api.get('/api/health')).status).toBe(200);
  });

  it('a device revoked while its socket is open gets a clear refusal for every event (a revoke racing state:get)', async () => {
    const checkin = await kioskSocket('checkin', '撤销竞争-签到');
    const counter = await kioskSocket('counter', '撤销竞争-柜台');
    // The revocation reaches the store but not (yet) the socket, as when it races an event in flight.
    for (const { deviceId } of [checkin, counter]) {
      const device = t.station.ctx.store.state.get('devices', deviceId)!;
      await t.station.ctx.store.commit([{ c: 'devices', v: { ...device, revokedAt: new Date().toISOString() } }]);
    }
    for (const [name, event] of Object.entries(registry())) {
      const { socket } = event.modes[0] === 'checkin' ? checkin : counter;
      expect(await send(socket, name, event.idField ? { [event.idField]: randomUUID() } : undefined), name).toMatchObject({ ok: false, error: { code: 'DEVICE_TOKEN_INVALID' } });
    }
    const fresh = await kioskSocket('checkin');
    expect(await send(fresh.socket, 'state:get')).toMatchObject({ device: { mode: 'checkin' } });
  });

  it('a write that did not reach the disk is not answered, so the tablet retries with the same id', async () => {
    const { socket } = await kioskSocket('checkin');
    await api.post('/api/activities', { title: '存储失败演练', startsAt: new Date(Date.now() - 3600_000).toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString() });
    const volunteer = (await api.post('/api/volunteers', { name: '周存储', phone: '13900000077' })).body;
    const commit = vi.spyOn(t.station.ctx.store, 'commit').mockRejectedValueOnce(new StoreFailedError('journal down'));
    try {
      await expect(send(socket, 'scan', { scanId: randomUUID(), code: volunteer.cardCode, scannedAt: new Date().toISOString() })).rejects.toThrow(/timed out|timeout/i);
    } finally {
      commit.mockRestore();
    }
    expect(await send(socket, 'state:get')).toMatchObject({ device: { mode: 'checkin' } });
  }, 15_000);
});

describe('a write that did not reach the disk over HTTP', () => {
  it('answers 503 STORE_UNAVAILABLE, never a 500, and the retry once the store is back succeeds', async () => {
    const commit = vi.spyOn(t.station.ctx.store, 'commit').mockRejectedValueOnce(new StoreFailedError('journal down'));
    try {
      expect(await api.post('/api/volunteers', { name: '吴未存', phone: '13900000078' })).toMatchObject({ status: 503, body: { error: { code: 'STORE_UNAVAILABLE' } } });
    } finally {
      commit.mockRestore();
    }
    expect((await api.post('/api/volunteers', { name: '吴未存', phone: '13900000078' })).status).toBe(201);
  });
});

describe('device modes on /kiosk', () => {
  it('a board token cannot connect to /kiosk', async () => {
    const board = await pairDevice(api, 'board', '大厅电视');
    await expect(connectSocket(t.url, '/kiosk', { token: board.token })).rejects.toThrow('DEVICE_MODE_FORBIDDEN');
    // The same token still works where it belongs.
    const socket = await connectSocket(t.url, '/board', { token: board.token });
    socket.close();
  });

  it('every event is refused from a tablet whose mode does not use it', async () => {
    const byMode = { checkin: await kioskSocket('checkin'), counter: await kioskSocket('counter') };
    let refused = 0;
    for (const [name, event] of Object.entries(registry())) {
      for (const mode of ['checkin', 'counter'] as const) {
        if (event.modes.includes(mode)) continue;
        expect(await send(byMode[mode].socket, name, {}), `${name} from ${mode}`).toMatchObject({ ok: false, error: { code: 'DEVICE_MODE_FORBIDDEN' } });
        refused++;
      }
    }
    // scan and roster:get at a counter; counter:unlock, counter:lock, goods:list and redeem at a check-in kiosk.
    expect(refused).toBeGreaterThanOrEqual(6);
  });
});
