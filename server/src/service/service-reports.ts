import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { minutesToHours } from '../domain/hours.ts';
import { dayKey, formatTimeIn, monthKey } from '../domain/time-zone.ts';
import { parseInput } from '../http/validate.ts';
import { requestStatuses, type ServiceRecord } from '../protocol/service.ts';
import { countedMinutes, type StationState } from '../store/state.ts';
import { sheet, type TableSheet } from '../reports/table-export.ts';
import { computeOffThread, sendOffThread } from '../reports/report-offthread.ts';

const periodSchema = z.object({ from: z.iso.date(), to: z.iso.date() }).refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['to'] });
type Period = z.infer<typeof periodSchema>;

const round1 = (n: number) => Math.round(n * 10) / 10;
const hoursBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 3600_000;
const average = (values: number[]) => (values.length ? round1(values.reduce((s, v) => s + v, 0) / values.length) : null);

/**
 * The service figures of a period (requests made in it; records and visits that started in it):
 * anonymous counts only, so the viewer role may read them. Days in the center's zone.
 */
export function serviceReport(state: StationState, period: Period) {
  const zone = state.settings.timeZone;
  const inPeriod = (at: string) => {
    const day = dayKey(at, zone);
    return day >= period.from && day <= period.to;
  };
  const byCategory = new Map<string, Record<string, number>>();
  const toDispatch: number[] = [];
  const toDone: number[] = [];
  const ratings = [0, 0, 0, 0, 0];
  const servedByMonth = new Map<string, Set<string>>();
  const servedByGrid = new Map<string, Set<string>>();
  const serve = (at: string, person: string, grid: string | undefined) => {
    const month = monthKey(at, zone);
    if (!servedByMonth.has(month)) servedByMonth.set(month, new Set());
    servedByMonth.get(month)!.add(person);
    const cell = grid ?? '未填网格';
    if (!servedByGrid.has(cell)) servedByGrid.set(cell, new Set());
    servedByGrid.get(cell)!.add(person);
  };
  let total = 0;
  for (const request of state.records.serviceRequests.values()) {
    if (!inPeriod(request.createdAt)) continue;
    total++;
    const row = byCategory.get(request.category) ?? Object.fromEntries(requestStatuses.map((s) => [s, 0]));
    row[request.status] = (row[request.status] ?? 0) + 1;
    byCategory.set(request.category, row);
    const dispatchedAt = request.history.find((h) => h.status === 'dispatched' || h.status === 'accepted')?.at;
    if (dispatchedAt) toDispatch.push(hoursBetween(request.createdAt, dispatchedAt));
    if (request.completed) {
      toDone.push(hoursBetween(request.createdAt, request.completed.at));
      const resident = request.residentId ? state.get('residents', request.residentId) : undefined;
      serve(request.completed.at, request.residentId ?? `request:${request.id}`, resident?.grid ?? request.grid);
    }
    if (request.rating) ratings[request.rating.score - 1]!++;
  }
  for (const visit of state.records.visits.values()) {
    if (!inPeriod(visit.startedAt)) continue;
    const pairing = state.get('pairings', visit.pairingId);
    const resident = pairing ? state.get('residents', pairing.residentId) : undefined;
    serve(visit.startedAt, pairing?.residentId ?? visit.id, resident?.grid);
  }
  const minutesByKind = { activity: 0, request: 0, visit: 0 };
  for (const attendance of state.records.attendance.values()) {
    if (inPeriod(attendance.checkInAt)) minutesByKind.activity += countedMinutes(attendance);
  }
  for (const record of state.records.serviceRecords.values()) {
    if (!record.removed && inPeriod(record.startedAt)) minutesByKind[record.kind] += record.creditedMinutes;
  }
  const rated = ratings.reduce((s, n) => s + n, 0);
  return {
    period,
    requests: total,
    byCategory: [...byCategory].map(([category, counts]) => ({ category, total: Object.values(counts).reduce((s, n) => s + n, 0), ...counts })).sort((a, b) => b.total - a.total),
    hoursToDispatch: average(toDispatch),
    hoursToDone: average(toDone),
    ratings: { count: rated, average: rated ? round1(ratings.reduce((s, n, i) => s + n * (i + 1), 0) / rated) : null, byScore: ratings },
    peopleServedByMonth: [...servedByMonth].sort(([a], [b]) => a.localeCompare(b)).map(([month, people]) => ({ month, people: people.size })),
    peopleServedByGrid: [...servedByGrid].map(([grid, people]) => ({ grid, people: people.size })).sort((a, b) => b.people - a.people),
    peopleServed: new Set([...servedByMonth.values()].flatMap((s) => [...s])).size,
    hoursByKind: { activity: minutesToHours(minutesByKind.activity), request: minutesToHours(minutesByKind.request), visit: minutesToHours(minutesByKind.visit) },
  };
}

