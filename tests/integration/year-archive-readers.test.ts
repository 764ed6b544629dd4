import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../scripts/demo-data.ts';
import { reportNames } from '../../server/src/protocol/reports.ts';
import { ApiClient, ADMIN_PASSWORD, makeDataDir, startStation, type TestStation } from '../support/station.ts';

// Three years of history to a fixed day; 2022–2024 are closed (1 February 2025 has passed).
const NOW = new Date('2025-06-18T10:30:00+08:00');
const clock = { now: () => NOW };
const dirs: string[] = [];
let base: string;
let volunteerIds: string[];
let oldActivityId: string;
let oldRedemption: { receiptNo: string; day: string };
let goodsIds: string[];

async function copyOf(dir: string): Promise<string> {
  const copy = await makeDataDir();
  dirs.push(copy);
  await fs.cp(dir, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  base = await makeDataDir();
  dirs.push(base);
  const demo = await generateDemoData({ dataDir: base, size: 'small-3y', seed: 5, until: NOW, adminPassword: ADMIN_PASSWORD });
  // Volunteers with the most history, and an activity of 2023.
  const counts = new Map<string, number>();
  for (const a of demo.state.records.attendance.values()) counts.set(a.volunteerId, (counts.get(a.volunteerId) ?? 0) + 1);
  volunteerIds = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([id]) => id);
  oldActivityId = [...demo.state.records.activities.values()].find((a) => a.startsAt.startsWith('2023-05'))!.id;
  // A redemption of 2023 (its receipt, its day's list and close-out), and the goods whose movements span the years.
  const redemption = [...demo.state.records.redemptions.values()].find((r) => r.at.startsWith('2023-0'))!;
  oldRedemption = { receiptNo: redemption.receiptNo, day: redemption.at.slice(0, 10) };
  goodsIds = [...demo.state.records.goods.keys()];
}, 120_000);

afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

/** Everything reports, certificates, exports and a volunteer's record show, as the admin would read it. */
async function readEverything(station: TestStation): Promise<Record<string, unknown>> {
  const api = await new ApiClient(station.url).login();
  const out: Record<string, unknown> = {};
  const get = async (pathName: string) => {
    const response = await api.get(pathName);
    expect(response.status, pathName).toBe(200);
    out[pathName] = response.body;
  };
  for (const name of reportNames) {
    for (const period of ['year=2022', 'year=2023', 'year=2024', 'year=2025', 'from=2022-06-01&to=2025-06-18', 'month=2024-01']) await get(`/api/reports/${name}?${period}`);
  }
  await get('/api/reports/hours-by-volunteer.csv?year=2023');
  await get('/api/exports/attendance.csv?from=2022-01-01&to=2025-06-18');
  await get('/api/exports/ledger.csv?from=2022-01-01&to=2025-06-18');
  await get('/api/exports/national.csv?from=2022-01-01&to=2025-06-18');
  await get('/api/exports/national.csv?from=2024-01-01&to=2024-12-31');
  await get('/api/service-report?from=2022-01-01&to=2025-06-18');
  await get(`/api/activities/${oldActivityId}/attendance`);
  // The audit log, paged back through the closed years, and by ranges inside them. The demo writes
  // its log out of time order and an archive keeps each year's entries together, so the entries
  // are compared as a whole (every page read, nothing twice), not page by page.
  const pages: { items: { id: string }[]; names: Record<string, unknown> }[] = [];
  let before: string | undefined;
  for (let page = 0; page < 100; page++) {
    const response = await api.get(`/api/audit?limit=150${before ? `&before=${before}` : ''}`);
    expect(response.status).toBe(200);
    const body = response.body as { items: { id: string }[]; names: Record<string, unknown>; more: boolean };
    pages.push(body);
    if (!body.more) break;
    before = body.items.at(-1)!.id;
  }
  expect(pages.length, 'the audit log has several pages').toBeGreaterThan(2);
  const all = pages.flatMap((page) => page.items) as { id: string; at: string; target?: string }[];
  expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  // Each run logs in (and so writes its own entries at the fixed clock's instant): those are left out.
  const entries = all.filter((e) => e.at < NOW.toISOString()).sort((a, b) => a.id.localeCompare(b.id));
  const names = Object.assign({}, ...pages.map((page) => page.names)) as Record<string, unknown>;
  out['audit log, every page: ids'] = entries.map((e) => e.id);
  out['audit log, every page'] = entries.map((e) => ({ ...e, targetName: e.target === undefined ? undefined : names[e.target] }));
  for (const query of ['from=2023-03-01&to=2023-09-30&limit=1000', 'from=2022-01-01&to=2024-12-31&limit=1000&q=admin']) {
    await get(`/api/audit?${query}`);
    const body = out[`/api/audit?${query}`] as { items: { id: string }[]; names: Record<string, unknown> };
    body.items.sort((a, b) => a.id.localeCompare(b.id));
    body.names = Object.fromEntries(Object.entries(body.names).sort((a, b) => a[0].localeCompare(b[0])));
  }
  // Redemptions: a closed year's day, its close-out, a receipt looked up by number; stock and its movements.
  await get(`/api/redemptions?day=${oldRedemption.day}`);
  await get(`/api/redemptions/close-out?day=${oldRedemption.day}`);
  await get(`/api/redemptions/${oldRedemption.receiptNo}`);
  await get('/api/goods');
  for (const id of goodsIds) await get(`/api/goods/${id}/movements`);
  for (const id of volunteerIds) {
    await get(`/api/volunteers/${id}`);
    // A history lists records in the order they were stored: the demo stores bonuses and redemptions after all
    // the attendance, and an archive keeps each year's together, so only the order of such a list may differ.
    for (const list of ['attendance', 'ledger']) {
      await get(`/api/volunteers/${id}/${list}`);
      const body = out[`/api/volunteers/${id}/${list}`] as { items: { id: string }[] };
      body.items.sort((a, b) => a.id.localeCompare(b.id));
    }
    await get(`/api/volunteers/${id}/service-records`);
    for (const [from, to] of [['2022-01-01', '2025-06-18'], ['2023-01-01', '2023-12-31']]) {
      const issued = await api.post(`/api/volunteers/${id}/certificates`, { from, to });
      expect(issued.status).toBe(201);
      const { number: _number, issuedAt: _issuedAt, ...figures } = issued.body as Record<string, unknown>;
      out[`certificate ${id} ${from}..${to}`] = figures;
    }
  }
  return out;
}

