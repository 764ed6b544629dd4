import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import type { ReportQuery } from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import { attendanceSheet } from './attendance-rows.ts';
import { ledgerSheet } from './ledger-rows.ts';
import { redemptionSheet } from './redemption-rows.ts';
import { readReportQuery } from './report-query.ts';
import { sendTables, type ExportFormat, type ExportName, type TableSheet } from './table-export.ts';
import { historyOf, yearsOfPeriod } from '../store/archive/history.ts';

/** The raw records, each with names in full: every one is personal data, so each download is audited. */
const rawExports: Record<string, { title: string; sheet: (state: StationState, query: ReportQuery) => Promise<TableSheet<unknown>> }> = {
  attendance: { title: '签到记录', sheet: attendanceSheet },
  ledger: { title: '积分台账', sheet: ledgerSheet },
  redemptions: { title: '兑换记录', sheet: redemptionSheet },
};

export function exportRoutes(ctx: AppContext): Router {
  const router = Router();
  for (const [name, { title, sheet }] of Object.entries(rawExports)) {
    for (const format of ['xlsx', 'csv'] as const satisfies ExportFormat[]) {
      router.get(`/exports/${name}.${format}`, requirePermission('exports:personal'), async (req, res) => {
        const query = readReportQuery(ctx, req.query);
        await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), `export.${name}`, query.volunteerId, `${format} ${describeQuery(query)}`)]);
        await sendTables(res, format, exportName(title, name, query), [await sheet(await historyOf(ctx.store, yearsOfPeriod(query)), query)]);
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
