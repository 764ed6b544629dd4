/**
 * `node scripts/run-ts.mjs scripts/bench/me-history-stall.ts [--data DIR] [--size community-10y]`
 *
 * How long a volunteer's own record (`/api/me` and the kiosk's 我的记录) stalls the event loop
 * when its lists reach into closed years: generates the demo set (or copies DIR), starts the
 * station in this process with closed years archived, and builds the /me/ view and the kiosk
 * lookup of volunteers who need 0, 1 and several archived years, cold (nothing parsed) and warm
 * (the years parsed a moment ago), while a 1 ms timer measures the longest gap between its ticks.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoData, type DemoSize } from '../demo-data.ts';
import { signCard } from '../../server/src/domain/card-code.ts';
import { lookupVolunteer } from '../../server/src/attendance/lookup.ts';
import { meViewOf } from '../../server/src/me/me-routes.ts';
import { archivedYearsOf } from '../../server/src/volunteer-history/archived-history.ts';
import { systemClock } from '../../server/src/clock.ts';
import { createLogger } from '../../server/src/logger.ts';
import { openStation } from '../../server/src/station.ts';

const { values: flags } = parseArgs({ options: { data: { type: 'string' }, size: { type: 'string', default: 'community-10y' } } });
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-me-stall-'));
const dir = path.join(work, 'data');
if (flags.data) await fs.cp(path.resolve(flags.data), dir, { recursive: true });
else await generateDemoData({ dataDir: dir, size: flags.size as DemoSize, seed: 1 });

const opened = performance.now();
const station = await openStation(
  { port: 0, httpsPort: 0, host: '127.0.0.1', dataDir: dir, adminPassword: 'admin-pass-1', extraHostnames: [], logLevel: 'error', mdns: false, archiveClosedYears: true },
  { clock: systemClock, logger: createLogger('error'), onStoreFailure: () => undefined },
);
const ctx = station.ctx;
const state = ctx.store.state;
console.log(`opened and archived in ${((performance.now() - opened) / 1000).toFixed(1)} s; archived years ${state.archivedYears().join(', ')}; live attendance ${state.records.attendance.size}`);

/** The longest gap between the ticks of a 1 ms timer while `work` runs, and its wall time. */
async function stall<T>(work: () => Promise<T>): Promise<{ maxGapMs: number; wallMs: number; result: T }> {
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  clearInterval(timer);
  maxGapMs = Math.max(maxGapMs, performance.now() - last);
  return { maxGapMs, wallMs, result };
}

// Volunteers by how many archived years their latest 20 records need.
const active = [...state.records.volunteers.values()].filter((v) => v.status === 'active');
const liveCount = (id: string) => state.attendanceIdsOf(id).filter((a) => !state.get('attendance', a)?.removed).length;
const picks: { label: string; id: string }[] = [];
const full = active.find((v) => liveCount(v.id) >= 20);
if (full) picks.push({ label: 'full page of live attendance', id: full.id });
const few = active.filter((v) => liveCount(v.id) < 20 && archivedYearsOf(state, v.id).length > 0);
if (few[0]) picks.push({ label: `${liveCount(few[0].id)} live records`, id: few[0].id });
const none = active.filter((v) => liveCount(v.id) === 0 && archivedYearsOf(state, v.id).length >= 3);
if (none[0]) picks.push({ label: `no live records, ${archivedYearsOf(state, none[0].id).length} archived years`, id: none[0].id });

for (const pass of ['cold', 'warm']) {
  for (const pick of picks) {
    const volunteer = state.get('volunteers', pick.id)!;
    const me = await stall(async () => JSON.stringify(await meViewOf(ctx, volunteer)));
    const records = (JSON.parse(me.result) as { records: { at: string }[] }).records;
    const years = new Set(records.map((r) => r.at.slice(0, 4)));
    const kiosk = await stall(() => lookupVolunteer(ctx, { code: signCard(ctx.cardSecret, volunteer.cardNo, volunteer.cardSerial) }));
    console.log(
      `${pass} · ${pick.label}: /me/ view ${me.wallMs.toFixed(0)} ms, longest loop stall ${me.maxGapMs.toFixed(1)} ms (${records.length} records from ${[...years].sort().join(', ')}); ` +
        `kiosk lookup ${kiosk.wallMs.toFixed(0)} ms, stall ${kiosk.maxGapMs.toFixed(1)} ms`,
    );
  }
}
console.log(`RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB; load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`);
await station.shutdown();
await fs.rm(work, { recursive: true, force: true });
