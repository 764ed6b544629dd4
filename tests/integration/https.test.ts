import { execFile } from 'node:child_process';
import { randomUUID, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateNames } from '../../server/src/lan/certificate-names.ts';
import { startLanServices, type LanServices } from '../../server/src/lan/lan-services.ts';
import { ensureLocalTls } from '../../server/src/lan/local-ca.ts';
import { createLogger } from '../../server/src/logger.ts';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { freePort, startChildServer } from '../support/child-server.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

const LAN_NAME = 'volunteer-station.lan';
const run = promisify(execFile);
const hasOpenssl = await run('openssl', ['version']).then(
  () => true,
  () => false,
);

/** Every name resolves to loopback: requests under LAN names never leave the machine. */
const toLoopback: LookupFunction = (_host, options, callback) => {
  if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with the path exactly as given (fetch would tidy away the "../" this test is about). */
function request(url: string, options: { ca?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const target = new URL(url);
  const rawPath = url.slice(url.indexOf('/', url.indexOf('//') + 2));
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      { host: target.hostname, port: target.port, path: rawPath, method: 'GET', headers: options.headers, ca: options.ca, lookup: toLoopback, servername: target.hostname, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the local certificate authority', () => {
  let dir: string;
  const names = certificateNames({ hostname: 'Center-PC', extraHostnames: [LAN_NAME], lanAddresses: ['192.168.1.23', '10.0.0.5'] });
  const now = new Date();
  const read = (file: string) => fs.readFile(path.join(dir, 'tls', file), 'utf8');

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-tls-'));
  });
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('makes a CA and a server certificate that chains to it and covers every name and LAN address', async () => {
    const made = await ensureLocalTls(dir, names, { hostname: 'Center-PC', now });
    expect(made.changes).toHaveLength(2);
    const ca = new X509Certificate(await read('ca.pem'));
    const server = new X509Certificate(await read('server.pem'));
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    for (const host of ['localhost', 'center-pc', 'center-pc.local', 'volunteer-station.local', LAN_NAME]) expect(server.checkHost(host, { subject: 'never' })).toBe(host);
    for (const ip of ['127.0.0.1', '192.168.1.23', '10.0.0.5']) expect(server.checkIP(ip)).toBe(ip);
    expect(server.checkHost('example.com')).toBeUndefined();
    expect(server.checkIP('192.168.1.99')).toBeUndefined();
    // Apple refuses server certificates valid for more than 825 days.
    expect((Date.parse(server.validTo) - Date.parse(server.validFrom)) / 86400_000).toBeLessThanOrEqual(825);
    expect(ca.subject).toContain('志愿驿站');
    if (process.platform !== 'win32') {
      expect((await fs.stat(path.join(dir, 'tls', 'ca.key'))).mode & 0o777).toBe(0o600);
      expect((await fs.stat(path.join(dir, 'tls', 'server.key'))).mode & 0o777).toBe(0o600);
    }
  });

  it.skipIf(!hasOpenssl)('passes `openssl verify` as a TLS server certificate', async () => {
    const { stdout } = await run('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', path.join(dir, 'tls', 'ca.pem'), path.join(dir, 'tls', 'server.pem')]);
    expect(stdout.trim()).toMatch(/server\.pem: OK$/);
  });

  it('keeps both certificates while they fit, and renews only the server certificate when an address is new', async () => {
    const caBefore = await read('ca.pem');
    const serverBefore = await read('server.pem');
    expect((await ensureLocalTls(dir, names, { hostname: 'Center-PC', now })).changes).toEqual([]);
    expect(await read('server.pem')).toBe(serverBefore);

    const moved = { ...names, ipAddresses: [...names.ipAddresses, '192.168.50.8'] };
    const renewed = await ensureLocalTls(dir, moved, { hostname: 'Center-PC', now });
    expect(renewed.changes).toEqual([expect.stringContaining('does not cover 192.168.50.8')]);
    expect(await read('ca.pem')).toBe(caBefore);
    const server = new X509Certificate(await read('server.pem'));
    expect(server.checkIP('192.168.50.8')).toBe('192.168.50.8');
    expect(server.verify(new X509Certificate(caBefore).publicKey)).toBe(true);
  });

  it('renews before expiry, and remakes a key and certificate that a power cut left unmatched', async () => {
    const inElevenMonths = new Date(now.getTime() + 380 * 86400_000);
    expect((await ensureLocalTls(dir, names, { hostname: 'Center-PC', now: inElevenMonths })).changes).toEqual([expect.stringContaining('expires soon')]);
    await fs.writeFile(path.join(dir, 'tls', 'server.key'), await read('ca.key'));
    expect((await ensureLocalTls(dir, names, { hostname: 'Center-PC', now })).changes).toEqual([expect.stringContaining('does not match')]);
  });

  it('without the CA key (a downloaded backup) keeps a fitting certificate, and makes a new CA only when it must', async () => {
    const caBefore = await read('ca.pem');
    await fs.rm(path.join(dir, 'tls', 'ca.key'));
    expect((await ensureLocalTls(dir, names, { hostname: 'Center-PC', now })).changes).toEqual([]);
    const changes = (await ensureLocalTls(dir, { ...names, dnsNames: [...names.dnsNames, 'station.center.example'] }, { hostname: 'Center-PC', now })).changes;
    expect(changes[0]).toMatch(/every tablet must trust it again/);
    expect(await read('ca.pem')).not.toBe(caBefore);
  });
});

