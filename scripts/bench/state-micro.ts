/**
 * The store's share of a scan, in one process and without I/O: decide a scan and apply its
 * changes to the live state (what `handleScan` does before the journal write), plus the time to
 * rebuild every index (what a start pays after loading the records). For comparing changes to
 * `StationState` and its indexes; `npm run bench` measures the whole station.
 *
 * `node scripts/run-ts.mjs scripts/bench/state-micro.ts [--size community-10y] [--scans 20000] [--rounds 3]`
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decideScan } from '../../server/src/attendance/scan-rules.ts';
import { signCard } from '../../server/src/domain/card-code.ts';
import { generateDemoData, type DemoSize } from '../demo-data.ts';

const { values: flags } = parseArgs({ options: { size: { type: 'string', default: 'community-10y' }, scans: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' } } });
const scans = Number(flags.scans);
const rounds = Number(flags.rounds);

const dir = await mkdtemp(path.join(tmpdir(), 'state-micro-'));
try {
  // A fixed day so every run (and every version compared) decides the same scans on the same records.
  const until = new Date('2026-06-10T02:00:00Z');
  const demo = await generateDemoData({ dataDir: dir, size: flags.size as DemoSize, seed: 1, until });
  const state = demo.state;
  const secret = Buffer.from((await readFile(path.join(dir, 'card-secret.key'), 'utf8')).trim(), 'base64url');
  const codes = demo.cards.map((card) => signCard(secret, card.cardNo, card.cardSerial));
  const activityId = demo.openActivityIds[0];

  // Each volunteer scans in, then out again a few minutes later (past the repeat window), round after round.
  let clock = until.getTime();
  for (let round = 1; round <= rounds; round++) {
    const rebuildStart = process.cpuUsage();
    state.rebuildIndexes();
    const rebuild = process.cpuUsage(rebuildStart);

    const started = process.cpuUsage();
    const wall = performance.now();
    let applied = 0;
    for (let i = 0; i < scans; i++) {
      clock += 200;
      const now = new Date(clock);
      const decision = decideScan(
        { scanId: randomUUID(), code: codes[i % codes.length]!, scannedAt: now.toISOString(), activityId },
        { state, cardSecret: secret, now, deviceId: 'bench' },
      );
      for (const change of decision.changes) state.apply(change);
      applied += decision.changes.length;
    }
    const used = process.cpuUsage(started);
    const perScan = (used.user + used.system) / scans;
    console.log(
      `round ${round}: ${scans} scans, ${applied} changes, CPU ${(perScan / 1000).toFixed(4)} ms per scan (wall ${((performance.now() - wall) / scans).toFixed(4)} ms); ` +
        `rebuildIndexes CPU ${((rebuild.user + rebuild.system) / 1000).toFixed(0)} ms over ${state.records.attendance.size} attendance, ${state.records.ledger.size} ledger`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
