import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { mergeSettings, settingsPatchSchema } from '../protocol/settings.ts';
import { openActivitySummaries } from '../activities/open-activities.ts';

const auditQuerySchema = z.object({ q: z.string().trim().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) });

export function settingsRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/settings', requirePermission('board:view'), (_req, res) => {
    res.json(ctx.store.state.settings);
  });

  router.patch('/settings', requirePermission('settings:write'), async (req, res) => {
    const patch = parseInput(settingsPatchSchema, req.body);
    const merged = mergeSettings(ctx.store.state.settings, patch);
    const now = ctx.clock.now();
    await ctx.store.commit([{ c: 'config', v: { id: 'settings', settings: merged } }, auditChange(now, actorOf(req), 'settings.updated', undefined, Object.keys(patch).join(', '))]);
    ctx.notifications.emit('activities:changed', openActivitySummaries(ctx.store.state, now));
    res.json(merged);
  });

  router.get('/audit', requirePermission('audit:read'), (req, res) => {
    const query = parseInput(auditQuerySchema, req.query);
    const q = query.q?.toLowerCase();
    const items = [...ctx.store.state.records.audit.values()].filter((e) => !q || `${e.actor} ${e.action} ${e.summary ?? ''} ${e.target ?? ''}`.toLowerCase().includes(q));
    res.json({ items: items.slice(-query.limit).reverse() });
  });

  return router;
}
