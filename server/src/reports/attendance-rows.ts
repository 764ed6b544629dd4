import { minutesToHours } from '../domain/hours.ts';
import { formatTimeIn } from '../domain/time-zone.ts';
import type { ReportQuery } from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import { calendarFor, forEachAttendance, type CountedAttendance } from './report-scope.ts';
import { sheet, type TableColumn, type TableSheet } from './table-export.ts';

/**
 * Attendances whose sign-in falls on a day of the period in the center's zone, oldest first,
 * removed ones left out. Selection and sorting are one quick pass; each row is formatted only
 * as the export writes it, so a year's export never holds a year of formatted rows.
 */
export function attendanceSheet(state: StationState, query: ReportQuery): TableSheet<unknown> {
  const selected: CountedAttendance[] = [];
  forEachAttendance(state, calendarFor(state, query), query, (counted) => selected.push(counted));
  selected.sort((a, b) => a.at - b.at);
  const zone = state.settings.timeZone;
  const columns: TableColumn<CountedAttendance>[] = [
    { header: '姓名', value: (c) => c.volunteer?.name ?? '' },
    { header: '卡号', value: (c) => c.volunteer?.cardNo ?? '' },
    { header: '活动', value: (c) => c.activity?.title ?? '', width: 28 },
    { header: '地点', value: (c) => c.activity?.place ?? '' },
    { header: '组织单位', value: (c) => c.activity?.organizer ?? state.settings.centerName },
    { header: '签到时间', value: (c) => formatTimeIn(c.attendance.checkInAt, zone) },
    { header: '签退时间', value: (c) => (c.attendance.checkOutAt ? formatTimeIn(c.attendance.checkOutAt, zone) : '') },
    { header: '时长(小时)', value: (c) => (c.attendance.creditedMinutes === undefined ? '' : minutesToHours(c.minutes)) },
    { header: '积分', value: (c) => c.attendance.pointsCredited ?? '' },
    { header: '备注', value: (c) => (c.attendance.autoClosed ? (c.attendance.needsReview ? '自动签退,待审核' : '自动签退') : c.attendance.checkOutAt ? '' : '未签退') },
  ];
  return sheet({ name: '签到记录', columns, rows: selected });
}
