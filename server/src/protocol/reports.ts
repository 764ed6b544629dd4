import { z } from 'zod';
import { dayString } from './schemas.ts';

/**
 * Reports: the query every report and export takes, and the JSON each report answers with.
 * Days and months are the center's (settings.timeZone). An attendance belongs to the day its
 * sign-in falls on; removed attendances count for nothing; hours are creditable hours as the
 * attendance stands now (after auto-close and any correction).
 */

export const reportNames = [
  'hours-by-month',
  'hours-by-team',
  'hours-by-theme',
  'hours-by-volunteer',
  'new-volunteers',
  'active-volunteers',
  'points',
  'redemptions-by-goods',
  'activities',
  'year-summary',
] as const;
export type ReportName = (typeof reportNames)[number];

/** A street office asks for up to a decade; more would only be a mistake or a way to stall the PC. */
export const MAX_REPORT_DAYS = 3660;

const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month is written YYYY-MM, e.g. 2026-03');
const yearString = z.string().regex(/^(19|20)\d{2}$/, 'A year is written YYYY, e.g. 2026');
const id = z.string().trim().min(1).max(64);

/**
 * The period is `from`+`to` (days, inclusive), or a whole `month` (YYYY-MM), or a whole `year`.
 * Filters: `teamId` keeps the members of a team, `theme` the activities of a theme,
 * `volunteerId` one volunteer.
 */
export const reportQuerySchema = z
  .object({
    from: dayString.optional(),
    to: dayString.optional(),
    month: monthString.optional(),
    year: yearString.optional(),
    teamId: id.optional(),
    theme: z.string().trim().min(1).max(40).optional(),
    volunteerId: id.optional(),
  })
  .superRefine((q, issue) => {
    const ways = [q.from !== undefined || q.to !== undefined, q.month !== undefined, q.year !== undefined].filter(Boolean).length;
    if (ways === 0) issue.addIssue({ code: 'custom', path: ['from'], message: 'Give the period as from and to (YYYY-MM-DD), or month=YYYY-MM, or year=YYYY' });
    if (ways > 1) issue.addIssue({ code: 'custom', path: ['from'], message: 'Give the period one way only: from and to, or month, or year' });
    if (q.from !== undefined && q.to === undefined) issue.addIssue({ code: 'custom', path: ['to'], message: 'The period needs an end day (to=YYYY-MM-DD)' });
    if (q.to !== undefined && q.from === undefined) issue.addIssue({ code: 'custom', path: ['from'], message: 'The period needs a start day (from=YYYY-MM-DD)' });
    if (q.from && q.to && q.from > q.to) issue.addIssue({ code: 'custom', path: ['to'], message: 'The period must end on or after its start' });
    if (q.from && q.to && q.from <= q.to && daysBetween(q.from, q.to) >= MAX_REPORT_DAYS) {
      issue.addIssue({ code: 'custom', path: ['to'], message: 'A report covers at most 10 years' });
    }
  })
  .transform(({ from, to, month, year, ...filters }): ReportQuery => ({ ...periodOf(from, to, month, year), ...filters }));

export interface ReportPeriod {
  from: string;
  to: string;
}

export interface ReportFilters {
  teamId?: string;
  theme?: string;
  volunteerId?: string;
}

export type ReportQuery = ReportPeriod & ReportFilters;

function periodOf(from?: string, to?: string, month?: string, year?: string): ReportPeriod {
  if (month) return { from: `${month}-01`, to: `${month}-${String(daysInMonth(month)).padStart(2, '0')}` };
  if (year) return { from: `${year}-01-01`, to: `${year}-12-31` };
  return { from: from!, to: to! };
}

function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400_000);
}

/** Attendances (人次), creditable hours and distinct volunteers (人数) of a group. */
export interface Figures {
  attendances: number;
  hours: number;
  volunteers: number;
}

interface ReportBase<N extends ReportName> {
  report: N;
  title: string;
  period: ReportPeriod;
  filters: ReportFilters;
  timeZone: string;
  centerName: string;
}

export interface HoursByMonthReport extends ReportBase<'hours-by-month'> {
  /** Every month of the period, empty ones included, so a chart has no gaps. */
  items: ({ month: string } & Figures)[];
  total: Figures;
}

/** A volunteer in several teams counts in each; `teamId: null` is 未分队 (no team). */
export interface HoursByTeamReport extends ReportBase<'hours-by-team'> {
  items: ({ teamId: string | null; teamName: string } & Figures)[];
  total: Figures;
}

/** `theme: null` is 未分类 (the activity has no theme). */
export interface HoursByThemeReport extends ReportBase<'hours-by-theme'> {
  items: ({ theme: string | null; themeName: string } & Figures)[];
  total: Figures;
}

export interface VolunteerHoursRow {
  volunteerId: string;
  name: string;
  cardNo: string;
  teamNames: string[];
  attendances: number;
  hours: number;
  /** Distinct activities attended. */
  activities: number;
  /** Day (center's zone) of the last sign-in in the period. */
  lastDay: string;
}

/** Volunteers with at least one attendance in the period, most hours first. Personal data. */
export interface HoursByVolunteerReport extends ReportBase<'hours-by-volunteer'> {
  items: VolunteerHoursRow[];
  total: Figures;
}

