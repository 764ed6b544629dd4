import { minutesToHours } from '../domain/hours.ts';
import { dayKey, formatTimeIn } from '../domain/time-zone.ts';
import type { Attendance } from '../protocol/model.ts';
import type { StationState } from '../store/state.ts';

export const attendanceColumns = [
  { key: 'name', header: '姓名' },
  { key: 'cardNo', header: '卡号' },
  { key: 'activity', header: '活动' },
  { key: 'place', header: '地点' },
  { key: 'organizer', header: '组织单位' },
  { key: 'checkIn', header: '签到时间' },
  { key: 'checkOut', header: '签退时间' },
  { key: 'hours', header: '时长(小时)' },
  { key: 'points', header: '积分' },
  { key: 'note', header: '备注' },
] as const;

export type AttendanceRow = Record<(typeof attendanceColumns)[number]['key'], string | number>;

/**
 * Attendances whose sign-in falls on a day from `from` to `to` (inclusive) in the center's
 * zone, oldest first, as rows for a report. A generator, so an export streams rows as it
 * writes them instead of building the whole year in memory.
 */
export function* attendanceRows(state: StationState, from: string, to: string): Generator<AttendanceRow> {
  const zone = state.settings.timeZone;
  const selected: Attendance[] = [];
  for (const attendance of state.records.attendance.values()) {
    if (attendance.removed) continue;
    const day = dayKey(attendance.checkInAt, zone);
    if (day >= from && day <= to) selected.push(attendance);
  }
  selected.sort((a, b) => a.checkInAt.localeCompare(b.checkInAt));
  for (const attendance of selected) {
    const volunteer = state.get('volunteers', attendance.volunteerId);
    const activity = state.get('activities', attendance.activityId);
    yield {
      name: volunteer?.name ?? '',
      cardNo: volunteer?.cardNo ?? '',
      activity: activity?.title ?? '',
      place: activity?.place ?? '',
      organizer: activity?.organizer ?? state.settings.centerName,
      checkIn: formatTimeIn(attendance.checkInAt, zone),
      checkOut: attendance.checkOutAt ? formatTimeIn(attendance.checkOutAt, zone) : '',
      hours: attendance.creditedMinutes === undefined ? '' : minutesToHours(attendance.creditedMinutes),
      points: attendance.pointsCredited ?? '',
      note: attendance.autoClosed ? (attendance.needsReview ? '自动签退,待审核' : '自动签退') : attendance.checkOutAt ? '' : '未签退',
    };
  }
}
