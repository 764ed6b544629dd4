/**
 * `node scripts/run-ts.mjs scripts/bench/report-bench.ts --data DIR [--server ENTRY] [--rate N] [--only a,b] [--keep] [--profile DIR]`
 * (`npm run bench:reports -- --data DIR`)
 *
 * What reports and exports do to the scans (issue 16, "Stalls"): the station runs as npm start
 * runs it (its bundle, closed years archived as in production) on a temp copy of DIR (the
 * community-10y demo set: `npm run demo -- --size community-10y --data-dir DIR`; without
 * `--data` it is generated into a temp folder). 4 kiosks send paced scans the whole time; first
 * a baseline with no report, then each report or export of the list alone, for the current year
 * and for ten years (periods reaching every archived year). For each: its wall time and size, the
 * server's CPU time meanwhile (main thread and workers), the server's own event-loop delay (max,
 * p99; loop-monitor.mjs), and the ack p50 / p99 / max of the scans sent while it ran, next to
 * the baseline of the same run. Downloads are read by a child process, so reading them costs
 * neither the server nor the scan timing. `--server` runs another build (an older commit's
 * `server/dist/<hash>/index.mjs`) on the same data, to compare. The load average is printed
 * with each row: on a shared machine the wall-clock figures move with it, CPU time much less.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signCard } from '../../server/src/domain/card-code.ts';
import { buildServer } from '../build-server.mjs';
import { connectSocket, Kiosk, pacedScans, scanLatencies } from './load.ts';
import { epochNow, ROOT, startServer } from './processes.ts';
import { Api } from './station-setup.ts';
import { ms, summarize, table } from './stats.ts';

const ADMIN_PASSWORD = 'admin-pass-1';
const KIOSKS = 4;
/** No single synchronous stretch of the main thread over ~20 ms (issue 16), plus the 10 ms between two readings of its CPU time. */
const GOAL_HELD_MS = 30;