export interface NewVolunteerRow {
  volunteerId: string;
  name: string;
  cardNo: string;
  gender: string;
  joinedOn: string;
  teamNames: string[];
  status: string;
}

/** Volunteers whose joinedOn falls in the period. Personal data. */
export interface NewVolunteersReport extends ReportBase<'new-volunteers'> {
  count: number;
  byMonth: { month: string; count: number }[];
  items: NewVolunteerRow[];
}

/** Volunteers with at least one attendance in the period; `registered` counts joinedOn ≤ to. Personal data (the list). */
export interface ActiveVolunteersReport extends ReportBase<'active-volunteers'> {
  active: number;
  registered: number;
  /** active / registered, 0–1, two decimals. */
  activeRate: number;
  byMonth: { month: string; active: number }[];
  items: VolunteerHoursRow[];
}

/**
 * Points moved in the period (day of the ledger entry). `issued` = attendance points net of their
 * corrections + manual awards; `deducted` = manual deductions; `redeemed` = redemptions net of
 * voids. issued − deducted − redeemed = net change of all balances.
 */
export interface PointsFigures {
  issued: number;
  deducted: number;
  redeemed: number;
  net: number;
}

export interface PointsReport extends ReportBase<'points'> {
  total: PointsFigures;
  byMonth: ({ month: string } & PointsFigures)[];
  /** Raw ledger sums by entry kind: entries, points added and points taken. */
  byKind: { kind: string; kindName: string; entries: number; plus: number; minus: number }[];
}

export interface GoodsOutRow {
  goodsId: string;
  name: string;
  category: string;
  quantity: number;
  points: number;
  /** Receipts that include these goods. */
  redemptions: number;
}

/** Goods handed out in the period; voided receipts are left out. */
export interface RedemptionsByGoodsReport extends ReportBase<'redemptions-by-goods'> {
  items: GoodsOutRow[];
  total: { quantity: number; points: number; redemptions: number };
  voidedLeftOut: number;
}

export interface ActivityRow {
  activityId: string;
  title: string;
  theme: string;
  place: string;
  organizer: string;
  teamNames: string[];
  startsAt: string;
  endsAt: string;
  /** Start and end in the center's zone, e.g. "2026-03-10 09:00–11:00". */
  time: string;
  status: string;
  attendances: number;
  volunteers: number;
  hours: number;
}

/**
 * Activities that start in the period (cancelled ones left out) with all their attendances.
 * Here `teamId` keeps activities the team runs (activity.teamIds), `volunteerId` those the
 * volunteer attended, `theme` those of the theme.
 */
export interface ActivitiesReport extends ReportBase<'activities'> {
  items: ActivityRow[];
  total: { activities: number; attendances: number; hours: number };
}

export interface YearSummaryMonth {
  month: string;
  hours: number;
  attendances: number;
  activeVolunteers: number;
  activities: number;
  newVolunteers: number;
}

/** 年度总结: the figures a center puts in its yearly report to the street office. */
export interface YearSummaryReport extends ReportBase<'year-summary'> {
  volunteers: { registered: number; active: number; new: number; activeRate: number };
  activities: { held: number };
  service: { hours: number; attendances: number; hoursPerActiveVolunteer: number; hoursPerRegisteredVolunteer: number };
  /**
   * Registered volunteers by the star they held at the period's end under the center's star
   * rules (hours in the star period, points balance; an evaluation condition uses today's score,
   * which has no history). Level 0 = no star yet.
   */
  stars: { level: number; volunteers: number }[];
  topTeams: ({ teamId: string; teamName: string } & Figures)[];
  points: PointsFigures;
  goods: { quantity: number; redemptions: number; top: GoodsOutRow[] };
  months: YearSummaryMonth[];
}

export type Report =
  | HoursByMonthReport
  | HoursByTeamReport
  | HoursByThemeReport
  | HoursByVolunteerReport
  | NewVolunteersReport
  | ActiveVolunteersReport
  | PointsReport
  | RedemptionsByGoodsReport
  | ActivitiesReport
  | YearSummaryReport;

export type ReportOf<N extends ReportName> = Extract<Report, { report: N }>;

/** What `GET /api/reports` lists, so the admin can build its menu and know which need a staff role. */
export interface ReportInfo {
  name: ReportName;
  title: string;
  /** Lists people by name: readable by admin and staff only, and its exports are audited. */
  personal: boolean;
}

/** `GET /api/reports`: the reports, and the activity themes in use (for the theme filter). */
export interface ReportList {
  items: ReportInfo[];
  themes: string[];
}

/** Chinese titles, as exports and printed pages head them. */
export const reportTitles: Record<ReportName, string> = {
  'hours-by-month': '按月服务时长统计',
  'hours-by-team': '按服务队服务时长统计',
  'hours-by-theme': '按活动主题服务时长统计',
  'hours-by-volunteer': '志愿者服务时长统计',
  'new-volunteers': '新注册志愿者',
  'active-volunteers': '活跃志愿者',
  points: '积分发放与兑换统计',
  'redemptions-by-goods': '爱心超市兑换统计',
  activities: '活动开展统计',
  'year-summary': '年度总结',
};
