import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { BackupInvalidError } from './backup-archive.ts';
import { DataFolderBusyError } from './data-lock.ts';
import { describe, restoreBackup } from './restore.ts';
import { PRIVATE_FILE_MODE } from '../security/file-modes.ts';

const REQUEST_FILE = 'restore-requested.json';
const RESULT_FILE = 'last-restore.json';

export interface RestoreOutcome {
  at: string;
  backup: string;
  requestedBy: string;
  ok: boolean;
  /** Why a restore was refused (`BACKUP_INVALID`, `BACKUP_RESERVED_NAME`, `DATA_FOLDER_BUSY`). */
  code?: string;
  message: string;
}

/**
 * A restore chosen in the admin. The data cannot be replaced under a running server, so the
 * request is written down and carried out by the next start, before the store is opened; the
 * backup is checked first as by `npm run restore`, and a bad one leaves the data as it was.
 */
export async function requestRestore(dataDir: string, backupFile: string, requestedBy: string, masterKey?: string): Promise<void> {
  const file = path.join(dataDir, REQUEST_FILE);
  // An encrypted backup's master key (never the passphrase) waits here, 0600 like the backup key
  // itself, until the next start; that start removes this file before anything else.
  await fs.writeFile(`${file}.tmp`, `${JSON.stringify({ backup: backupFile, requestedBy, at: new Date().toISOString(), ...(masterKey ? { masterKey } : {}) })}\n`, { mode: PRIVATE_FILE_MODE });
  await fs.rename(`${file}.tmp`, file);
}

export async function applyRequestedRestore(dataDir: string, logger: Logger, now: () => Date): Promise<RestoreOutcome | null> {
  const file = path.join(dataDir, REQUEST_FILE);
  let request: { backup: string; requestedBy: string; masterKey?: string };
  try {
    request = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
  // Removed first: a restore that fails must not be retried at every start.
  await fs.rm(file, { force: true });
  let outcome: RestoreOutcome;
  try {
    const result = await restoreBackup(request.backup, dataDir, { now, log: (line) => logger.info(line), startingServer: true, ...(typeof request.masterKey === 'string' ? { masterKey: request.masterKey } : {}) });
    outcome = { at: now().toISOString(), backup: path.basename(request.backup), requestedBy: request.requestedBy, ok: true, message: `Restored the backup of ${result.backupCreatedAt} (${describe(result.counts)}); the data it replaced is in ${result.replacedDir ?? '—'}` };
    logger.info(outcome.message);
  } catch (error) {
    if (!(error instanceof BackupInvalidError || error instanceof DataFolderBusyError)) throw error;
    const code = error instanceof BackupInvalidError ? error.code : 'DATA_FOLDER_BUSY';
    outcome = { at: now().toISOString(), backup: path.basename(request.backup), requestedBy: request.requestedBy, ok: false, code, message: `Restore refused (${code}), nothing was changed: ${error.message}` };
    logger.warn(outcome.message);
  }
  await fs.writeFile(path.join(dataDir, RESULT_FILE), `${JSON.stringify(outcome)}\n`);
  return outcome;
}

export async function lastRestore(dataDir: string): Promise<RestoreOutcome | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(dataDir, RESULT_FILE), 'utf8')) as RestoreOutcome;
  } catch {
    return null;
  }
}

export async function pendingRestore(dataDir: string): Promise<string | null> {
  try {
    return path.basename((JSON.parse(await fs.readFile(path.join(dataDir, REQUEST_FILE), 'utf8')) as { backup: string }).backup);
  } catch {
    return null;
  }
}
