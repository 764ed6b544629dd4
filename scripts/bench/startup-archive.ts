/**
 * `node scripts/run-ts.mjs scripts/bench/startup-archive.ts --data DIR [--runs N]`
 *
 * Start-up (spawn → /api/health), server CPU to that point and RSS after start, on a temp copy of
 * DIR (e.g. community-10y), with closed years kept live (ARCHIVE_CLOSED_YEARS=0) and archived
 * (the first start moves them, later starts read only the live state). Load average next to each.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from '../build-server.mjs';
import { startServer } from './processes.ts';

const { values: flags } = parseArgs({ options: { data: { type: 'string' }, runs: { type: 'string', default: '2' } } });
if (!flags.data) throw new Error('--data DIR is required');
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');
const entry = await buildServer({ quiet: true });
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-startup-archive-'));

async function start(label: string, dir: string, archive: boolean): Promise<void> {
  const server = await startServer('station', entry, [], { DATA_DIR: dir, ARCHIVE_CLOSED_YEARS: archive ? '1' : '0', LOG_LEVEL: 'warn' }, [], 600_000);
  try {
    const cpu = server.cpuMs();
    const memory = await server.memory();
    const snapshot = await fs.stat(path.join(dir, 'snapshot.jsonl')).then((s) => s.size / 2 ** 20).catch(() => 0);
    console.log(`${label}: health ${(server.startupMs / 1000).toFixed(2)} s after spawn; server CPU ${(cpu / 1000).toFixed(2)} s; RSS ${memory.rssMb.toFixed(0)} MB; snapshot ${snapshot.toFixed(0)} MiB; load average ${load()}`);
  } finally {
    await server.stop();
  }
}

try {
  const live = path.join(work, 'live');
  const archived = path.join(work, 'archived');
  await fs.cp(path.resolve(flags.data), live, { recursive: true });
  await fs.cp(path.resolve(flags.data), archived, { recursive: true });
  for (let run = 1; run <= Number(flags.runs); run++) await start(`all years live, run ${run}`, live, false);
  await start('first start with archiving (moves the closed years)', archived, true);
  const files = await fs.readdir(path.join(archived, 'archive')).catch(() => [] as string[]);
  let bytes = 0;
  for (const file of files) bytes += (await fs.stat(path.join(archived, 'archive', file))).size;
  console.log(`archive: ${files.length} files, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  for (let run = 1; run <= Number(flags.runs); run++) await start(`closed years archived, run ${run}`, archived, true);
} finally {
  await fs.rm(work, { recursive: true, force: true });
}
