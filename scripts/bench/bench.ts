/**
 * `npm run bench [-- --quick] [-- --dir PARENT] [-- --keep] [-- --json FILE] [-- --profile DIR]`
 * (--profile writes a V8 CPU profile of the station server to DIR, for finding where a scan's time goes)
 *
 * Starts the real server (server/src/index.ts, in its own process) on a temp copy of the
 * community-10y demo set, as it runs in production (closed years archived while preparing the
 * data, so the measured start is an ordinary later start), and measures it as issues 2 and 16 ask, next to two references run on
 * the same disk in the same run: the floor (a bare Socket.IO server that appends and fdatasyncs one
 * line per scan) and a naive lowdb store (whole-file write per scan). Prints a table with
 * PASS/MISS per target. docs/performance.md explains the method and records a run.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Socket } from 'socket.io-client';
import { signCard } from '../../server/src/domain/card-code.ts';
import { buildServer } from '../build-server.mjs';
import { connectSocket, counterRush, flatOutScans, Kiosk, pacedScans, scanBurst, scanLatencies, type ScanOutcome } from './load.ts';
import { epochNow, ROOT, sleep, startServer, stopChild, type BenchServer } from './processes.ts';
import { Api, diskOf, journalBytesSinceSnapshot, SnapshotWatcher } from './station-setup.ts';
import { ms, ratio, summarize, table, thousands, type Summary } from './stats.ts';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false }, dir: { type: 'string' }, keep: { type: 'boolean', default: false }, json: { type: 'string' }, profile: { type: 'string' } } });
const QUICK = flags.quick;
const PLAN = QUICK
  ? { size: 'small-3y', pacedMs: 5000, flatMs: 5000, warmMs: 1000, boards200Ms: 5000, redeemMs: 5000, burstScans: 2000 }
  : { size: 'community-10y', pacedMs: 30_000, flatMs: 10_000, warmMs: 3000, boards200Ms: 10_000, redeemMs: 10_000, burstScans: 20_000 };
const KIOSKS = 20;
const SCANS_PER_SECOND = 100;
const BOARDS = 50;
const MANY_BOARDS = 200;
const MANY_BOARDS_RATE = 50;
const OUTSTANDING = 32;
const COUNTERS = 5;
/** Scans in flight per kiosk during the memory burst (closed loop: the count matters, not the rate). */
const BURST_OUTSTANDING = 4;
const MB = 2 ** 20;
const ADMIN_PASSWORD = 'admin-pass-1';
/** The store's default snapshot threshold (DurableStore snapshotAfterBytes): the paced run is steered to cross it. */
const SNAPSHOT_AFTER_BYTES = 16 * 1024 * 1024;

const children: { stop(): Promise<void> }[] = [];
const log = (line: string) => console.log(`[${(performance.now() / 1000).toFixed(1).padStart(6)} s] ${line}`);

interface Reference {
  startupMs: number;
  ack: Summary;
  loopMaxMs: number;
  throughput: number;
  rssMb: number;
  cpuPerScanMs: { paced: number; flat: number };
}

interface ArchiveFacts { ms: number; cpuMs: number; years: number; files: number; archiveBytes: number; snapshotBytes: number }

interface Results {
  machine: Record<string, string>;
  data: { counts: Record<string, number>; generateMs: number; archive: ArchiveFacts };
  ours: {
    startupMs: number; startupCpuMs: number; idleRssMb: number; idleLiveHeapMb: number; rssMb: number; heapUsedMb: number; endRssMb: number; peakRssMb: number | null;
    burst: { scans: number; acked: number; seconds: number; rssBeforeMb: number; rssAfterMb: number; liveBeforeMb: number; liveAfterMb: number };
    ack: Summary; errors: Record<string, number>; boardAfterAck: Summary; boardAfterScan: Summary; boardMissing: number;
    loopMaxMs: number; loopP99Ms: number; loopMaxDuringSnapshotMs: number | null; ackDuringSnapshot: Summary; ackOutsideSnapshot: Summary; snapshots: { startS: number; seconds: number }[];
    throughput: number; throughputAck: Summary; cpuPerScanMs: { paced: number; flat: number };
    manyBoards: { afterAck: Summary; missing: number; rssPerBoardKb: number; rate: number };
    redeem: { perSecond: number; ack: Summary; ok: number; refused: Record<string, number>; stockConsistent: boolean };
    backup: { seconds: number; scans: number; ack: Summary; loopMaxMs: number };
  };
  floor: Reference;
  naive: Reference;
}

