/**
 * `node scripts/run-ts.mjs scripts/bench/backup-stall.ts --data DIR [--runs N] [--profile DIR]`
 *
 * The event-loop stall a backup causes: starts the station (its bundle, as npm start runs it) on a
 * temp copy of DIR (e.g. the community-10y demo set), asks for a backup through the API and reads
 * the server's own event-loop delay (loop-monitor.mjs) and CPU time while it runs. Reports the
 * load average next to each figure: on a shared machine the wall-clock figures move with it.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from '../build-server.mjs';
import { startServer } from './processes.ts';
import { Api } from './station-setup.ts';

const { values: flags } = parseArgs({ options: { data: { type: 'string' }, runs: { type: 'string', default: '2' }, profile: { type: 'string' } } });
if (!flags.data) throw new Error('--data DIR is required');
const ADMIN_PASSWORD = 'admin-pass-1';
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-backup-stall-'));
const dir = path.join(work, 'data');
await fs.cp(path.resolve(flags.data), dir, { recursive: true });
const server = await startServer('station', await buildServer({ quiet: true }), [], { DATA_DIR: dir, ADMIN_PASSWORD }, flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags.profile)}`] : []);
try {
  console.log(`started in ${(server.startupMs / 1000).toFixed(2)} s; load average ${load()}`);
  const api = new Api(server.url);
  await api.login('admin', ADMIN_PASSWORD);
  for (let run = 1; run <= Number(flags.runs); run++) {
    await server.resetLoop();
    const cpuBefore = server.cpuMs();
    const since = performance.timeOrigin + performance.now();
    const started = performance.now();
    const created = await api.call<{ name: string; size: number }>('POST', '/api/backups', {}, [200, 201], 600_000);
    const seconds = (performance.now() - started) / 1000;
    const cpu = server.cpuMs() - cpuBefore;
    const loop = await server.readLoop(since);
    const worst = [...loop.windows].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([, max]) => max.toFixed(0));
    const memory = await server.memory();
    console.log(
      `backup ${run}: ${seconds.toFixed(1)} s, ${(created.size / 2 ** 20).toFixed(0)} MiB; server main-thread+workers CPU ${cpu.toFixed(0)} ms; ` +
        `event-loop delay max ${loop.maxMs.toFixed(0)} ms p99 ${loop.p99Ms.toFixed(1)} ms (worst 100 ms windows: ${worst.join(', ')} ms); RSS ${memory.rssMb.toFixed(0)} MB peak ${memory.peakMb?.toFixed(0)} MB; load average ${load()}`,
    );
  }
} finally {
  await server.stop();
  await fs.rm(work, { recursive: true, force: true });
}
