import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { photoUpload, readPhotoFile } from '../http/photo-files.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import type { Volunteer } from '../protocol/model.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';
import { kioskPhotoPasses } from './kiosk-photo-passes.ts';
import { deleteVolunteerPhotoFile, MAX_UPLOAD_BYTES, storeVolunteerPhoto, sweepStrayPhotoFiles, volunteerPhotoFile } from './volunteer-photo-files.ts';

/**
 * Volunteers' photos (issue 12): taken or uploaded by staff on the volunteer's record, shown to
 * staff there and, for the volunteer just scanned, on the kiosk's result screen. Never on the
 * board, a public page or the hub: only the reference (hash, size) is in the state.
 */

// The volunteer agreed to the photo and what it is for (PIPL art. 14): staff confirm it with each upload, and the audit keeps it.
const uploadSchema = z.object({ consent: z.literal('yes', { error: 'The volunteer’s consent to the photo is required' }) });

export function volunteerPhotoRoutes(ctx: AppContext): Router {
  const router = Router();
  const dataDir = ctx.config.dataDir;

  // File times are the OS's, so the sweep measures age by the OS clock, not the station's.
  void sweepStrayPhotoFiles(dataDir, ctx.store.state.records.volunteers.values(), new Date())
    .then((removed) => {
      if (removed.length > 0) ctx.logger.info(`Removed ${removed.length} volunteer photo file(s) no record points at`);
    })
    .catch((error: unknown) => ctx.logger.warn(`Could not check the volunteer photos folder: ${(error as Error).message}`));

  const upload = photoUpload({ field: 'photo', maxBytes: () => MAX_UPLOAD_BYTES, tooLargeMessage: 'The photo is larger than 8 MB', fields: 2 });

  router.put('/volunteers/:id/photo', requirePermission('volunteers:write'), upload, async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    if (volunteer.anonymizedAt) throw new AppError('CONFLICT', 'This volunteer was anonymized; no photo can be added', 409);
    parseInput(uploadSchema, req.body ?? {});
    if (!req.file || req.file.size === 0) throw new AppError('VALIDATION_FAILED', 'Add a photo', 400, { problems: [{ field: 'photo', message: 'Required' }] });
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const photo = await storeVolunteerPhoto(dataDir, volunteer.id, req.file.buffer, { at: now.toISOString(), by: actor });
    // Read again after the await: the record may have changed while the photo was encoded.
    const current = findVolunteer(ctx, volunteer.id);
    if (current.anonymizedAt) {
      await deleteVolunteerPhotoFile(dataDir, volunteer.id, photo);
      throw new AppError('CONFLICT', 'This volunteer was anonymized; no photo can be added', 409);
    }
    const updated: Volunteer = { ...current, photo, updatedAt: now.toISOString() };
    await ctx.store.commit([
      { c: 'volunteers', v: updated },
      auditChange(now, actor, 'volunteer.photo-set', volunteer.id, `${photo.width}×${photo.height}, ${photo.bytes} bytes; consent confirmed`, { bytes: photo.bytes, consent: true }),
    ]);
    // The same picture uploaded again has the same name: only a different old file goes.
    if (current.photo && current.photo.sha256.slice(0, 16) !== photo.sha256.slice(0, 16)) await deleteVolunteerPhotoFile(dataDir, volunteer.id, current.photo);
    res.json({ photo });
  });

  router.delete('/volunteers/:id/photo', requirePermission('volunteers:write'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    if (volunteer.photo) {
      const { photo, ...rest } = volunteer;
      const now = ctx.clock.now();
      await ctx.store.commit([{ c: 'volunteers', v: { ...rest, updatedAt: now.toISOString() } }, auditChange(now, actorOf(req), 'volunteer.photo-removed', volunteer.id)]);
      await deleteVolunteerPhotoFile(dataDir, volunteer.id, photo);
    }
    res.status(204).end();
  });

  // Staff who may read the register see the photo on the record; `?v=<hash>` versions the address.
  router.get('/volunteers/:id/photo', requirePermission('volunteers:read'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    if (!volunteer.photo) throw new AppError('NOT_FOUND', 'This volunteer has no photo', 404);
    sendPortrait(res, await readPhotoFile(volunteerPhotoFile(dataDir, volunteer.id, volunteer.photo)));
  });

  // A kiosk's one-off address from a scan's ack (see kiosk-photo-passes.ts); no session, the pass is the key.
  router.get('/kiosk-photos/:pass', async (req, res) => {
    const pass = kioskPhotoPasses(ctx).find(req.params.pass as string);
    const volunteer = pass ? ctx.store.state.get('volunteers', pass.volunteerId) : undefined;
    // A photo removed or replaced since the scan is not served from an old pass.
    if (!pass || !volunteer?.photo || volunteer.photo.sha256 !== pass.sha256) throw new AppError('NOT_FOUND', 'No such photo', 404);
    sendPortrait(res, await readPhotoFile(volunteerPhotoFile(dataDir, volunteer.id, volunteer.photo)));
  });

  return router;
}

/** A face is personal data: kept out of every cache (a shared PC's browser, a proxy). */
function sendPortrait(res: Response, bytes: Buffer): void {
  res.setHeader('Content-Type', 'image/jpeg');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.send(bytes);
}

