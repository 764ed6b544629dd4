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
  for (const key of Object.keys(expected)) expect(JSON.stringify(actual[key]), key).toBe(JSON.stringify(expected[key]));
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
