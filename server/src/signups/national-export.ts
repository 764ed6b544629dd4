import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { minutesToHours } from '../domain/hours.ts';
import { parseInput } from '../http/validate.ts';
import type { Activity, Attendance, Volunteer } from '../protocol/model.ts';
import type { ServiceRecord } from '../protocol/service.ts';
import type { NationalExportField } from '../protocol/organizing-settings.ts';
import { exportRangeSchema } from '../protocol/schemas.ts';
import { PeriodCalendar } from '../reports/period.ts';
import { LocalTimes } from '../reports/local-times.ts';
import type { Cell, TableColumn } from '../reports/table-export.ts';
import { countedMinutes, type StationState } from '../store/state.ts';
import { sendOffThread } from '../reports/report-offthread.ts';

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
    if (!calendar.contains(Date.parse(attendance.checkInAt))) continue;
    yield nationalRowOfAttendance(attendance, state.get('volunteers', attendance.volunteerId), state.get('activities', attendance.activityId), center);
  }
  for (const record of state.records.serviceRecords.values()) {
    if (record.removed || !calendar.contains(Date.parse(record.startedAt))) continue;
    yield nationalRowOfService(record, state.get('volunteers', record.volunteerId), center);
  }
}

/** A closed attendance as the national system's row; the district hub maps its rows with this too. */
export function nationalRowOfAttendance(attendance: Attendance, volunteer: Volunteer | undefined, activity: Activity | undefined, centerName: string): NationalRow {
  return {
    at: Date.parse(attendance.checkInAt),
    volunteer,
    serviceName: activity?.title ?? '',
    content: activity?.theme ?? activity?.title ?? '',
    place: activity?.place ?? '',
    startedAt: attendance.checkInAt,
    endedAt: attendance.checkOutAt ?? attendance.checkInAt,
    minutes: countedMinutes(attendance),
    organizer: activity?.organizer ?? centerName,
    kind: 'activity',
  };
}

/** A service record (a completed request, a pairing visit) as the national system's row. */
export function nationalRowOfService(record: ServiceRecord, volunteer: Volunteer | undefined, centerName: string): NationalRow {
  return {
    at: Date.parse(record.startedAt),
    volunteer,
    serviceName: record.title,
    content: record.title === kindLabel[record.kind] ? record.title : `${kindLabel[record.kind]}：${record.title}`,
    place: record.place ?? '',
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    minutes: record.creditedMinutes,
    organizer: record.organizer ?? centerName,
    kind: record.kind,
  };
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

/** The import template's columns, as the center's settings list them (the hub: the defaults). */
export function nationalColumns<Row extends NationalRow>(columns: readonly { header: string; field: NationalExportField }[], local: LocalTimes): TableColumn<Row>[] {
  return columns.map(({ header, field }) => ({ header, value: (row: Row) => nationalCell(field, row, local), width: field === 'idNumber' ? 22 : 18 }));
}

export function nationalExportRoutes(ctx: AppContext): Router {
  const router = Router();
  for (const format of ['xlsx', 'csv'] as const) {
    // Full names and ID numbers: staff with the export permission only, every download audited.
    router.get(`/exports/national.${format}`, requirePermission('exports:personal'), async (req, res) => {
      const period = parseInput(exportRangeSchema, req.query);
      const period_ = `${period.from}_${period.to}`;
      // Rows and file are made in a worker thread (reports/report-jobs.ts), closed years read there from their archives.
      await sendOffThread(ctx, res, { kind: 'national', period, format }, { name: `全国志愿服务信息系统导入_${period_}`, ascii: `national_${period_}` }, async () => {
        await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'export.national', undefined, `${format} ${period.from}..${period.to}`, { format, from: period.from, to: period.to })]);
      });
    });
  }
  return router;
}
