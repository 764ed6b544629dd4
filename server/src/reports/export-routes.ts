import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import type { ReportQuery } from '../protocol/reports.ts';
import { rawExports, type RawExportName } from './raw-exports.ts';
import { readReportQuery } from './report-query.ts';
import { sendOffThread } from './report-offthread.ts';
import type { ExportFormat, ExportName } from './table-export.ts';

export function exportRoutes(ctx: AppContext): Router {
  const router = Router();
  for (const [name, { title }] of Object.entries(rawExports) as [RawExportName, (typeof rawExports)[RawExportName]][]) {
    for (const format of ['xlsx', 'csv'] as const satisfies ExportFormat[]) {
      router.get(`/exports/${name}.${format}`, requirePermission('exports:personal'), async (req, res) => {
        const query = readReportQuery(ctx, req.query);
        await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), `export.${name}`, query.volunteerId, `${format} ${describeQuery(query)}`)]);
        // Written in a worker thread, closed years read from their archive files there (report-offthread.ts).
        await sendOffThread(ctx, res, { kind: 'export', name, query, format }, exportName(title, name, query));
      });
    }
  }
  return router;
}

export function exportName(title: string, asciiTitle: string, query: ReportQuery): ExportName {
  const period = `${query.from}_${query.to}`;
  return { name: `${title}_${period}`, ascii: `${asciiTitle}_${period}` };
}

/** The period and filters in a line of the audit log. */
export function describeQuery(query: ReportQuery): string {
  const filters = (['teamId', 'theme', 'volunteerId'] as const).filter((key) => query[key] !== undefined).map((key) => `${key}=${query[key]}`);
  return [`${query.from}..${query.to}`, ...filters].join(' ');
}
