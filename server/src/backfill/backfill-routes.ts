import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { announceAttendance } from '../attendance/attendance-notice.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { backfillSchema, type BackfillResult } from '../protocol/backfill.ts';
import { decideBackfill } from './backfill-rules.ts';
import { archivedAttendanceAround } from '../volunteer-history/archived-history.ts';

/** Bulk 补录 from a paper sheet (issue 12): one commit for the whole batch. */
export function backfillRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/attendance/bulk', requirePermission('attendance:write'), async (req, res) => {
    const input = parseInput(backfillSchema, req.body);
    const times = input.entries.flatMap((e) => [Date.parse(e.checkInAt), Date.parse(e.checkOutAt)]);
    const span = { from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString() };
    const archived = await archivedAttendanceAround(ctx.store, input.entries.map((e) => e.volunteerId), span.from, span.to);
    // Decided after the archive read, on the state as it is then, and committed in the same tick.
    const { changes, result } = decideBackfill(ctx.store.state, input, { now: ctx.clock.now(), actor: actorOf(req), archived });
    await ctx.store.commit(changes);
    // The board recomputes its figures on a correction; one notice for the batch is enough.
    announceAttendance(ctx, 'correction', result.attendanceIds[0]!);
    res.status(201).json(result satisfies BackfillResult);
  });
  return router;
}
