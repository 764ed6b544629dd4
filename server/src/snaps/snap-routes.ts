import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { can } from '../protocol/roles.ts';
import { monthKey } from '../domain/time-zone.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { requireVolunteer } from '../me/phone-sessions.ts';
import { AppError } from '../protocol/errors.ts';
import { snapListQuerySchema, snapResolveSchema, snapReviewSchema, snapUploadSchema, type Snap } from '../protocol/me.ts';
import { snapSettingsOf } from '../protocol/settings.ts';
import type { Change } from '../store/state.ts';
import { sendTables, sheet } from '../reports/table-export.ts';
import { processSnapPhoto, snapPhotoPath } from './snap-photos.ts';
import { photoUpload, readPhotoFile, writeFileAtomically } from '../http/photo-files.ts';
import { decideResolve, decideReview, filterSnaps, mySnapView, snapMonthReport, staffSnapView } from './snap-rules.ts';
import { snapCategoryNames, snapStatusNames } from './snap-names.ts';

/** Multipart for the one photo field; the size limit is the center's setting, read per request. */
function snapUpload(ctx: AppContext): RequestHandler {
  return photoUpload({ field: 'photo', maxBytes: () => snapSettingsOf(ctx.store.state.settings).maxUploadBytes, tooLargeMessage: 'The photo is too large; the page shrinks photos before sending, try again from it' });
}

function findSnap(ctx: AppContext, id: string): Snap {
  const snap = ctx.store.state.get('snaps', id);
  if (!snap) throw new AppError('NOT_FOUND', 'No such snap', 404);
  return snap;
}

