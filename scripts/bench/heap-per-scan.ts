/**
 * `node --expose-gc scripts/run-ts.mjs scripts/bench/heap-per-scan.ts [--scans N] [--snapshots DIR]`
 *
 * What a scan leaves on the heap, found rather than guessed: a real station in this process (as
 * the integration tests start it), N scans from a paired kiosk, then
 *  - live heap per scan after a full GC;
 *  - what holds it: each part of the live state is dropped in turn (receipts, attendance, ledger,
 *    audit) and the heap it frees is measured, so the share of each is a measured figure;
 *  - with --snapshots, two heap snapshots (before and after the scans, v8.writeHeapSnapshot) and
 *    the difference by kind of object (type and constructor), the largest first.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import type { CollectionName } from '../../server/src/store/state.ts';
import { ApiClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation } from '../../tests/support/station.ts';

const { values: flags } = parseArgs({ options: { scans: { type: 'string', default: '3000' }, snapshots: { type: 'string' }, volunteers: { type: 'string', default: '40' } } });
const SCANS = Number(flags.scans);
const VOLUNTEERS = Number(flags.volunteers);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function live(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const station = await startStation();
try {
  const api = await new ApiClient(station.url).login();
  await api.patch('/api/settings', { repeatWindowSeconds: 0 });
  await openActivityNow(api, '内存测试');
  const cards: string[] = [];
  for (let i = 0; i < VOLUNTEERS; i++) cards.push((await registerVolunteer(api, `志愿者${i}`, `1370001${String(i).padStart(4, '0')}`)).cardCode);
  const { token } = await pairDevice(api, 'checkin');
  const socket = await connectSocket(station.url, '/kiosk', { token });
  const scan = async (i: number) => {
    const ack = await emitWithAck<ScanAck>(socket, 'scan', { scanId: randomUUID(), code: cards[i % cards.length]!, scannedAt: new Date().toISOString() }, 30_000);
    if (!ack.ok) throw new Error(JSON.stringify(ack));
  };
  for (let i = 0; i < 200; i++) await scan(i);
  const snapshotDir = flags.snapshots ? path.resolve(flags.snapshots) : undefined;
  if (snapshotDir) await fs.mkdir(snapshotDir, { recursive: true });
  const before = live();
  const beforeFile = snapshotDir && v8.writeHeapSnapshot(path.join(snapshotDir, 'before.heapsnapshot'));
  for (let i = 0; i < SCANS; i++) await scan(i);
  socket.close();
  const after = live();
  const afterFile = snapshotDir && v8.writeHeapSnapshot(path.join(snapshotDir, 'after.heapsnapshot'));
  const state = station.station.ctx.store.state;
  const sizes = Object.fromEntries((['receipts', 'attendance', 'ledger', 'audit'] as CollectionName[]).map((c) => [c, state.records[c].size]));
  console.log(`live heap per scan: ${((after - before) / SCANS / 1024).toFixed(2)} KB (${SCANS} scans; ${JSON.stringify(sizes)})`);

  // Attribution: drop each part of the state and see what the heap gives back (records + their index entries).
  const receipts = state.records.receipts;
  const one = receipts.values().next().value;
  console.log(`a receipt as stored: ${JSON.stringify(one).length} characters of JSON: ${JSON.stringify(one).slice(0, 400)}`);
  let previous = after;
  for (const collection of ['receipts', 'audit', 'ledger', 'attendance'] as CollectionName[]) {
    const count = state.records[collection].size;
    state.records[collection].clear();
    if (collection !== 'receipts' && collection !== 'audit') state.rebuildIndexes();
    const now = live();
    console.log(`  ${collection}: ${count} records hold ${((previous - now) / 1024 / 1024).toFixed(2)} MB (${count ? ((previous - now) / count).toFixed(0) : 0} bytes each, indexes included)`);
    previous = now;
  }

  if (beforeFile && afterFile) {
    const a = await countByKind(beforeFile);
    const b = await countByKind(afterFile);
    const rows = [...b].map(([kind, [count, bytes]]) => [kind, count - (a.get(kind)?.[0] ?? 0), bytes - (a.get(kind)?.[1] ?? 0)] as const).sort((x, y) => y[2] - x[2]).slice(0, 25);
    console.log(`\nHeap snapshot difference (after − before, ${SCANS} scans), per scan:`);
    for (const [kind, count, bytes] of rows) console.log(`  ${(bytes / SCANS).toFixed(0).padStart(6)} B  ${(count / SCANS).toFixed(2).padStart(6)} objects  ${kind}`);
  }
} finally {
  await station.destroy();
}

/** Objects in a heap snapshot by "type constructor-or-name": count and self size. */
async function countByKind(file: string): Promise<Map<string, [number, number]>> {
  const snapshot = JSON.parse(await fs.readFile(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snapshot.snapshot.meta.node_types[0];
  const kinds = new Map<string, [number, number]>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    // Strings by their kind only (their text is the name); objects by constructor.
    const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number' ? '' : snapshot.strings[snapshot.nodes[i + nameAt]!]!.slice(0, 60);
    const kind = `${type} ${name}`;
    const entry = kinds.get(kind) ?? [0, 0];
    entry[0]++;
    entry[1] += snapshot.nodes[i + sizeAt]!;
    kinds.set(kind, entry);
  }
  return kinds;
}