async function main(): Promise<void> {
  const workDir = await fs.mkdtemp(path.join(flags.dir ? path.resolve(flags.dir) : os.tmpdir(), 'vs-bench-'));
  const stationDir = path.join(workDir, 'station');
  const floorDir = path.join(workDir, 'floor');
  const naiveFile = path.join(workDir, 'naive-db.json');
  await fs.mkdir(floorDir);
  const machine = {
    cpus: `${os.availableParallelism()} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    disk: await diskOf(workDir),
    loadBefore: os.loadavg().map((n) => n.toFixed(2)).join(' '),
  };
  log(`Volunteer Station benchmark${QUICK ? ' (--quick)' : ''}: ${machine.cpus}, ${machine.memory}, Node ${machine.node}; data on ${machine.disk}; load average ${machine.loadBefore}`);

  try {
    log(`Building the ${PLAN.size} data set and its naive lowdb copy…`);
    const rosterFile = path.join(workDir, 'roster.json');
    await runChild('scripts/bench/prepare-data.ts', [PLAN.size, stationDir, naiveFile, rosterFile]);
    const roster = JSON.parse(await fs.readFile(rosterFile, 'utf8')) as { cards: { volunteerId: string; cardNo: string; cardSerial: number }[]; counts: Record<string, number>; generateMs: number; archive: ArchiveFacts };
    log(`  ${thousands(roster.counts.volunteers!)} volunteers, ${thousands(roster.counts.activities!)} activities, ${thousands(roster.counts.attendance!)} attendance, ${thousands(roster.counts.ledger!)} ledger entries (generated in ${(roster.generateMs / 1000).toFixed(1)} s)`);
    log(`  ${archiveLine(roster.archive)}`);
    const secret = Buffer.from((await fs.readFile(path.join(stationDir, 'card-secret.key'), 'utf8')).trim(), 'base64url');
    const cards = shuffled(roster.cards).map((c) => ({ ...c, code: signCard(secret, c.cardNo, c.cardSerial) }));

    const ours = await measureStation(stationDir, cards);
    const floor = await measureReference('floor', 'scripts/bench/floor-server.ts', [floorDir]);
    const naive = await measureReference('naive lowdb', 'scripts/bench/naive-lowdb-server.ts', [naiveFile], true);
    const results: Results = { machine: { ...machine, loadAfter: os.loadavg().map((n) => n.toFixed(2)).join(' ') }, data: { counts: roster.counts, generateMs: roster.generateMs, archive: roster.archive }, ours, floor, naive };
    report(results);
    if (flags.json) await fs.writeFile(flags.json, JSON.stringify(results, null, 2));
  } finally {
    for (const child of children.splice(0)) await child.stop().catch(() => undefined);
    if (flags.keep) log(`Data kept in ${workDir}`);
    else await fs.rm(workDir, { recursive: true, force: true });
  }
}

async function measureStation(dir: string, cards: { volunteerId: string; code: string }[]): Promise<Results['ours']> {
  log('Starting the station server (its bundle, as npm start runs it)…');
  // The bundle `npm start` runs (built now if the sources changed, before the clock starts).
  const entry = await buildServer({ quiet: true });
  // As in production: closed years archived (on by default; the data was archived while preparing,
  // so this start archives nothing). --expose-gc only lets the benchmark tell live data from garbage.
  const nodeArgs = ['--expose-gc', ...(flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags.profile)}`] : [])];
  const server = await track(startServer('station', entry, [], { DATA_DIR: dir, ADMIN_PASSWORD, ARCHIVE_CLOSED_YEARS: '1' }, nodeArgs));
  const startupCpuMs = server.cpuMs();
  const idle = await server.memory();
  const idleLive = await server.collectGarbage();
  log(`  answered /api/health ${(server.startupMs / 1000).toFixed(2)} s after spawn (server CPU ${(startupCpuMs / 1000).toFixed(2)} s); RSS ${idle.rssMb.toFixed(0)} MB, live heap ${(idleLive.heapUsed / MB).toFixed(0)} MB`);
  const snapshots = new SnapshotWatcher(dir);

  const api = new Api(server.url);
  await api.login('admin', ADMIN_PASSWORD);
  await api.call('PATCH', '/api/settings', { repeatWindowSeconds: 0 });
  const activityIds = [await api.openActivity('社区环境整治', '社区广场'), await api.openActivity('敬老助老探访', '老年活动室'), await api.openActivity('垃圾分类值守', '3号楼前空地')];
  const kioskTokens: string[] = [];
  for (let i = 0; i < KIOSKS; i++) kioskTokens.push(await api.pair(`签到平板 ${i + 1}`, 'checkin'));
  const boardToken = await api.pair('大厅电视', 'board');
  const counterTokens: string[] = [];
  for (let i = 0; i < COUNTERS; i++) counterTokens.push(await api.pair(`兑换柜台 ${i + 1}`, 'counter'));
  const goods = await api.call<{ id: string }>('POST', '/api/goods', { name: '大米 5kg', points: 1, stock: 1_000_000 });
  const shoppers = cards.slice(0, COUNTERS * 10);
  for (const shopper of shoppers) await api.call('POST', `/api/volunteers/${shopper.volunteerId}/points`, { delta: 100_000, reason: '压测积分' });

  const kiosks: Kiosk[] = [];
  for (let k = 0; k < KIOSKS; k++) {
    const socket = await connectSocket(server.url, '/kiosk', kioskTokens[k]!);
    kiosks.push(new Kiosk(socket, cards.filter((_, i) => i % KIOSKS === k).map((c) => c.code), activityIds[k % activityIds.length]));
  }
  const boards = await track(startBoardProcess());
  await boards.ask({ type: 'connect', url: server.url, token: boardToken, count: 1 });

  // The first start of a day backs the data up at once (snapshot, copy, check, tar.gz): measured
  // apart, as volunteers arriving while the PC boots meet it, then out of the way of the rest.
  log(`During the start-up backup: ${SCANS_PER_SECOND} scans/s until it is written…`);
  let backupWritten = await hasBackup(dir);
  const backupPoll = setInterval(() => void hasBackup(dir).then((done) => (backupWritten ||= done)), 100);
  await server.resetLoop();
  const backupPhase = await pacedScans(kiosks, SCANS_PER_SECOND, 120_000, 10_000, () => backupWritten);
  clearInterval(backupPoll);
  const backupLoop = await server.readLoop();
  const backupAck = scanLatencies(backupPhase);
  const backupSeconds = (epochNow() - server.spawnedAt) / 1000;
  log(`  backup written ${backupSeconds.toFixed(1)} s after spawn; ${backupPhase.length} scans meanwhile: ack p50 ${ms(summarize(backupAck.latencies, backupAck.unanswered).p50)} p99 ${ms(summarize(backupAck.latencies, backupAck.unanswered).p99)}; loop max ${ms(backupLoop.maxMs)}`);

  log(`Warming up: ${SCANS_PER_SECOND} scans/s for ${PLAN.warmMs / 1000} s…`);
  await pacedScans(kiosks, SCANS_PER_SECOND, PLAN.warmMs);

  log(`Throughput: ${KIOSKS} kiosks × ${OUTSTANDING} scans in flight for ${PLAN.flatMs / 1000} s (one board connected)…`);
  const flatCpuBefore = server.cpuMs();
  const flat = await flatOutScans(kiosks, OUTSTANDING, PLAN.flatMs);
  const flatCpuPerScan = (server.cpuMs() - flatCpuBefore) / flat.outcomes.filter((o) => o.ok).length;
  const throughput = (flat.ackedInWindow / flat.windowMs) * 1000;
  const flatStats = scanLatencies(flat.outcomes);
  log(`  ${thousands(throughput)} acknowledged scans/s; ack p50 ${ms(summarize(flatStats.latencies).p50)}`);

  await steerSnapshotIntoPacedRun(dir, kiosks, snapshots);

  log(`Paced run: ${SCANS_PER_SECOND} scans/s from ${KIOSKS} kiosks for ${PLAN.pacedMs / 1000} s with ${BOARDS} board clients…`);
  await boards.ask({ type: 'connect', url: server.url, token: boardToken, count: BOARDS - 1 });
  await boards.ask({ type: 'collect' });
  await server.resetLoop();
  const pacedStart = epochNow();
  const pacedCpuBefore = server.cpuMs();
  const paced = await pacedScans(kiosks, SCANS_PER_SECOND, PLAN.pacedMs);
  const pacedCpuPerScan = (server.cpuMs() - pacedCpuBefore) / paced.length;
  const pacedEnd = epochNow();
  const loop = await server.readLoop(pacedStart);
  const memory = await server.memory();
  const boardReport = await boards.ask<{ received: Record<string, number[]> }>({ type: 'report' });
  const ack = scanLatencies(paced);
  const board = boardLatencies(paced, boardReport.received, BOARDS);
  const during = snapshots.within(pacedStart, pacedEnd);
  const snapshotWindows = loop.windows.filter(([at]) => during.some((s) => at >= s.start && at - 100 <= (s.end ?? pacedEnd)));
  const loopMaxDuringSnapshotMs = snapshotWindows.length ? Math.max(...snapshotWindows.map(([, max]) => max)) : null;
  const inSnapshot = (o: ScanOutcome) => during.some((s) => o.sentAt >= s.start && o.sentAt <= (s.end ?? pacedEnd));
  const ackDuringSnapshot = scanLatencies(paced.filter(inSnapshot));
  const ackOutsideSnapshot = scanLatencies(paced.filter((o) => !inSnapshot(o)));
  log(`  ack p50 ${ms(summarize(ack.latencies, ack.unanswered).p50)} p99 ${ms(summarize(ack.latencies, ack.unanswered).p99)}; board p99 ${ms(board.afterAck.p99)}; loop max ${ms(loop.maxMs)}; snapshots in run: ${during.length}`);

  log(`Board fan-out: ${MANY_BOARDS} board clients, ${MANY_BOARDS_RATE} scans/s for ${PLAN.boards200Ms / 1000} s…`);
  await boards.ask({ type: 'disconnect' });
  await sleep(1000);
  const rssBefore = await steadyRss(server);
  await boards.ask({ type: 'connect', url: server.url, token: boardToken, count: MANY_BOARDS });
  await sleep(1000);
  const rssAfter = await steadyRss(server);
  await boards.ask({ type: 'collect' });
  const fanOut = await pacedScans(kiosks, MANY_BOARDS_RATE, PLAN.boards200Ms);
  const manyReport = await boards.ask<{ received: Record<string, number[]> }>({ type: 'report' });
  const many = boardLatencies(fanOut, manyReport.received, MANY_BOARDS);
  await boards.ask({ type: 'disconnect' });
  log(`  ack→board p50 ${ms(many.afterAck.p50)} p99 ${ms(many.afterAck.p99)}; ${((rssAfter - rssBefore) * 1024 / MANY_BOARDS).toFixed(0)} KB RSS per board client`);

  log(`Redemptions: ${COUNTERS} counters redeeming the same goods for ${PLAN.redeemMs / 1000} s…`);
  const counters: { socket: Socket; cards: string[] }[] = [];
  for (let c = 0; c < COUNTERS; c++) {
    const socket = await connectSocket(server.url, '/kiosk', counterTokens[c]!);
    const unlocked = (await socket.timeout(10_000).emitWithAck('counter:unlock', { username: 'admin', secret: ADMIN_PASSWORD })) as { ok: boolean };
    if (!unlocked.ok) throw new Error('counter:unlock was refused');
    counters.push({ socket, cards: shoppers.filter((_, i) => i % COUNTERS === c).map((s) => s.code) });
  }
  const stockBefore = (await api.call<{ stock: number }>('GET', `/api/goods/${goods.id}`)).stock;
  const redeemStart = epochNow();
  const redemptions = await counterRush(counters, goods.id, PLAN.redeemMs);
  const redeemSeconds = (epochNow() - redeemStart) / 1000;
  const okCount = redemptions.filter((r) => r.ok).length;
  const refused: Record<string, number> = {};
  for (const r of redemptions) if (r.errorCode) refused[r.errorCode] = (refused[r.errorCode] ?? 0) + 1;
  const stockAfter = (await api.call<{ stock: number }>('GET', `/api/goods/${goods.id}`)).stock;
  const redeemAck = summarize(redemptions.filter((r) => r.ackAt !== undefined).map((r) => r.ackAt! - r.sentAt), redemptions.filter((r) => r.ackAt === undefined).length);
  log(`  ${(okCount / redeemSeconds).toFixed(0)} redemptions/s, ack p99 ${ms(redeemAck.p99)}; stock ${stockBefore} → ${stockAfter} after ${okCount} redemptions`);

  // Memory per scan over a longer burst (issue 16 saw +4.8 KB RSS per scan over 20,000 scans):
  // RSS once steady and live heap after a full GC, before and after.
  log(`Memory burst: ${thousands(PLAN.burstScans)} scans, ${KIOSKS} kiosks × ${BURST_OUTSTANDING} in flight…`);
  const rssBeforeBurst = await steadyRss(server);
  const liveBeforeBurst = await server.collectGarbage();
  const burstStart = performance.now();
  const burst = await scanBurst(kiosks, PLAN.burstScans, BURST_OUTSTANDING);
  const burstSeconds = (performance.now() - burstStart) / 1000;
  await sleep(1000);
  const rssAfterBurst = await steadyRss(server);
  const liveAfterBurst = await server.collectGarbage();
  const burstAcked = burst.filter((o) => o.ok).length;
  log(`  ${burstAcked} acked in ${burstSeconds.toFixed(1)} s; RSS ${rssBeforeBurst.toFixed(0)} → ${rssAfterBurst.toFixed(0)} MB (${(((rssAfterBurst - rssBeforeBurst) * 1024) / burstAcked).toFixed(2)} KB per scan); live heap ${(liveBeforeBurst.heapUsed / MB).toFixed(0)} → ${(liveAfterBurst.heapUsed / MB).toFixed(0)} MB (${((liveAfterBurst.heapUsed - liveBeforeBurst.heapUsed) / 1024 / burstAcked).toFixed(2)} KB per scan)`);

  for (const socket of [...kiosks.map((k) => k.socket), ...counters.map((c) => c.socket)]) socket.close();
  snapshots.stop();
  const peak = await server.memory();
  await server.stop();
  return {
    startupMs: server.startupMs,
    startupCpuMs,
    idleLiveHeapMb: idleLive.heapUsed / MB,
    endRssMb: peak.rssMb,
    burst: { scans: burst.length, acked: burstAcked, seconds: burstSeconds, rssBeforeMb: rssBeforeBurst, rssAfterMb: rssAfterBurst, liveBeforeMb: liveBeforeBurst.heapUsed / MB, liveAfterMb: liveAfterBurst.heapUsed / MB },
    idleRssMb: idle.rssMb,
    rssMb: memory.rssMb,
    heapUsedMb: loop.heapUsed / 2 ** 20,
    peakRssMb: peak.peakMb,
    ack: summarize(ack.latencies, ack.unanswered),
    errors: Object.fromEntries(ack.errors),
    boardAfterAck: board.afterAck,
    boardAfterScan: board.afterScan,
    boardMissing: board.missing,
    loopMaxMs: loop.maxMs,
    loopP99Ms: loop.p99Ms,
    ackDuringSnapshot: summarize(ackDuringSnapshot.latencies, ackDuringSnapshot.unanswered),
    ackOutsideSnapshot: summarize(ackOutsideSnapshot.latencies, ackOutsideSnapshot.unanswered),
    loopMaxDuringSnapshotMs,
    snapshots: during.map((s) => ({ startS: (s.start - pacedStart) / 1000, seconds: ((s.end ?? pacedEnd) - s.start) / 1000 })),
    throughput,
    throughputAck: summarize(flatStats.latencies, flatStats.unanswered),
    cpuPerScanMs: { paced: pacedCpuPerScan, flat: flatCpuPerScan },
    manyBoards: { afterAck: many.afterAck, missing: many.missing, rssPerBoardKb: ((rssAfter - rssBefore) * 1024) / MANY_BOARDS, rate: MANY_BOARDS_RATE },
    redeem: { perSecond: okCount / redeemSeconds, ack: redeemAck, ok: okCount, refused, stockConsistent: stockBefore - stockAfter === okCount },
    backup: { seconds: backupSeconds, scans: backupPhase.length, ack: summarize(backupAck.latencies, backupAck.unanswered), loopMaxMs: backupLoop.maxMs },
  };
}

