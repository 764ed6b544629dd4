import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { announceAttendance } from '../attendance/attendance-notice.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { assistedCheckInSchema, assistedSearchSchema, type AssistedCheckInResult, type AssistedPerson } from '../protocol/assisted-checkin.ts';
import { decideAssistedCheckIn, findPeople } from './assisted-checkin.ts';

/** Staff-assisted check-in (issue 12): find a person, sign them in or out of an open activity. */
export function assistedCheckInRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/assisted-checkin/people', requirePermission('attendance:write'), (req, res) => {
    const { q } = parseInput(assistedSearchSchema, req.query);
    res.json({ items: findPeople(ctx.store.state, q) satisfies AssistedPerson[] });
  });

  router.post('/assisted-checkin', requirePermission('attendance:write'), async (req, res) => {
    const input = parseInput(assistedCheckInSchema, req.body);
    const decision = decideAssistedCheckIn(ctx.store.state, input, { now: ctx.clock.now(), actor: actorOf(req), staffName: req.staff!.displayName });
    await ctx.store.commit(decision.changes);
    if (decision.changed) announceAttendance(ctx, decision.changed.action, decision.changed.attendanceId);
    res.json(decision.result satisfies AssistedCheckInResult);
  });

  return router;
}