/** Compared answer by answer, so a failure names the request. */
function expectSame(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const key of Object.keys(expected)) {
    // Lists are compared as lists, so a failure shows the entries that differ rather than two long strings.
    if (Array.isArray(expected[key])) expect(actual[key], key).toEqual(expected[key]);
    else expect(JSON.stringify(actual[key]), key).toBe(JSON.stringify(expected[key]));
  }
}

describe('reports, certificates, exports and histories read closed years back from their archives', () => {
  it('answer exactly the same before archiving, after it, and after a restart', async () => {
    const before = await startStation({ dataDir: await copyOf(base), clock });
    let expected: Record<string, unknown>;
    try {
      expect(before.station.ctx.store.state.archivedYears()).toEqual([]);
      expected = await readEverything(before);
    } finally {
      await before.stop();
    }
    // Sanity: the reports do cover the closed years.
    expect((expected['/api/reports/year-summary?year=2023'] as { service: { hours: number } }).service.hours).toBeGreaterThan(100);
    expect(String(expected['/api/exports/national.csv?from=2024-01-01&to=2024-12-31']).split('\n').length).toBeGreaterThan(100);

    const dir = await copyOf(base);
    const after = await startStation({ dataDir: dir, clock, archiveClosedYears: true });
    try {
      expect(after.station.ctx.store.state.archivedYears()).toEqual([2022, 2023, 2024]);
      expect((await fs.readdir(path.join(dir, 'archive'))).sort()).toEqual(['2022.jsonl.gz', '2023.jsonl.gz', '2024.jsonl.gz']);
      // The closed years' redemptions and audit entries left the live state; the reads above found them in the archives.
      const live = after.station.ctx.store.state;
      expect([...live.records.redemptions.values()].some((r) => r.receiptNo === oldRedemption.receiptNo)).toBe(false);
      expect([...live.records.audit.values()].some((e) => e.at.startsWith('2023-'))).toBe(false);
      expectSame(await readEverything(after), expected);
    } finally {
      await after.stop();
    }
    const restarted = await startStation({ dataDir: dir, clock, archiveClosedYears: true });
    try {
      expect(restarted.station.ctx.store.state.archivedYears()).toEqual([2022, 2023, 2024]);
      expectSame(await readEverything(restarted), expected);
    } finally {
      await restarted.stop();
    }
  }, 300_000);
});
