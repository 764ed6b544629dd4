import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardState } from '../../server/src/protocol/board.ts';
import type { AttendanceChanged, ScanAck } from '../../server/src/protocol/events.ts';
import { BoardSync } from '../../board/src/board-sync.ts';
import {
  adminClient, ApiClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type TestStation,
} from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
let boardToken: string;

const scan = (code: string, extra: Record<string, unknown> = {}) =>
  emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code, scannedAt: new Date().toISOString(), ...extra });

async function getBoard(token = boardToken): Promise<BoardState> {
  const response = await new ApiClient(t.url).request('GET', '/api/board', undefined, { authorization: `Bearer ${token}` });
  expect(response.status).toBe(200);
  return response.body as BoardState;
}

/** The board as a person sees it: everything but when it was computed. */
function shown(state: BoardState | null) {
  const { generatedAt: _at, ...rest } = state!;
  return rest;
}

async function eventually(check: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A board client as the board app runs it: the app's own sync logic over a reconnecting socket. */
function startBoardClient(url = t.url, settleMs = 200): { socket: Socket; sync: BoardSync; events: AttendanceChanged[] } {
  const socket = io(`${url}/board`, { auth: { token: boardToken }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 300, forceNew: true });
  const events: AttendanceChanged[] = [];
  const sync = new BoardSync({ socket, fetchBoard: () => getBoard(), onState: () => undefined, onEvent: (change) => events.push(change), settleMs });
  return { socket, sync, events };
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  await api.patch('/api/settings', { repeatWindowSeconds: 0 });
  kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
  boardToken = (await pairDevice(api, 'board')).token;
});

afterAll(async () => {
  kiosk?.close();
  await t?.destroy();
});

describe('GET /api/board access', () => {
  it('needs a board device or a staff sign-in that may view the board', async () => {
    const anonymous = new ApiClient(t.url);
    expect((await anonymous.get('/api/board')).body.error.code).toBe('UNAUTHENTICATED');
    const checkin = await pairDevice(api, 'checkin', 'another kiosk');
    const asKiosk = await anonymous.request('GET', '/api/board', undefined, { authorization: `Bearer ${checkin.token}` });
    expect([asKiosk.status, asKiosk.body.error.code]).toEqual([403, 'DEVICE_MODE_FORBIDDEN']);
    const forged = await anonymous.request('GET', '/api/board', undefined, { authorization: `Bearer ${'x'.repeat(43)}` });
    expect([forged.status, forged.body.error.code]).toEqual([401, 'DEVICE_TOKEN_INVALID']);
    await api.post('/api/staff', { username: 'tv-viewer', role: 'viewer', password: 'viewer-pass-1' });
    const viewer = await new ApiClient(t.url).login('tv-viewer', 'viewer-pass-1');
    expect((await viewer.get('/api/board')).status).toBe(200);
  });
});

