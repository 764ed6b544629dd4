import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { fromTenths, toTenths } from '../domain/points.ts';
import { parseInput } from '../http/validate.ts';
import { newId } from '../ids.ts';
import { AppError } from '../protocol/errors.ts';
import type { LedgerEntry } from '../protocol/model.ts';
import type { Ledger } from '../protocol/views.ts';
import { pointsAdjustSchema } from '../protocol/schemas.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';
import { historyOf } from '../store/archive/history.ts';

export function pointsRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/volunteers/:id/ledger', requirePermission('volunteers:read'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const state = await historyOf(ctx.store);
    const entries = state.ledgerIdsOf(volunteer.id).map((id) => state.get('ledger', id)!);
    res.json({ balance: fromTenths(state.balanceTenthsOf(volunteer.id)), items: entries.reverse() } satisfies Ledger);
  });

  // A manual bonus or deduction is a new ledger entry with its reason; the balance is the sum and never goes negative.
  router.post('/volunteers/:id/points', requirePermission('points:write'), async (req, res) => {
    const input = parseInput(pointsAdjustSchema, req.body);
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const state = ctx.store.state;
    const balance = state.balanceTenthsOf(volunteer.id);
    if (balance + toTenths(input.delta) < 0) {
      throw new AppError('INSUFFICIENT_POINTS', `The balance is ${fromTenths(balance)}; a deduction of ${-input.delta} would make it negative`, 409, { balance: fromTenths(balance) });
    }
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const entry: LedgerEntry = { id: newId(), volunteerId: volunteer.id, delta: input.delta, kind: 'manual', reason: input.reason, at: now.toISOString(), by: actor };
    await ctx.store.commit([{ c: 'ledger', v: entry }, auditChange(now, actor, 'points.adjusted', volunteer.id, `${input.delta > 0 ? '+' : ''}${input.delta}: ${input.reason}`, { delta: input.delta, reason: input.reason })]);
    res.status(201).json({ ...entry, balance: fromTenths(ctx.store.state.balanceTenthsOf(volunteer.id)) });
  });

  return router;
}
