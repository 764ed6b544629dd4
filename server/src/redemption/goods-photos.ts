import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import express, { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { isPhotoType, photoTypes } from '../http/image-types.ts';
import { AppError } from '../protocol/errors.ts';
import type { Goods } from '../protocol/model.ts';
import { announceStock } from './redeem-handler.ts';

/** Lives inside DATA_DIR, so backups (which copy every data entry) carry the photos with the records. */
export const GOODS_PHOTOS_DIR = 'goods-photos';
const MAX_BYTES = 2 * 1024 * 1024;

/** The URL the counter loads; `v` changes with each upload so a tablet never shows a replaced photo. */
export function goodsPhotoUrl(goods: Goods): string | undefined {
  return goods.photo ? `/api/goods/${encodeURIComponent(goods.id)}/photo?v=${encodeURIComponent(goods.photo.updatedAt)}` : undefined;
}

export function goodsPhotoRoutes(ctx: AppContext): Router {
  const router = Router();
  const dir = path.join(ctx.config.dataDir, GOODS_PHOTOS_DIR);
  const fileOf = (goodsId: string, type: string) => path.join(dir, `${goodsId}.${isPhotoType(type) ? photoTypes[type].ext : 'bin'}`);
  const find = (id: string) => {
    const goods = ctx.store.state.get('goods', id);
    if (!goods) throw new AppError('NOT_FOUND', 'No such goods', 404);
    return goods;
  };
  // A photo of another type stays behind as `<id>.<old ext>` otherwise; missing files are fine.
  const removeOtherFiles = async (goodsId: string, keep?: string) => {
    for (const { ext } of Object.values(photoTypes)) {
      const file = path.join(dir, `${goodsId}.${ext}`);
      if (file !== keep) await fs.rm(file, { force: true });
    }
  };

  // The body is the image itself, read raw on this route only (the JSON parser ignores image types).
  const rawImage = express.raw({ type: () => true, limit: MAX_BYTES });
  router.put('/goods/:id/photo', requirePermission('goods:write'), rawImage, async (req, res) => {
    const goods = find(req.params.id as string);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const bytes: unknown = req.body;
    if (!isPhotoType(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'A goods photo must be a JPEG, PNG or WebP image', 415);
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new AppError('VALIDATION_FAILED', 'The photo is empty', 400);
    // The header alone is the client's claim; the first bytes say what the file really is.
    if (!photoTypes[type].matches(bytes)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The file is not the image type it claims to be', 415);

    await fs.mkdir(dir, { recursive: true });
    const file = fileOf(goods.id, type);
    // The .tmp suffix keeps a half-written file out of backups (they skip *.tmp); rename makes it whole at once.
    const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temporary, bytes);
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
    await removeOtherFiles(goods.id, file);
    const now = ctx.clock.now();
    const updated: Goods = { ...find(goods.id), photo: { type, updatedAt: now.toISOString() } };
    await ctx.store.commit([{ c: 'goods', v: updated }, auditChange(now, actorOf(req), 'goods.photo-set', goods.id, `${goods.name} (${type}, ${bytes.length} bytes)`, { bytes: bytes.length })]);
    announceStock(ctx, [goods.id]);
    res.json({ photo: updated.photo, photoUrl: goodsPhotoUrl(updated) });
  });

  router.delete('/goods/:id/photo', requirePermission('goods:write'), async (req, res) => {
    const goods = find(req.params.id as string);
    if (goods.photo) {
      const { photo: _removed, ...rest } = goods;
      const now = ctx.clock.now();
      await ctx.store.commit([{ c: 'goods', v: rest }, auditChange(now, actorOf(req), 'goods.photo-removed', goods.id, goods.name)]);
      announceStock(ctx, [goods.id]);
    }
    await removeOtherFiles(goods.id);
    res.status(204).end();
  });

  // Counter tablets have no staff session, and a goods photo is not personal data: no login here.
  router.get('/goods/:id/photo', async (req, res) => {
    const goods = find(req.params.id as string);
    if (!goods.photo) throw new AppError('NOT_FOUND', 'This goods has no photo', 404);
    const etag = `"${goods.photo.updatedAt}"`;
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    const bytes = await fs.readFile(fileOf(goods.id, goods.photo.type)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new AppError('NOT_FOUND', 'The photo file is missing', 404);
      throw error;
    });
    res.setHeader('Content-Type', goods.photo.type);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(bytes);
  });

  return router;
}
