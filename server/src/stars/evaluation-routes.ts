import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import type { Evaluation } from '../protocol/model.ts';
import { evaluationSchema } from '../protocol/notices.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';
import { figuresOf } from '../volunteers/figures.ts';

/**
 * The staff evaluation score (0–100) behind the optional star condition: one current score per
 * volunteer; a new one replaces it and the audit log keeps the earlier ones.
 */
export function evaluationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/volunteers/:id/evaluation', requirePermission('volunteers:read'), (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    res.json({ evaluation: ctx.store.state.get('evaluations', volunteer.id) ?? null, stars: figuresOf(ctx.store.state, volunteer.id, ctx.clock.now()).stars });
  });

  router.put('/volunteers/:id/evaluation', requirePermission('volunteers:write'), async (req, res) => {
    const input = parseInput(evaluationSchema, req.body);
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const now = ctx.clock.now();
    const actor = actorOf(req);
    const previous = ctx.store.state.get('evaluations', volunteer.id);
    const evaluation: Evaluation = { id: volunteer.id, volunteerId: volunteer.id, score: input.score, ...(input.note ? { note: input.note } : {}), at: now.toISOString(), by: actor };
    await ctx.store.commit([{ c: 'evaluations', v: evaluation }, auditChange(now, actor, 'volunteer.evaluated', volunteer.id, `${previous?.score ?? '—'} → ${input.score}`, { previous: previous?.score ?? null, score: input.score })]);
    res.json({ evaluation, stars: figuresOf(ctx.store.state, volunteer.id, now).stars });
  });

  return router;
}