/** Whether the server's daily backup (DATA_DIR/backups/volunteer-station-….tar.gz) is written. */
async function hasBackup(dir: string): Promise<boolean> {
  const names = await fs.readdir(path.join(dir, 'backups')).catch(() => [] as string[]);
  return names.some((name) => /^volunteer-station-.*\.tar\.gz$/.test(name));
}

/**
 * The store snapshots after 16 MiB of journal. Scans flat out until the journal holds enough that
 * the paced run will cross the threshold about 40% of the way in, so a snapshot is measured
 * under load rather than hoped for. Bounded in time; the report says if no snapshot ran.
 */
async function steerSnapshotIntoPacedRun(dir: string, kiosks: Kiosk[], snapshots: SnapshotWatcher): Promise<void> {
  await snapshots.idle();
  const pacedScanCount = (SCANS_PER_SECOND * PLAN.pacedMs) / 1000;
  let bytesPerScan = 1200;
  const deadline = performance.now() + 60_000;
  for (;;) {
    const before = await journalBytesSinceSnapshot(dir);
    const target = SNAPSHOT_AFTER_BYTES - 0.6 * pacedScanCount * bytesPerScan;
    if (before >= target || performance.now() > deadline) {
      log(`  journal since the last snapshot: ${(before / 2 ** 20).toFixed(1)} MiB (~${bytesPerScan.toFixed(0)} bytes per scan); the paced run should cross 16 MiB`);
      return;
    }
    const slice = await flatOutScans(kiosks, 8, 500);
    await snapshots.idle();
    const after = await journalBytesSinceSnapshot(dir);
    if (after > before && slice.ackedInWindow > 0) bytesPerScan = (after - before) / slice.outcomes.filter((o) => o.ok).length;
  }
}

