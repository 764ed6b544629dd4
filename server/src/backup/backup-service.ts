import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Actor } from '../audit.ts';
import { auditChange } from '../audit.ts';
import type { Clock } from '../clock.ts';
import { formatTimeIn } from '../domain/time-zone.ts';
import type { Logger } from '../logger.ts';
import type { StationStore } from '../store/station-store.ts';
import type { BackupEntry, CreatedBackup } from '../protocol/views.ts';
import { BACKUPS_DIR, CA_KEY_PATH, copyDataFolder, type DataCounts, removeFolder, STAGING_PREFIX } from './backup-archive.ts';
import { checkDataFolderOffThread, decryptBackupOffThread, encryptBackupOffThread, packBackupOffThread, unpackBackupOffThread } from './backup-offthread.ts';
import { ENCRYPTED_SUFFIX, isEncryptedWith, loadBackupKey } from './backup-encryption.ts';
import { AppError } from '../protocol/errors.ts';
import { makePrivateFolder } from '../security/file-modes.ts';

export const KEEP_DAILY = 14;
export const KEEP_MONTHLY = 12;
/** Checked every hour rather than timed for midnight: the PC may sleep, be switched off, or change its clock. */
const CHECK_INTERVAL_MS = 3600_000;
/** `.tar.gz`, or `.tar.gz.enc` when encrypted with the admin's passphrase (backup-encryption.ts). */
const NAME_PATTERN = /^volunteer-station-(\d{4}-\d{2}-\d{2})-(\d{6})(?:-(\d+))?\.tar\.gz(?:\.enc)?$/;

export type { BackupEntry, CreatedBackup };

export function isBackupName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** Sorts backups by when they were made: "…-080000-2" (the second in that second) after "…-080000". */
function ageKey(name: string): string {
  const [, day, time, n] = NAME_PATTERN.exec(name)!;
  return `${day}-${time}-${(n ?? '1').padStart(4, '0')}`;
}

/**
 * Which backups rotation keeps: the newest of each of the last KEEP_DAILY days that have one,
 * the newest of each of the last KEEP_MONTHLY months (the usual "keep daily / keep monthly"),
 * and every backup of the newest day, so a "back up now" never pushes out this morning's.
 */
export function backupsToKeep(names: string[], keepDaily = KEEP_DAILY, keepMonthly = KEEP_MONTHLY): Set<string> {
  const sorted = names.filter(isBackupName).sort((a, b) => (ageKey(a) < ageKey(b) ? 1 : -1));
  const keep = new Set<string>();
  const days = new Set<string>();
  const months = new Set<string>();
  const newestDay = sorted[0] ? NAME_PATTERN.exec(sorted[0])![1] : undefined;
  for (const name of sorted) {
    const day = NAME_PATTERN.exec(name)![1]!;
    if (day === newestDay) keep.add(name);
    if (days.size < keepDaily && !days.has(day)) {
      days.add(day);
      keep.add(name);
    }
    const month = day.slice(0, 7);
    if (months.size < keepMonthly && !months.has(month)) {
      months.add(month);
      keep.add(name);
    }
  }
  return keep;
}

/**
 * Daily and on-demand backups of the data folder into DATA_DIR/backups, with rotation and an
 * optional copy to another folder (a USB drive). One backup at a time: they share a mutex.
 */
export class BackupService {
  readonly dir: string;
  #queue: Promise<unknown> = Promise.resolve();
  #lastCopyError: string | null = null;

  constructor(
    private readonly deps: {
      store: StationStore;
      dataDir: string;
      /** The USB folder: the admin's setting, read at each backup, or the environment's. */
      copyDir?: string | (() => string | null | undefined);
      clock: Clock;
      logger: Logger;
      /** The center's time zone, read when needed: it is a setting that may change. */
      timeZone: () => string;
    },
  ) {
    this.dir = path.join(deps.dataDir, BACKUPS_DIR);
  }

  get copyDir(): string | null {
    const copyDir = this.deps.copyDir;
    return (typeof copyDir === 'function' ? copyDir() : copyDir) ?? null;
  }

