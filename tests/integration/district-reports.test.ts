import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../server/src/domain/masking.ts';
import { freePort } from '../support/child-server.ts';
import { HUB_ADMIN_PASSWORD, HUB_VIEWER_PASSWORD, startHubProcess, waitFor, type HubProcess } from '../support/hub.ts';
import { postgresOrSkip, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { ApiClient, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

const pgBin = postgresOrSkip();
const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`district-office:${password}`).toString('base64')}` });

const sameInstantOrder = (rows: unknown[][]) => [rows[0], ...rows.slice(1).map((row) => JSON.stringify(row)).sort()];

/** A download's rows as plain values (header first), from XLSX. */
async function xlsxRows(client: ApiClient, path: string, headers: Record<string, string> = {}): Promise<{ status: number; disposition: string | null; rows: unknown[][] }> {
  const response = await fetch(`${client.baseUrl}${path}`, { headers: { ...(client.cookie ? { cookie: client.cookie } : {}), ...headers } });
  if (response.status !== 200) return { status: response.status, disposition: null, rows: [] };
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await response.arrayBuffer());
  const rows: unknown[][] = [];
  book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => v ?? '')));
  return { status: response.status, disposition: response.headers.get('content-disposition'), rows };
}
const DAY = 86400_000;

interface Center {
  name: string;
  street: string;
  centerId: string;
  joinKey: string;
  station: TestStation;
  api: ApiClient;
  teams: { id: string; name: string }[];
  volunteers: { id: string; cardNo: string }[];
}

const yearOf = (at: number) => Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));
/** "This year's" service starts 12 hours ago (CI runs at any hour): the year is that start's year. */
const recentStart = Date.now() - 12 * 3600_000;

describe.skipIf(!pgBin)('district reports (PostgreSQL)', () => {
  let postgres: TestPostgres;
  let hub: HubProcess;
  let admin: ApiClient;
  let viewer: ApiClient;
  const centers: Center[] = [];
  const year = yearOf(recentStart);

  beforeAll(async () => {
    postgres = await startPostgres(pgBin!);
    hub = await startHubProcess(postgres.url, await freePort());
    admin = new ApiClient(hub.url);
    expect((await admin.post('/api/district/login', { password: HUB_ADMIN_PASSWORD })).status).toBe(200);
    viewer = new ApiClient(hub.url);
    expect((await viewer.post('/api/district/login', { password: HUB_VIEWER_PASSWORD })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    for (const center of centers) await center.station.destroy();
    await hub?.kill();
    await postgres?.stop();
  }, 60_000);

  /**
   * A center with its own star rules, two teams and volunteers whose hours come from paper
   * sheets (补录) of this year and of earlier years, linked to the hub once its data is in.
   */
  async function addCenter(name: string, street: string, stars: Record<string, unknown>, hours: number[]): Promise<Center> {
    const created = await admin.post('/api/district/centers', { name, street });
    expect(created.status).toBe(201);
    expect(created.body.street).toBe(street);
    const station = await startStation();
    const api = await new ApiClient(station.url).login();
    expect((await api.patch('/api/settings', { stars, centerName: name })).status).toBe(200);
    const teams = [];
    for (const teamName of [`${name}河道队`, `${name}敬老队`]) teams.push((await api.post('/api/teams', { name: teamName })).body);
    const volunteers = [];
    for (const [index, h] of hours.entries()) {
      const teamIds = index % 3 === 0 ? [teams[0].id] : index % 3 === 1 ? [teams[1].id] : [teams[0].id, teams[1].id];
      const volunteer = (await api.post('/api/volunteers', { name: `${name.slice(0, 2)}${index}号`, phone: `1380000${String(centers.length)}${String(index).padStart(3, '0')}`, teamIds, joinedOn: `${year - 5}-01-01` })).body;
      volunteers.push(volunteer);
      if (h === 0) continue;
      // Half of the hours this year, half in an earlier year: a calendar-year star counts only the first.
      for (const start of [recentStart, recentStart - 400 * DAY]) {
        const activity = (await api.post('/api/activities', { title: `${name}服务${index}`, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 12 * 3600_000).toISOString(), place: '社区' })).body;
        const saved = await api.post('/api/attendance/bulk', { activityId: activity.id, reason: '纸质签到表补录', entries: [{ volunteerId: volunteer.id, checkInAt: new Date(start).toISOString(), checkOutAt: new Date(start + (h / 2) * 3600_000).toISOString() }] });
        expect(saved.status).toBe(201);
      }
    }
    const center: Center = { name, street, centerId: created.body.centerId, joinKey: created.body.joinKey, station, api, teams, volunteers };
    centers.push(center);
    return center;
  }

  async function linkAndWait(center: Center): Promise<void> {
    expect((await center.api.request('PUT', '/api/hub-link', { url: hub.url, joinKey: center.joinKey })).status).toBe(200);
    await waitFor(`${center.name} in sync with the hub`, async () => {
      const status = (await center.api.get('/api/hub-link')).body;
      return status.state === 'idle' && status.lag === 0 && status.hubSeq === status.stationSeq;
    });
  }

  it('counts stars per center by each center\'s own rules, exactly as its station counts them', async () => {
    // A: a lifetime star at 1/2/3/4/5 h. B: a calendar-year star at 2/4/6/8/10 h that also asks for 3 points.
    const a = await addCenter('东风社区驿站', '东风街道', { thresholds: [1, 2, 3, 4, 5], period: 'lifetime' }, [0, 1, 2, 3, 5, 7, 10, 4]);
    const b = await addCenter('西湖社区驿站', '西湖街道', { thresholds: [2, 4, 6, 8, 10], period: 'calendarYear', minPoints: 3 }, [0, 4, 8, 12, 16, 20]);
    // B's volunteer 4 has 8 h this year (a 2nd-level star) but spends points below 3: the star is withheld.
    expect((await b.api.post(`/api/volunteers/${b.volunteers[4]!.id}/points`, { delta: -14, reason: '测试扣减' })).status).toBe(201);
    // A third center has joined but its station has never spoken: national defaults, nobody counted.
    const silent = (await admin.post('/api/district/centers', { name: '南山社区驿站' })).body;
    await linkAndWait(a);
    await linkAndWait(b);

    const report = await viewer.get(`/api/district/reports/stars?year=${year}`);
    expect(report.status).toBe(200);
    for (const center of [a, b]) {
      const summary = await center.api.get(`/api/reports/year-summary?from=${year}-01-01&to=${year}-12-31`);
      expect(summary.status).toBe(200);
      const atHub = report.body.centers.find((c: { centerId: string }) => c.centerId === center.centerId);
      expect(atHub).toMatchObject({ name: center.name, street: center.street, rulesFromStation: true, evaluationNotApplied: false });
      expect(atHub.levels).toEqual(summary.body.stars);
    }
    // The figures the station's rules give, worked out by hand (half of each person's hours fall this year).
    const levels = (centerId: string) => report.body.centers.find((c: { centerId: string }) => c.centerId === centerId).levels.map((l: { volunteers: number }) => l.volunteers);
    expect(levels(a.centerId)).toEqual([1, 1, 1, 1, 1, 3]); // lifetime hours 0 | 1 | 2 | 3 | 4 | 5, 7, 10
    // This year's hours 0 and the withheld 8 | 2 | 4 | 6 | - | 10; the points were credited now, so only when now is in that year.
    if (yearOf(Date.now()) === year) {
      expect(levels(b.centerId)).toEqual([2, 1, 1, 1, 0, 1]);
      expect(report.body.totals.map((l: { volunteers: number }) => l.volunteers)).toEqual([3, 2, 2, 2, 1, 4]);
    }
    expect(report.body.centers.find((c: { centerId: string }) => c.centerId === silent.centerId)).toMatchObject({ rulesFromStation: false, levels: [0, 1, 2, 3, 4, 5].map((level) => ({ level, volunteers: 0 })) });
    // A year before anyone served: every registered volunteer holds no star.
    expect((await viewer.get(`/api/district/reports/stars?year=${year - 3}`)).body.totals.map((l: { volunteers: number }) => l.volunteers)).toEqual([14, 0, 0, 0, 0, 0]);
    expect((await viewer.get('/api/district/reports/stars?year=20x')).status).toBe(400);
    expect((await new ApiClient(hub.url).get('/api/district/reports/stars')).status).toBe(401);
  }, 180_000);
  it('ranks the top teams of a period across centers as each station ranks its own, and sums centers by street', async () => {
    const [a, b] = centers as [Center, Center];
    const month = new Intl.DateTimeFormat('sv', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(recentStart);
    const lastDay = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
    const teams = await viewer.get(`/api/district/reports/teams?from=${month}&to=${month}`);
    expect(teams.status).toBe(200);
    const ranked = teams.body.teams as { rank: number; centerId: string; teamName: string; hours: number; services: number; people: number }[];
    expect(ranked.map((t) => t.rank)).toEqual([1, 2, 3, 4]);
    expect(ranked.map((t) => t.hours)).toEqual([...ranked.map((t) => t.hours)].sort((x, y) => y - x));
    for (const center of [a, b]) {
      const atStation = (await center.api.get(`/api/reports/hours-by-team?from=${month}-01&to=${month}-${lastDay}`)).body.items as { teamId: string | null; teamName: string; hours: number; attendances: number; volunteers: number }[];
      const expected = atStation.filter((item) => item.teamId !== null).map((item) => ({ centerId: center.centerId, teamName: item.teamName, hours: item.hours, services: item.attendances, people: item.volunteers }));
      expect(expected.length).toBe(2);
      expect(ranked.filter((t) => t.centerId === center.centerId).map(({ centerId, teamName, hours, services, people }) => ({ centerId, teamName, hours, services, people }))).toEqual(expected);
    }
    expect((await viewer.get(`/api/district/reports/teams?from=${month}&to=${month}&limit=1`)).body.teams).toHaveLength(1);
    expect((await viewer.get('/api/district/reports/teams?from=2026-05&to=2026-04')).status).toBe(400);

    // By street: one center per street, then B moves to A's street and the street adds both up.
    const byCenter = (await viewer.get(`/api/district/reports/monthly?from=${month}&to=${month}`)).body.rows as { centerId: string; street: string; attendance: number; services: number; requests: number; people: number; hours: number }[];
    const rowOf = (center: Center) => byCenter.find((row) => row.centerId === center.centerId)!;
    expect(rowOf(a)).toMatchObject({ street: '东风街道', attendance: 7, services: 0, requests: 0, people: 7, hours: 16 });
    let streets = (await viewer.get(`/api/district/reports/streets?from=${month}&to=${month}`)).body.rows as { street: string; centers: number; attendance: number; people: number; hours: number }[];
    expect(streets.map((row) => [row.street, row.centers, row.attendance, row.people, row.hours])).toEqual([
      ['东风街道', 1, rowOf(a).attendance, rowOf(a).people, rowOf(a).hours],
      ['西湖街道', 1, rowOf(b).attendance, rowOf(b).people, rowOf(b).hours],
    ]);
    expect((await viewer.patch(`/api/district/centers/${b.centerId}`, { street: '东风街道' })).status).toBe(403);
    const moved = await admin.patch(`/api/district/centers/${b.centerId}`, { street: '东风街道' });
    expect(moved.body).toMatchObject({ centerId: b.centerId, name: b.name, street: '东风街道' });
    streets = (await viewer.get(`/api/district/reports/streets?from=${month}&to=${month}`)).body.rows;
    expect(streets.map((row) => [row.street, row.centers, row.attendance, row.people, row.hours])).toEqual([
      ['东风街道', 2, rowOf(a).attendance + rowOf(b).attendance, rowOf(a).people + rowOf(b).people, rowOf(a).hours + rowOf(b).hours],
    ]);
    expect((await admin.patch('/api/district/centers/not-a-center', { street: 'x' })).status).toBe(404);
  }, 60_000);
  it('exports the station\'s files for the district with the station\'s columns, masked for a viewer, every download audited', async () => {
    const [a, b] = centers as [Center, Center];
    const from = new Intl.DateTimeFormat('sv', { timeZone: 'Asia/Shanghai' }).format(recentStart - 500 * DAY);
    const to = new Intl.DateTimeFormat('sv', { timeZone: 'Asia/Shanghai' }).format(Date.now() + DAY);
    const period = `from=${from}&to=${to}`;

    for (const center of [a, b]) {
      // The district admin's file, one center, equals the station's own file with the center in front.
      for (const name of ['attendance', 'national', 'volunteers'] as const) {
        const atStation = await xlsxRows(center.api, `/api/exports/${name}.xlsx?${period}`);
        expect(atStation.status).toBe(200);
        const atHub = await xlsxRows(admin, `/api/district/exports/${name}.xlsx?${period}&centerId=${center.centerId}`);
        expect(atHub.status).toBe(200);
        const stationRows = name === 'volunteers' ? atStation.rows.map((row) => row.slice(0, 13)) : atStation.rows;
        const hubRows = name === 'national' ? atHub.rows : atHub.rows.map((row) => row.slice(1));
        expect(hubRows.length).toBeGreaterThan(1);
        // Records of the same instant (this test's sheets) may come in another order: compared as sets, header first.
        expect(sameInstantOrder(name === 'national' ? hubRows : hubRows.map((row) => row.slice(0, stationRows[0]!.length)))).toEqual(sameInstantOrder(stationRows));
        if (name !== 'national') expect(atHub.rows.slice(1).every((row) => row[0] === center.name)).toBe(true);
      }
      // The points book: the same rows, but the hub keeps no staff accounts, so 经办 is the user name.
      const ledgerAtStation = (await xlsxRows(center.api, `/api/exports/ledger.xlsx?${period}`)).rows;
      const ledgerAtHub = (await xlsxRows(admin, `/api/district/exports/ledger.xlsx?${period}&centerId=${center.centerId}`)).rows.map((row) => row.slice(1));
      expect(sameInstantOrder(ledgerAtHub.map((row) => row.slice(0, 6)))).toEqual(sameInstantOrder(ledgerAtStation.map((row) => row.slice(0, 6))));
    }

    // No redemptions were made: the file has the station's headers, the center in front.
    const redemptions = await xlsxRows(admin, `/api/district/exports/redemptions.xlsx?${period}`);
    expect(redemptions.rows).toEqual([['驿站', ...(await xlsxRows(a.api, `/api/exports/redemptions.xlsx?${period}`)).rows[0]!]]);

    // The whole district: both centers, in time order; the viewer's copy masks names and ID numbers.
    const full = await xlsxRows(admin, `/api/district/exports/attendance.xlsx?${period}`);
    expect(full.disposition).toContain(`district-attendance_${from}_${to}.xlsx`);
    expect(new Set(full.rows.slice(1).map((row) => row[0]))).toEqual(new Set([a.name, b.name]));
    const masked = await xlsxRows(viewer, `/api/district/exports/attendance.xlsx?${period}`);
    expect(masked.rows.length).toBe(full.rows.length);
    expect(masked.rows.slice(1).map((row) => row[1])).toEqual(full.rows.slice(1).map((row) => maskName(row[1] as string)));
    const register = await xlsxRows(viewer, `/api/district/exports/volunteers.xlsx?centerId=${a.centerId}`, {});
    expect(register.rows[0]!.slice(0, 6)).toEqual(['驿站', '卡号', '姓名', '性别', '手机号', '身份证号']);
    expect(register.rows.slice(1).every((row) => /^\d{3}\*{4}\d{4}$/.test(row[4] as string) && (row[2] as string).includes('*'))).toBe(true);
    const nationalMasked = await xlsxRows(viewer, `/api/district/exports/national.xlsx?${period}`, basic(HUB_VIEWER_PASSWORD));
    expect(nationalMasked.rows.slice(1).every((row) => (row[0] as string).includes('*'))).toBe(true);

    // Audited: who (role and sign-in), what, when; the viewer cannot read the audit.
    const audit = (await admin.get('/api/district/audit?limit=50')).body.items as { at: string; role: string; action: string; actor: string; target: string | null; detail: { format: string; masked: boolean; from: string | null } }[];
    const exports = audit.filter((entry) => entry.action.startsWith('export.'));
    expect(exports.length).toBe(2 * 4 + 5);
    expect(exports.find((e) => e.action === 'export.national' && e.role === 'viewer')).toMatchObject({ actor: 'basic:district-office', detail: { format: 'xlsx', masked: true, from } });
    expect(exports.find((e) => e.action === 'export.attendance' && e.role === 'admin' && e.target === null)).toMatchObject({ actor: expect.stringMatching(/^session:[0-9a-f]{12}$/), detail: { masked: false } });
    expect(Date.now() - Date.parse(exports[0]!.at)).toBeLessThan(120_000);
    expect((await viewer.get('/api/district/audit')).status).toBe(403);
    expect((await new ApiClient(hub.url).get(`/api/district/exports/attendance.xlsx?${period}`)).status).toBe(401);
    expect((await admin.get('/api/district/exports/attendance.xlsx?from=2026-02-30x&to=2026-01-01')).status).toBe(400);
  }, 120_000);

  it('streams a large district export through a cursor, page after page', async () => {
    const silent = (await admin.get('/api/district/centers')).body.centers.find((c: { name: string }) => c.name === '南山社区驿站');
    const pool = new (await import('pg')).default.Pool({ connectionString: postgres.url, max: 1 });
    try {
      await pool.query(`INSERT INTO attendance (center_id, id, volunteer_id, check_in_at, check_out_at, minutes, data)
        SELECT $1, 'bulk-' || i, 'nobody', timestamptz '2024-03-01 08:00+08' + i * interval '1 minute', timestamptz '2024-03-01 09:00+08' + i * interval '1 minute', 60,
          jsonb_build_object('id', 'bulk-' || i, 'volunteerId', 'nobody', 'activityId', 'none', 'checkInAt', to_char((timestamptz '2024-03-01 00:00Z' + i * interval '1 minute') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'creditedMinutes', 60)
        FROM generate_series(1, 25000) AS i`, [silent.centerId]);
    } finally {
      await pool.end();
    }
    const response = await fetch(`${hub.url}/api/district/exports/attendance.csv?from=2024-03-01&to=2024-03-31&centerId=${silent.centerId}`, { headers: basic(HUB_ADMIN_PASSWORD) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBeNull();
    const lines = (await response.text()).trim().split('\n');
    expect(lines).toHaveLength(25_001);
    expect(lines[1]).toContain('南山社区驿站');
  }, 120_000);
}, 300_000);
