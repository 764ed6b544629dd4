import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableStore } from '../../server/src/store/durable-store.ts';
import { listJournalFiles, StoreDamagedError } from '../../server/src/store/journal.ts';
import type { Change } from '../../server/src/store/state.ts';
import type { Team } from '../../server/src/protocol/model.ts';
import { makeDataDir } from '../support/station.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

const team = (n: number): Change => ({ c: 'teams', v: { id: `team-${n}`, name: `队${n}`, leaderIds: [], createdAt: '2026-01-01T00:00:00.000Z' } satisfies Team });
const quiet = { warn: () => undefined };

async function teamsIn(dir: string, warnings: string[] = []): Promise<string[]> {
  const store = await DurableStore.open({ dir, warn: (m) => warnings.push(m) });
  const names = [...store.state.records.teams.keys()].sort();
  await store.close();
  return names;
}

describe('durable store', () => {
  it('replays committed changes after a restart, with no snapshot taken', async () => {
    const dir = await tempDir();
    const store = await DurableStore.open({ dir, ...quiet });
    await Promise.all([store.commit([team(1)]), store.commit([team(2), team(3)])]);
    // Simulate a crash: no close(), so no snapshot; only the journal holds the data.
    const reopened = await DurableStore.open({ dir, ...quiet });
    expect([...reopened.state.records.teams.keys()].sort()).toEqual(['team-1', 'team-2', 'team-3']);
    expect(reopened.state.seq).toBe(2);
    await reopened.close();
  });

  it('a snapshot covers the journal it replaces, and later changes go to a new journal file', async () => {
    const dir = await tempDir();
    const store = await DurableStore.open({ dir, ...quiet });
    for (let i = 0; i < 5; i++) await store.commit([team(i)]);
    await store.snapshot();
    expect((await listJournalFiles(dir)).length).toBe(0);
    await store.commit([team(99)]);
    const files = await listJournalFiles(dir);
    expect(files.map((f) => f.firstSeq)).toEqual([6]);
    expect(await teamsIn(dir)).toEqual(['team-0', 'team-1', 'team-2', 'team-3', 'team-4', 'team-99']);
  });

  it('changes committed while a snapshot is being written are kept exactly once', async () => {
    const dir = await tempDir();
    const store = await DurableStore.open({ dir, ...quiet });
    for (let i = 0; i < 3000; i++) void store.commit([team(i)]);
    const snapshot = store.snapshot();
    const during = Array.from({ length: 200 }, (_, i) => store.commit([team(10_000 + i)]));
    await Promise.all([snapshot, ...during]);
    // Crash without a final snapshot.
    const reopened = await DurableStore.open({ dir, ...quiet });
    expect(reopened.state.records.teams.size).toBe(3200);
    expect(reopened.state.seq).toBe(3200);
    await reopened.close();
  });

  it('cuts a torn last record at every byte offset, keeping every complete record before it', async () => {
    const dir = await tempDir();
    const store = await DurableStore.open({ dir, ...quiet });
    for (let i = 0; i < 4; i++) await store.commit([team(i)]);
    const [journal] = await listJournalFiles(dir);
    const full = await fs.readFile(journal!.file);
    const lastLineStart = full.lastIndexOf(0x0a, full.length - 2) + 1;
    for (let cut = lastLineStart + 1; cut < full.length; cut++) {
      const copy = await tempDir();
      await fs.writeFile(path.join(copy, path.basename(journal!.file)), full.subarray(0, cut));
      const warnings: string[] = [];
      expect(await teamsIn(copy, warnings)).toEqual(['team-0', 'team-1', 'team-2']);
      expect(warnings.join()).toMatch(/incomplete last record/);
    }
  });

  it('refuses to start on damage before the last record, naming the file and byte, and changes nothing', async () => {
    const dir = await tempDir();
    const store = await DurableStore.open({ dir, ...quiet });
    for (let i = 0; i < 4; i++) await store.commit([team(i)]);
    const [journal] = await listJournalFiles(dir);
    const bytes = await fs.readFile(journal!.file);
    const secondLine = bytes.indexOf(0x0a) + 1;
    bytes[secondLine + 20] = bytes[secondLine + 20]! ^ 0x01;
    await fs.writeFile(journal!.file, bytes);
    const error = await DurableStore.open({ dir, ...quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreDamagedError);
    expect((error as StoreDamagedError).message).toContain(path.basename(journal!.file));
    expect((error as StoreDamagedError).offset).toBe(secondLine);
    expect(await fs.readFile(journal!.file)).toEqual(bytes);
  });

  it('refuses to start on a settings record that is not valid, naming it and the field', async () => {
    const dir = await tempDir();
    const store = await DurableStore.open({ dir, ...quiet });
    // As a hand edit would leave it: every group present, one value out of range.
    const settings = { ...store.state.settings, repeatWindowSeconds: -5 };
    await store.commit([{ c: 'config', v: { id: 'settings', settings } } as Change]);
    await store.close();
    const error = await DurableStore.open({ dir, ...quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreDamagedError);
    expect((error as Error).message).toMatch(/settings.*repeatWindowSeconds/);
  });

  it('refuses an altered snapshot', async () => {
    const dir = await tempDir();
    const store = await DurableStore.open({ dir, ...quiet });
    await store.commit([team(1)]);
    await store.close();
    const file = path.join(dir, 'snapshot.jsonl');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('队1', '队2'));
    await expect(DurableStore.open({ dir, ...quiet })).rejects.toBeInstanceOf(StoreDamagedError);
  });

  it('stops acknowledging once the journal cannot be written', async () => {
    const dir = await tempDir();
    const failures: Error[] = [];
    const store = await DurableStore.open({ dir, ...quiet, onFailure: (e) => failures.push(e) });
    await store.commit([team(1)]);
    // Make the journal folder unwritable by replacing the next journal file with a directory.
    await store.snapshot();
    await fs.mkdir(path.join(dir, 'journal.000000000002.jsonl'));
    await expect(store.commit([team(2)])).rejects.toThrow(/journal could not be written/);
    await expect(store.commit([team(3)])).rejects.toThrow();
    expect(failures).toHaveLength(1);
  });

  it('keeps the event loop responsive while a large snapshot is written', async () => {
    const dir = await tempDir();
    const store = await DurableStore.open({ dir, ...quiet });
    const changes: Change[] = Array.from({ length: 60_000 }, (_, i) => team(i));
    await store.commit(changes);
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    await store.snapshot();
    clearInterval(timer);
    await store.close();
    // A whole-file write of this state blocks for far longer; chunking keeps each stall short.
    expect(longest).toBeLessThan(150);
    expect(await teamsIn(dir)).toHaveLength(60_000);
  });
});
