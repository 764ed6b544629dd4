import type { LedgerEntry, Volunteer } from '../protocol/model.ts';
import type { ReportQuery } from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import { LocalTimes } from './local-times.ts';
import { ledgerKindNames } from './points-reports.ts';
import { calendarFor, ledgerEntriesIn } from './report-scope.ts';
import { collectByTime, sheet, type TableColumn, type TableSheet } from './table-export.ts';

/** `staff:<username>`, `device:<id>` or `system`, as a person reads it on paper. */
export function actorName(state: StationState, actor: string): string {
  if (actor === 'system') return '系统';
  const [kind, id = ''] = actor.split(':', 2);
  if (kind === 'device') return state.get('devices', id)?.name ?? actor;
  if (kind === 'staff') {
    const staff = state.staffWithUsername(id);
    return staff ? `${staff.displayName || staff.username}` : id;
  }
  return actor;
}

/** Ledger entries of the period, oldest first: the points book as a center files it. */
export async function ledgerSheet(state: StationState, query: ReportQuery): Promise<TableSheet<unknown>> {
  const selected = await collectByTime(ledgerEntriesIn(state, calendarFor(state, query), query));
  const columns = ledgerColumns<LedgerRow>(new LocalTimes(state.settings.timeZone), ({ entry }) => state.get('volunteers', entry.volunteerId), (actor) => actorName(state, actor));
  return sheet({ name: '积分台账', columns, rows: selected });
}

export interface LedgerRow {
  entry: LedgerEntry;
  at: number;
}

/** The points book's columns; the district hub writes the same, with its own volunteers and actor names. */
export function ledgerColumns<Row extends LedgerRow>(local: LocalTimes, volunteerOf: (row: Row) => Volunteer | undefined, actorName: (actor: string) => string): TableColumn<Row>[] {
  const volunteer = (row: Row) => volunteerOf(row);
  return [
    { header: '时间', value: ({ at }) => local.dateTime(at) },
    { header: '姓名', value: (row) => volunteer(row)?.name ?? '' },
    { header: '卡号', value: (row) => volunteer(row)?.cardNo ?? '' },
    { header: '类型', value: ({ entry }) => ledgerKindNames[entry.kind] },
    { header: '积分变动', value: ({ entry }) => entry.delta },
    { header: '事由', value: ({ entry }) => entry.reason, width: 32 },
    { header: '经办', value: ({ entry }) => actorName(entry.by) },
  ];
}