export type ServiceReport = ReturnType<typeof serviceReport>;

const kindNames: Record<ServiceRecord['kind'], string> = { request: '点单服务', visit: '结对探访' };
const statusNames: Record<string, string> = { open: '待派单', dispatched: '已派单', accepted: '已接单', done: '已完成', rated: '已评价', cancelled: '已取消' };

export function reportSheets(report: ServiceReport): TableSheet<unknown>[] {
  return [
    sheet({
      name: '按类别和状态',
      columns: [
        { header: '类别', value: (r: ServiceReport['byCategory'][number]) => r.category, width: 14 },
        { header: '合计', value: (r) => r.total },
        ...requestStatuses.map((s) => ({ header: statusNames[s]!, value: (r: ServiceReport['byCategory'][number]) => (r as unknown as Record<string, number>)[s] ?? 0 })),
      ],
      rows: report.byCategory,
    }),
    sheet({
      name: '概况',
      columns: [{ header: '指标', value: (r: [string, string | number]) => r[0], width: 24 }, { header: '数值', value: (r) => r[1] }],
      rows: [
        ['服务单数', report.requests],
        ['平均派单用时（小时）', report.hoursToDispatch ?? ''],
        ['平均完成用时（小时）', report.hoursToDone ?? ''],
        ['评价数', report.ratings.count],
        ['平均评分', report.ratings.average ?? ''],
        ['服务人数（去重）', report.peopleServed],
        ['活动服务时长（小时）', report.hoursByKind.activity],
        ['点单服务时长（小时）', report.hoursByKind.request],
        ['结对探访时长（小时）', report.hoursByKind.visit],
      ] as [string, string | number][],
    }),
    sheet({ name: '按月服务人数', columns: [{ header: '月份', value: (r: { month: string; people: number }) => r.month }, { header: '服务人数', value: (r) => r.people }], rows: report.peopleServedByMonth }),
    sheet({ name: '按网格服务人数', columns: [{ header: '网格', value: (r: { grid: string; people: number }) => r.grid }, { header: '服务人数', value: (r) => r.people }], rows: report.peopleServedByGrid }),
  ];
}

/** One row per service record (volunteer names in full): personal data, so each download is audited. */
export function recordSheet(state: StationState, period: Period): TableSheet<unknown> {
  const zone = state.settings.timeZone;
  const rows = [...state.records.serviceRecords.values()]
    .filter((r) => !r.removed && dayKey(r.startedAt, zone) >= period.from && dayKey(r.startedAt, zone) <= period.to)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return sheet({
    name: '服务记录',
    columns: [
      { header: '姓名', value: (r: ServiceRecord) => state.get('volunteers', r.volunteerId)?.name ?? '' },
      { header: '卡号', value: (r) => state.get('volunteers', r.volunteerId)?.cardNo ?? '' },
      { header: '服务类型', value: (r) => kindNames[r.kind] },
      { header: '服务内容', value: (r) => r.title, width: 24 },
      { header: '地点', value: (r) => r.place ?? '' },
      { header: '组织单位', value: (r) => r.organizer ?? state.settings.centerName },
      { header: '开始时间', value: (r) => formatTimeIn(r.startedAt, zone) },
      { header: '结束时间', value: (r) => formatTimeIn(r.endedAt, zone) },
      { header: '时长(小时)', value: (r) => minutesToHours(r.creditedMinutes) },
    ],
    rows,
  });
}

export function serviceReportRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/service-report', requirePermission('reports:read'), async (req, res) => {
    const period = parseInput(periodSchema, req.query);
    res.json(await computeOffThread(ctx, { kind: 'service-report', period }));
  });
  router.get('/exports/service-report.xlsx', requirePermission('reports:read'), async (req, res) => {
    const period = parseInput(periodSchema, req.query);
    await sendOffThread(ctx, res, { kind: 'service-report', period, format: 'xlsx' }, { name: `服务统计_${period.from}_${period.to}`, ascii: `service-report_${period.from}_${period.to}` });
  });
  for (const format of ['xlsx', 'csv'] as const) {
    router.get(`/exports/service.${format}`, requirePermission('exports:personal'), async (req, res) => {
      const period = parseInput(periodSchema, req.query);
      await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'export.service', undefined, `${format} ${period.from}..${period.to}`, { format, from: period.from, to: period.to })]);
      await sendOffThread(ctx, res, { kind: 'service-records', period, format }, { name: `服务记录_${period.from}_${period.to}`, ascii: `service_${period.from}_${period.to}` });
    });
  }
  return router;
}