export function snapRoutes(ctx: AppContext): Router {
  const router = Router();
  const zone = () => ctx.store.state.settings.timeZone;

  // ---- the volunteer's phone ----

  router.post('/me/snaps', requireVolunteer, snapUpload(ctx), async (req, res) => {
    const input = parseInput(snapUploadSchema, req.body);
    if (!req.file) throw new AppError('VALIDATION_FAILED', 'Add a photo', 400, { problems: [{ field: 'photo', message: 'Required' }] });
    const volunteerId = req.phone!.volunteer.id;
    // The phone's queue may send a snap again when its first answer was lost: the same snap, nothing new.
    const sentBefore = () => (input.clientId ? [...ctx.store.state.records.snaps.values()].find((s) => s.volunteerId === volunteerId && s.clientId === input.clientId) : undefined);
    const earlier = sentBefore();
    if (earlier) {
      res.status(201).json({ id: earlier.id, status: earlier.status });
      return;
    }
    const processed = await processSnapPhoto(req.file.buffer);
    const id = newId();
    const file = `${id}.jpg`;
    // Files first, record second: a crash in between leaves an unreferenced file, never a record without its photo.
    await writeFileAtomically(snapPhotoPath(ctx.config.dataDir, file, 'full'), processed.photo);
    await writeFileAtomically(snapPhotoPath(ctx.config.dataDir, file, 'thumb'), processed.thumbnail);
    // Checked again in the tick that commits: two copies of one resend may have been processed side by side.
    const twin = sentBefore();
    if (twin) {
      res.status(201).json({ id: twin.id, status: twin.status });
      return;
    }
    const now = ctx.clock.now();
    const snap: Snap = {
      id,
      volunteerId,
      category: input.category,
      place: input.place,
      ...(input.note ? { note: input.note } : {}),
      photo: { file, type: 'image/jpeg', width: processed.width, height: processed.height, bytes: processed.photo.length },
      createdAt: now.toISOString(),
      status: 'pending',
      ...(input.clientId ? { clientId: input.clientId } : {}),
    };
    await ctx.store.commit([{ c: 'snaps', v: snap }, auditChange(now, `volunteer:${volunteerId}`, 'snap.created', id, `${input.category} ${input.place}`, { category: input.category, place: input.place })]);
    ctx.notifications.emit('board:changed');
    res.status(201).json({ id, status: 'pending' as const });
  });

  router.get('/me/snaps', requireVolunteer, (req, res) => {
    const own = [...ctx.store.state.records.snaps.values()].filter((s) => s.volunteerId === req.phone!.volunteer.id);
    res.json({ items: filterSnaps(own, {}, zone()).map(mySnapView) });
  });

  // The photo: its own volunteer's phone, or staff who may see volunteers' records.
  router.get('/snaps/:id/photo', async (req, res) => {
    const snap = findSnap(ctx, req.params.id as string);
    const isOwner = req.phone?.volunteer.id === snap.volunteerId;
    if (!isOwner) {
      if (!req.staff) throw new AppError('UNAUTHENTICATED', 'Please sign in first', 401);
      if (!can(req.staff.role, 'volunteers:read')) throw new AppError('FORBIDDEN', 'Your account’s role does not allow this', 403);
    }
    await sendPhoto(res, snapPhotoPath(ctx.config.dataDir, snap.photo.file, req.query.size === 'thumb' ? 'thumb' : 'full'), 'private');
  });

  // ---- staff ----

  router.get('/snaps', requirePermission('volunteers:read'), (req, res) => {
    const filter = parseInput(snapListQuerySchema, req.query);
    const state = ctx.store.state;
    const items = filterSnaps(state.records.snaps.values(), filter, zone()).map((s) => staffSnapView(s, state.get('volunteers', s.volunteerId)));
    res.json({ items, pending: [...state.records.snaps.values()].filter((s) => s.status === 'pending').length });
  });

  router.post('/snaps/:id/review', requirePermission('points:write'), async (req, res) => {
    const input = parseInput(snapReviewSchema, req.body);
    const snap = findSnap(ctx, req.params.id as string);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const decided = decideReview(snap, input, snapSettingsOf(ctx.store.state.settings), now, actor, newId());
    const changes: Change[] = [{ c: 'snaps', v: decided.snap }];
    if (decided.ledger) changes.push({ c: 'ledger', v: decided.ledger });
    changes.push(auditChange(now, actor, input.accepted ? 'snap.accepted' : 'snap.declined', snap.id, input.accepted ? `+${decided.snap.review!.points}` : input.note, input.accepted ? { points: decided.snap.review!.points } : { reason: input.note ?? '' }));
    await ctx.store.commit(changes);
    res.json(staffSnapView(decided.snap, ctx.store.state.get('volunteers', snap.volunteerId)));
  });

  router.post('/snaps/:id/resolve', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(snapResolveSchema, req.body);
    const snap = findSnap(ctx, req.params.id as string);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const resolved = decideResolve(snap, input.note, now, actor);
    await ctx.store.commit([{ c: 'snaps', v: resolved }, auditChange(now, actor, 'snap.resolved', snap.id, input.note, { note: input.note })]);
    ctx.notifications.emit('board:changed');
    res.json(staffSnapView(resolved, ctx.store.state.get('volunteers', snap.volunteerId)));
  });

  router.get('/snaps/report', requirePermission('reports:read'), (req, res) => {
    const month = parseInput(snapListQuerySchema.pick({ month: true }), req.query).month ?? monthKey(ctx.clock.now(), zone());
    res.json(snapMonthReport(ctx.store.state.records.snaps.values(), month, zone()));
  });

  // Names the volunteers who reported: personal data, so the personal-export permission.
  router.get('/exports/snaps.xlsx', requirePermission('exports:personal'), async (req, res) => {
    const month = parseInput(snapListQuerySchema.pick({ month: true }), req.query).month ?? monthKey(ctx.clock.now(), zone());
    const state = ctx.store.state;
    const snaps = filterSnaps(state.records.snaps.values(), { month }, zone()).reverse();
    const report = snapMonthReport(snaps, month, zone());
    const now = ctx.clock.now();
    await ctx.store.commit([auditChange(now, actorOf(req), 'export.snaps', undefined, month, { month })]);
    await sendTables(res, 'xlsx', { name: `随手拍-${month}`, ascii: `snaps-${month}` }, [
      sheet({
        name: '随手拍',
        rows: snaps,
        columns: [
          { header: '上报时间', value: (s) => s.createdAt, width: 22 },
          { header: '志愿者', value: (s) => state.get('volunteers', s.volunteerId)?.name ?? '', width: 12 },
          { header: '卡号', value: (s) => state.get('volunteers', s.volunteerId)?.cardNo ?? '', width: 10 },
          { header: '类别', value: (s) => snapCategoryNames[s.category], width: 14 },
          { header: '地点', value: (s) => s.place, width: 24 },
          { header: '说明', value: (s) => s.note ?? '', width: 30 },
          { header: '状态', value: (s) => snapStatusNames[s.status], width: 10 },
          { header: '积分', value: (s) => s.review?.points ?? '', width: 8 },
          { header: '审核意见', value: (s) => s.review?.note ?? '', width: 24 },
          { header: '处置情况', value: (s) => s.resolution?.note ?? '', width: 30 },
        ],
      }),
      sheet({
        name: '按类别',
        rows: report.byCategory,
        columns: [
          { header: '类别', value: (r) => snapCategoryNames[r.category], width: 14 },
          { header: '上报', value: (r) => r.count },
          { header: '采纳', value: (r) => r.accepted },
          { header: '积分', value: (r) => r.points },
        ],
      }),
      sheet({ name: '按地点', rows: report.byPlace, columns: [{ header: '地点', value: (r) => r.place, width: 24 }, { header: '上报', value: (r) => r.count }] }),
    ]);
  });

  // The board shows thumbnails of handled snaps only when the center allows it (faces, doors, plates).
  router.get('/board/snaps/:id/thumb', async (req, res) => {
    const snap = findSnap(ctx, req.params.id as string);
    if (!snapSettingsOf(ctx.store.state.settings).boardThumbnails || snap.status !== 'handled') throw new AppError('NOT_FOUND', 'No such picture', 404);
    await sendPhoto(res, snapPhotoPath(ctx.config.dataDir, snap.photo.file, 'thumb'), 'public');
  });

  return router;
}

async function sendPhoto(res: import('express').Response, file: string, cache: 'private' | 'public'): Promise<void> {
  const bytes = await readPhotoFile(file);
  res.setHeader('Content-Type', 'image/jpeg');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // A snap's photo never changes once stored.
  res.setHeader('Cache-Control', `${cache}, max-age=86400`);
  res.send(bytes);
}
