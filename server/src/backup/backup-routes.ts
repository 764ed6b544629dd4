import { Router } from 'express';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../protocol/errors.ts';
import { type BackupService, KEEP_DAILY, KEEP_MONTHLY } from './backup-service.ts';

/**
 * Admin only: a backup holds every volunteer's personal data and the card key. The admin app
 * lists, makes and downloads backups here; restoring is `npm run restore -- FILE` on the PC,
 * because it must happen while the server is stopped.
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
    });
  });

  router.post('/backups', requirePermission('backup:manage'), async (req, res) => {
    res.status(201).json(await backups.create(actorOf(req)));
  });

  router.get('/backups/:name', requirePermission('backup:manage'), async (req, res) => {
    const name = String(req.params.name);
    if (!(await backups.fileOf(name))) throw new AppError('NOT_FOUND', 'There is no backup with this name', 404);
    await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'backup.downloaded', name)]);
    await backups.withDownloadCopy(name, (file) =>
      new Promise<void>((resolve, reject) => {
        res.download(file, name, { headers: { 'Content-Type': 'application/gzip', 'Cache-Control': 'no-store' } }, (error) => (error && !res.headersSent ? reject(error) : resolve()));
      }),
    );
  });

  return router;
}
