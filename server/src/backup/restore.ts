import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatTimeIn } from '../domain/time-zone.ts';
import { BackupInvalidError, CA_KEY_PATH, checkDataFolder, dataEntries, type DataCounts, removeFolder, REPLACED_DIR, RESTORING_PREFIX, unpackBackup } from './backup-archive.ts';
import { forgetEpoch } from '../hub-link/link-epoch.ts';
import { BACKUP_KEY_FILE, decryptBackupFile, isEncryptedBackup, unlockBackup } from './backup-encryption.ts';
import { assertNoServerRunning, DataFolderBusyError, isProcessAlive, removeRestoreMarker, RESTORE_MARKER, writeRestoreMarker } from './data-lock.ts';

export interface RestoreResult {
  counts: DataCounts;
  backupCreatedAt: string;
  /** Where the data that was in the folder now is, or null when the folder held none. */
  replacedDir: string | null;
  /** The backup had no CA key (a download), so this PC's certificates were kept. */
  keptLocalCertificates: boolean;
}

/**
 * Puts a backup in place of the data in `dataDir`. Nothing changes until the backup has been
 * unpacked beside the data and opened as the server would open it; then the current data is
 * moved, not deleted, into DATA_DIR/replaced/<time>/, and the backup's files moved in. Every
 * step is a rename inside one folder, so it is quick and never copies half a file.
 */
export async function restoreBackup(
  backupFile: string,
  dataDir: string,
  options: {
    now?: () => Date;
    log?: (line: string) => void;
    /** The caller is the server starting on this folder, before it opens the data. */
    startingServer?: boolean;
    /** For an encrypted backup (`.tar.gz.enc`): the passphrase typed now… */
    passphrase?: string;
    /** …or the master key it gave when the admin asked for this restore (requested-restore.ts). */
    masterKey?: string;
  } = {},
): Promise<RestoreResult> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const file = path.resolve(backupFile);
  if (!(await exists(file))) throw new BackupInvalidError(`There is no file ${file}`);
  await fs.mkdir(dataDir, { recursive: true });
  if (!options.startingServer) await assertNoServerRunning(dataDir);
  await assertNoOtherRestore(dataDir);
  // A missing or wrong passphrase is refused here, before the folder is touched at all.
  const encrypted = await isEncryptedBackup(file);
  const masterKey = encrypted ? (options.masterKey ?? (await unlockBackup(file, options.passphrase))) : undefined;
  for (const name of await fs.readdir(dataDir)) {
    if (name.startsWith(RESTORING_PREFIX)) await fs.rm(path.join(dataDir, name), { recursive: true, force: true });
  }

  const stamp = formatTimeIn(now(), Intl.DateTimeFormat().resolvedOptions().timeZone, 'yyyy-MM-dd-HHmmss');
  const staging = path.join(dataDir, `${RESTORING_PREFIX}${stamp}`);
  const replacedDir = path.join(dataDir, REPLACED_DIR, stamp);
  await writeRestoreMarker(dataDir, { phase: 'checking', backup: file, replacedDir });
  let replacing = false;
  try {
    log(`Checking ${file} …`);
    let archive = file;
    if (masterKey) {
      // Decrypted beside the data (never elsewhere): every chunk's tag is checked before tar reads a byte.
      archive = `${staging}.tar.gz`;
      await decryptBackupFile(file, archive, masterKey);
    }
    const manifest = await unpackBackup(archive, staging);
    if (masterKey) await fs.rm(archive, { force: true });
    const incoming = path.join(staging, 'data');
    const checked = await checkDataFolder(incoming, now);
    log(`The backup of ${manifest.createdAt} is whole: ${describe(checked.counts)}.`);

    const keptLocalCertificates = !manifest.includesCaKey && (await exists(path.join(dataDir, CA_KEY_PATH)));
    if (keptLocalCertificates) {
      // Tablets trust this PC's CA; a backup without the CA key cannot bring a better one.
      await fs.rm(path.join(incoming, 'tls'), { recursive: true, force: true });
      await fs.cp(path.join(dataDir, 'tls'), path.join(incoming, 'tls'), { recursive: true });
    }
    // The passphrase set on this PC now stays in force: a restore never turns encryption off,
    // nor brings back an older passphrase the admin has since replaced.
    if (await exists(path.join(dataDir, BACKUP_KEY_FILE))) await fs.copyFile(path.join(dataDir, BACKUP_KEY_FILE), path.join(incoming, BACKUP_KEY_FILE));

    replacing = true;
    await writeRestoreMarker(dataDir, { phase: 'replacing', backup: file, replacedDir });
    const current = await dataEntries(dataDir);
    if (current.length > 0) {
      await fs.mkdir(replacedDir, { recursive: true });
      for (const name of current) await fs.rename(path.join(dataDir, name), path.join(replacedDir, name));
    }
    for (const name of await fs.readdir(incoming)) await fs.rename(path.join(incoming, name), path.join(dataDir, name));
    // Journal numbers went back: the district link starts a new store epoch (docs/district.md).
    await forgetEpoch(dataDir);
    await removeFolder(staging);
    await removeRestoreMarker(dataDir);
    return { counts: checked.counts, backupCreatedAt: manifest.createdAt, replacedDir: current.length > 0 ? replacedDir : null, keptLocalCertificates };
  } catch (error) {
    // Before the first move nothing was touched: leave the folder exactly as it was. After it,
    // the marker stays, so the server refuses to start on half-moved data until a rerun.
    if (!replacing) {
      await fs.rm(`${staging}.tar.gz`, { force: true });
      await removeFolder(staging);
      await removeRestoreMarker(dataDir);
    }
    throw error;
  }
}

async function assertNoOtherRestore(dataDir: string): Promise<void> {
  try {
    const marker = JSON.parse(await fs.readFile(path.join(dataDir, RESTORE_MARKER), 'utf8')) as { pid: number };
    if (isProcessAlive(marker.pid) && marker.pid !== process.pid) throw new DataFolderBusyError(`Another restore (process ${marker.pid}) is working on ${dataDir}.`);
  } catch (error) {
    if (error instanceof DataFolderBusyError) throw error;
    // No marker, or one left by an interrupted restore: this run takes over and finishes the job.
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

export function describe(counts: DataCounts): string {
  return `${counts.volunteers} volunteers, ${counts.activities} activities, ${counts.attendance} attendance records, ${counts.goods} goods`;
}
