import { Router } from 'express';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../protocol/errors.ts';
import { type BackupService, KEEP_DAILY, KEEP_MONTHLY } from './backup-service.ts';
import { assertNoReservedNames, BackupInvalidError } from './backup-archive.ts';
import type { BackupList } from '../protocol/views.ts';
import { lastRestore, pendingRestore, requestRestore } from './requested-restore.ts';
import { parseInput } from '../http/validate.ts';
import { z } from 'zod';
import { checkCopyFolder } from './copy-folder.ts';
import { mergeSettings } from '../protocol/settings.ts';
import { isEncryptedBackup, loadBackupKey, MIN_PASSPHRASE_LENGTH, passphraseProblems, removeBackupKey, setBackupPassphrase, unlockBackup } from './backup-encryption.ts';
import { decryptBackupOffThread } from './backup-offthread.ts';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { STAGING_PREFIX } from './backup-archive.ts';

/** A bad backup or passphrase is the caller's problem (422), with its own code. */
function asAppError(error: unknown): never {
  if (error instanceof BackupInvalidError) throw new AppError(error.code, error.message, 422);
  throw error;
}

const restoreConfirmSchema = z.object({ confirm: z.string().max(200), passphrase: z.string().max(1000).optional() });
const encryptionSchema = z.discriminatedUnion('enabled', [
  z.object({ enabled: z.literal(true), passphrase: z.string().max(1000), passphraseAgain: z.string().max(1000) }),
  z.object({ enabled: z.literal(false) }),
]);
const copyFolderSchema = z.object({ folder: z.string().trim().max(500).nullable() });

/**
 * Admin only: a backup holds every volunteer's personal data and the card key. The admin app
 * lists, makes, downloads and restores backups here. A restore must happen while the server is
 * stopped, so the admin's request is carried out by the next start (`npm run restore -- FILE`
 * on the PC does the same by hand).
 */
export function backupRoutes(ctx: AppContext, backups: BackupService): Router {
  const router = Router();

  router.get('/backups', requirePermission('backup:manage'), async (_req, res) => {
    res.json({
      items: await backups.list(),
      folder: backups.dir,
      copyDir: backups.copyDir,
      lastCopyError: backups.lastCopyError,
      rotation: { daily: KEEP_DAILY, monthly: KEEP_MONTHLY },
      pendingRestore: await pendingRestore(ctx.config.dataDir),
      encryption: await loadBackupKey(ctx.config.dataDir).then((key) => ({ enabled: key !== null, since: key?.since ?? null, minLength: MIN_PASSPHRASE_LENGTH })),
      lastRestore: await lastRestore(ctx.config.dataDir),
    } satisfies BackupList);
  });

  router.post('/backups', requirePermission('backup:manage'), async (req, res) => {
    res.status(201).json(await backups.create(actorOf(req)));
  });

  // Restoring replaces everything since the backup, so the admin confirms by typing the backup's name.
  router.post('/backups/:name/restore', requirePermission('backup:manage'), async (req, res) => {
    const name = String(req.params.name);
    const { confirm, passphrase } = parseInput(restoreConfirmSchema, req.body);
    const file = await backups.fileOf(name);
    if (!file) throw new AppError('NOT_FOUND', 'There is no backup with this name', 404);
    if (confirm !== name) throw new AppError('VALIDATION_FAILED', 'Type the backup’s name to confirm the restore', 400);
    // A file someone put into the backups folder by hand is checked now, not after the restart;
    // so is an encrypted backup's passphrase, and every chunk of it (a tampered one is refused).
    let masterKey: string | undefined;
    if (await isEncryptedBackup(file)) {
      masterKey = await unlockBackup(file, passphrase).catch(asAppError);
      const plain = path.join(backups.dir, `${STAGING_PREFIX}${randomBytes(6).toString('hex')}.tar.gz`);
      try {
        await decryptBackupOffThread(file, plain, masterKey).catch(asAppError);
        await assertNoReservedNames(plain).catch(asAppError);
      } finally {
        await fs.rm(plain, { force: true });
      }
    } else {
      await assertNoReservedNames(file).catch(asAppError);
    }
    await requestRestore(ctx.config.dataDir, file, actorOf(req), masterKey);
    await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'backup.restore-requested', name)]);
    res.status(202).json({ backup: name, restarting: true });
    // After the answer is sent: the server stops, and the start that follows carries out the restore.
    res.on('finish', () => ctx.notifications.emit('station:restart-requested'));
  });

  // The USB folder each backup is also copied to. Checked here, not at night: a folder that is
  // missing or read-only would otherwise fail silently at the next backup.
  router.put('/backups/copy-folder', requirePermission('backup:manage'), async (req, res) => {
    const { folder } = parseInput(copyFolderSchema, req.body);
    const checked = folder ? await checkCopyFolder(folder) : null;
    const settings = mergeSettings(ctx.store.state.settings, {});
    const next = { ...settings, backupCopyDir: checked };
    await ctx.store.commit([
      { c: 'config', v: { id: 'settings', settings: next } },
      auditChange(ctx.clock.now(), actorOf(req), 'backup.copy-folder-set', undefined, checked ?? '', { folder: checked }),
    ]);
    res.json({ copyDir: backups.copyDir });
  });

  // Encryption of new backups with a passphrase. The passphrase is never stored: the key scrypt
  // makes from it is (DATA_DIR/backup-encryption.key, 0600), so the daily backup runs unattended.
  router.put('/backups/encryption', requirePermission('backup:manage'), async (req, res) => {
    const input = parseInput(encryptionSchema, req.body);
    if (input.enabled) {
      const problems = passphraseProblems(input.passphrase, input.passphraseAgain);
      if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems.map((p) => p.message).join('; '), 400, { problems });
      await setBackupPassphrase(ctx.config.dataDir, input.passphrase, ctx.clock.now());
    } else {
      await removeBackupKey(ctx.config.dataDir);
    }
    await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'backup.encryption-set', undefined, input.enabled ? 'on' : 'off', { enabled: input.enabled })]);
    const key = await loadBackupKey(ctx.config.dataDir);
    res.json({ enabled: key !== null, since: key?.since ?? null, minLength: MIN_PASSPHRASE_LENGTH });
  });

  router.get('/backups/:name', requirePermission('backup:manage'), async (req, res) => {
    const name = String(req.params.name);
    if (!(await backups.fileOf(name))) throw new AppError('NOT_FOUND', 'There is no backup with this name', 404);
    await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'backup.downloaded', name)]);
    await backups.withDownloadCopy(name, (file) =>
      new Promise<void>((resolve, reject) => {
        res.download(file, name, { headers: { 'Content-Type': name.endsWith('.enc') ? 'application/octet-stream' : 'application/gzip', 'Cache-Control': 'no-store' } }, (error) => (error && !res.headersSent ? reject(error) : resolve()));
      }),
    );
  });

  return router;
}
