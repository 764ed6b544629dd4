import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requirePermission } from '../auth/session.ts';
import type { HomeView } from '../protocol/home.ts';
import { homeView } from './home-view.ts';

/** The admin's home page (issue 12). Names people on site, so staff only, like the register. */
export function homeRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/home', requirePermission('volunteers:read'), (_req, res) => {
    res.json(homeView(ctx.store.state, ctx.clock.now()) satisfies HomeView);
  });
  return router;
}
