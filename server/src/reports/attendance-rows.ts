import { minutesToHours } from '../domain/hours.ts';
import type { ReportQuery } from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import { LocalTimes } from './local-times.ts';
import { attendancesIn, calendarFor, type CountedAttendance } from './report-scope.ts';
import { collectByTime, sheet, type TableColumn, type TableSheet } from './table-export.ts';

/**
 * Attendances whose sign-in falls on a day of the period in the center's zone, oldest first,
 * removed ones left out. Each row is formatted only as the export writes it, so a year's
 * export never holds a year of formatted rows.
 */
export async function attendanceSheet(state: StationState, query: ReportQuery): Promise<TableSheet<unknown>> {
  const selected = await collectByTime(attendancesIn(state, calendarFor(state, query), query));
  const columns = attendanceColumns<CountedAttendance>(new LocalTimes(state.settings.timeZone), () => state.settings.centerName);
  return sheet({ name: '签到记录', columns, rows: selected });
}

/** The attendance export's columns; the district hub writes the same (the organizer defaults to the row's center). */
export function attendanceColumns<Row extends CountedAttendance>(local: LocalTimes, centerName: (row: Row) => string): TableColumn<Row>[] {
  return [
    { header: '姓名', value: (c) => c.volunteer?.name ?? '' },
    { header: '卡号', value: (c) => c.volunteer?.cardNo ?? '' },
    { header: '活动', value: (c) => c.activity?.title ?? '', width: 28 },
    { header: '地点', value: (c) => c.activity?.place ?? '' },
    { header: '组织单位', value: (c) => c.activity?.organizer ?? centerName(c) },
    { header: '签到时间', value: (c) => local.dateTime(c.at) },
    { header: '签退时间', value: (c) => (c.attendance.checkOutAt ? local.dateTime(c.attendance.checkOutAt) : '') },
    { header: '时长(小时)', value: (c) => (c.attendance.creditedMinutes === undefined ? '' : minutesToHours(c.minutes)) },
    { header: '积分', value: (c) => c.attendance.pointsCredited ?? '' },
    { header: '备注', value: (c) => (c.attendance.autoClosed ? (c.attendance.needsReview ? '自动签退,待审核' : '自动签退') : c.attendance.checkOutAt ? '' : '未签退') },
  ];
}
