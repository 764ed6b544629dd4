import { minutesToHours } from '../domain/hours.ts';
import type { ReportQuery } from '../protocol/reports.ts';
import type { ServiceRecord } from '../protocol/service.ts';
import { LocalTimes } from '../reports/local-times.ts';
import { calendarFor, keepsVolunteer } from '../reports/report-scope.ts';
import { collectByTime, sheet, type TableColumn, type TableSheet } from '../reports/table-export.ts';
import type { StationState } from '../store/state.ts';

const kindNames: Record<ServiceRecord['kind'], string> = { request: '点单服务', visit: '结对探访' };

/**
 * 服务记录: the service hours that came from no activity (completed requests, pairing visits),
 * one row per volunteer per service, beside 签到记录 and laid out like it. Days in the center's
 * zone; removed records left out; a theme filter is about activities, so it keeps none of these.
 */
export async function serviceRecordSheet(state: StationState, query: ReportQuery): Promise<TableSheet<unknown>> {
  const calendar = calendarFor(state, query);
  const rows: { record: ServiceRecord; at: number }[] = [];
  if (query.theme === undefined) {
    for (const record of state.records.serviceRecords.values()) {
      if (record.removed) continue;
      const at = Date.parse(record.startedAt);
      if (!calendar.contains(at) || !keepsVolunteer(query, record.volunteerId, state.get('volunteers', record.volunteerId))) continue;
      rows.push({ record, at });
    }
  }
  const selected = await collectByTime(rows);
  const local = new LocalTimes(state.settings.timeZone);
  const columns: TableColumn<{ record: ServiceRecord; at: number }>[] = [
    { header: '姓名', value: (r) => state.get('volunteers', r.record.volunteerId)?.name ?? '' },
    { header: '卡号', value: (r) => state.get('volunteers', r.record.volunteerId)?.cardNo ?? '' },
    { header: '服务类型', value: (r) => kindNames[r.record.kind] },
    { header: '服务内容', value: (r) => r.record.title, width: 28 },
    { header: '地点', value: (r) => r.record.place ?? '' },
    { header: '组织单位', value: (r) => r.record.organizer ?? state.settings.centerName },
    { header: '开始时间', value: (r) => local.dateTime(r.at) },
    { header: '结束时间', value: (r) => local.dateTime(r.record.endedAt) },
    { header: '时长(小时)', value: (r) => minutesToHours(r.record.creditedMinutes) },
  ];
  return sheet({ name: '服务记录', columns, rows: selected });
}
