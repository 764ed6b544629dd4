import { expect } from 'vitest';
import { reportNames } from '../../server/src/protocol/reports.ts';
import { ApiClient } from './station.ts';

/**
 * Everything an admin can read about the history over the API, keyed by request: every
 * volunteer's figures (hours, per-year minutes, stars, points balance), attendance, ledger,
 * service and star records; stock; every report for each closed year, the current one and the
 * whole span; the exports; and a certificate for a few volunteers. Public behaviour only, so the
 * comparison holds whatever moves between the live state and the archive files (issue 16).
 */
export async function readStationAnswers(url: string, closedYears: number[], password?: string): Promise<Record<string, unknown>> {
  const api = await new ApiClient(url).login('admin', password);
  const out: Record<string, unknown> = {};
  const get = async (pathName: string) => {
    const response = await api.get(pathName);
    expect(response.status, pathName).toBe(200);
    out[pathName] = response.body;
    return response.body;
  };
  const first = closedYears[0]!;
  const current = closedYears.at(-1)! + 2;
  const span = `from=${first}-01-01&to=${current}-12-31`;
  for (const name of reportNames) {
    for (const period of [...[...closedYears, current].map((year) => `year=${year}`), span]) await get(`/api/reports/${name}?${period}`);
  }
  await get(`/api/reports/hours-by-volunteer.csv?year=${first + 1}`);
  for (const name of ['attendance', 'ledger', 'national']) await get(`/api/exports/${name}.csv?${span}`);
  await get(`/api/service-report?${span}`);
  await get('/api/goods');
  // The list carries every volunteer's figures (hours, this year's and per-year stars, points balance).
  const listed = ((await get('/api/volunteers?limit=500')) as { items: { id: string; hours: number }[] }).items;
  // Histories and certificates of the volunteers with the most hours (reading every one's is slow, not more telling).
  const volunteers = [...listed].sort((a, b) => b.hours - a.hours || a.id.localeCompare(b.id)).slice(0, 5).map((v) => v.id);
  for (const id of volunteers) {
    // A history lists records in the order they were stored; an archive keeps each year's
    // together, so only the order of such a list may differ (not what is in it).
    for (const list of ['attendance', 'ledger', 'service-records']) {
      const body = (await get(`/api/volunteers/${id}/${list}`)) as { items: { id: string }[] };
      body.items.sort((a, b) => a.id.localeCompare(b.id));
    }
    await get(`/api/volunteers/${id}/star-records`);
  }
  for (const id of volunteers.slice(0, 3)) {
    const issued = await api.post(`/api/volunteers/${id}/certificates`, { from: `${first}-01-01`, to: `${current}-12-31` });
    expect(issued.status).toBe(201);
    const { number: _number, issuedAt: _issuedAt, ...figures } = issued.body as Record<string, unknown>;
    out[`certificate ${id}`] = figures;
  }
  return out;
}

/** Compared answer by answer, so a failure names the request. */
export function expectSameAnswers(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const key of Object.keys(expected)) expect(JSON.stringify(actual[key]), key).toBe(JSON.stringify(expected[key]));
}
