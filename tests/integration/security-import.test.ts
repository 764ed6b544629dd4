import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, ApiClient, startStation, type TestStation } from '../support/station.ts';
import { bombSheetXml, makeXlsx, sheetXml } from '../support/zip.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let t: TestStation;
let api: ApiClient;

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
});
afterAll(async () => {
  await t?.destroy();
});

/** Posts a file while asking /api/health over and over; returns the import's answer, how long it took, and the slowest health answer. */
async function importWhileWatchingHealth(file: Buffer, contentType: string) {
  const health = new ApiClient(t.url);
  const healthTimes: number[] = [];
  let importing = true;
  const watcher = (async () => {
    while (importing) {
      const started = performance.now();
      expect((await health.get('/api/health')).status).toBe(200);
      healthTimes.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const answer = await api.post('/api/volunteers/import?dryRun=1', file, { 'content-type': contentType }).finally(() => (importing = false));
  const tookMs = performance.now() - started;
  await watcher;
  return { answer, tookMs, slowestHealthMs: Math.max(...healthTimes), healthChecks: healthTimes.length };
}

describe('register import limits', () => {
  let bombSheet: Buffer;
  beforeAll(() => {
    bombSheet = bombSheetXml(200 * 1024 * 1024);
  });

  it('refuses a zip bomb (200 MB of sheet in a small file) quickly, and health keeps answering', async () => {
    const bomb = makeXlsx(bombSheet);
    expect(bomb.length).toBeLessThan(400 * 1024);
    const result = await importWhileWatchingHealth(bomb, XLSX);
    expect(result.answer).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(result.tookMs).toBeLessThan(3000);
    expect(result.slowestHealthMs).toBeLessThan(200);
  });

  it('refuses a zip bomb that declares a small size for its sheet', async () => {
    const liar = makeXlsx(bombSheet, { declaredSheetSize: 1024 * 1024 });
    const result = await importWhileWatchingHealth(liar, XLSX);
    expect(result.answer).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(result.tookMs).toBeLessThan(3000);
    expect(result.slowestHealthMs).toBeLessThan(200);
  });

  it('refuses a 100,000-row sheet quickly, and health keeps answering', async () => {
    const rows = [['姓名', '手机号'], ...Array.from({ length: 100_000 }, (_, i) => [`志愿者${i}`, `139${String(i).padStart(8, '0')}`])];
    const result = await importWhileWatchingHealth(makeXlsx(sheetXml(rows)), XLSX);
    expect(result.answer).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('20000') } } });
    expect(result.tookMs).toBeLessThan(3000);
    expect(result.slowestHealthMs).toBeLessThan(200);
  });

  it('refuses a 100,000-row CSV quickly', async () => {
    const csv = Buffer.from(['姓名,手机号', ...Array.from({ length: 100_000 }, (_, i) => `志愿者${i},139${String(i).padStart(8, '0')}`)].join('\n'), 'utf8');
    const result = await importWhileWatchingHealth(csv, 'text/csv');
    expect(result.answer).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(result.tookMs).toBeLessThan(3000);
    expect(result.slowestHealthMs).toBeLessThan(200);
  });

  it('still imports a small workbook, the sample register and the fixture (parsed in a worker thread)', async () => {
    const small = makeXlsx(sheetXml([['姓名', '手机号'], ['李四', '13900000001'], ['王五', '13900000002']]));
    expect(await api.post('/api/volunteers/import?dryRun=1', small, { 'content-type': XLSX })).toMatchObject({ status: 200, body: { imported: 2, errors: [] } });
    for (const file of ['../../../shared/samples/volunteer-register-sample.xlsx', '../fixtures/volunteer-register-sample.xlsx']) {
      const bytes = await readFile(new URL(file, import.meta.url)).catch(() => null);
      if (!bytes) continue;
      const answer = await api.post('/api/volunteers/import?dryRun=1', bytes, { 'content-type': XLSX });
      expect(answer.status).toBe(200);
      expect(answer.body.imported).toBeGreaterThan(0);
    }
  });
});
