/**
 * Builds the benchmark's data in a process of its own (a few hundred MB of heap that the load
 * generator should not carry): the demo data set in STATION_DIR, the same records as one lowdb
 * JSON file for the naive reference, and the roster of cards for the simulated kiosks.
 *
 * `node --import tsx scripts/bench/prepare-data.ts SIZE STATION_DIR NAIVE_FILE ROSTER_FILE`
 */
import { writeFile } from 'node:fs/promises';
import { JSONFile } from 'lowdb/node';
import { generateDemoData, type DemoSize } from '../demo-data.ts';

const [size, stationDir, naiveFile, rosterFile] = process.argv.slice(2) as [DemoSize, string, string, string];
const result = await generateDemoData({ dataDir: stationDir, size, seed: 1 });

const converted = performance.now();
const data: Record<string, unknown[]> = { scans: [] };
for (const [name, records] of Object.entries(result.state.records)) data[name] = [...records.values()];
await new JSONFile(naiveFile).write(data);

await writeFile(rosterFile, JSON.stringify({
  cards: result.cards,
  counts: result.counts,
  generateMs: result.elapsedMs,
  naiveMs: performance.now() - converted,
}));