  /** Why the last copy to copyDir failed (e.g. the USB drive was not plugged in), or null. */
  get lastCopyError(): string | null {
    return this.#lastCopyError;
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async list(): Promise<BackupEntry[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const entries: BackupEntry[] = [];
    for (const name of names.filter(isBackupName).sort((a, b) => (ageKey(a) < ageKey(b) ? 1 : -1))) {
      const stat = await fs.stat(path.join(this.dir, name)).catch(() => null);
      if (stat) entries.push({ name, size: stat.size, day: NAME_PATTERN.exec(name)![1]!, createdAt: stat.mtime.toISOString(), encrypted: name.endsWith(ENCRYPTED_SUFFIX) });
    }
    return entries;
  }

  /** The file of a listed backup, or null: a name never reaches the file system unchecked. */
  async fileOf(name: string): Promise<string | null> {
    if (!isBackupName(name)) return null;
    const file = path.join(this.dir, name);
    return (await fs.stat(file).catch(() => null))?.isFile() ? file : null;
  }

  create(actor: Actor): Promise<CreatedBackup> {
    return this.#exclusive(() => this.#create(actor));
  }

  async #create(actor: Actor): Promise<CreatedBackup> {
    const { store, dataDir, clock } = this.deps;
    await makePrivateFolder(this.dir);
    // The snapshot makes everything acknowledged so far one file, replaced only by rename.
    await store.snapshot();
    const now = clock.now();
    const staging = path.join(this.dir, `${STAGING_PREFIX}${randomBytes(6).toString('hex')}`);
    try {
      await copyDataFolder(dataDir, path.join(staging, 'data'));
      // Opened as the server would open it: a backup that could not be restored is an error now, not on the day it is needed.
      // The check and the gzip run in a worker thread: seconds of CPU that must not hold up scans.
      const checked = await checkDataFolderOffThread(path.join(staging, 'data'), clock.now());
      // Read at each backup: the daily one runs unattended with the key the admin's passphrase made.
      const key = await loadBackupKey(dataDir);
      const name = await this.#freeName(now, key !== null);
      const facts = { createdAt: now.toISOString(), ...checked };
      if (key) {
        // The plain archive stays inside the staging folder on this PC; only ciphertext is named as a backup.
        const plain = path.join(staging, 'archive.tar.gz');
        await packBackupOffThread(staging, plain, facts);
        await encryptBackupOffThread(plain, path.join(this.dir, name), key);
      } else {
        await packBackupOffThread(staging, path.join(this.dir, name), facts);
      }
      await this.#prune(this.dir);
      const copiedTo = await this.#copyOut(name);
      await store.commit([auditChange(clock.now(), actor, 'backup.created', name, `${checked.counts.volunteers} volunteers`, { volunteers: checked.counts.volunteers })]);
      const stat = await fs.stat(path.join(this.dir, name));
      return { name, size: stat.size, day: NAME_PATTERN.exec(name)![1]!, createdAt: now.toISOString(), encrypted: key !== null, counts: checked.counts, copiedTo };
    } finally {
      await removeFolder(staging);
    }
  }

