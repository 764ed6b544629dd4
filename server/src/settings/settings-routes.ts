import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { AuditEntry } from '../protocol/model.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { mergeSettings, settingsPatchSchema } from '../protocol/settings.ts';
import { openActivitySummaries } from '../activities/open-activities.ts';
import { auditNames, nameOf } from '../audit-log/audit-names.ts';

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
    await ctx.store.commit([{ c: 'config', v: { id: 'settings', settings: merged } }, auditChange(now, actorOf(req), 'settings.updated', undefined, Object.keys(patch).join(', '), { keys: settingKeysOf(patch) })]);
    ctx.notifications.emit('activities:changed', openActivitySummaries(ctx.store.state, now));
    res.json(merged);
  });

  router.get('/audit', requirePermission('audit:read'), (req, res) => {
    const query = parseInput(auditQuerySchema, req.query);
    const q = query.q?.toLowerCase();
    const state = ctx.store.state;
    // Staff search by the names they see (刘阿姨), not only by the stored usernames and ids.
    const matches = (e: AuditEntry) =>
      `${e.actor} ${e.action} ${e.summary ?? ''} ${e.target ?? ''} ${nameOf(state, e.actor) ?? ''} ${e.target ? (nameOf(state, e.target) ?? '') : ''}`.toLowerCase().includes(q!);
    const items = [...state.records.audit.values()].filter((e) => !q || matches(e)).slice(-query.limit).reverse();
    res.json({ items, names: auditNames(state, items) });
  });

  return router;
}

/** The settings a PATCH named, as dotted paths (hours.graceMinutes), for the log to label them. */
function settingKeysOf(patch: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(patch).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value) && prefix === '' && !('kind' in value) ? settingKeysOf(value as Record<string, unknown>, `${key}.`) : [`${prefix}${key}`],
  );
}
