import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { ARCHIVE_DIR, checkArchiveFiles } from '../store/archive/archive-file.ts';
import { DurableStore } from '../store/durable-store.ts';
import { LOCK_FILE, RESTORE_MARKER } from './data-lock.ts';
import { makePrivateFolder, PRIVATE_FILE_MODE } from '../security/file-modes.ts';
import type { DataCounts } from '../protocol/views.ts';

/**
 * A backup is one .tar.gz: `manifest.json` (format, time, every file's size and SHA-256) and
 * `data/`, a copy of the data folder that was checked by opening it as the server would. gzip's
 * CRC and the manifest's hashes catch a flipped byte or a cut-off file; opening the store
 * catches anything else, before a restore changes a thing.
 */

export const BACKUPS_DIR = 'backups';
export const REPLACED_DIR = 'replaced';
export const STAGING_PREFIX = '.staging-';
export const RESTORING_PREFIX = 'restoring-';
export const CA_KEY_PATH = 'tls/ca.key';
const FORMAT = 'volunteer-station-backup';
const JOURNAL_FILE = /^journal\.\d+\.jsonl$/;
const SNAPSHOT_FILE = 'snapshot.jsonl';
const VERSION = 1;

export interface BackupManifest {
  format: typeof FORMAT;
  version: typeof VERSION;
  createdAt: string;
  /** Journal position the data covers, and what it holds, so a listing can say what is inside. */
  seq: number;
  counts: DataCounts;
  includesCaKey: boolean;
  files: { path: string; size: number; sha256: string }[];
}

/** Declared with the backup views the admin reads. */
export type { DataCounts } from '../protocol/views.ts';

/** Why a backup is refused, as a code the admin and `npm run restore` show beside the message. */
export type BackupProblem = 'BACKUP_INVALID' | 'BACKUP_RESERVED_NAME' | 'BACKUP_PASSPHRASE_REQUIRED' | 'BACKUP_PASSPHRASE_WRONG';
const backupProblems: readonly string[] = ['BACKUP_INVALID', 'BACKUP_RESERVED_NAME', 'BACKUP_PASSPHRASE_REQUIRED', 'BACKUP_PASSPHRASE_WRONG'] satisfies BackupProblem[];

/** A code that came back from the backup worker as a string, as a BackupProblem. */
export function asBackupProblem(code: string | undefined): BackupProblem {
  return code && backupProblems.includes(code) ? (code as BackupProblem) : 'BACKUP_INVALID';
}

export class BackupInvalidError extends Error {
  override name = 'BackupInvalidError';
  constructor(
    message: string,
    readonly code: BackupProblem = 'BACKUP_INVALID',
  ) {
    super(message);
  }
}

/**
 * Whether a top-level name of the data folder is data, as opposed to the backups, set-aside
 * copies, locks and restore requests kept beside it. A backup copies exactly these names, a
 * restore sets exactly these aside, and a backup may bring in nothing else.
 */
export function isDataEntry(name: string): boolean {
  return (
    name !== BACKUPS_DIR &&
    name !== REPLACED_DIR &&
    name !== LOCK_FILE &&
    name !== RESTORE_MARKER &&
    name !== 'restore-requested.json' &&
    name !== 'last-restore.json' &&
    !name.startsWith(RESTORING_PREFIX) &&
    !name.startsWith('.') &&
    !name.endsWith('.tmp') &&
    // The repository's data/README.md explains the folder; it is not data.
    !/^readme/i.test(name)
  );
}

