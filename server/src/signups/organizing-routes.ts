import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { signupRoutes } from './signup-routes.ts';
import { trainingRoutes } from './training-routes.ts';
import { nationalExportRoutes } from './national-export.ts';
import { privacyRoutes } from './privacy.ts';
import { insuranceImportRoutes } from './insurance-import.ts';

/** Issue 15's routes, registered in app.ts with one line: sign-ups, trainings, insurance, gate passes, national export, privacy. */
export function organizingRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(signupRoutes(ctx), insuranceImportRoutes(ctx), trainingRoutes(ctx), nationalExportRoutes(ctx), privacyRoutes(ctx));
  return router;
}
