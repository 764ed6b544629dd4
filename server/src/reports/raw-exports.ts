import type { ReportQuery } from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import { attendanceSheet } from './attendance-rows.ts';
import { ledgerSheet } from './ledger-rows.ts';
import { redemptionSheet } from './redemption-rows.ts';
import type { TableSheet } from './table-export.ts';

/** The raw records, each with names in full: every one is personal data, so each download is audited. */
export const rawExports = {
  attendance: { title: '签到记录', sheet: attendanceSheet },
  ledger: { title: '积分台账', sheet: ledgerSheet },
  redemptions: { title: '兑换记录', sheet: redemptionSheet },
} satisfies Record<string, { title: string; sheet: (state: StationState, query: ReportQuery) => Promise<TableSheet<unknown>> }>;
export type RawExportName = keyof typeof rawExports;
