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
import { addDays, startOfDayIn } from '../domain/time-zone.ts';
import { AppError } from '../protocol/errors.ts';
import { dayString } from '../protocol/schemas.ts';
import { historyOf } from '../store/archive/history.ts';
import type { StationState } from '../store/state.ts';

const auditQuerySchema = z
  .object({
    q: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    /** Days in the center's time zone, both included. */
    from: dayString.optional(),
    to: dayString.optional(),
    /** The next page: entries older than this one (the last entry of the page before). */
    before: z.string().trim().min(1).max(64).optional(),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'The first day must not be after the last', path: ['to'] });

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

  router.get('/audit', requirePermission('audit:read'), async (req, res) => {
    const query = parseInput(auditQuerySchema, req.query);
    // The newest pages come from the live log; a page reaching past it (or a range in closed
    // years) reads those years' archives (store/archive/), which hold their audit entries.
    const live = ctx.store.state;
    let page = auditPage(live, query);
    const archived = live.archivedYears().filter((year) => (!query.from || year >= Number(query.from.slice(0, 4))) && (!query.to || year <= Number(query.to.slice(0, 4))));
    if (archived.length > 0 && (page === undefined || (!page.more && page.reachedStart))) {
      page = auditPage(await historyOf(ctx.store, { from: archived[0]!, to: archived.at(-1)! }), query);
    }
    if (!page) throw new AppError('NOT_FOUND', 'The page to continue from is gone; start again from the newest', 404);
    res.json({ items: page.items, names: page.names, more: page.more });
  });

  return router;
}

/** The settings a PATCH named, as dotted paths (hours.graceMinutes), for the log to label them. */
function settingKeysOf(patch: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(patch).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value) && prefix === '' && !('kind' in value) ? settingKeysOf(value as Record<string, unknown>, `${key}.`) : [`${prefix}${key}`],
  );
}

/**
 * One page of the audit log, newest first, stopping at a full page; undefined when the entry to
 * continue from is not in this state. The log is in the order it was written, which is time
 * order unless the PC's clock was once put back, so days outside the range are skipped, not a stop.
 */
function auditPage(state: StationState, query: z.infer<typeof auditQuerySchema>): { items: AuditEntry[]; names: ReturnType<typeof auditNames>; more: boolean; reachedStart: boolean } | undefined {
  const q = query.q?.toLowerCase();
  // Staff search by the names they see (刘阿姨), not only by the stored usernames and ids.
  const matches = (e: AuditEntry) =>
    `${e.actor} ${e.action} ${e.summary ?? ''} ${e.target ?? ''} ${nameOf(state, e.actor) ?? ''} ${e.target ? (nameOf(state, e.target) ?? '') : ''}`.toLowerCase().includes(q!);
  const timeZone = state.settings.timeZone;
  const since = query.from ? startOfDayIn(query.from, timeZone).getTime() : -Infinity;
  const until = query.to ? startOfDayIn(addDays(query.to, 1), timeZone).getTime() : Infinity;
  const cursor = query.before ? state.get('audit', query.before) : undefined;
  if (query.before && !cursor) return undefined;
  const entries = [...state.records.audit.values()];
  const start = cursor ? entries.lastIndexOf(cursor) - 1 : entries.length - 1;
  const items: AuditEntry[] = [];
  let i = start;
  for (; i >= 0 && items.length <= query.limit; i--) {
    const entry = entries[i]!;
    const at = Date.parse(entry.at);
    if (at >= since && at < until && (!q || matches(entry))) items.push(entry);
  }
  const more = items.length > query.limit;
  if (more) items.pop();
  return { items, names: auditNames(state, items), more, reachedStart: i < 0 };
}
