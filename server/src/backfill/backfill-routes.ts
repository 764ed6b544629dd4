import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { announceAttendance } from '../attendance/attendance-notice.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { backfillSchema, type BackfillResult } from '../protocol/backfill.ts';
import { decideBackfill } from './backfill-rules.ts';

/** Bulk 补录 from a paper sheet (issue 12): one commit for the whole batch. */
export function backfillRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/attendance/bulk', requirePermission('attendance:write'), async (req, res) => {
    const input = parseInput(backfillSchema, req.body);
    const { changes, result } = decideBackfill(ctx.store.state, input, { now: ctx.clock.now(), actor: actorOf(req) });
    await ctx.store.commit(changes);
    // The board recomputes its figures on a correction; one notice for the batch is enough.
    announceAttendance(ctx, 'correction', result.attendanceIds[0]!);
    res.status(201).json(result satisfies BackfillResult);
  });
  return router;
}
