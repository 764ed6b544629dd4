import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, ApiClient, startStation, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
});
afterAll(async () => {
  await t?.destroy();
});

describe('cross-origin requests', () => {
  it('refuses a state-changing request from a page of another origin, even on the same host', async () => {
    const otherPort = `http://127.0.0.1:${t.port + 1}`;
    const fromThere = await api.post('/api/volunteers', { name: '冒名' }, { origin: otherPort });
    expect(fromThere).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const sameSite = await api.post('/api/volunteers', { name: '冒名' }, { 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
    const crossSite = await api.post('/api/volunteers', { name: '冒名' }, { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    const nullOrigin = await api.post('/api/volunteers', { name: '冒名' }, { origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    // The attack of the report: a text/plain "form" post of a register.
    const textImport = await api.post('/api/volunteers/import', Buffer.from('姓名\n冒名\n'), { 'content-type': 'text/plain', origin: otherPort, 'sec-fetch-site': 'same-site' });
    expect(textImport.status).toBe(403);
    expect((await api.get('/api/volunteers?q=冒名')).body.items ?? []).toEqual([]);
  });

  it('lets same-origin pages, and clients that send no Origin, through', async () => {
    expect((await api.post('/api/volunteers', { name: '本站' }, { origin: t.url, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await api.post('/api/volunteers', { name: '脚本' })).status).toBe(201);
    // Reads are never refused: a cross-origin GET cannot read the answer anyway.
    expect((await api.request('GET', '/api/health', undefined, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(200);
  });
});

describe('content security policy', () => {
  it('the admin, print and verify pages may not be framed and run only their own scripts', async () => {
    for (const url of ['/admin/', '/admin/volunteers', '/verify', '/print/ledger?month=2026-01']) {
      const response = await api.get(url);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy, url).toContain("frame-ancestors 'none'");
      expect(policy, url).toMatch(/script-src 'self'/);
      expect(response.headers.get('x-frame-options'), url).toBe('DENY');
    }
    // The print button's inline script is allowed by its hash, nothing else inline.
    expect((await api.get('/verify')).headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  });
});

describe('certificate checks', () => {
  it('limits /api/certificates/:number and /verify/:number per address', async () => {
    const guesser = new ApiClient(t.url);
    const apiStatuses: number[] = [];
    for (let i = 0; i < 32; i++) apiStatuses.push((await guesser.get(`/api/certificates/ZS2026${String(i).padStart(4, '0')}`)).status);
    expect(apiStatuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(apiStatuses.at(-1)).toBe(429);
    const pageStatuses: number[] = [];
    for (let i = 0; i < 32; i++) pageStatuses.push((await guesser.get(`/verify/ZS2026${String(i).padStart(4, '0')}`)).status);
    expect(pageStatuses.at(-1)).toBe(429);
    const page = await guesser.get('/verify/ZS20269999');
    expect(page.status).toBe(429);
    expect(String(page.body)).toContain('查询太频繁');
  });
});

describe('file modes', () => {
  it.skipIf(process.platform === 'win32')('data folder, journals, snapshots, keys and backups are private to the server’s account', async () => {
    const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o777;
    await t.station.ctx.store.snapshot();
    const created = await t.station.backups.create('staff:admin');
    expect(await modeOf(t.dataDir)).toBe(0o700);
    const names = await fs.readdir(t.dataDir);
    const files = names.filter((name) => /^(journal\..*\.jsonl|snapshot\.jsonl|card-secret\.key)$/.test(name));
    expect(files.some((name) => name.startsWith('journal.'))).toBe(true);
    expect(files).toContain('snapshot.jsonl');
    expect(files).toContain('card-secret.key');
    for (const name of files) expect(await modeOf(path.join(t.dataDir, name)), name).toBe(0o600);
    expect(await modeOf(path.join(t.dataDir, 'backups'))).toBe(0o700);
    expect(await modeOf(path.join(t.dataDir, 'backups', created.name))).toBe(0o600);
  });
});