describe('HTTPS next to HTTP', () => {
  let t: TestStation;
  let api: ApiClient;
  let lan: LanServices;
  let httpsUrl: string;
  let ca: string;
  let caKey: string;
  let serverKey: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startStation();
    api = await adminClient(t);
    t.station.lan.addresses = () => ['192.168.1.23'];
    lan = await startLanServices(t.station, { ...t.station.ctx.config, extraHostnames: [LAN_NAME] }, { logger: createLogger('error'), clock: t.station.ctx.clock, httpsListenPort: 0 });
    const port = t.station.lan.https!.port;
    httpsUrl = `https://${LAN_NAME}:${port}`;
    ca = await fs.readFile(path.join(t.dataDir, 'tls', 'ca.pem'), 'utf8');
    caKey = await fs.readFile(path.join(t.dataDir, 'tls', 'ca.key'), 'utf8');
    serverKey = await fs.readFile(path.join(t.dataDir, 'tls', 'server.key'), 'utf8');
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await lan?.stop();
    await t?.destroy();
  });

  it('serves the kiosk page over HTTPS under a LAN name, to a client that trusts the CA', async () => {
    const response = await request(`${httpsUrl}/kiosk/`, { ca, headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.body).toContain('<div id="app"');
    await expect(request(`${httpsUrl}/kiosk/`)).rejects.toThrow(/self-signed|unable to (get|verify)/i);
  });

  it('runs the /kiosk Socket.IO namespace over HTTPS (websocket and polling), sharing broadcasts with HTTP clients', async () => {
    const activity = await openActivityNow(api, '夜间巡逻');
    const { token } = await pairDevice(api, 'checkin');
    const board = await connectSocket(t.url, '/board', { token: (await pairDevice(api, 'board')).token });
    sockets.push(board);

    for (const [index, transport] of (['websocket', 'polling'] as const).entries()) {
      const volunteer = await registerVolunteer(api, `陈静${index}`, `1370000000${index}`);
      // socket.io-client cannot be given a resolver, so it uses "localhost", which the certificate also covers.
      const kiosk = io(`https://localhost:${t.station.lan.https!.port}/kiosk`, { auth: { token }, ca, transports: [transport], reconnection: false, forceNew: true });
      sockets.push(kiosk);
      await new Promise<void>((resolve, reject) => {
        kiosk.once('connect', resolve);
        kiosk.once('connect_error', reject);
      });
      const heard = new Promise<{ volunteer: { id: string } }>((resolve) => board.once('attendance:changed', resolve));
      const ack = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: volunteer.cardCode, scannedAt: new Date().toISOString(), activityId: activity.id });
      expect(ack).toMatchObject({ ok: true, action: 'check-in', volunteer: { id: volunteer.id } });
      expect((await heard).volunteer.id).toBe(volunteer.id);
      kiosk.close();
    }
  });

  it('refuses a kiosk socket at the TLS handshake when the client does not trust the certificate', async () => {
    // A valid token: the only thing wrong is the trust, so the failure is the transport's, not the namespace's.
    const { token } = await pairDevice(api, 'checkin');
    for (const transport of ['websocket', 'polling'] as const) {
      const untrusting = io(`https://localhost:${t.station.lan.https!.port}/kiosk`, { auth: { token }, transports: [transport], reconnection: false, forceNew: true });
      sockets.push(untrusting);
      const error = await new Promise<Error & { type?: string }>((resolve, reject) => {
        untrusting.once('connect_error', resolve);
        untrusting.once('connect', () => reject(new Error('connected without trusting the certificate')));
      });
      expect(error.type).toBe('TransportError');
    }
  });

  it('serves the CA certificate at /setup/ca.crt over HTTP and HTTPS, and as an iOS profile', async () => {
    for (const base of [t.url, httpsUrl]) {
      const response = await request(`${base}/setup/ca.crt`, { ca });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/x-x509-ca-cert/);
      expect(response.body).toBe(ca);
    }
    const download = await request(`${t.url}/setup/volunteer-station-ca.crt`);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.body).toBe(ca);
    const profile = await request(`${t.url}/setup/ca.mobileconfig`);
    expect(profile.headers['content-type']).toMatch(/^application\/x-apple-aspen-config/);
    expect(profile.body.replace(/\s/g, '')).toContain(new X509Certificate(ca).raw.toString('base64'));
    expect(profile.body).toContain('com.apple.security.root');
  });

  it('never serves the CA key or the server key, under any path', async () => {
    const secrets = [caKey, serverKey].flatMap((pem) => pem.split('\n').filter((line) => line.length >= 40));
    const paths = [
      '/setup/ca.key', '/setup/../tls/ca.key', '/setup/%2e%2e/tls/ca.key', '/setup/..%2ftls%2fca.key', '/setup/tls/ca.key', '/setup/server.key',
      '/tls/ca.key', '/ca.key', '/data/tls/ca.key', '/kiosk/../tls/ca.key', '/kiosk/..%2f..%2ftls%2fca.key', '/kiosk/%2e%2e/%2e%2e/tls/ca.key',
      '/admin/../../tls/ca.key', '/board/..%5c..%5ctls%5cca.key', '/setup/', '/setup/ca.crt', '/setup/ca.mobileconfig', '/setup/volunteer-station-ca.crt',
      '/setup/probe.json', '/api/lan', '/api/backups', '/api/health', '/api/settings',
    ];
    for (const base of [t.url, httpsUrl]) {
      for (const p of paths) {
        const response = await request(`${base}${p}`, { ca, headers: { cookie: api.cookie, accept: 'text/html,*/*' } });
        expect(response.body, `${base}${p}`).not.toContain('PRIVATE KEY');
        for (const secret of secrets) expect(response.body, `${base}${p}`).not.toContain(secret);
      }
    }
  });

  it('answers the trust probe to any origin', async () => {
    const response = await request(`${httpsUrl}/setup/probe.json`, { ca });
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(response.body)).toEqual({ station: 'volunteer-station', secure: true });
  });

  it('gates the kiosk over plain HTTP under a LAN name: probe page to HTTPS, keeping ?pair=', async () => {
    const httpPort = t.port;
    const gate = await request(`http://${LAN_NAME}:${httpPort}/kiosk/?pair=ABC123`, { headers: { accept: 'text/html' } });
    expect(gate.status).toBe(200);
    expect(gate.body).toContain('data-page="gate"');
    expect(gate.body).toContain(`data-target-url="${httpsUrl}/kiosk/?pair=ABC123"`);
    expect(gate.body).toContain(`data-probe-url="${httpsUrl}/setup/probe.json"`);
    expect(gate.headers['cache-control']).toBe('no-store');

    const app = '<div id="app"';
    // Loopback names are secure contexts over HTTP: the kiosk as it is.
    for (const host of ['127.0.0.1', 'localhost']) expect((await request(`http://${host}:${httpPort}/kiosk/`, { headers: { accept: 'text/html' } })).body).toContain(app);
    // "Handheld scanner only": the tablet chose HTTP.
    expect((await request(`http://${LAN_NAME}:${httpPort}/kiosk/`, { headers: { accept: 'text/html', cookie: 'vs_kiosk_http=1' } })).body).toContain(app);
    // Files are never gated.
    expect((await request(`http://${LAN_NAME}:${httpPort}/kiosk/manifest.webmanifest`)).body).not.toContain('data-page="gate"');
    // Over HTTPS: the app.
    expect((await request(`${httpsUrl}/kiosk/?pair=ABC123`, { ca, headers: { accept: 'text/html' } })).body).toContain(app);
  });

  it('renders the setup guide with QR codes of the tablet links and the CA fingerprint', async () => {
    const page = await request(`http://localhost:${t.port}/setup/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const html = Buffer.from(page.body, 'latin1').toString('utf8');
    expect(html).toContain('平板设置向导');
    expect(html).toContain('Tablet setup guide');
    expect(html).toContain(`http://192.168.1.23:${t.port}/setup/volunteer-station-ca.crt`);
    expect(html).toContain(`http://192.168.1.23:${t.port}/setup/ca.mobileconfig`);
    expect(html).toContain(`https://192.168.1.23:${t.station.lan.https!.port}/kiosk/`);
    expect(html).toContain(new X509Certificate(ca).fingerprint256);
    // Four QR codes (two downloads, the page itself, the kiosk) and the drawings.
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(10);
    expect((await request(`http://localhost:${t.port}/setup`)).status).toBe(301);
  });

  it('tells the admin every address, its URLs and QR codes (GET /api/lan)', async () => {
    const response = await api.get('/api/lan');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ httpsPort: t.station.lan.https!.port, localCa: true, caFingerprint: new X509Certificate(ca).fingerprint256, mdnsName: 'volunteer-station.local', mdnsAnnounced: false });
    const address = response.body.addresses.find((a: { host: string }) => a.host === '192.168.1.23');
    expect(address).toMatchObject({ kind: 'address', kioskUrl: `https://192.168.1.23:${t.station.lan.https!.port}/kiosk/`, setupUrl: `http://192.168.1.23:${t.port}/setup/` });
    expect(address.kioskQrSvg).toMatch(/^<svg/);
    expect((await new ApiClient(t.url).get('/api/lan')).status).toBe(401);
  });
});

