import { toTenths, fromTenths } from '../domain/points.ts';
import type { Redemption, RedemptionItem, Volunteer } from '../protocol/model.ts';
import type { ReportQuery } from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import { actorName } from './ledger-rows.ts';
import { LocalTimes } from './local-times.ts';
import { calendarFor, redemptionsIn } from './report-scope.ts';
import { collectByTime, sheet, type TableColumn, type TableSheet } from './table-export.ts';

export interface ItemLine {
  redemption: Redemption;
  item: RedemptionItem;
}

/** One row per goods line of each receipt in the period, voided receipts included and marked, so the file adds up against the counter's paper. */
export async function redemptionSheet(state: StationState, query: ReportQuery): Promise<TableSheet<unknown>> {
  const selected = await collectByTime(redemptionsIn(state, calendarFor(state, query), query));
  const columns = redemptionColumns<ItemLine>(new LocalTimes(state.settings.timeZone), (line) => state.get('volunteers', line.redemption.volunteerId), (actor) => actorName(state, actor));
  return sheet({ name: '兑换记录', columns, rows: itemLines<ItemLine>(selected) });
}

/** One line per goods of each receipt, in the receipts' order. */
export function* itemLines<Line extends ItemLine>(receipts: Iterable<Omit<Line, 'item'>>): Generator<Line> {
  for (const receipt of receipts) for (const item of receipt.redemption.items) yield { ...receipt, item } as Line;
}

/** The redemption export's columns; the district hub writes the same, with its own volunteers and actor names. */
export function redemptionColumns<Line extends ItemLine>(local: LocalTimes, volunteerOf: (line: Line) => Volunteer | undefined, actorName: (actor: string) => string): TableColumn<Line>[] {
  const volunteer = volunteerOf;
  return [
    { header: '小票号', value: (l) => l.redemption.receiptNo },
    { header: '时间', value: (l) => local.dateTime(l.redemption.at) },
    { header: '姓名', value: (l) => volunteer(l)?.name ?? '' },
    { header: '卡号', value: (l) => volunteer(l)?.cardNo ?? '' },
    { header: '物品', value: (l) => l.item.name, width: 24 },
    { header: '数量', value: (l) => l.item.quantity },
    { header: '单价(积分)', value: (l) => l.item.points },
    { header: '积分', value: (l) => fromTenths(toTenths(l.item.points) * l.item.quantity) },
    { header: '经办', value: (l) => actorName(l.redemption.by) },
    { header: '状态', value: (l) => (l.redemption.voided ? `已作废: ${l.redemption.voided.reason}` : '有效'), width: 24 },
  ];
}