  async #freeName(now: Date, encrypted: boolean): Promise<string> {
    const stamp = formatTimeIn(now, this.deps.timeZone(), 'yyyy-MM-dd-HHmmss');
    const taken = async (name: string) => (await fs.stat(path.join(this.dir, name)).catch(() => null)) !== null;
    for (let n = 1; ; n++) {
      const name = `volunteer-station-${stamp}${n === 1 ? '' : `-${n}`}.tar.gz`;
      // Free under both endings, so rotation's age order never ties.
      if (!(await taken(name)) && !(await taken(`${name}${ENCRYPTED_SUFFIX}`))) return encrypted ? `${name}${ENCRYPTED_SUFFIX}` : name;
    }
  }

  async #prune(dir: string): Promise<void> {
    const names = (await fs.readdir(dir)).filter(isBackupName);
    const keep = backupsToKeep(names);
    for (const name of names) if (!keep.has(name)) await fs.rm(path.join(dir, name), { force: true });
  }

  async #copyOut(name: string): Promise<string | null> {
    const copyDir = this.copyDir;
    if (!copyDir) return null;
    try {
      // No mkdir: a missing folder usually means the USB drive is not plugged in, and a folder
      // made on the PC's own disk in its place would give false comfort.
      if (!(await fs.stat(copyDir)).isDirectory()) throw new Error(`${copyDir} is not a folder`);
      const target = path.join(copyDir, name);
      await fs.copyFile(path.join(this.dir, name), `${target}.tmp`);
      await fs.rename(`${target}.tmp`, target);
      await this.#prune(copyDir);
      this.#lastCopyError = null;
      return target;
    } catch (error) {
      this.#lastCopyError = `Could not copy the backup to ${copyDir}: ${(error as Error).message}`;
      this.deps.logger.warn(`${this.#lastCopyError}. The backup itself is in ${this.dir}.`);
      return null;
    }
  }

  /**
   * Hands `send` a copy of a backup for download over the network, without the CA key: the key
   * lets whoever holds it impersonate this server to every tablet, so it leaves the PC only on a
   * drive that staff carry (the USB copy). Restoring such a copy keeps the CA of the PC it is
   * restored on, or makes a new one that tablets must trust again.
   */
  async withDownloadCopy(name: string, send: (file: string) => Promise<void>): Promise<boolean> {
    const file = await this.fileOf(name);
    if (!file) return false;
    const encrypted = name.endsWith(ENCRYPTED_SUFFIX);
    const key = encrypted ? await loadBackupKey(this.deps.dataDir) : null;
    // The server can look inside only backups made with its current passphrase.
    if (encrypted && !(key && (await isEncryptedWith(file, key)))) throw new AppError('BACKUP_KEY_CHANGED', 'This backup was made with an earlier passphrase (or before encryption was turned off); copy it from the backups folder instead', 409);
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-backup-download-'));
    try {
      const plain = key ? path.join(work, 'plain.tar.gz') : file;
      if (key) await decryptBackupOffThread(file, plain, key.key);
      const manifest = await unpackBackupOffThread(plain, path.join(work, 'backup'));
      if (manifest.includesCaKey) {
        await fs.rm(path.join(work, 'backup', 'data', CA_KEY_PATH));
        const copy = path.join(work, name);
        const facts = { createdAt: manifest.createdAt, seq: manifest.seq, counts: manifest.counts };
        if (key) {
          await packBackupOffThread(path.join(work, 'backup'), path.join(work, 'stripped.tar.gz'), facts);
          await encryptBackupOffThread(path.join(work, 'stripped.tar.gz'), copy, key);
        } else {
          await packBackupOffThread(path.join(work, 'backup'), copy, facts);
        }
        await send(copy);
      } else {
        await send(file);
      }
      return true;
    } finally {
      await removeFolder(work);
    }
  }

  async #hasBackupOfToday(): Promise<boolean> {
    const today = formatTimeIn(this.deps.clock.now(), this.deps.timeZone(), 'yyyy-MM-dd');
    return (await this.list()).some((entry) => entry.day === today);
  }

  /** A backup now if there is none of today, then the same check every hour. */
  startDailySchedule(options: { firstCheckAfterMs?: number } = {}): { stop(): Promise<void> } {
    const { logger } = this.deps;
    const check = () =>
      this.#exclusive(async () => {
        await this.#removeLeftovers();
        if (await this.#hasBackupOfToday()) return;
        const backup = await this.#create('system');
        logger.info(`Backed up the data: ${path.join(this.dir, backup.name)}${backup.copiedTo ? ` (copy: ${backup.copiedTo})` : ''}`);
      }).catch((error: unknown) => logger.error('The daily backup failed; the next try is in an hour', error));
    let running: Promise<void> = Promise.resolve();
    const first = setTimeout(() => {
      running = check();
    }, options.firstCheckAfterMs ?? 0);
    first.unref();
    if (!options.firstCheckAfterMs) {
      clearTimeout(first);
      running = check();
    }
    const timer = setInterval(() => {
      running = check();
    }, CHECK_INTERVAL_MS);
    timer.unref();
    return {
      async stop() {
        clearTimeout(first);
        clearInterval(timer);
        await running;
      },
    };
  }

  /** Half-made backups from a crash or power cut during a backup. */
  async #removeLeftovers(): Promise<void> {
    for (const name of await fs.readdir(this.dir).catch(() => [] as string[])) {
      if (name.startsWith(STAGING_PREFIX) || name.endsWith('.tar.gz.tmp') || name.endsWith(`.tar.gz${ENCRYPTED_SUFFIX}.tmp`)) await fs.rm(path.join(this.dir, name), { recursive: true, force: true });
    }
  }
}
