import fs from 'node:fs/promises';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeLinkAck } from '../../server/src/protocol/events.ts';
import { LanStatus } from '../../server/src/lan/lan-status.ts';
import { phoneOrigin } from '../../server/src/me/phone-sessions.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

/** A clock the test moves forward, so expiry is tested without waiting. */
const offset = { ms: 0 };
const clock = { now: () => new Date(Date.now() + offset.ms) };

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
let wang: { id: string; cardNo: string; cardCode: string };
let li: { id: string; cardNo: string; cardCode: string };

async function link(code: string): Promise<MeLinkAck> {
  return emitWithAck<MeLinkAck>(kiosk, 'me:link', { code });
}

/** Opens the link as a phone's browser would, without following the redirect. */
async function openLink(url: string): Promise<{ status: number; location: string | null; cookie: string | null; setCookie: string | null }> {
  const response = await fetch(url, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36' } });
  const setCookie = response.headers.get('set-cookie');
  return { status: response.status, location: response.headers.get('location'), setCookie, cookie: setCookie ? setCookie.split(';')[0]! : null };
}

async function phoneFor(code: string): Promise<ApiClient> {
  const ack = await link(code);
  if (!ack.ok) throw new Error(`me:link failed: ${JSON.stringify(ack)}`);
  const opened = await openLink(ack.url);
  const phone = new ApiClient(t.url);
  phone.cookie = opened.cookie!;
  return phone;
}

beforeAll(async () => {
  t = await startStation({ clock });
  api = await adminClient(t);
  kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
  wang = await registerVolunteer(api, '王小明', '13800001111');
  li = await registerVolunteer(api, '李华', '13900002222');
  await api.post(`/api/volunteers/${li.id}/points`, { delta: 7, reason: 'bonus' });
  await api.post(`/api/volunteers/${wang.id}/points`, { delta: 12, reason: 'bonus' });
});
afterAll(async () => {
  kiosk?.close();
  await t?.destroy();
});

describe('me:link and the phone session', () => {
  it('a scanned card gets a one-time link on the address the kiosk used; opening it sets a long-lived HttpOnly cookie and redirects to /me/', async () => {
    const before = Date.now();
    const ack = await link(wang.cardCode);
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    expect(ack.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${t.port}/me/link/[A-Za-z0-9_-]{20,}$`));
    const lifetime = Date.parse(ack.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(60_000);
    expect(lifetime).toBeLessThanOrEqual(10 * 60_000);

    const opened = await openLink(ack.url);
    expect(opened.status).toBe(302);
    expect(opened.location).toBe('/me/');
    expect(opened.setCookie).toMatch(/^vs_me=/);
    expect(opened.setCookie).toMatch(/HttpOnly/i);
    expect(opened.setCookie).toMatch(/SameSite=Lax/i);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(opened.setCookie!)?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(90 * 86400);

    const phone = new ApiClient(t.url);
    phone.cookie = opened.cookie!;
    const me = await phone.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: wang.id, points: 12, hours: 0, stars: 0, cardNo: wang.cardNo });
    expect(me.body.displayName).not.toBe('王小明');

    // The token is stored hashed: neither the link's nor the cookie's token appears in the data folder.
    const token = ack.url.split('/').pop()!;
    const cookieToken = opened.cookie!.split('=')[1]!;
    const files = await fs.readdir(t.dataDir);
    for (const name of files.filter((f) => f.endsWith('.jsonl'))) {
      const text = await fs.readFile(path.join(t.dataDir, name), 'utf8');
      expect(text).not.toContain(token);
      expect(text).not.toContain(cookieToken);
    }
  });

  it('a link works once: the second opening gets no cookie and lands on the page with a reason', async () => {
    const ack = await link(wang.cardCode);
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    expect((await openLink(ack.url)).cookie).toMatch(/^vs_me=/);
    const again = await openLink(ack.url);
    expect(again.status).toBe(302);
    expect(again.location).toBe('/me/?link=invalid');
    expect(again.setCookie).toBeNull();
  });

  it('a link expires after a few minutes', async () => {
    const ack = await link(wang.cardCode);
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    offset.ms += 11 * 60_000;
    try {
      const late = await openLink(ack.url);
      expect(late.location).toBe('/me/?link=invalid');
      expect(late.setCookie).toBeNull();
    } finally {
      offset.ms -= 11 * 60_000;
    }
  });

  it('only a signed card makes a link: a typed card number, a forged code and a replaced card are refused', async () => {
    const typed = await link(wang.cardNo);
    expect(typed).toMatchObject({ ok: false, error: { code: 'CARD_REQUIRED' } });
    const forged = await link(wang.cardCode.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    expect(forged.ok).toBe(false);
    expect(await link('')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('staff list a volunteer’s phones and revoke one; the revoked phone is signed out at once', async () => {
    const phone = await phoneFor(li.cardCode);
    expect((await phone.get('/api/me')).body.id).toBe(li.id);
    const listed = await api.get(`/api/volunteers/${li.id}/phones`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ state: 'active', label: 'Android · Chrome' });
    expect(JSON.stringify(listed.body)).not.toMatch(/tokenHash/);

    const revoked = await api.post(`/api/volunteers/${li.id}/phones/${listed.body.items[0].handle}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.items[0].state).toBe('revoked');
    expect((await phone.get('/api/me')).status).toBe(401);
  });

  it('reissuing the card revokes every phone of that volunteer, and links made before the reissue', async () => {
    const phone = await phoneFor(wang.cardCode);
    const pending = await link(wang.cardCode);
    if (!pending.ok) throw new Error(JSON.stringify(pending));
    expect((await phone.get('/api/me')).status).toBe(200);
    const reissued = await api.post(`/api/volunteers/${wang.id}/card`);
    expect(reissued.status).toBe(201);
    expect((await phone.get('/api/me')).status).toBe(401);
    expect((await openLink(pending.url)).setCookie).toBeNull();
    const phones = (await api.get(`/api/volunteers/${wang.id}/phones`)).body.items as { state: string }[];
    expect(phones.length).toBeGreaterThanOrEqual(3);
    expect(phones.every((p) => p.state === 'card-reissued')).toBe(true);
    // The new card links a phone again.
    const fresh = await phoneFor(reissued.body.cardCode);
    expect((await fresh.get('/api/me')).body.id).toBe(wang.id);
  });

  it('a phone can sign itself out', async () => {
    const phone = await phoneFor(li.cardCode);
    expect((await phone.post('/api/me/logout')).status).toBe(204);
    expect((await phone.get('/api/me')).status).toBe(401);
  });

  it('without a phone session /api/me is 401 with an error code', async () => {
    const anonymous = await new ApiClient(t.url).get('/api/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    // A staff session is not a volunteer session either.
    expect((await api.get('/api/me')).status).toBe(401);
  });
});

describe('a phone session opens no staff route', () => {
  /** Every route guarded by requirePermission, read from the source so a new staff route is covered without editing this test. */
  async function staffRoutes(): Promise<{ method: string; path: string }[]> {
    const root = path.resolve(import.meta.dirname, '../../server/src');
    const out: { method: string; path: string }[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (/\.tsx?$/.test(entry.name)) {
          const text = await fs.readFile(full, 'utf8');
          const prefix = full.includes(`${path.sep}print${path.sep}`) ? '' : '/api';
          for (const match of text.matchAll(/router\.(get|post|put|patch|delete)\(\s*'([^']+)',\s*requirePermission\(/g)) {
            out.push({ method: match[1]!.toUpperCase(), path: prefix + match[2]! });
          }
        }
      }
    };
    await walk(root);
    return out;
  }

  it('every staff route answers 401 to a phone that holds only a volunteer session', async () => {
    const phone = await phoneFor(li.cardCode);
    expect((await phone.get('/api/me')).status).toBe(200);
    const routes = await staffRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const opened: string[] = [];
    for (const route of routes) {
      const url = route.path.replace(/:id|:volunteerId/g, li.id).replace(/:[A-Za-z]+/g, 'x');
      const response = await phone.request(route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
      if (response.status !== 401) opened.push(`${route.method} ${url} → ${response.status}`);
    }
    expect(opened).toEqual([]);
    // …and the phone is still signed in (nothing above cleared its cookie).
    expect((await phone.get('/api/me')).body.id).toBe(li.id);
  });

  it('/api/me carries only the volunteer’s own figures: no phone, no other volunteer', async () => {
    const phone = await phoneFor(li.cardCode);
    const me = await phone.get('/api/me');
    expect(me.body).toMatchObject({ id: li.id, points: 7 });
    const text = JSON.stringify(me.body);
    expect(text).not.toContain('13900002222');
    expect(text).not.toContain(wang.id);
    expect(text).not.toContain('王小明');
  });
});

describe('phoneOrigin', () => {
  it('keeps the Host the kiosk used over HTTP, and moves an HTTPS kiosk’s phone to the plain HTTP port', () => {
    const lan = new LanStatus({ host: '0.0.0.0' });
    lan.httpPort = 8080;
    expect(phoneOrigin(lan, '192.168.1.23:8080', false)).toBe('http://192.168.1.23:8080');
    expect(phoneOrigin(lan, 'volunteer-station.local:8443', true)).toBe('http://volunteer-station.local:8080');
    lan.httpPort = 80;
    expect(phoneOrigin(lan, '192.168.1.23:8443', true)).toBe('http://192.168.1.23');
    expect(() => phoneOrigin(lan, 'evil.example/<script>', false)).toThrow();
    expect(() => phoneOrigin(lan, undefined, false)).toThrow();
  });
});
