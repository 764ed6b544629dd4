import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { reportNames } from '../../server/src/protocol/reports.ts';
import { csvSafeCell } from '../../server/src/reports/table-export.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, startStation, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;

// What an attacker would type into a name, a note, an address or a title.
const NAME = '=HYPERLINK("http://evil.example","点我")';
const NOTE = '@SUM(1+1)*cmd|\' /C calc\'!A0';
const ADDRESS = '+cmd|\' /C notepad\'!A0';
const TEAM = '-2+3+cmd|\' /C calc\'!A0';
const TITLE = '=1+1';

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  await api.patch('/api/settings', { repeatWindowSeconds: 0 });
  const team = await api.post('/api/teams', { name: TEAM });
  expect(team.status).toBe(201);
  const volunteer = await api.post('/api/volunteers', { name: NAME, phone: '13700000001', notes: NOTE, address: ADDRESS, teamIds: [team.body.id] });
  expect(volunteer.status).toBe(201);
  const now = Date.now();
  const activity = await api.post('/api/activities', { title: TITLE, theme: '=theme()', place: '@place', startsAt: new Date(now - 3600_000).toISOString(), endsAt: new Date(now + 3600_000).toISOString() });
  expect(activity.status).toBe(201);
  const kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
  for (let i = 0; i < 2; i++) {
    const ack = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: volunteer.body.cardCode, scannedAt: new Date().toISOString() });
    expect(ack.ok).toBe(true);
  }
  kiosk.close();
  expect((await api.post(`/api/volunteers/${volunteer.body.id}/points`, { delta: 3, reason: '=cmd|\' /C calc\'!A0' })).status).toBe(201);
});
afterAll(async () => {
  await t?.destroy();
});

describe('CSV formula injection', () => {
  it('neutralizes text that starts with = + - @, tab or CR, and leaves numbers alone', () => {
    expect(csvSafeCell('=1+1')).toBe("'=1+1");
    expect(csvSafeCell('+cmd')).toBe("'+cmd");
    expect(csvSafeCell('-cmd')).toBe("'-cmd");
    expect(csvSafeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvSafeCell('\t=1')).toBe("'\t=1");
    expect(csvSafeCell('\r=1')).toBe("'\r=1");
    expect(csvSafeCell('-2.5')).toBe('-2.5');
    expect(csvSafeCell(-3)).toBe(-3);
    expect(csvSafeCell('张三')).toBe('张三');
    expect(csvSafeCell(undefined)).toBe('');
  });

  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
  const csvExports = [
    ...['attendance', 'ledger', 'redemptions', 'volunteers'].map((name) => `/api/exports/${name}.csv?from=${from}&to=${to}`),
    ...reportNames.map((name) => (name === 'year-summary' ? `/api/reports/${name}.csv?year=${today.slice(0, 4)}` : `/api/reports/${name}.csv?from=${from}&to=${to}`)),
  ];

  it.each(csvExports)('%s has no cell a spreadsheet would run as a formula', async (url) => {
    const response = await api.get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const rows: string[][] = parse(String(response.body).replace(/^\uFEFF/, ''), { relaxColumnCount: true });
    const cells = rows.flat();
    const dangerous = cells.filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell));
    expect(dangerous).toEqual([]);
  });

  it('keeps the text, behind an apostrophe, where people’s names and notes are exported', async () => {
    const register = String((await api.get('/api/exports/volunteers.csv')).body);
    for (const text of [NAME, NOTE, ADDRESS, TEAM]) expect(register).toContain(`'${text}`.replaceAll('"', '""'));
    const attendance = String((await api.get(`/api/exports/attendance.csv?from=${from}&to=${to}`)).body);
    expect(attendance).toContain(`'${NAME}`.replaceAll('"', '""'));
    expect(attendance).toContain(`'${TITLE}`);
    const ledger = String((await api.get(`/api/exports/ledger.csv?from=${from}&to=${to}`)).body);
    expect(ledger).toContain("'=cmd|");
  });
});