/** Entries of a data folder that are data (see isDataEntry). */
export async function dataEntries(dataDir: string): Promise<string[]> {
  const names = await fs.readdir(dataDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names.filter(isDataEntry);
}

/**
 * The paths of a backup's `data/` that a restore must not move into the data folder: anything
 * but a plain relative path under a data entry. A reserved name (`backups/`,
 * `restore-requested.json`, the lock, the restore marker, `replaced/`…) is kept in place by a
 * restore, so moving the backup's copy onto it would fail after the current data was set aside
 * (the point of no return, leaving the folder half-restored), or would plant a restore request
 * or a lock for the next start. Only a crafted archive holds one: a backup never copies them.
 */
export function reservedPaths(paths: readonly string[]): string[] {
  return paths.filter((relative) => {
    const parts = relative.split('/');
    return relative.includes('\\') || parts.some((part) => part === '' || part === '.' || part === '..' || /[\u0000-\u001f]/.test(part)) || !isDataEntry(parts[0]!);
  });
}

/**
 * Copies the data folder into `target`. Call it right after a store snapshot: the snapshot file
 * is replaced only by rename, so the copy is whole. A journal may be growing while it is read;
 * its copy ends at the last complete line (a line still being written was not acknowledged).
 *
 * The server keeps running meanwhile, and may snapshot or archive a closed year (which writes
 * `archive/<year>.jsonl.gz`, then its journal record, then a snapshot). So the order is fixed:
 * the journal files first, then everything else, then the snapshot, and the archive folder last,
 * listed afresh. A snapshot copied after the journals is at least as new as they need; an archive
 * file is on disk before any record that refers to it, so copying the folder after everything that
 * may refer to it never leaves a copy whose state names a file it lacks (an archive written after
 * the journals and snapshot were copied is an unreferenced file in the copy, which is harmless).
 * `afterEntry` is for tests that change the folder between two entries.
 */
export async function copyDataFolder(dataDir: string, target: string, afterEntry?: (name: string) => Promise<void>): Promise<void> {
  await makePrivateFolder(target);
  const rank = (name: string) => (JOURNAL_FILE.test(name) ? 0 : name === SNAPSHOT_FILE ? 2 : 1);
  const names = (await dataEntries(dataDir)).filter((name) => name !== ARCHIVE_DIR).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  for (const name of [...names, ARCHIVE_DIR]) {
    const from = path.join(dataDir, name);
    const to = path.join(target, name);
    try {
      await fs.cp(from, to, { recursive: true, filter: (source) => !source.endsWith('.tmp') });
    } catch (error) {
      // A journal folded into a snapshot a moment ago (the snapshot, copied later, holds it), or no archive yet.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (JOURNAL_FILE.test(name)) {
      const bytes = await fs.readFile(to);
      const end = bytes.lastIndexOf(0x0a) + 1;
      if (end !== bytes.length) await fs.truncate(to, end);
    }
    await afterEntry?.(name);
  }
}

async function listFiles(root: string, under = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await fs.readdir(path.join(root, under), { withFileTypes: true })) {
    const relative = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files.sort();
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function describeFiles(dataDir: string): Promise<BackupManifest['files']> {
  const files: BackupManifest['files'] = [];
  for (const relative of await listFiles(dataDir)) {
    const file = path.join(dataDir, relative);
    files.push({ path: relative, size: (await fs.stat(file)).size, sha256: await sha256(file) });
  }
  return files;
}

/**
 * Opens a copied data folder as the server would (snapshot, journal replay, card key,
 * certificates) and folds the journal into its snapshot. Throws BackupInvalidError with the reason.
 */
export async function checkDataFolder(dataDir: string, now: () => Date): Promise<{ seq: number; counts: DataCounts }> {
  let store: DurableStore;
  try {
    await fs.access(path.join(dataDir, 'snapshot.jsonl'));
    store = await DurableStore.open({ dir: dataDir, now, warn: () => undefined });
  } catch (error) {
    throw new BackupInvalidError(`The data in the backup cannot be opened: ${(error as Error).message}`);
  }
  const state = store.state;
  // Closed years live in their own files (store/archive/): each is read whole and checked against the checksum the state recorded.
  try {
    await checkArchiveFiles(dataDir, state);
  } catch (error) {
    await store.close();
    throw new BackupInvalidError(`The data in the backup cannot be opened: ${(error as Error).message}`);
  }
  const result = {
    seq: state.seq,
    counts: { volunteers: state.records.volunteers.size, activities: state.records.activities.size, attendance: state.records.attendance.size, goods: state.records.goods.size },
  };
  await store.close();
  const secret = await fs.readFile(path.join(dataDir, 'card-secret.key'), 'utf8').catch(() => '');
  if (Buffer.from(secret.trim(), 'base64url').length < 32) throw new BackupInvalidError('The backup has no card key (card-secret.key): printed cards would stop working');
  await checkTlsFiles(path.join(dataDir, 'tls'));
  return result;
}

async function checkTlsFiles(dir: string): Promise<void> {
  const read = (name: string) => fs.readFile(path.join(dir, name), 'utf8').catch(() => null);
  const [caCert, caKey, serverCert, serverKey] = await Promise.all([read('ca.pem'), read('ca.key'), read('server.pem'), read('server.key')]);
  try {
    if (caCert && caKey && !new X509Certificate(caCert).checkPrivateKey(createPrivateKey(caKey))) throw new Error('CA key and certificate differ');
    if (serverCert && serverKey && !new X509Certificate(serverCert).checkPrivateKey(createPrivateKey(serverKey))) throw new Error('server key and certificate differ');
  } catch (error) {
    throw new BackupInvalidError(`The certificates in the backup are damaged: ${(error as Error).message}`);
  }
}

/**
 * Removes a work folder. After a failed unpack, tar may still be closing files it had begun,
 * so a folder that is "not empty" a moment ago is tried again.
 */
export async function removeFolder(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
}

/** Writes `<root>/manifest.json` for `<root>/data` and packs both into `file` (via a temp file and rename). */
export async function packBackup(root: string, file: string, facts: { createdAt: string; seq: number; counts: DataCounts }): Promise<BackupManifest> {
  const files = await describeFiles(path.join(root, 'data'));
  const manifest: BackupManifest = { format: FORMAT, version: VERSION, ...facts, includesCaKey: files.some((f) => f.path === CA_KEY_PATH), files };
  await fs.writeFile(path.join(root, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  const temp = `${file}.tmp`;
  const tar = await import('tar');
  await tar.c({ gzip: true, file: temp, cwd: root, portable: true }, ['manifest.json', 'data']);
  // The archive holds the card signing key and everyone's personal data.
  await fs.chmod(temp, PRIVATE_FILE_MODE);
  const handle = await fs.open(temp, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
  return manifest;
}

/**
 * Reads a backup's names without unpacking it: the paths its `data/` holds and the paths its
 * manifest lists. The admin's restore request checks them at once, so a crafted file is refused
 * with its reason before the server restarts (unpackBackup checks the same again).
 */
export async function assertNoReservedNames(file: string): Promise<void> {
  const tar = await import('tar');
  const paths: string[] = [];
  const manifestChunks: Buffer[] = [];
  try {
    await tar.t({
      file,
      onReadEntry: (entry) => {
        const name = entry.path.replace(/^\.\//, '');
        if (name === 'manifest.json') entry.on('data', (chunk: Buffer) => manifestChunks.push(chunk));
        else if (name.startsWith('data/') && name !== 'data/') paths.push(name.slice('data/'.length).replace(/\/$/, ''));
      },
    });
  } catch (error) {
    throw new BackupInvalidError(`The backup file is damaged or not a backup (${(error as Error).message})`);
  }
  try {
    const manifest = JSON.parse(Buffer.concat(manifestChunks).toString('utf8')) as Partial<BackupManifest>;
    if (Array.isArray(manifest.files)) paths.push(...manifest.files.map((f) => String(f?.path)));
  } catch {
    throw new BackupInvalidError('The file is not a Volunteer Station backup (no readable manifest.json)');
  }
  const reserved = [...new Set(reservedPaths(paths))];
  if (reserved.length > 0) throw reservedNamesError(reserved);
}

function reservedNamesError(reserved: string[]): BackupInvalidError {
  return new BackupInvalidError(`The backup would overwrite what a restore keeps in place (${reserved.join(', ')}): it was not made by Volunteer Station`, 'BACKUP_RESERVED_NAME');
}

/**
 * Unpacks a backup into the empty folder `root` and checks every file against the manifest.
 * Only plain files and folders are unpacked, never outside `root` (tar's own path checks).
 */
export async function unpackBackup(file: string, root: string): Promise<BackupManifest> {
  await makePrivateFolder(root);
  try {
    const tar = await import('tar');
    await tar.x({ file, cwd: root, strict: true, filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory') });
  } catch (error) {
    throw new BackupInvalidError(`The backup file is damaged or not a backup (${(error as Error).message})`);
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(root, 'manifest.json'), 'utf8')) as BackupManifest;
  } catch {
    throw new BackupInvalidError('The file is not a Volunteer Station backup (no readable manifest.json)');
  }
  if (manifest.format !== FORMAT || manifest.version !== VERSION || !Array.isArray(manifest.files)) throw new BackupInvalidError('The file is not a Volunteer Station backup of a known version');
  if (!manifest.files.every((f) => typeof f?.path === 'string' && typeof f.sha256 === 'string' && typeof f.size === 'number')) throw new BackupInvalidError('The backup is damaged: its manifest lists a file without path, size or hash');
  // What the manifest names, and what is really there (an empty folder is in no manifest).
  const reserved = [...new Set([...reservedPaths(manifest.files.map((f) => f.path)), ...reservedPaths(await fs.readdir(path.join(root, 'data')).catch(() => []))])];
  if (reserved.length > 0) throw reservedNamesError(reserved);
  const found = await describeFiles(path.join(root, 'data')).catch(() => []);
  const expected = new Map(manifest.files.map((f) => [f.path, f]));
  const problems = [
    ...manifest.files.filter((f) => !found.some((g) => g.path === f.path)).map((f) => `${f.path} is missing`),
    ...found.filter((g) => !expected.has(g.path)).map((g) => `${g.path} is not listed`),
    ...found.filter((g) => expected.has(g.path) && (expected.get(g.path)!.sha256 !== g.sha256 || expected.get(g.path)!.size !== g.size)).map((g) => `${g.path} was altered`),
  ];
  if (problems.length > 0) throw new BackupInvalidError(`The backup is damaged: ${problems.join('; ')}`);
  return manifest;
}
