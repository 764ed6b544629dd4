import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { minutesToHours } from '../domain/hours.ts';
import { parseInput } from '../http/validate.ts';
import type { Volunteer } from '../protocol/model.ts';
import type { NationalExportField } from '../protocol/organizing-settings.ts';
import { exportRangeSchema } from '../protocol/schemas.ts';
import { PeriodCalendar } from '../reports/period.ts';
import { LocalTimes } from '../reports/local-times.ts';
import { collectByTime, sendTables, sheet, type Cell } from '../reports/table-export.ts';
import { countedMinutes, type StationState } from '../store/state.ts';
import { historyOf, yearsOfPeriod } from '../store/archive/history.ts';

/**
 * One service record as the national volunteer information system (全国志愿服务信息系统)
 * imports it: who (name, ID type and number), what (service name and content), where, when,
 * how long, and who organized it. Activity attendance and the service records of requests and
 * visits alike; trainings are not service and are left out.
 */
export interface NationalRow {
  at: number;
  volunteer: Volunteer | undefined;
  serviceName: string;
  content: string;
  place: string;
  startedAt: string;
  endedAt: string;
  minutes: number;
  organizer: string;
  kind: 'activity' | 'request' | 'visit';
}

const kindLabel: Record<NationalRow['kind'], string> = { activity: '活动', request: '点单服务', visit: '结对探访' };

/** Rows whose service started on a day of the period (the center's zone), closed and not removed, oldest first. */
export function* nationalRows(state: StationState, calendar: PeriodCalendar): Generator<NationalRow> {
  const center = state.settings.centerName;
  for (const attendance of state.records.attendance.values()) {
    if (attendance.removed || !attendance.checkOutAt) continue;
    const at = Date.parse(attendance.checkInAt);
    if (!calendar.contains(at)) continue;
    const activity = state.get('activities', attendance.activityId);
    yield {
      at,
      volunteer: state.get('volunteers', attendance.volunteerId),
      serviceName: activity?.title ?? '',
      content: activity?.theme ?? activity?.title ?? '',
      place: activity?.place ?? '',
      startedAt: attendance.checkInAt,
      endedAt: attendance.checkOutAt,
      minutes: countedMinutes(attendance),
      organizer: activity?.organizer ?? center,
      kind: 'activity',
    };
  }
  for (const record of state.records.serviceRecords.values()) {
    if (record.removed) continue;
    const at = Date.parse(record.startedAt);
    if (!calendar.contains(at)) continue;
    yield {
      at,
      volunteer: state.get('volunteers', record.volunteerId),
      serviceName: record.title,
      content: record.title === kindLabel[record.kind] ? record.title : `${kindLabel[record.kind]}：${record.title}`,
      place: record.place ?? '',
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      minutes: record.creditedMinutes,
      organizer: record.organizer ?? center,
      kind: record.kind,
    };
  }
}

/** 证件类型 as the national system names it: a resident ID unless staff recorded another type. */
export function idTypeOf(volunteer: Pick<Volunteer, 'idType' | 'idNumber'> | undefined): string {
  if (!volunteer) return '';
  return volunteer.idType ?? (volunteer.idNumber ? '居民身份证' : '');
}

export function nationalCell(field: NationalExportField, row: NationalRow, local: LocalTimes): Cell {
  const v = row.volunteer;
  switch (field) {
    case 'volunteerName': return v?.name ?? '';
    case 'idType': return idTypeOf(v);
    case 'idNumber': return v?.idNumber ?? '';
    case 'nationalVolunteerNo': return v?.nationalVolunteerNo ?? '';
    case 'phone': return v?.phone ?? '';
    case 'serviceName': return row.serviceName;
    case 'content': return row.content;
    case 'place': return row.place;
    case 'startedAt': return local.dateTime(row.startedAt);
    case 'endedAt': return local.dateTime(row.endedAt);
    case 'hours': return minutesToHours(row.minutes);
    case 'organizer': return row.organizer;
    case 'kind': return kindLabel[row.kind];
  }
}

export function nationalExportRoutes(ctx: AppContext): Router {
  const router = Router();
  for (const format of ['xlsx', 'csv'] as const) {
    // Full names and ID numbers: staff with the export permission only, every download audited.
    router.get(`/exports/national.${format}`, requirePermission('exports:personal'), async (req, res) => {
      const period = parseInput(exportRangeSchema, req.query);
      const state = await historyOf(ctx.store, yearsOfPeriod(period));
      await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'export.national', undefined, `${format} ${period.from}..${period.to}`, { format, from: period.from, to: period.to })]);
      const rows = await collectByTime(nationalRows(state, new PeriodCalendar(period, state.settings.timeZone)));
      const local = new LocalTimes(state.settings.timeZone);
      const columns = state.settings.nationalExport.columns.map(({ header, field }) => ({ header, value: (row: NationalRow) => nationalCell(field, row, local), width: field === 'idNumber' ? 22 : 18 }));
      const period_ = `${period.from}_${period.to}`;
      await sendTables(res, format, { name: `全国志愿服务信息系统导入_${period_}`, ascii: `national_${period_}` }, [sheet({ name: '服务记录', columns, rows })]);
    });
  }
  return router;
}