describe('while the server is starting', () => {
  it('health answers 503 "starting" and /setup/ca.crt says HTTPS is starting, not off, until every listener is up', async () => {
    const t = await startStation();
    try {
      t.station.lan.starting = true;
      const api = new ApiClient(t.url);
      expect(await api.get('/api/health')).toMatchObject({ status: 503, body: { status: 'starting' } });
      const ca = await fetch(`${t.url}/setup/ca.crt`);
      expect(ca.status).toBe(503);
      const text = await ca.text();
      expect(text).toMatch(/starting/);
      expect(text).not.toMatch(/off/);
      expect(await (await fetch(`${t.url}/setup/`)).text()).not.toContain('HTTPS_PORT=0');
      t.station.lan.starting = false;
      expect(await api.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await (await fetch(`${t.url}/setup/ca.crt`)).text()).toMatch(/HTTPS is off/);
    } finally {
      await t.destroy();
    }
  });
});

describe('the real entry point with HTTPS on', () => {
  it('listens on HTTPS_PORT, prints the HTTPS kiosk addresses, holds the data folder and lets go of it on SIGTERM', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-https-entry-'));
    const [port, httpsPort] = [await freePort(), await freePort()];
    const env = { HTTPS_PORT: String(httpsPort), EXTRA_HOSTNAMES: LAN_NAME };
    const server = await startChildServer(dataDir, port, env);
    try {
      // startChildServer waited for health "ok", which comes only once HTTPS listens with its certificate.
      const ca = await fs.readFile(path.join(dataDir, 'tls', 'ca.pem'), 'utf8');
      const health = await request(`https://${LAN_NAME}:${httpsPort}/api/health`, { ca });
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
      expect(server.output()).toContain(`https://${LAN_NAME}:${httpsPort}/kiosk/`);
      expect(JSON.parse(await fs.readFile(path.join(dataDir, 'server.lock'), 'utf8'))).toMatchObject({ pid: server.process.pid, port });

      // A second server on the same folder would interleave the journal: it refuses.
      const second = await startChildServer(dataDir, await freePort(), { HTTPS_PORT: '0' }).then(
        (s) => s,
        (error: Error) => error,
      );
      expect(second).toBeInstanceOf(Error);
      expect((second as Error).message).toMatch(/already running on/);
    } finally {
      await server.kill('SIGTERM');
    }
    await expect(fs.access(path.join(dataDir, 'server.lock'))).rejects.toThrow();
    await fs.rm(dataDir, { recursive: true, force: true });
    // Two real server processes, each compiling TypeScript at start: slow on a busy 2-core machine.
  }, 120_000);
});