async function measureReference(name: string, entry: string, args: string[], slow = false): Promise<Reference> {
  log(`Reference: ${name}…`);
  const connect = async (server: BenchServer) => {
    const kiosks: Kiosk[] = [];
    // No rules and no token check here: any card text will do.
    for (let k = 0; k < KIOSKS; k++) kiosks.push(new Kiosk(await connectSocket(server.url, '/kiosk', 'not-checked'), [`VS1.${100001 + k}.1.${randomUUID().slice(0, 12)}`]));
    return kiosks;
  };
  const close = async (server: BenchServer, kiosks: Kiosk[]) => {
    for (const kiosk of kiosks) kiosk.socket.close();
    // A server drowning in its backlog would answer SIGTERM only after it: stop it at once.
    await (slow ? server.kill() : server.stop());
  };
  let server = await track(startServer(name, entry, args, {}));
  const startupMs = server.startupMs;
  let kiosks = await connect(server);
  let loopMaxMs = Number.NaN;
  if (slow) {
    // Under the paced load this server falls so far behind that it cannot even answer the
    // monitor, so its stall is measured first: a few single scans on an idle server.
    await server.resetLoop();
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 30_000);
        kiosks[0]!.scan(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    loopMaxMs = (await server.readLoop()).maxMs;
  }
  await server.resetLoop();
  const pacedCpuBefore = server.cpuMs();
  const paced = await pacedScans(kiosks, SCANS_PER_SECOND, PLAN.pacedMs, slow ? 5000 : 10_000);
  const pacedCpu = server.cpuMs() - pacedCpuBefore;
  if (!slow) loopMaxMs = (await server.readLoop()).maxMs;
  const rss = await server.memory();
  await close(server, kiosks);
  const ack = scanLatencies(paced);
  log(`  started in ${(startupMs / 1000).toFixed(2)} s; ack p50 ${ms(summarize(ack.latencies, ack.unanswered).p50)} p99 ${ms(summarize(ack.latencies, ack.unanswered).p99)}; ${ack.unanswered} of ${paced.length} unanswered; loop max ${ms(loopMaxMs)}`);

  // A fresh process: a backlog left by the paced run must not count against the next phase.
  server = await track(startServer(name, entry, args, {}));
  kiosks = await connect(server);
  const flatCpuBefore = server.cpuMs();
  const flat = await flatOutScans(kiosks, OUTSTANDING, PLAN.flatMs, slow ? 0 : 10_000);
  const flatCpu = server.cpuMs() - flatCpuBefore;
  await close(server, kiosks);
  const throughput = (flat.ackedInWindow / flat.windowMs) * 1000;
  log(`  ${thousands(throughput)} acknowledged scans/s flat out`);
  // Per acknowledged scan: a server that acks nothing has no figure here.
  const cpuPerScanMs = { paced: pacedCpu / (paced.length - ack.unanswered), flat: flatCpu / flat.outcomes.filter((o) => o.ok).length };
  return { startupMs, ack: summarize(ack.latencies, ack.unanswered), loopMaxMs, throughput, rssMb: rss.rssMb, cpuPerScanMs };
}

