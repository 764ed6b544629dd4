import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import { can } from '../protocol/roles.ts';
import { deviceForToken } from '../devices/device-routes.ts';
import { AppError } from '../protocol/errors.ts';
import { finalizeDueNotices } from '../notices/finalize-notices.ts';
import { noticeOnBoard } from '../notices/notice-views.ts';
import { boardState } from './board-state.ts';

/** Boards that refetch together (after a restart, all at once) share one computation within this span. */
const CACHE_MS = 10_000;

/** A board device's token as `Authorization: Bearer …`, or a staff session allowed to view the board. */
export function boardAccess(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token) {
      const device = deviceForToken(ctx, token);
      if (!device) throw new AppError('DEVICE_TOKEN_INVALID', 'This board’s pairing is no longer valid; pair it again', 401);
      if (device.mode !== 'board') throw new AppError('DEVICE_MODE_FORBIDDEN', 'This device is not paired as a board', 403);
      return next();
    }
    if (!req.staff) throw new AppError('UNAUTHENTICATED', 'A paired board or a staff sign-in is needed', 401);
    if (!can(req.staff.role, 'board:view')) throw new AppError('FORBIDDEN', 'Your account’s role does not allow this', 403);
    next();
  };
}

export function boardRoutes(ctx: AppContext): Router {
  const router = Router();
  let cached: { key: string; json: string } | null = null;

  router.get('/board', boardAccess(ctx), async (_req, res) => {
    await finalizeDueNotices(ctx);
    const state = ctx.store.state;
    const now = ctx.clock.now();
    // The state's sequence moves with every commit and the version with every announcement; the
    // time bucket lets activities open and close by the clock.
    const key = `${state.seq}:${ctx.live.boardVersion}:${Math.floor(now.getTime() / CACHE_MS)}`;
    if (cached?.key !== key) {
      cached = { key, json: JSON.stringify(boardState({ state, now, version: ctx.live.boardVersion, notice: noticeOnBoard(state, now) })) };
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/json').send(cached.json);
  });

  return router;
}
