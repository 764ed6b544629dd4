import type { LedgerEntry } from '../protocol/model.ts';
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
    const staff = state.get('staff', state.staffByUsername.get(id.toLowerCase()) ?? '');
    return staff ? `${staff.displayName || staff.username}` : id;
  }
  return actor;
}

/** Ledger entries of the period, oldest first: the points book as a center files it. */
export async function ledgerSheet(state: StationState, query: ReportQuery): Promise<TableSheet<unknown>> {
  const selected = await collectByTime(ledgerEntriesIn(state, calendarFor(state, query), query));
  const local = new LocalTimes(state.settings.timeZone);
  const volunteer = (entry: LedgerEntry) => state.get('volunteers', entry.volunteerId);
  const columns: TableColumn<{ entry: LedgerEntry; at: number }>[] = [
    { header: '时间', value: ({ at }) => local.dateTime(at) },
    { header: '姓名', value: ({ entry }) => volunteer(entry)?.name ?? '' },
    { header: '卡号', value: ({ entry }) => volunteer(entry)?.cardNo ?? '' },
    { header: '类型', value: ({ entry }) => ledgerKindNames[entry.kind] },
    { header: '积分变动', value: ({ entry }) => entry.delta },
    { header: '事由', value: ({ entry }) => entry.reason, width: 32 },
    { header: '经办', value: ({ entry }) => actorName(state, entry.by) },
  ];
  return sheet({ name: '积分台账', columns, rows: selected });
}
