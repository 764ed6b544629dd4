import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type ApiClient, type TestStation, startStation } from '../support/station.ts';

/** A clock the test moves by hand. */
const clock = { time: new Date('2026-03-09T15:30:00.000Z'), now() { return new Date(this.time); } };

let t: TestStation;
let api: ApiClient;

beforeAll(async () => {
  t = await startStation({ clock });
  api = await adminClient(t);
});
afterAll(() => t?.destroy());

interface Page {
  items: { id: string; at: string; summary?: string }[];
  more: boolean;
}
const page = async (params: string): Promise<Page> => {
  const response = await api.get(`/api/audit?${params}`);
  expect(response.status).toBe(200);
  return response.body;
};

describe('the audit log over years', () => {
  it('is read a page at a time, newest first, and within days of the center (Beijing), both ends included', async () => {
    // Three goods a day for three days: 23:30 Beijing on 9 March is still 9 March there (15:30 UTC).
    const days = ['2026-03-09T15:30:00.000Z', '2026-03-10T15:30:00.000Z', '2026-03-11T15:30:00.000Z'];
    for (const [d, at] of days.entries()) {
      clock.time = new Date(at);
      for (let i = 0; i < 3; i++) expect((await api.post('/api/goods', { name: `货品${d}-${i}`, category: '日用品', points: 5, stock: 1 })).status).toBe(201);
    }
    const created = (p: Page) => p.items.filter((e) => e.summary?.startsWith('货品')).map((e) => e.summary!.split(',')[0]);

    const first = await page('q=货品&limit=4');
    expect(first.more).toBe(true);
    expect(created(first)).toEqual(['货品2-2', '货品2-1', '货品2-0', '货品1-2']);
    const second = await page(`q=货品&limit=4&before=${first.items.at(-1)!.id}`);
    expect(created(second)).toEqual(['货品1-1', '货品1-0', '货品0-2', '货品0-1']);
    const third = await page(`q=货品&limit=4&before=${second.items.at(-1)!.id}`);
    expect({ names: created(third), more: third.more }).toEqual({ names: ['货品0-0'], more: false });

    expect(created(await page('q=货品&from=2026-03-10&to=2026-03-10'))).toEqual(['货品1-2', '货品1-1', '货品1-0']);
    expect(created(await page('q=货品&from=2026-03-09&to=2026-03-09'))).toEqual(['货品0-2', '货品0-1', '货品0-0']);
    expect(created(await page('q=货品&from=2026-03-11'))).toEqual(['货品2-2', '货品2-1', '货品2-0']);
  });

  it('refuses a range that ends before it starts, a day that is not one, and a page cursor that names nothing', async () => {
    expect((await api.get('/api/audit?from=2026-03-11&to=2026-03-10')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api.get('/api/audit?from=2026-02-30')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api.get('/api/audit?before=nothing-here')).body.error).toMatchObject({ code: 'NOT_FOUND' });
  });
});
