import { runWorker } from '../workers/run-worker.ts';
import { asBackupProblem, BackupInvalidError, type BackupManifest, type DataCounts } from './backup-archive.ts';
import type { BackupKey } from './backup-encryption.ts';
import type { BackupTask } from './backup.worker.ts';

const WORKER = new URL('./backup.worker.ts', import.meta.url);

async function run<T>(task: BackupTask): Promise<T> {
  try {
    return await runWorker<T>(WORKER, task);
  } catch (error) {
    // The callers (and the routes above them) tell a bad backup from a failure by its class.
    if ((error as Error).name === 'BackupInvalidError') {
      const { message, code } = error as BackupInvalidError;
      throw new BackupInvalidError(message, asBackupProblem(code));
    }
    throw error;
  }
}

/** checkDataFolder() in a worker thread: the copy's store is opened (and its snapshot written) off the event loop. The clock is read once, now. */
export function checkDataFolderOffThread(dataDir: string, now: Date): Promise<{ seq: number; counts: DataCounts }> {
  return run({ task: 'check', dataDir, nowMs: now.getTime() });
}

/** packBackup() in a worker thread: tar's gzip is synchronous zlib, seconds of CPU on a large data folder. */
export function packBackupOffThread(root: string, file: string, facts: { createdAt: string; seq: number; counts: DataCounts }): Promise<BackupManifest> {
  return run({ task: 'pack', root, file, facts });
}

/** unpackBackup() in a worker thread. */
export function unpackBackupOffThread(file: string, root: string): Promise<BackupManifest> {
  return run({ task: 'unpack', file, root });
}

/** encryptBackupFile() in a worker thread: AES-GCM over the whole archive. */
export function encryptBackupOffThread(plain: string, encrypted: string, key: BackupKey): Promise<void> {
  return run({ task: 'encrypt', plain, encrypted, key });
}

/** decryptBackupFile() in a worker thread. */
export function decryptBackupOffThread(encrypted: string, plain: string, masterKey: string): Promise<void> {
  return run({ task: 'decrypt', encrypted, plain, masterKey });
}