describe('a board opened with a staff sign-in', () => {
  /** A /board socket with a staff member's cookie, and a promise of the reason it is closed for. */
  async function staffBoard(username: string, password: string) {
    const browser = await new ApiClient(t.url).login(username, password);
    const socket = await connectSocket(t.url, '/board', { cookie: browser.cookie });
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    return { browser, socket, closed };
  }
  const stillOpen = (closed: Promise<string>) => Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('open'), 300))]);

  it('is closed by the server when that session signs out, the account is disabled, or its password is changed or reset', async () => {
    const account = (await api.post('/api/staff', { username: 'board-viewer', role: 'viewer', password: 'viewer-pass-1' })).body;
    const deviceBoard = await connectSocket(t.url, '/board', { token: boardToken });
    try {
      // Signing out: that session's socket closes; another session of the same person stays.
      const first = await staffBoard('board-viewer', 'viewer-pass-1');
      const second = await staffBoard('board-viewer', 'viewer-pass-1');
      const signedOutCookie = first.browser.cookie;
      expect((await first.browser.post('/api/auth/logout')).status).toBe(200);
      expect(await first.closed).toBe('io server disconnect');
      expect(await stillOpen(second.closed)).toBe('open');
      await expect(connectSocket(t.url, '/board', { cookie: signedOutCookie })).rejects.toThrow('DEVICE_TOKEN_INVALID');

      // Disabled by an admin: every session of that account closes at once.
      expect((await api.patch(`/api/staff/${account.id}`, { disabled: true })).status).toBe(200);
      expect(await second.closed).toBe('io server disconnect');
      expect((await api.patch(`/api/staff/${account.id}`, { disabled: false })).status).toBe(200);

      // A password reset by an admin ends every session; changing one's own ends the others.
      const reset = await staffBoard('board-viewer', 'viewer-pass-1');
      expect((await api.patch(`/api/staff/${account.id}`, { password: 'viewer-pass-2' })).status).toBe(200);
      expect(await reset.closed).toBe('io server disconnect');
      const mine = await staffBoard('board-viewer', 'viewer-pass-2');
      const other = await staffBoard('board-viewer', 'viewer-pass-2');
      expect((await mine.browser.post('/api/auth/password', { current: 'viewer-pass-2', next: 'viewer-pass-3' })).status).toBe(200);
      expect(await other.closed).toBe('io server disconnect');
      expect(await stillOpen(mine.closed)).toBe('open');
      mine.socket.close();

      // A board device is no one's session: none of this touched it.
      expect(deviceBoard.connected).toBe(true);
    } finally {
      deviceBoard.close();
    }
  });
});

