import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Activity, Attendance, LedgerEntry, Team, Volunteer } from '../../server/src/protocol/model.ts';
import { DurableStore } from '../../server/src/store/durable-store.ts';
import type { Change } from '../../server/src/store/state.ts';
import { freePort, startChildServer, type ChildServer } from '../support/child-server.ts';
import { ApiClient, connectSocket, emitWithAck, makeDataDir, openActivityNow, pairDevice, registerVolunteer } from '../support/station.ts';

let server: ChildServer | undefined;
let dataDir = '';

afterAll(async () => {
  await server?.kill('SIGTERM');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const DAY_MS = 86_400_000;

/** Ten years of history, 50,000 attendances with their points, written straight into the store (as scripts/demo-data.ts does). */
async function writeTenYears(dir: string): Promise<void> {
  const store = await DurableStore.open({ dir, warn: () => undefined });
  const now = Date.now();
  const created = new Date(now - 3660 * DAY_MS).toISOString();
  let pending: Change[] = [];
  const emit = async (change: Change) => {
    pending.push(change);
    if (pending.length < 5000) return;
    await store.commit(pending);
    pending = [];
  };
  const teams: Team[] = Array.from({ length: 4 }, (_, i) => ({ id: `team-${i}`, name: `服务队${i + 1}`, leaderIds: [], createdAt: created }));
  for (const v of teams) await emit({ c: 'teams', v });
  const volunteers: Volunteer[] = Array.from({ length: 500 }, (_, i) => ({
    id: `vol-${i}`, name: `志愿者${i}`, gender: 'unspecified', skills: [], teamIds: [teams[i % 4]!.id], status: 'active',
    joinedOn: created.slice(0, 10), cardNo: String(200000 + i), cardSerial: 1, createdAt: created, updatedAt: created,
  }));
  for (const v of volunteers) await emit({ c: 'volunteers', v });
  // An activity every 3 days for ten years, 40 volunteers each, ending well before today.
  for (let a = 0; a < 1250; a++) {
    const startsAt = now - (3650 - a * 2.9) * DAY_MS;
    const activity: Activity = {
      id: `act-${a}`, title: `活动${a}`, theme: ['环保', '助老'][a % 2], teamIds: [teams[a % 4]!.id],
      startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 3 * 3600_000).toISOString(), status: 'closed', createdAt: created,
    };
    await emit({ c: 'activities', v: activity });
    for (let k = 0; k < 40; k++) {
      const volunteer = volunteers[(a * 37 + k * 11) % volunteers.length]!;
      const checkInAt = new Date(startsAt + k * 60_000).toISOString();
      const minutes = 60 + (k % 4) * 30;
      const attendance: Attendance = {
        id: `att-${a}-${k}`, volunteerId: volunteer.id, activityId: activity.id, checkInAt, checkOutAt: new Date(startsAt + minutes * 60_000).toISOString(),
        creditedMinutes: minutes, pointsCredited: minutes / 60, source: 'scan', createdAt: checkInAt,
      };
      const entry: LedgerEntry = { id: `pts-${a}-${k}`, volunteerId: volunteer.id, delta: minutes / 60, kind: 'attendance', reason: activity.title, at: attendance.checkOutAt!, by: 'system', attendanceId: attendance.id };
      await emit({ c: 'attendance', v: attendance });
      await emit({ c: 'ledger', v: entry });
    }
  }
  if (pending.length > 0) await store.commit(pending);
  await store.close();
}

/** CPU time (user + system, ms) of the whole process and of its main thread (the one whose id is the process id), from /proc. */
function cpuOf(pid: number): { process: number; main: number } | null {
  const ticks = (file: string) => {
    const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  try {
    return { process: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return null;
  }
}

// Issue 16 ("Stalls"): a report or export reaching archived years reads the archive files and
// writes its file in a worker thread (reports/report.worker.ts), so scans are acked while it
// runs. Only the bundle starts real threads (from the sources tasks run in-process), so this runs
// the server as npm start does.
describe('a ten-year export in a worker thread', () => {
  it('leaves the event loop to the scans: every scan sent while it runs is acked long before it ends, and the main thread does little of its work', { timeout: 400_000 }, async () => {
    if (process.env.VS_SERVER_FROM_SOURCE === '1') return;
    dataDir = await makeDataDir();
    await writeTenYears(dataDir);
    // Archiving on, as in production: the first start moves every closed year to its archive file.
    server = await startChildServer(dataDir, await freePort(), { ARCHIVE_CLOSED_YEARS: '1' });
    const api = await new ApiClient(server.url).login();
    expect((await api.patch('/api/settings', { repeatWindowSeconds: 0 })).status).toBe(200);
    expect(readdirSync(`${dataDir}/archive`).filter((name) => name.endsWith('.jsonl.gz')).length).toBeGreaterThanOrEqual(8);
    const activity = await openActivityNow(api, '社区清洁');
    const cards = [await registerVolunteer(api, '王小明', '13700001234'), await registerVolunteer(api, '李秀英', '13700005678')];
    const { token } = await pairDevice(api, 'checkin');
    const kiosk = await connectSocket(server.url, '/kiosk', { token });

    const year = new Date().getFullYear();
    const exportUrl = `${server.url}/api/exports/attendance.xlsx?from=${year - 9}-01-01&to=${new Date().toISOString().slice(0, 10)}`;
    const cpuBefore = cpuOf(server.process.pid!);
    const started = performance.now();
    let exportDone = false;
    const download = (async () => {
      const response = await fetch(exportUrl, { headers: { cookie: api.cookie } });
      expect(response.status).toBe(200);
      let bytes = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
      return { bytes, ms: performance.now() - started };
    })().finally(() => (exportDone = true));

    // A kiosk scans every 25 ms while the export runs (each scan signs one of two volunteers in or out).
    const acks: Promise<number>[] = [];
    for (let i = 0; !exportDone; i++) {
      const sentAt = performance.now();
      const payload = { scanId: randomUUID(), code: cards[i % 2]!.cardCode, scannedAt: new Date().toISOString(), activityId: activity.id };
      acks.push(emitWithAck<{ ok: boolean; error?: unknown }>(kiosk, 'scan', payload, 120_000).then((ack) => {
        expect(ack.ok, JSON.stringify(ack)).toBe(true);
        return performance.now() - sentAt;
      }));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const exported = await download;
    const cpuAfter = cpuOf(server.process.pid!);
    const latencies = await Promise.all(acks);
    kiosk.close();

    // Large enough to mean something: 10 years, ~50,000 rows, seconds of work.
    expect(exported.bytes).toBeGreaterThan(1_000_000);
    expect(exported.ms).toBeGreaterThan(1000);
    const slowest = Math.max(...latencies);
    // Scans kept being acked throughout: none waited for the export (before, reading and merging the
    // archives and the rows ran on the event loop between the scans).
    expect(latencies.length).toBeGreaterThan(20);
    expect(slowest, `slowest ack ${slowest.toFixed(0)} ms during an export of ${exported.ms.toFixed(0)} ms`).toBeLessThan(exported.ms / 3);
    if (cpuBefore && cpuAfter) {
      // The work is in the worker thread: the main thread (the scans, the slices of live state, the
      // bytes passed on) used well under half of the CPU the process spent meanwhile.
      const main = cpuAfter.main - cpuBefore.main;
      const total = cpuAfter.process - cpuBefore.process;
      expect(main, `main thread ${main} ms of ${total} ms`).toBeLessThan(total * 0.5);
    }
  });
});
