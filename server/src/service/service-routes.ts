import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requirePermission } from '../auth/session.ts';
import { boardAccess } from '../board/board-routes.ts';
import { minutesToHours } from '../domain/hours.ts';
import { findVolunteer } from '../volunteers/volunteer-routes.ts';
import { pairingRoutes } from './pairing-routes.ts';
import { requestRoutes } from './request-routes.ts';
import { residentRoutes } from './resident-routes.ts';
import { serviceReportRoutes } from './service-reports.ts';
import { wishWall } from './wish-wall.ts';
import { historyOf } from '../store/archive/history.ts';

/** Everything of organizing service (issue 13) under /api, mounted by app.ts with one line. */
export function serviceRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(residentRoutes(ctx), requestRoutes(ctx), pairingRoutes(ctx), serviceReportRoutes(ctx));

  router.get('/board/wishes', boardAccess(ctx), (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(wishWall(ctx.store.state, ctx.clock.now()));
  });

  // A volunteer's service records (completed requests, pairing visits), for the volunteer page.
  router.get('/volunteers/:id/service-records', requirePermission('volunteers:read'), async (req, res) => {
    const volunteer = findVolunteer(ctx, req.params.id as string);
    const items = (await historyOf(ctx.store)).serviceRecordsOf(volunteer.id).map((r) => ({ ...r, hours: minutesToHours(r.removed ? 0 : r.creditedMinutes) }));
    res.json({ items: items.reverse() });
  });

  return router;
}
