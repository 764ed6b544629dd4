import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/child-server.ts';
import { HUB_ADMIN_PASSWORD, HUB_VIEWER_PASSWORD, startHubProcess, waitFor, type HubProcess } from '../support/hub.ts';
import { postgresOrSkip, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { ApiClient, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

const pgBin = postgresOrSkip();
const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`x:${password}`).toString('base64')}` });
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
}, 300_000);
