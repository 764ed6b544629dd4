import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type ApiClient, type TestStation, startStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
});
afterAll(() => t?.destroy());

describe("the center's calendar of holidays and 调休 (settings)", () => {
  it('is kept sorted without repeats, survives a restart, and is refused when a day is both or not a day', async () => {
    const saved = await api.patch('/api/settings', { calendar: { holidays: ['2026-10-02', '2026-10-01', '2026-10-01'], workdays: ['2026-09-27'] } });
    expect(saved.status).toBe(200);
    expect(saved.body.calendar).toEqual({ holidays: ['2026-10-01', '2026-10-02'], workdays: ['2026-09-27'] });

    const both = await api.patch('/api/settings', { calendar: { holidays: ['2026-10-01'], workdays: ['2026-10-01'] } });
    expect(both).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect((await api.patch('/api/settings', { calendar: { holidays: ['2026-02-30'], workdays: [] } })).status).toBe(400);
    expect((await api.patch('/api/settings', { calendar: { holidays: Array.from({ length: 401 }, () => '2026-10-01'), workdays: [] } })).status).toBe(400);

    const { dataDir, port } = t;
    await t.stop();
    t = await startStation({ dataDir, port });
    api = await adminClient(t);
    expect((await api.get('/api/settings')).body.calendar).toEqual({ holidays: ['2026-10-01', '2026-10-02'], workdays: ['2026-09-27'] });
  });
});