/** Board deliveries matched to their scan by attendance id and action; a board that never got one counts as infinitely late. */
function boardLatencies(outcomes: ScanOutcome[], received: Record<string, number[]>, boards: number) {
  const afterAck: number[] = [];
  const afterScan: number[] = [];
  let missing = 0;
  for (const o of outcomes) {
    if (!o.ok || !o.attendanceId || (o.action !== 'check-in' && o.action !== 'check-out') || o.ackAt === undefined) continue;
    const times = received[`${o.attendanceId}:${o.action}`] ?? [];
    missing += Math.max(0, boards - times.length);
    // The server broadcasts to boards just before it acks, so a board often has it first: that counts as 0.
    for (const t of times) {
      afterAck.push(Math.max(0, t - o.ackAt));
      afterScan.push(t - o.sentAt);
    }
  }
  return { afterAck: summarize(afterAck, missing), afterScan: summarize(afterScan, missing), missing };
}

/** RSS once it stops moving (median of five readings), for a per-client difference that is not mostly GC noise. */
async function steadyRss(server: BenchServer): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push((await server.memory()).rssMb);
    await sleep(200);
  }
  return readings.sort((a, b) => a - b)[2]!;
}

function report(r: Results): void {
  const o = r.ours;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  // CPU time is what a scan costs whatever else the machine runs; n/a where nothing was acknowledged.
  const cpu = (value: number) => (Number.isFinite(value) ? ms(value, 2) : 'n/a');
  const rows = [
    ['Measure', 'Station', 'Floor', 'Naive lowdb', 'vs floor', 'vs naive', 'Target', 'Result'],
    ['scan→ack p50', ms(o.ack.p50), ms(r.floor.ack.p50), ms(r.naive.ack.p50), ratio(o.ack.p50, r.floor.ack.p50), ratio(o.ack.p50, r.naive.ack.p50), '≤ 1.5× floor', verdict(o.ack.p50 <= 1.5 * r.floor.ack.p50)],
    ['scan→ack p99', ms(o.ack.p99), ms(r.floor.ack.p99), ms(r.naive.ack.p99), ratio(o.ack.p99, r.floor.ack.p99), ratio(o.ack.p99, r.naive.ack.p99), '≤ 25 ms and ≤ 2× floor', verdict(o.ack.p99 <= 25 && o.ack.p99 <= 2 * r.floor.ack.p99)],
    ['ack→board p50', ms(o.boardAfterAck.p50), '', '', '', '', '', ''],
    ['ack→board p99', ms(o.boardAfterAck.p99), '', '', '', '', '≤ 50 ms', verdict(o.boardAfterAck.p99 <= 50)],
    ['max event-loop delay', ms(o.loopMaxMs), ms(r.floor.loopMaxMs), ms(r.naive.loopMaxMs), '', '', '≤ 50 ms', verdict(o.loopMaxMs <= 50)],
    ['  …during a snapshot', o.loopMaxDuringSnapshotMs === null ? 'no snapshot' : ms(o.loopMaxDuringSnapshotMs), '', '', '', '', '≤ 50 ms', o.loopMaxDuringSnapshotMs === null ? 'MISS (none ran)' : verdict(o.loopMaxDuringSnapshotMs <= 50)],
    ['  …during start-up backup', ms(o.backup.loopMaxMs), '', '', '', '', '≤ 50 ms', verdict(o.backup.loopMaxMs <= 50)],
    ['start-up (spawn→health)', ms(o.startupMs), ms(r.floor.startupMs), ms(r.naive.startupMs), '', '', '≤ 1 s', verdict(o.startupMs <= 1000)],
    ['  server CPU to health', cpu(o.startupCpuMs), '', '', '', '', '', ''],
    ['RSS after start', mb(o.idleRssMb), '', '', '', '', '≤ 250 MB', verdict(o.idleRssMb <= 250)],
    ['RSS after the paced run', mb(o.rssMb), mb(r.floor.rssMb), mb(r.naive.rssMb), '', '', '≤ 250 MB', verdict(o.rssMb <= 250)],
    ['RSS after the run', mb(o.endRssMb), '', '', '', '', '≤ 250 MB', verdict(o.endRssMb <= 250)],
    ['peak RSS (VmHWM)', o.peakRssMb === null ? 'n/a' : mb(o.peakRssMb), '', '', '', '', '≤ 250 MB', o.peakRssMb === null ? 'n/a' : verdict(o.peakRssMb <= 250)],
    [`RSS growth per scan (${thousands(o.burst.acked)})`, `${growthKb(o.burst.rssBeforeMb, o.burst.rssAfterMb, o.burst.acked)} KB`, '', '', '', '', 'not growing per scan', ''],
    ['  live heap growth per scan', `${growthKb(o.burst.liveBeforeMb, o.burst.liveAfterMb, o.burst.acked)} KB`, '', '', '', '', '', ''],
    ['acked scans/s flat out', thousands(o.throughput), thousands(r.floor.throughput), thousands(r.naive.throughput), ratio(o.throughput, r.floor.throughput), ratio(o.throughput, r.naive.throughput), '≥ 0.5× floor', verdict(o.throughput >= 0.5 * r.floor.throughput)],
    ['server CPU per scan (paced)', cpu(o.cpuPerScanMs.paced), cpu(r.floor.cpuPerScanMs.paced), cpu(r.naive.cpuPerScanMs.paced), ratio(o.cpuPerScanMs.paced, r.floor.cpuPerScanMs.paced), '', '≤ 1.5× floor', verdict(o.cpuPerScanMs.paced <= 1.5 * r.floor.cpuPerScanMs.paced)],
    ['server CPU per scan (flat out)', cpu(o.cpuPerScanMs.flat), cpu(r.floor.cpuPerScanMs.flat), cpu(r.naive.cpuPerScanMs.flat), ratio(o.cpuPerScanMs.flat, r.floor.cpuPerScanMs.flat), '', '', ''],
    [`${MANY_BOARDS} boards: ack→board p50`, ms(o.manyBoards.afterAck.p50), '', '', '', '', '', ''],
    [`${MANY_BOARDS} boards: ack→board p99`, ms(o.manyBoards.afterAck.p99), '', '', '', '', '≤ 50 ms', verdict(o.manyBoards.afterAck.p99 <= 50)],
    ['RSS per board client', `${o.manyBoards.rssPerBoardKb.toFixed(0)} KB`, '', '', '', '', '', ''],
    [`redemptions/s (${COUNTERS} counters)`, o.redeem.perSecond.toFixed(0), '', '', '', '', '', ''],
    ['redeem ack p99', ms(o.redeem.ack.p99), '', '', '', '', '', ''],
    ['during start-up backup: ack p99', ms(o.backup.ack.p99), '', '', '', '', '', ''],
  ];
  console.log(`\nVolunteer Station benchmark${QUICK ? ' (--quick: small data, short phases)' : ''}, ${new Date().toISOString()}`);
  console.log(`Machine: ${r.machine.cpus}, ${r.machine.memory}, ${r.machine.os}, Node ${r.machine.node}`);
  console.log(`Disk: ${r.machine.disk}. Load average before ${r.machine.loadBefore}, after ${r.machine.loadAfter}`);
  console.log(`Data: ${thousands(r.data.counts.volunteers!)} volunteers, ${thousands(r.data.counts.activities!)} activities, ${thousands(r.data.counts.attendance!)} attendance, ${thousands(r.data.counts.ledger!)} ledger entries (generated in ${(r.data.generateMs / 1000).toFixed(1)} s)`);
  console.log(`      ${archiveLine(r.data.archive)}`);
  console.log(`Load: ${KIOSKS} kiosks, ${SCANS_PER_SECOND} scans/s for ${PLAN.pacedMs / 1000} s with ${BOARDS} boards (${thousands(o.ack.count)} scans, ${o.ack.unanswered} unanswered, errors ${JSON.stringify(o.errors)});`);
  console.log(`      flat out ${KIOSKS} × ${OUTSTANDING} in flight for ${PLAN.flatMs / 1000} s; ${MANY_BOARDS} boards at ${o.manyBoards.rate} scans/s; ${COUNTERS} counters for ${PLAN.redeemMs / 1000} s.\n`);
  console.log(table(rows));
  console.log(`\nSnapshots during the paced run: ${o.snapshots.length ? o.snapshots.map((s) => `at ${s.startS.toFixed(1)} s for ${s.seconds.toFixed(1)} s`).join(', ') : 'none'}; event-loop delay p99 ${ms(o.loopP99Ms)}.`);
  console.log(`Scans sent during a snapshot: ${o.ackDuringSnapshot.count}, ack p50 ${ms(o.ackDuringSnapshot.p50)} p99 ${ms(o.ackDuringSnapshot.p99)}; the others: ack p50 ${ms(o.ackOutsideSnapshot.p50)} p99 ${ms(o.ackOutsideSnapshot.p99)}.`);
  console.log(`Board: scan→board p50 ${ms(o.boardAfterScan.p50)} p99 ${ms(o.boardAfterScan.p99)}; deliveries missing: ${o.boardMissing} (50 boards), ${o.manyBoards.missing} (${MANY_BOARDS} boards).`);
  console.log(`Flat out: ack p50 ${ms(o.throughputAck.p50)} p99 ${ms(o.throughputAck.p99)}. Station RSS idle after start ${o.idleRssMb.toFixed(0)} MB (live heap ${o.idleLiveHeapMb.toFixed(0)} MB), after the run ${o.endRssMb.toFixed(0)} MB, peak ${o.peakRssMb?.toFixed(0) ?? 'n/a'} MB; V8 heap in use after the paced run ${o.heapUsedMb.toFixed(0)} MB.`);
  console.log(`Memory burst: ${thousands(o.burst.acked)} of ${thousands(o.burst.scans)} scans acked in ${o.burst.seconds.toFixed(1)} s; RSS ${o.burst.rssBeforeMb.toFixed(0)} → ${o.burst.rssAfterMb.toFixed(0)} MB, live heap after a full GC ${o.burst.liveBeforeMb.toFixed(0)} → ${o.burst.liveAfterMb.toFixed(0)} MB.`);
  console.log(`Start-up backup: written ${o.backup.seconds.toFixed(1)} s after spawn; ${o.backup.scans} scans during it, ack p50 ${ms(o.backup.ack.p50)} p99 ${ms(o.backup.ack.p99)} (the rows above are measured after it).`);
  console.log(`Redemptions: ${o.redeem.ok} succeeded, refused ${JSON.stringify(o.redeem.refused)}; stock fell by exactly the number redeemed: ${o.redeem.stockConsistent ? 'yes' : 'NO'}.`);
  console.log('Floor: a bare Socket.IO server, one JSON line per scan, group commit (one write + fdatasync per batch). Naive: lowdb JSONFile, whole file per scan, no fsync.');
}

