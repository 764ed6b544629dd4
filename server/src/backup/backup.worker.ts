// The CPU-heavy steps of a backup, in a worker thread (run by backup-offthread.ts): opening the
// copied data as the server would, and tar + gzip. On ten years of data they take seconds of CPU.
import { serveWorkerTask } from '../workers/worker-task.ts';
import { checkDataFolder, packBackup, unpackBackup, type BackupManifest, type DataCounts } from './backup-archive.ts';

export type BackupTask =
  | { task: 'check'; dataDir: string; nowMs: number }
  | { task: 'pack'; root: string; file: string; facts: { createdAt: string; seq: number; counts: DataCounts } }
  | { task: 'unpack'; file: string; root: string };

export type BackupTaskResult = { seq: number; counts: DataCounts } | BackupManifest;

export async function task(input: BackupTask): Promise<BackupTaskResult> {
  switch (input.task) {
    case 'check':
      return checkDataFolder(input.dataDir, () => new Date(input.nowMs));
    case 'pack':
      return packBackup(input.root, input.file, input.facts);
    case 'unpack':
      return unpackBackup(input.file, input.root);
  }
}

serveWorkerTask(task);
