// The CPU-heavy steps of a backup, in a worker thread (run by backup-offthread.ts): opening the
// copied data as the server would, and tar + gzip. On ten years of data they take seconds of CPU.
import { serveWorkerTask } from '../workers/worker-task.ts';
import { checkDataFolder, packBackup, unpackBackup, type BackupManifest, type DataCounts } from './backup-archive.ts';
import { type BackupKey, decryptBackupFile, encryptBackupFile } from './backup-encryption.ts';

export type BackupTask =
  | { task: 'check'; dataDir: string; nowMs: number }
  | { task: 'pack'; root: string; file: string; facts: { createdAt: string; seq: number; counts: DataCounts } }
  | { task: 'unpack'; file: string; root: string }
  | { task: 'encrypt'; plain: string; encrypted: string; key: BackupKey }
  | { task: 'decrypt'; encrypted: string; plain: string; masterKey: string };

export type BackupTaskResult = { seq: number; counts: DataCounts } | BackupManifest | void;

export async function task(input: BackupTask): Promise<BackupTaskResult> {
  switch (input.task) {
    case 'check':
      return checkDataFolder(input.dataDir, () => new Date(input.nowMs));
    case 'pack':
      return packBackup(input.root, input.file, input.facts);
    case 'unpack':
      return unpackBackup(input.file, input.root);
    case 'encrypt':
      return encryptBackupFile(input.plain, input.encrypted, input.key);
    case 'decrypt':
      return decryptBackupFile(input.encrypted, input.plain, input.masterKey);
  }
}

serveWorkerTask(task);
