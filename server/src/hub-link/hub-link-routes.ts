import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { AppError } from '../protocol/errors.ts';
import type { HubLink } from './hub-link.ts';

const linkSettingsSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s):// address' }).max(500),
  joinKey: z.string().trim().min(8).max(200),
});

/** The district link in the station's admin: its state and lag, and its settings when the environment does not set them. */
export function hubLinkRoutes(ctx: AppContext, link: HubLink): Router {
  const router = Router();

  router.get('/hub-link', requirePermission('settings:write'), (_req, res) => {
    res.json(link.status());
  });

  router.put('/hub-link', requirePermission('settings:write'), async (req, res) => {
    if (ctx.config.hubUrl) throw new AppError('CONFLICT', 'HUB_URL and HUB_JOIN_KEY in the environment set this link; change them there', 409);
    const input = parseInput(linkSettingsSchema, req.body);
    const now = ctx.clock.now();
    await ctx.store.commit([
      { c: 'config', v: { id: 'hubLink', url: input.url, joinKey: input.joinKey, updatedAt: now.toISOString() } },
      // The join key is a credential: the audit names the hub, never the key.
      auditChange(now, actorOf(req), 'hub-link.updated', undefined, input.url, { url: input.url }),
    ]);
    link.reconfigure();
    res.json(link.status());
  });

  // Staff ask the district now for volunteers it asked this center to take (the link also asks every 15 s).
  router.post('/hub-link/pull', requirePermission('volunteers:write'), async (_req, res) => {
    if (!link.status().configured && !ctx.config.hubUrl && !ctx.store.state.records.config.has('hubLink')) {
      throw new AppError('CONFLICT', 'No district hub is configured', 409);
    }
    try {
      res.json(await link.pullNow());
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('CONFLICT', `The district hub could not be asked: ${(error as Error).message}`, 409);
    }
  });

  router.delete('/hub-link', requirePermission('settings:write'), async (req, res) => {
    if (ctx.config.hubUrl) throw new AppError('CONFLICT', 'HUB_URL and HUB_JOIN_KEY in the environment set this link; change them there', 409);
    if (ctx.store.state.records.config.has('hubLink')) {
      await ctx.store.commit([{ c: 'config', id: 'hubLink', remove: true }, auditChange(ctx.clock.now(), actorOf(req), 'hub-link.removed')]);
    }
    link.reconfigure();
    res.json(link.status());
  });

  return router;
}