const { values: flags } = parseArgs({
  options: {
    data: { type: 'string' },
    server: { type: 'string' },
    rate: { type: 'string', default: '20' },
    baseline: { type: 'string', default: '15' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    archive: { type: 'string', default: '1' },
    profile: { type: 'string' },
  },
});
const RATE = Number(flags.rate);
const log = (line: string) => console.log(`[${(performance.now() / 1000).toFixed(1).padStart(6)} s] ${line}`);
const load = () => os.loadavg()[0]!.toFixed(1);

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited with ${code}\n${out}`))));
  });
}

/** Downloads in a child process and reports bytes and timings, so reading the response costs this process nothing. */
const DOWNLOADER = `
const [url, cookie] = process.argv.slice(1);
const started = performance.now();
const response = await fetch(url, { headers: { cookie } });
let bytes = 0, firstByteMs;
for await (const chunk of response.body) { firstByteMs ??= performance.now() - started; bytes += chunk.length; }
console.log(JSON.stringify({ status: response.status, bytes, firstByteMs, totalMs: performance.now() - started }));
`;

async function prepareData(): Promise<string> {
  if (flags.data && existsSync(path.join(flags.data, 'snapshot.jsonl'))) return path.resolve(flags.data);
  const dir = flags.data ? path.resolve(flags.data) : await fs.mkdtemp(path.join(os.tmpdir(), 'vs-report-bench-data-'));
  log(`Generating community-10y into ${dir} (scripts/demo-data.ts, a child process, ~1 min)…`);
  await runChild(['--import', 'tsx', path.join(ROOT, 'scripts/demo-data.ts'), '--size', 'community-10y', '--data-dir', dir, '--force', '--admin-password', ADMIN_PASSWORD]);
  return dir;
}

/** Every volunteer's signed card, from the snapshot (the bench has no other way to the roster without the API's paging). */
async function readCards(dir: string): Promise<string[]> {
  const secret = Buffer.from((await fs.readFile(path.join(dir, 'card-secret.key'), 'utf8')).trim(), 'base64url');
  const cards: string[] = [];
  const text = await fs.readFile(path.join(dir, 'snapshot.jsonl'), 'utf8');
  for (const line of text.split('\n')) {
    if (!line.startsWith('{"c":"volunteers"')) continue;
    const { v } = JSON.parse(line) as { v: { cardNo: string; cardSerial: number; status: string } };
    if (v.status === 'active') cards.push(signCard(secret, v.cardNo, v.cardSerial));
  }
  return cards;
}

interface Phase {
  name: string;
  wallMs: number;
  bytes: number;
  cpuMs: number;
  loopMaxMs: number;
  loopP99Ms: number;
  heldMs: number | null;
  scans: ReturnType<typeof summarize>;
  errors: number;
  load: string;
}

async function main(): Promise<void> {
  const source = await prepareData();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-report-bench-'));
  const dir = path.join(work, 'data');
  await fs.cp(source, dir, { recursive: true });
  const entry = flags.server ? path.resolve(flags.server) : await buildServer({ quiet: true });
  log(`Starting ${path.relative(ROOT, entry) || entry} on a copy of ${source} (ARCHIVE_CLOSED_YEARS=${flags.archive}; a first start on unarchived data archives every closed year first)…`);
  const server = await startServer('station', entry, [], { DATA_DIR: dir, ADMIN_PASSWORD, ARCHIVE_CLOSED_YEARS: flags.archive! }, flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags.profile)}`] : [], 900_000);
  const phases: Phase[] = [];
  try {
    log(`  answered /api/health after ${(server.startupMs / 1000).toFixed(1)} s; load average ${load()}`);
    const api = new Api(server.url);
    await api.login('admin', ADMIN_PASSWORD);
    const cookie = await cookieOf(server.url);
    await api.call('PATCH', '/api/settings', { repeatWindowSeconds: 0 });
    const activityId = await api.openActivity('社区环境整治', '社区广场');
    const cards = await readCards(dir);
    const kiosks: Kiosk[] = [];
    const tokens: string[] = [];
    for (let k = 0; k < KIOSKS; k++) {
      tokens.push(await api.pair(`签到平板 ${k + 1}`, 'checkin'));
      kiosks.push(new Kiosk(await connectSocket(server.url, '/kiosk', tokens[k]!), cards.filter((_, i) => i % KIOSKS === k), activityId));
    }
    // A stall of many seconds can cost a tablet its connection (its scans then go unanswered): each phase starts connected.
    const reconnect = async () => {
      for (let k = 0; k < KIOSKS; k++) {
        if (kiosks[k]!.socket.connected) continue;
        log(`  kiosk ${k + 1} had lost its connection: connecting again`);
        kiosks[k] = new Kiosk(await connectSocket(server.url, '/kiosk', tokens[k]!), kiosks[k]!.cards, activityId);
      }
    };
    // The first start of a day backs up 5 minutes later; a backup written meanwhile would be measured as a report's stall.
    const year = new Date().getFullYear();
    const today = new Date().toISOString().slice(0, 10);
    const current = `year=${year}`;
    const tenYears = `from=${year - 9}-01-01&to=${today}`;
    const jobs: [string, string][] = [
      ['year-summary JSON, this year', `/api/reports/year-summary?${current}`],
      ['year-summary JSON, 10 years', `/api/reports/year-summary?${tenYears}`],
      ['activities JSON, 10 years', `/api/reports/activities?${tenYears}`],
      ['attendance.xlsx, this year', `/api/exports/attendance.xlsx?${current}`],
      ['attendance.csv, 10 years', `/api/exports/attendance.csv?${tenYears}`],
      ['attendance.xlsx, 10 years', `/api/exports/attendance.xlsx?${tenYears}`],
      ['ledger.csv, 10 years', `/api/exports/ledger.csv?${tenYears}`],
      ['hours-by-volunteer.xlsx, 10 years', `/api/reports/hours-by-volunteer.xlsx?${tenYears}`],
      ['national.xlsx, 10 years', `/api/exports/national.xlsx?${tenYears}`],
    ];
    const only = flags.only?.split(',');
    // Warm up: sockets, the first scans' code paths.
    await pacedScans(kiosks, RATE, 3000);

    const measure = async (name: string, work: () => Promise<{ bytes: number; errors?: number }>) => {
      await reconnect();
      await server.resetLoop();
      const since = epochNow();
      const cpuBefore = server.cpuMs();
      let done = false;
      const started = performance.now();
      const scanning = pacedScans(kiosks, RATE, 600_000, 10_000, () => done);
      const result = await work().finally(() => (done = true));
      const wallMs = performance.now() - started;
      const outcomes = await scanning;
      const cpuMs = server.cpuMs() - cpuBefore;
      const loop = await server.readLoop(since);
      const { latencies, unanswered, errors } = scanLatencies(outcomes);
      const phase: Phase = { name, wallMs, bytes: result.bytes, cpuMs, loopMaxMs: loop.maxMs, loopP99Ms: loop.p99Ms, heldMs: loop.heldMaxMs ?? null, scans: summarize(latencies, unanswered), errors: [...errors.values()].reduce((a, b) => a + b, 0), load: load() };
      phases.push(phase);
      log(`  ${name}: ${ms(wallMs)}, server CPU ${ms(cpuMs)}; loop max ${ms(loop.maxMs)}, longest main-thread CPU between two ticks ${phase.heldMs === null ? 'n/a' : ms(phase.heldMs)}; ${phase.scans.count} scans: ack p50 ${ms(phase.scans.p50)} p99 ${ms(phase.scans.p99)} max ${ms(phase.scans.max)}; load ${phase.load}`);
    };

    log(`Baseline: ${RATE} scans/s from ${KIOSKS} kiosks for ${flags.baseline} s, no report…`);
    await measure('baseline (no report)', async () => {
      await new Promise((resolve) => setTimeout(resolve, Number(flags.baseline) * 1000));
      return { bytes: 0 };
    });
    for (const [name, url] of jobs) {
      if (only && !only.some((word) => name.includes(word))) continue;
      log(`${name} (${url}) while ${RATE} scans/s go on…`);
      await measure(name, async () => {
        const output = await runChild(['--input-type=module', '-e', DOWNLOADER, `${server.url}${url}`, cookie]);
        const result = JSON.parse(output) as { status: number; bytes: number };
        if (result.status !== 200) throw new Error(`${url} answered ${result.status}`);
        return { bytes: result.bytes };
      });
    }
    const memory = await server.memory();

    console.log(`\nReports and exports while ${RATE} scans/s go on (${os.availableParallelism()} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; ${path.relative(ROOT, entry) || entry})`);
    console.log(`Server RSS after: ${memory.rssMb.toFixed(0)} MB (peak ${memory.peakMb?.toFixed(0) ?? 'n/a'} MB). Loop = the server's own event-loop delay; Held = the most CPU its main thread used between two 10 ms ticks (the longest synchronous stretch, from above, whatever the load); CPU = server main thread + workers.`);
    const base = phases[0]!.scans;
    console.log(
      table([
        ['What', 'Wall', 'Size', 'Server CPU', 'Loop max', 'Loop p99', 'Held', 'Scans', 'Ack p50', 'Ack p99', 'Ack max', 'vs baseline p99', 'Load', 'Held ≤ 30 ms'],
        ...phases.map((p) => [
          p.name, ms(p.wallMs), p.bytes ? `${(p.bytes / 2 ** 20).toFixed(1)} MiB` : '', ms(p.cpuMs), ms(p.loopMaxMs), ms(p.loopP99Ms), p.heldMs === null ? 'n/a' : ms(p.heldMs), `${p.scans.count}${p.errors ? ` (${p.errors} errors)` : ''}`,
          ms(p.scans.p50), ms(p.scans.p99), ms(p.scans.max), p === phases[0] ? '' : `${(p.scans.p99 / base.p99).toFixed(1)}×`, p.load, p.heldMs === null ? '' : p.heldMs <= GOAL_HELD_MS ? 'PASS' : 'MISS',
        ]),
      ]),
    );
  } finally {
    await server.stop();
    if (flags.keep) log(`Data kept in ${work}`);
    else await fs.rm(work, { recursive: true, force: true });
  }
}

async function cookieOf(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