describe('live board', () => {
  it('a scan on a kiosk reaches a board client with the counts, and GET /api/board agrees', async () => {
    const activity = await openActivityNow(api, '社区清洁');
    const [first, second] = [await registerVolunteer(api, '周大伟'), await registerVolunteer(api, '吴秀兰')];
    const board = await connectSocket(t.url, '/board', { token: boardToken });
    try {
      const heard: AttendanceChanged[] = [];
      board.on('attendance:changed', (event: AttendanceChanged) => heard.push(event));
      expect(await scan(first.cardCode)).toMatchObject({ ok: true, action: 'check-in' });
      expect(await scan(second.cardCode)).toMatchObject({ ok: true, action: 'check-in' });
      await eventually(() => expect(heard).toHaveLength(2));
      expect(heard[1]).toMatchObject({ action: 'check-in', activityId: activity.id, onSiteTotal: 2, volunteer: { id: second.id, displayName: '吴*兰' } });
      expect(heard[1]!.onSite[activity.id]).toBe(2);
      expect(heard[1]!.version).toBe(heard[0]!.version + 1);

      const state = await getBoard();
      expect(state.version).toBe(heard[1]!.version);
      expect(state.onSiteTotal).toBe(2);
      const shownActivity = state.activities.find((a) => a.id === activity.id)!;
      expect(shownActivity.people.map((p) => p.displayName)).toEqual(['吴*兰', '周*伟']);
      expect(state.feed.slice(0, 2).map((f) => [f.action, f.volunteer.displayName])).toEqual([['check-in', '吴*兰'], ['check-in', '周*伟']]);

      expect(await scan(first.cardCode)).toMatchObject({ ok: true, action: 'check-out' });
      await eventually(() => expect(heard).toHaveLength(3));
      expect(heard[2]).toMatchObject({ action: 'check-out', onSiteTotal: 1 });
      expect((await getBoard()).activities.find((a) => a.id === activity.id)!.people.map((p) => p.displayName)).toEqual(['吴*兰']);
    } finally {
      board.close();
    }
  });

  it('the board app’s sync patches live events into the same state the server gives', async () => {
    const activity = await openActivityNow(api, '敬老院探访');
    const client = startBoardClient();
    try {
      await eventually(() => expect(client.sync.state).not.toBeNull());
      const people = await Promise.all(['郑小红', '冯建国', '陈静'].map((name) => registerVolunteer(api, name)));
      for (const person of people) await scan(person.cardCode, { activityId: activity.id });
      await eventually(async () => expect(shown(client.sync.state)).toEqual(shown(await getBoard())));
      expect(client.sync.state!.activities.find((a) => a.id === activity.id)!.onSite).toBe(3);
    } finally {
      client.sync.stop();
      client.socket.close();
    }
  });

  it('a board that missed events while disconnected converges to the server’s state on reconnect', async () => {
    const activity = await openActivityNow(api, '垃圾分类宣传');
    const people = await Promise.all(['孙丽', '马超', '朱婷婷', '胡军'].map((name) => registerVolunteer(api, name)));
    // No settle refetch: over HTTP it would pick up the missed scans while the socket is down,
    // and this test is about what the reconnect alone repairs.
    const client = startBoardClient(t.url, 10 * 60_000);
    try {
      await eventually(() => expect(client.sync.state).not.toBeNull());
      await scan(people[0]!.cardCode, { activityId: activity.id });
      await eventually(() => expect(client.events).toHaveLength(1));
      const before = client.sync.state!;

      client.socket.disconnect();
      for (const person of people.slice(1)) await scan(person.cardCode, { activityId: activity.id });
      await scan(people[0]!.cardCode);
      expect(client.sync.state).toBe(before);
      expect((await getBoard()).version).toBe(before.version + 4);

      client.socket.connect();
      await eventually(async () => expect(shown(client.sync.state)).toEqual(shown(await getBoard())));
      const shownActivity = client.sync.state!.activities.find((a) => a.id === activity.id)!;
      expect(shownActivity.people.map((p) => p.displayName).sort()).toEqual(['朱*婷', '胡*', '马*'].sort());
      expect(client.events).toHaveLength(1);
    } finally {
      client.sync.stop();
      client.socket.close();
    }
  });

  it('a board converges after a server restart, though versions start again from zero', async () => {
    const activity = await openActivityNow(api, '夜间巡逻');
    const person = await registerVolunteer(api, '何志强');
    const client = startBoardClient();
    try {
      await eventually(() => expect(client.sync.state).not.toBeNull());
      const versionBefore = client.sync.state!.version;
      expect(versionBefore).toBeGreaterThan(0);

      const { port, dataDir } = t;
      kiosk.close();
      await t.stop();
      t = await startStation({ dataDir, port });
      api = await adminClient(t);
      kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin', 'after restart')).token });
      await scan(person.cardCode, { activityId: activity.id });

      await eventually(async () => {
        const server = await getBoard();
        expect(server.version).toBeLessThan(versionBefore);
        expect(shown(client.sync.state)).toEqual(shown(server));
      }, 10_000);
      expect(client.sync.state!.activities.find((a) => a.id === activity.id)!.people.map((p) => p.displayName)).toEqual(['何*强']);
    } finally {
      client.sync.stop();
      client.socket.close();
    }
  });

  it('a sign-out that reaches a new star is celebrated on the board', async () => {
    await api.patch('/api/settings', { stars: { thresholds: [1, 2, 3, 4, 5], period: 'lifetime' } });
    try {
      const activity = await openActivityNow(api, '义务献血宣传');
      const person = await registerVolunteer(api, '林晓燕');
      const board = await connectSocket(t.url, '/board', { token: boardToken });
      const heard: AttendanceChanged[] = [];
      board.on('attendance:changed', (event: AttendanceChanged) => heard.push(event));
      const at = await scan(person.cardCode, { activityId: activity.id, scannedAt: new Date(Date.now() - 65 * 60_000).toISOString() });
      expect(at).toMatchObject({ ok: true, action: 'check-in' });
      expect(await scan(person.cardCode)).toMatchObject({ ok: true, action: 'check-out', volunteer: { stars: 1, newStar: true } });
      await eventually(() => expect(heard).toHaveLength(2));
      board.close();
      expect(heard[0]!.volunteer.newStar).toBeUndefined();
      expect(heard[1]!.volunteer).toMatchObject({ displayName: '林*燕', stars: 1, newStar: true });
      expect((await getBoard()).newStars.map((s) => s.displayName)).toContain('林*燕');
    } finally {
      await api.patch('/api/settings', { stars: { thresholds: [100, 300, 600, 1000, 1500] } });
    }
  });
});
