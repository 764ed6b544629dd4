import type { Writable } from 'node:stream';
import type { ReportName, ReportQuery } from '../protocol/reports.ts';
import { nationalColumns, nationalRows } from '../signups/national-export.ts';
import { recordSheet, reportSheets, serviceReport } from '../service/service-reports.ts';
import type { StationState } from '../store/state.ts';
import { LocalTimes } from './local-times.ts';
import { PeriodCalendar } from './period.ts';
import { rawExports, type RawExportName } from './raw-exports.ts';
import { reportDefinition } from './report-catalog.ts';
import { collectByTime, sheet, writeTables, type ExportFormat, type TableSheet } from './table-export.ts';

export interface Period {
  from: string;
  to: string;
}

/**
 * Everything that reads the station's history for a report or a download, as data, so it can be
 * computed in the report worker (report.worker.ts, started by report-offthread.ts). With `format`
 * it is a file, streamed; without, the JSON answer.
 */
export type ReportJob =
  | { kind: 'report'; name: ReportName; query: ReportQuery; format?: ExportFormat }
  | { kind: 'export'; name: RawExportName; query: ReportQuery; format: ExportFormat }
  | { kind: 'national'; period: Period; format: ExportFormat }
  | { kind: 'service-report'; period: Period; format?: 'xlsx' }
  | { kind: 'service-records'; period: Period; format: ExportFormat };

export function periodOfJob(job: ReportJob): Period {
  return 'query' in job ? job.query : job.period;
}

/** The job's answer: JSON, or (with `format`) its tables written to `out`. */
export async function computeJob(state: StationState, job: ReportJob, out: Writable): Promise<{ kind: 'json'; value: unknown } | { kind: 'file' }> {
  const tables = async (sheets: TableSheet<unknown>[]) => {
    await writeTables(out, job.format!, sheets);
    return { kind: 'file' } as const;
  };
  switch (job.kind) {
    case 'report': {
      const definition = reportDefinition(job.name);
      const report = definition.compute(state, job.query);
      return job.format ? tables(definition.sheets(report as never)) : { kind: 'json', value: report };
    }
    case 'export':
      return tables([await rawExports[job.name].sheet(state, job.query)]);
    case 'national': {
      const rows = await collectByTime(nationalRows(state, new PeriodCalendar(job.period, state.settings.timeZone)));
      const columns = nationalColumns(state.settings.nationalExport.columns, new LocalTimes(state.settings.timeZone));
      return tables([sheet({ name: '服务记录', columns, rows })]);
    }
    case 'service-report': {
      const report = serviceReport(state, job.period);
      return job.format ? tables(reportSheets(report)) : { kind: 'json', value: report };
    }
    case 'service-records':
      return tables([recordSheet(state, job.period)]);
  }
}
