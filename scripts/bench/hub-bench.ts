/**
 * `npm run bench:hub [-- --centers 50 --volunteers 150000 --attendance 2000000 --week 20000 --steady-seconds 15 --hub-processes 0]`
 *
 * The district hub on PostgreSQL (issue 17). Uses DATABASE_URL when set, else starts a throw-away
 * cluster (as the tests do). The hub runs in this process on a real port; stations are simulated
 * by HTTP clients sending what a station's link sends.
 * - catch-up: one center back after a week offline sends its journal (check-ins, check-outs with
 *   their points) in batches of 500 records: records/s and rows/s into PostgreSQL;
 * - the district data (volunteers, attendance over the other centers) is bulk-loaded in SQL;
 * - the district summary and a month report: response times (goal ≤ 1 s);
 * - steady state: every center sends 2 scans/s, one batch each, for a while: the time from send
 *   to applied (the link's lag once caught up); with --hub-processes N the batches go to N hub
 *   processes of their own (`npm run hub`'s entry, bundled), center i to process i mod N, instead
 *   of the hub inside this process;
 * - RSS of this process (hub + clients).
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createLogger } from '../../server/src/logger.ts';
import { createHub } from '../../hub/src/hub.ts';
import { migrate } from '../../hub/src/migrate.ts';
import { postgresOrSkip, startPostgres } from '../../tests/support/postgres.ts';
import { freePort } from '../../tests/support/child-server.ts';
import { startHubProcess, type HubProcess } from '../../tests/support/hub.ts';

const { values: flags } = parseArgs({
  options: {
    centers: { type: 'string', default: '50' },
    volunteers: { type: 'string', default: '150000' },
    attendance: { type: 'string', default: '2000000' },
    week: { type: 'string', default: '20000' },
    'steady-seconds': { type: 'string', default: '15' },
    'hub-processes': { type: 'string', default: '0' },
  },
});
const CENTERS = Number(flags.centers);
const VOLUNTEERS = Number(flags.volunteers);
const ATTENDANCE = Number(flags.attendance);
const WEEK = Number(flags.week);
const STEADY_MS = Number(flags['steady-seconds']) * 1000;
const HUB_PROCESSES = Number(flags['hub-processes']);
const PASSWORD = 'bench-admin-pass';
const auth = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, 'content-type': 'application/json' };

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

let cluster: Awaited<ReturnType<typeof startPostgres>> | undefined;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const bin = postgresOrSkip();
  if (!bin) process.exit(0);
  cluster = await startPostgres(bin);
  databaseUrl = cluster.url;
}
const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
await migrate(pool);
const hub = createHub({ pool, passwords: { admin: PASSWORD }, logger: createLogger('warn') });
await new Promise<void>((resolve) => hub.httpServer.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(hub.httpServer.address() as AddressInfo).port}`;

async function post(path: string, body: unknown, headers: Record<string, string>, base = url): Promise<any> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const centers: { centerId: string; joinKey: string; seq: number }[] = [];
for (let i = 0; i < CENTERS; i++) {
  const created = await post('/api/district/centers', { name: `模拟驿站${i + 1}` }, auth);
  centers.push({ ...created, seq: 0 });
}
const results: Record<string, unknown> = { centers: CENTERS };

// Catch-up of a center offline for a week: its journal as the link sends it.
{
  const center = centers[0]!;
  const key = { authorization: `Bearer ${center.joinKey}` };
  const now = Date.now();
  const people = 3000;
  const records: { seq: number; at: string; changes: unknown[] }[] = [];
  const push = (changes: unknown[]) => records.push({ seq: ++center.seq, at: new Date().toISOString(), changes });
  for (let v = 0; v < people; v++) {
    push([{ c: 'volunteers', v: { id: `v${v}`, name: `志愿者${v}`, phone: `139${String(v).padStart(8, '0')}`, cardNo: String(100000 + v), status: 'active', joinedOn: '2026-01-01', skills: [], teamIds: [], gender: 'unspecified', cardSerial: 1, createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString() } }]);
  }
  for (let a = 0; a < WEEK; a++) {
    const checkInAt = new Date(now - 7 * 86400_000 + a * ((7 * 86400_000) / WEEK)).toISOString();
    const attendance = { id: `a${a}`, volunteerId: `v${a % people}`, activityId: 'act1', checkInAt, source: 'scan', createdAt: checkInAt };
    push([{ c: 'attendance', v: attendance }]);
    const checkOutAt = new Date(Date.parse(checkInAt) + 2 * 3600_000).toISOString();
    push([
      { c: 'attendance', v: { ...attendance, checkOutAt, creditedMinutes: 120, pointsCredited: 2 } },
      { c: 'ledger', v: { id: `l${a}`, volunteerId: attendance.volunteerId, delta: 2, kind: 'attendance', reason: '活动', at: checkOutAt, by: 'system', attendanceId: attendance.id } },
    ]);
  }
  const rows = records.reduce((sum, record) => sum + record.changes.length, 0);
  const start = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += 500) {
    const batch = records.slice(i, i + 500);
    await post('/api/link/batch', { fromSeq: batch[0]!.seq, toSeq: batch.at(-1)!.seq, stationSeq: center.seq, records: batch }, key);
  }
  const elapsed = ms(start);
  results.catchUp = { records: records.length, rows, seconds: +(elapsed / 1000).toFixed(1), recordsPerSecond: Math.round(records.length / (elapsed / 1000)), rowsPerSecond: Math.round(rows / (elapsed / 1000)) };
  console.log('catch-up', results.catchUp);
}

// The district's data over the other centers, bulk-loaded.
{
  const start = process.hrtime.bigint();
  const others = centers.slice(1).map((c) => c.centerId);
  const perCenter = Math.ceil(VOLUNTEERS / others.length);
  const attendancePerCenter = Math.ceil(ATTENDANCE / others.length);
  for (const centerId of others) {
    await pool.query(`INSERT INTO volunteers (center_id, id, name, phone, card_no, status, joined_on, data)
      SELECT $1, 'v' || g, '志愿者' || g, '138' || lpad((g + $3 * 100000)::text, 8, '0'), (100000 + g)::text, 'active', '2024-01-01', jsonb_build_object('id', 'v' || g)
      FROM generate_series(1, $2) g`, [centerId, perCenter, others.indexOf(centerId)]);
    await pool.query(`INSERT INTO attendance (center_id, id, volunteer_id, activity_id, check_in_at, check_out_at, minutes, removed, data)
      SELECT $1, 'a' || g, 'v' || (1 + g % $3), 'act' || (g % 200), t, t + interval '2 hours', 120, false, jsonb_build_object('id', 'a' || g)
      FROM generate_series(1, $2) g, LATERAL (SELECT now() - (g % 730) * interval '1 day' - (g % 600) * interval '1 minute' AS t) x`, [centerId, attendancePerCenter, perCenter]);
  }
  await pool.query('ANALYZE');
  results.bulkLoad = { volunteers: perCenter * others.length, attendance: attendancePerCenter * others.length, seconds: +(ms(start) / 1000).toFixed(1) };
  console.log('bulk load', results.bulkLoad);
}

async function timeGet(path: string, runs = 5) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const response = await fetch(`${url}${path}`, { headers: auth });
    await response.json();
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    times.push(ms(start));
  }
  return { medianMs: Math.round(percentile(times, 50)), maxMs: Math.round(Math.max(...times)) };
}
results.summary = await timeGet('/api/district/summary');
console.log('summary', results.summary);
const month = new Date().toISOString().slice(0, 7);
results.monthReport = await timeGet(`/api/district/reports/monthly?from=${month}&to=${month}`);
console.log('month report', results.monthReport);
results.registerSearch = await timeGet(`/api/district/register?q=13800001234`);
console.log('register search', results.registerSearch);

// Steady state: every center sends 2 scans a second.
{
  const lags: number[] = [];
  const processes: HubProcess[] = [];
  for (let i = 0; i < HUB_PROCESSES; i++) processes.push(await startHubProcess(databaseUrl, await freePort()));
  const deadline = Date.now() + STEADY_MS;
  await Promise.all(centers.map(async (center, index) => {
    const key = { authorization: `Bearer ${center.joinKey}` };
    const base = processes.length > 0 ? processes[index % processes.length]!.url : url;
    while (Date.now() < deadline) {
      const next = Date.now() + 500;
      const seq = ++center.seq;
      const at = new Date().toISOString();
      const start = process.hrtime.bigint();
      await post('/api/link/batch', { fromSeq: seq, toSeq: seq, stationSeq: seq, records: [{ seq, at, changes: [{ c: 'attendance', v: { id: randomUUID(), volunteerId: 'v1', activityId: 'act1', checkInAt: at, source: 'scan', createdAt: at } }] }] }, key, base);
      lags.push(ms(start));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
  }));
  await Promise.all(processes.map((hubProcess) => hubProcess.kill('SIGTERM')));
  results.steadyState = { hubProcesses: HUB_PROCESSES, batches: lags.length, perSecond: Math.round(lags.length / (STEADY_MS / 1000)), lagP50Ms: Math.round(percentile(lags, 50)), lagP95Ms: Math.round(percentile(lags, 95)), lagMaxMs: Math.round(Math.max(...lags)) };
  console.log('steady state', results.steadyState);
}
results.rssMiB = Math.round(process.memoryUsage().rss / 1024 / 1024);
console.log(JSON.stringify(results, null, 2));

await hub.close();
await pool.end();
await cluster?.stop();
