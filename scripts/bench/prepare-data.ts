/**
 * Builds the benchmark's data in a process of its own (a few hundred MB of heap that the load
 * generator should not carry): the demo data set in STATION_DIR, the same records as one lowdb
 * JSON file for the naive reference, and the roster of cards for the simulated kiosks.
 *
 * Then it brings STATION_DIR to the state a station runs in for most of its life: closed years
 * archived (`archive/<year>.jsonl.gz`, as a production start does once with ARCHIVE_CLOSED_YEARS
 * on, through the same startYearArchiving), so the benchmark's measured start is an ordinary
 * later start, not the one-off first archiving. The naive lowdb copy keeps every year.
 *
 * `node --import tsx scripts/bench/prepare-data.ts SIZE STATION_DIR NAIVE_FILE ROSTER_FILE`
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JSONFile } from 'lowdb/node';
import { createLogger } from '../../server/src/logger.ts';
import { startYearArchiving } from '../../server/src/store/archive/archive-schedule.ts';
import { DurableStore } from '../../server/src/store/durable-store.ts';
import { generateDemoData, type DemoSize } from '../demo-data.ts';

const [size, stationDir, naiveFile, rosterFile] = process.argv.slice(2) as [DemoSize, string, string, string];
const result = await generateDemoData({ dataDir: stationDir, size, seed: 1 });

const converted = performance.now();
const data: Record<string, unknown[]> = { scans: [] };
for (const [name, records] of Object.entries(result.state.records)) data[name] = [...records.values()];
await new JSONFile(naiveFile).write(data);
const naiveMs = performance.now() - converted;

const archive = await archiveClosedYears(stationDir);

await writeFile(rosterFile, JSON.stringify({
  cards: result.cards,
  counts: result.counts,
  generateMs: result.elapsedMs,
  naiveMs,
  archive,
}));

/** The first production start's archiving, done here once: open, archive every closed year, close (snapshot). */
async function archiveClosedYears(dir: string): Promise<{ ms: number; cpuMs: number; years: number; files: number; archiveBytes: number; snapshotBytes: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const store = await DurableStore.open({ dir, warn: () => undefined });
  const archiving = await startYearArchiving(store, createLogger('warn'));
  await archiving.stop();
  const years = store.state.archivedYears().length;
  await store.close();
  const used = process.cpuUsage(cpu);
  const files = await readdir(path.join(dir, 'archive')).catch(() => [] as string[]);
  let archiveBytes = 0;
  for (const file of files) archiveBytes += (await stat(path.join(dir, 'archive', file))).size;
  const snapshotBytes = (await stat(path.join(dir, 'snapshot.jsonl'))).size;
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, years, files: files.length, archiveBytes, snapshotBytes };
}
