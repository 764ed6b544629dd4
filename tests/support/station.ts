import { cp, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { Clock } from '../../server/src/clock.ts';
import { systemClock } from '../../server/src/clock.ts';
import type { Config } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';
import { openStation, type Station } from '../../server/src/station.ts';

export const ADMIN_PASSWORD = 'admin-pass-1';

export interface TestStation {
  station: Station;
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server but keeps the data folder, e.g. to restart on it. */
  stop(): Promise<void>;
  /** Stops the server and deletes the data folder. */
  destroy(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'vs-test-'));
}

/** A real server on a real port (0 = any free one) with its own temp data folder. */
export async function startStation(options: { dataDir?: string; port?: number; clock?: Clock; adminPassword?: string | null; archiveClosedYears?: boolean } = {}): Promise<TestStation> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const config: Config = {
    port: options.port ?? 0,
    httpsPort: 0,
    host: '127.0.0.1',
    dataDir,
    adminPassword: options.adminPassword === null ? undefined : (options.adminPassword ?? ADMIN_PASSWORD),
    extraHostnames: [],
    logLevel: 'error',
    mdns: false,
    // Off unless a test asks: most tests build old data on purpose and read it live.
    archiveClosedYears: options.archiveClosedYears ?? false,
  };
  const station = await openStation(config, { clock: options.clock ?? systemClock, logger: createLogger('error'), onStoreFailure: () => undefined });
  await new Promise<void>((resolve) => station.httpServer.listen(config.port, '127.0.0.1', resolve));
  const port = (station.httpServer.address() as AddressInfo).port;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await station.shutdown();
  };
  return { station, url: `http://127.0.0.1:${port}`, port, dataDir, stop, destroy: async () => { await stop(); await rm(dataDir, { recursive: true, force: true }); } };
}

/** A fetch-based API client that keeps the session cookie, as a browser would. */
export class ApiClient {
  cookie = '';
  constructor(readonly baseUrl: string) {}

  async request(method: string, pathName: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const isBuffer = Buffer.isBuffer(body);
    const response = await fetch(`${this.baseUrl}${pathName}`, {
      method,
      headers: { ...(body !== undefined && !isBuffer ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: body === undefined ? undefined : isBuffer ? new Uint8Array(body) : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a file download): keep the text.
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  get(pathName: string) {
    return this.request('GET', pathName);
  }
  post(pathName: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', pathName, body ?? {}, headers);
  }
  patch(pathName: string, body: unknown) {
    return this.request('PATCH', pathName, body);
  }

  async login(username = 'admin', password = ADMIN_PASSWORD): Promise<this> {
    const response = await this.post('/api/auth/login', { username, password });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return this;
  }
}

export async function adminClient(station: TestStation): Promise<ApiClient> {
  return new ApiClient(station.url).login();
}

/** Creates a device in the given mode and pairs it, as a tablet would. */
export async function pairDevice(api: ApiClient, mode: 'checkin' | 'counter' | 'board', name = `${mode} tablet`): Promise<{ deviceId: string; token: string }> {
  const created = await api.post('/api/devices', { name, mode });
  if (created.status !== 201) throw new Error(`device create failed: ${JSON.stringify(created.body)}`);
  const paired = await new ApiClient(api.baseUrl).post('/api/devices/pair', { pairingCode: created.body.pairingCode });
  if (paired.status !== 200) throw new Error(`pairing failed: ${JSON.stringify(paired.body)}`);
  return paired.body;
}

export async function connectSocket(url: string, namespace: '/kiosk' | '/board', options: { token?: string; cookie?: string; unlockToken?: string } = {}): Promise<Socket> {
  const socket = io(`${url}${namespace}`, {
    auth: { ...(options.token ? { token: options.token } : {}), ...(options.unlockToken ? { unlockToken: options.unlockToken } : {}) },
    extraHeaders: options.cookie ? { cookie: options.cookie } : undefined,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket connect timed out')), 5000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return socket;
}

/**
 * Connects a paired counter tablet and unlocks it as a staff member (the server refuses `redeem`
 * on a locked counter); the socket carries the unlock token, so it stays unlocked on reconnect.
 */
export async function connectUnlockedCounter(url: string, token: string, staff: { username: string; secret: string } = { username: 'admin', secret: ADMIN_PASSWORD }): Promise<Socket> {
  const socket = await connectSocket(url, '/kiosk', { token });
  const ack = await emitWithAck<{ ok: boolean; unlockToken?: string; error?: unknown }>(socket, 'counter:unlock', staff, 15_000);
  if (!ack.ok || !ack.unlockToken) throw new Error(`counter unlock failed: ${JSON.stringify(ack)}`);
  socket.auth = { token, unlockToken: ack.unlockToken };
  return socket;
}

export function emitWithAck<T>(socket: Socket, event: string, payload?: unknown, timeoutMs = 5000): Promise<T> {
  return (payload === undefined ? socket.timeout(timeoutMs).emitWithAck(event) : socket.timeout(timeoutMs).emitWithAck(event, payload)) as Promise<T>;
}

/** An activity open now: starts an hour ago, ends in three hours. */
export async function openActivityNow(api: ApiClient, title = '社区清洁', now = new Date()): Promise<{ id: string; title: string }> {
  const response = await api.post('/api/activities', {
    title,
    startsAt: new Date(now.getTime() - 3600_000).toISOString(),
    endsAt: new Date(now.getTime() + 3 * 3600_000).toISOString(),
    place: '社区广场',
  });
  if (response.status !== 201) throw new Error(`activity create failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function registerVolunteer(api: ApiClient, name: string, phone?: string): Promise<{ id: string; cardNo: string; cardCode: string }> {
  const response = await api.post('/api/volunteers', { name, ...(phone ? { phone } : {}) });
  if (response.status !== 201) throw new Error(`volunteer create failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A new data folder holding a copy of `dir` (a prepared data set), recorded in `dirs` for the test's clean-up. */
export async function copyDataDir(dir: string, dirs: string[]): Promise<string> {
  const copy = await makeDataDir();
  dirs.push(copy);
  await cp(dir, copy, { recursive: true });
  return copy;
}
