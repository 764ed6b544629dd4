import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { announceAttendance } from '../attendance/attendance-notice.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { assistedCheckInSchema, assistedSearchSchema, type AssistedCheckInResult, type AssistedPerson } from '../protocol/assisted-checkin.ts';
import { auditChange } from '../audit.ts';
import { parsePersonQuery, phoneSearchSummary, searchesByPhone } from '../volunteers/search.ts';
import { decideAssistedCheckIn, findPeople } from './assisted-checkin.ts';

/** Staff-assisted check-in (issue 12): find a person, sign them in or out of an open activity. */
export function assistedCheckInRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/assisted-checkin/people', requirePermission('attendance:write'), async (req, res) => {
    const search = parsePersonQuery(parseInput(assistedSearchSchema, req.query).q);
    const items = findPeople(ctx.store.state, search);
    // Looking someone up by their number is recorded, as in the register's search.
    if (searchesByPhone(search)) await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'volunteers.searched-by-phone', undefined, phoneSearchSummary(search, items.length))]);
    res.json({ items: items satisfies AssistedPerson[] });
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