function mb(value: number): string {
  return `${value.toFixed(0)} MB`;
}

function growthKb(beforeMb: number, afterMb: number, scans: number): string {
  return scans > 0 ? (((afterMb - beforeMb) * 1024) / scans).toFixed(2) : 'n/a';
}

function archiveLine(a: ArchiveFacts): string {
  return `closed years archived while preparing (as a production start does once): ${a.years} years in ${a.files} files, ${(a.archiveBytes / MB).toFixed(1)} MiB, in ${(a.ms / 1000).toFixed(1)} s (${(a.cpuMs / 1000).toFixed(1)} s CPU); snapshot after ${(a.snapshotBytes / MB).toFixed(1)} MiB`;
}

function shuffled<T>(items: T[]): T[] {
  // A fixed permutation, so runs scan the same cards in the same order.
  let seed = 42;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

async function track<T extends { stop(): Promise<void> }>(started: Promise<T>): Promise<T> {
  const child = await started;
  children.push(child);
  return child;
}

function runChild(entry: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(ROOT, entry), args, { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${entry} exited with ${code}`))));
  });
}

async function startBoardProcess() {
  const child = fork(path.join(ROOT, 'scripts/bench/board-clients.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 0;
  return {
    ask<T = unknown>(message: Record<string, unknown>): Promise<T> {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`board clients did not answer ${String(message.type)}`)), 120_000);
        const listener = (reply: { id?: number; type?: string; message?: string }) => {
          if (reply.id !== id) return;
          clearTimeout(timer);
          child.off('message', listener);
          if (reply.type === 'error') reject(new Error(`board clients: ${reply.message}`));
          else resolve(reply as T);
        };
        child.on('message', listener);
        child.send({ ...message, id });
      });
    },
    stop: () => stopChild(child, 5000),
  };
}

// Sockets and timers of a failed phase must not keep the benchmark alive: the result is printed, so exit.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
