/**
 * `node scripts/run-ts.mjs scripts/bench/district-dry-run.ts --data DIR [--starts 2]`
 *
 * Issue 16's district dry run, on a folder made by `npm run demo -- --size district --data-dir DIR`:
 * starts the station's bundle on it as production does (ARCHIVE_CLOSED_YEARS on), and records
 * spawn → /api/health, server CPU to that point, RSS and live heap after start; then a kiosk is
 * paired and a few scans of a registered volunteer's card are timed (scan → ack); the server is
 * stopped (its closing snapshot) and started again. Load average next to every figure: the
 * machine may be shared.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from '../build-server.mjs';
import { connectSocket } from './load.ts';
import { startServer } from './processes.ts';
import { Api } from './station-setup.ts';

const { values: flags } = parseArgs({ options: { data: { type: 'string' }, starts: { type: 'string', default: '2' }, password: { type: 'string', default: 'admin-pass-1' }, scans: { type: 'string', default: '3' }, archive: { type: 'string', default: '1' } } });
if (!flags.data) throw new Error('--data DIR is required (npm run demo -- --size district --data-dir DIR)');
const dir = path.resolve(flags.data);
const load = () => `load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`;
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const entry = await buildServer({ quiet: true });

for (let run = 1; run <= Number(flags.starts); run++) {
  log(`start ${run}: spawning the bundle on ${dir}… (${load()})`);
  const server = await startServer('station', entry, [], { DATA_DIR: dir, ARCHIVE_CLOSED_YEARS: flags.archive!, LOG_LEVEL: 'info' }, ['--expose-gc'], 3600_000);
  try {
    const cpu = server.cpuMs();
    const memory = await server.memory();
    const live = await server.collectGarbage();
    log(`start ${run}: health ${(server.startupMs / 1000).toFixed(1)} s after spawn; server CPU ${(cpu / 1000).toFixed(1)} s; RSS ${memory.rssMb.toFixed(0)} MB (peak ${memory.peakMb?.toFixed(0)} MB), live heap ${(live.heapUsed / 2 ** 20).toFixed(0)} MB (${load()})`);

    const api = new Api(server.url);
    await api.login('admin', flags.password!);
    let started = performance.now();
    const list = await api.call<{ total: number; items: { id: string; cardCode: string }[] }>('GET', '/api/volunteers?status=active&limit=1', undefined, [200], 600_000);
    log(`  GET /api/volunteers (first page of ${list.total}) ${(performance.now() - started).toFixed(0)} ms`);
    const volunteer = list.items[0]!;
    await api.call('PATCH', '/api/settings', { repeatWindowSeconds: 0 });
    const activityId = await api.openActivity('区县演练：社区环境整治', '社区广场');
    const token = await api.pair(`区县演练 ${run}`, 'checkin');
    const socket = await connectSocket(server.url, '/kiosk', token);
    const code = volunteer.cardCode;
    const scansCpu = server.cpuMs();
    const scans = Number(flags.scans);
    for (let i = 0; i < scans; i++) {
      started = performance.now();
      const ack = (await socket.timeout(600_000).emitWithAck('scan', { scanId: randomUUID(), code, scannedAt: new Date().toISOString(), activityId })) as { ok: boolean; action?: string; error?: { code: string } };
      if (i < 3 || i === scans - 1) log(`  scan ${i + 1}: ${ack.ok ? ack.action : ack.error?.code} acked in ${(performance.now() - started).toFixed(1)} ms (${load()})`);
    }
    log(`  ${scans} scans: server CPU ${((server.cpuMs() - scansCpu) / scans).toFixed(2)} ms per scan`);
    socket.close();
  } finally {
    const cpuBefore = server.cpuMs();
    const stopped = performance.now();
    await server.stop();
    log(`start ${run}: stopped (closing snapshot) in ${((performance.now() - stopped) / 1000).toFixed(1)} s; server CPU in all at least ${(cpuBefore / 1000).toFixed(1)} s (${load()})`);
  }
}
