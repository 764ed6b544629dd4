import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Who is using a data folder. The server leaves `server.lock` (pid and port) while it runs, and
 * a restore leaves `restore-in-progress.json` while it works, so neither pulls the files from
 * under the other. A power cut leaves both files behind, so each is trusted only as far as it
 * can be checked: the server never refuses to start over a stale lock (after a power cut it must
 * come back by itself), while a restore refuses whenever a live process might own the folder.
 */

export const LOCK_FILE = 'server.lock';
export const RESTORE_MARKER = 'restore-in-progress.json';

interface LockInfo {
  pid: number;
  port: number;
  startedAt: string;
}

interface RestoreMarker {
  pid: number;
  /** 'checking': nothing in the folder has changed yet; 'replacing': files are being moved. */
  phase: 'checking' | 'replacing';
  backup: string;
  replacedDir: string;
}

export class DataFolderBusyError extends Error {
  override name = 'DataFolderBusyError';
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function answersHealth(port: number): Promise<boolean> {
  if (!port) return false;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** The server's view of a restore marker: refuse while files may be half moved. */
async function assertNoRestoreUnderway(dataDir: string): Promise<void> {
  const markerFile = path.join(dataDir, RESTORE_MARKER);
  const marker = await readJson<RestoreMarker>(markerFile);
  if (!marker) {
    await fs.rm(markerFile, { force: true });
    return;
  }
  if (marker.phase === 'checking' && !isProcessAlive(marker.pid)) {
    // The restore stopped before it changed anything: the folder is as it was.
    await fs.rm(markerFile, { force: true });
    return;
  }
  throw new DataFolderBusyError(
    marker.phase === 'replacing' && !isProcessAlive(marker.pid)
      ? `A restore of ${marker.backup} was interrupted while it replaced the data in ${dataDir}.\nRun it again: npm run restore -- "${marker.backup}"\n(The data it was replacing is kept in ${marker.replacedDir}.)`
      : `A restore is running on ${dataDir} (process ${marker.pid}); start the server when it has finished.`,
  );
}

/**
 * Taken by the server at start, before the store is opened. Refuses only what is certain: a
 * restore underway, or another server on this folder that answers on its port.
 */
export async function acquireDataLock(dataDir: string, port: number): Promise<{ release(): Promise<void> }> {
  await fs.mkdir(dataDir, { recursive: true });
  await assertNoRestoreUnderway(dataDir);
  const file = path.join(dataDir, LOCK_FILE);
  const existing = await readJson<LockInfo>(file);
  if (existing && existing.pid !== process.pid && isProcessAlive(existing.pid) && (await answersHealth(existing.port))) {
    throw new DataFolderBusyError(`Volunteer Station is already running on ${dataDir} (process ${existing.pid}, port ${existing.port}). Two servers on one data folder would mix up its journal.`);
  }
  const info: LockInfo = { pid: process.pid, port, startedAt: new Date().toISOString() };
  await fs.writeFile(file, `${JSON.stringify(info)}\n`);
  return {
    async release() {
      const current = await readJson<LockInfo>(file);
      if (current?.pid === process.pid) await fs.rm(file, { force: true });
    },
  };
}

/**
 * A restore's view: any live process named in the lock may be a server (perhaps still
 * starting), so the restore refuses and says how to clear a lock that a power cut left behind.
 */
export async function assertNoServerRunning(dataDir: string): Promise<void> {
  const file = path.join(dataDir, LOCK_FILE);
  const lock = await readJson<LockInfo>(file);
  if (!lock || !isProcessAlive(lock.pid)) return;
  const running = await answersHealth(lock.port);
  throw new DataFolderBusyError(
    running
      ? `Volunteer Station is running on this data folder (process ${lock.pid}, port ${lock.port}). Stop it first (close its window, or: systemctl stop volunteer-station), then run the restore again.`
      : `Process ${lock.pid} named in ${file} is alive, so a server may be starting on this folder. Stop it first. If no server is running (the number was reused after a restart), delete ${file} and run the restore again.`,
  );
}

export async function writeRestoreMarker(dataDir: string, marker: Omit<RestoreMarker, 'pid'>): Promise<void> {
  const file = path.join(dataDir, RESTORE_MARKER);
  await fs.writeFile(`${file}.tmp`, `${JSON.stringify({ pid: process.pid, ...marker } satisfies RestoreMarker)}\n`);
  await fs.rename(`${file}.tmp`, file);
}

export async function removeRestoreMarker(dataDir: string): Promise<void> {
  await fs.rm(path.join(dataDir, RESTORE_MARKER), { force: true });
}
