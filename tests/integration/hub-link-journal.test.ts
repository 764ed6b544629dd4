import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalCursor } from '../../server/src/hub-link/journal-cursor.ts';
import { DurableStore } from '../../server/src/store/durable-store.ts';
import { listJournalFiles } from '../../server/src/store/journal.ts';
import type { Change } from '../../server/src/store/state.ts';
import { makeDataDir } from '../support/station.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const team = (n: number): Change => ({ c: 'teams', v: { id: `t${n}`, name: `第${n}队`, leaderIds: [], createdAt: new Date(0).toISOString() } });

async function storeWith(commits: number, retainJournalFrom?: number) {
  const dir = await makeDataDir();
  dirs.push(dir);
  const store = await DurableStore.open({ dir, warn: () => undefined, retainJournalFrom });
  for (let n = 1; n <= commits; n++) {
    await store.commit([team(n)]);
    if (n % 4 === 0) await store.snapshot();
  }
  return { dir, store };
}

describe('journal files and the district link', () => {
  it('without a hub, a snapshot deletes the journal files it covers (unchanged behaviour)', async () => {
    const { dir, store } = await storeWith(10);
    expect((await listJournalFiles(dir)).map((f) => f.firstSeq)).toEqual([9]);
    expect(store.durableSeq).toBe(10);
    await store.close();
  });

  it('keeps the files holding records the hub has not confirmed, and the cursor reads them in order across files', async () => {
    const { dir, store } = await storeWith(10, 6);
    expect((await listJournalFiles(dir)).map((f) => f.firstSeq)).toEqual([5, 9]);
    const cursor = new JournalCursor(dir);
    const first = await cursor.read(6, store.durableSeq, 3);
    expect(first).not.toBe('gap');
    expect((first as { seq: number }[]).map((r) => r.seq)).toEqual([6, 7, 8]);
    const rest = await cursor.read(9, store.durableSeq, 100);
    expect((rest as { seq: number }[]).map((r) => r.seq)).toEqual([9, 10]);
    // Records no file holds any more: the link sends a base instead.
    expect(await new JournalCursor(dir).read(2, store.durableSeq, 10)).toBe('gap');
    // Confirmed: the next snapshot may delete them.
    store.retainJournalFrom(12);
    await store.commit([team(11)]);
    await store.snapshot();
    expect((await listJournalFiles(dir)).map((f) => f.firstSeq)).toEqual([]);
    await store.close();
    // A restart replays the kept files without complaint.
    const reopened = await DurableStore.open({ dir, warn: () => undefined });
    expect(reopened.state.seq).toBe(11);
    await reopened.close();
  });

  it('a restart over kept journal files replays them and the state is whole', async () => {
    const { dir, store } = await storeWith(10, 1);
    expect((await listJournalFiles(dir)).map((f) => f.firstSeq)).toEqual([1, 5, 9]);
    await store.close();
    const reopened = await DurableStore.open({ dir, warn: () => undefined, retainJournalFrom: 1 });
    expect(reopened.state.seq).toBe(10);
    expect(reopened.state.records.teams.size).toBe(10);
    await reopened.close();
  });
});
