import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import type { Permission } from '../protocol/roles.ts';
import { AppError } from '../protocol/errors.ts';
import { describeQuery, exportName } from './export-routes.ts';
import { isReportName, reportDefinition, reportInfos } from './report-catalog.ts';
import { readReportQuery } from './report-query.ts';
import type { ExportFormat } from './table-export.ts';
import { computeOffThread, sendOffThread } from './report-offthread.ts';
import { reportTitles } from '../protocol/reports.ts';

/** The same check as the route middleware, for a permission that depends on what was asked. */
function demand(req: Request, res: Response, permission: Permission): void {
  requirePermission(permission)(req, res, () => undefined);
}

/**
 * `GET /api/reports` lists the reports and themes; `GET /api/reports/<name>` answers JSON and
 * `/api/reports/<name>.xlsx|.csv` the same figures as a download. A report that lists people,
 * or is narrowed to one volunteer, is personal data: staff roles only, and its downloads audited.
 */
export function reportRoutes(ctx: AppContext): Router {
  const router = Router();

  // The menu of reports, and the activity themes in use for the theme filter (teams come from /api/teams).
  router.get('/reports', requirePermission('reports:read'), (_req, res) => {
    const themes = new Set<string>();
    for (const activity of ctx.store.state.records.activities.values()) if (activity.theme) themes.add(activity.theme);
    res.json({ items: reportInfos(), themes: [...themes].sort((a, b) => a.localeCompare(b, 'zh-CN')) });
  });

  router.get('/reports/:file', requirePermission('reports:read'), async (req, res) => {
    const [, name = '', format] = /^([a-z-]+?)(?:\.(xlsx|csv))?$/.exec(req.params.file as string) ?? [];
    if (!isReportName(name)) throw new AppError('NOT_FOUND', `There is no report named “${req.params.file}”; GET /api/reports lists them`, 404);
    const query = readReportQuery(ctx, req.query);
    const definition = reportDefinition(name);
    const personal = definition.personal || query.volunteerId !== undefined;
    if (personal) demand(req, res, format ? 'exports:personal' : 'volunteers:read');
    // Computed in a worker thread, which reads the closed years the period reaches from their archive files (store/archive/).
    if (!format) {
      res.json(await computeOffThread(ctx, { kind: 'report', name, query }));
      return;
    }
    const audit = async () => {
      if (personal) await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'export.report', query.volunteerId, `${name} ${format} ${describeQuery(query)}`)]);
    };
    await sendOffThread(ctx, res, { kind: 'report', name, query, format: format as ExportFormat }, exportName(reportTitles[name], name, query), audit);
  });

  return router;
}
