/**
 * A test-only stop at a named point of a durable step, so a kill -9 test can kill the server at an
 * exact moment (tests/integration/year-archive-crash.test.ts). `VS_TEST_PAUSE_AT=<point>:<n>`
 * makes the n-th arrival at `<point>` (n = 1 when omitted) print `VS_TEST_PAUSED <point>:<n>` on
 * standard error and wait forever. Unset (always, outside tests) it does nothing.
 *
 * Points: `archive-writing` (a closed year's temp file half written, not synced),
 * `archive-renamed` (the file in place, before its journal record), `archive-committed` (the
 * journal record on disk, before the next year or the snapshot), `snapshot-writing` (a snapshot's
 * temp file after its first chunk).
 */
const wanted = /^([a-z-]+)(?::(\d+))?$/.exec(process.env.VS_TEST_PAUSE_AT ?? '');
const arrivals = new Map<string, number>();

export type PausePoint = 'archive-writing' | 'archive-renamed' | 'archive-committed' | 'snapshot-writing';

export function testPause(point: PausePoint): Promise<void> | undefined {
  if (!wanted || wanted[1] !== point) return undefined;
  const n = (arrivals.get(point) ?? 0) + 1;
  arrivals.set(point, n);
  if (n !== Number(wanted[2] ?? 1)) return undefined;
  process.stderr.write(`VS_TEST_PAUSED ${point}:${n}\n`);
  // A timer keeps the process alive (a pending promise alone would let it exit) until it is killed.
  return new Promise(() => setInterval(() => undefined, 60_000));
}
