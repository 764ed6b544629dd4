import type { Figures, GoodsOutRow, ReportInfo, ReportName, ReportOf, ReportQuery, VolunteerHoursRow } from '../protocol/reports.ts';
import { reportNames, reportTitles } from '../protocol/reports.ts';
import type { StationState } from '../store/state.ts';
import { activitiesReport } from './activities-report.ts';
import { activeVolunteers, hoursByMonth, hoursByTeam, hoursByTheme, hoursByVolunteer, newVolunteers } from './hours-reports.ts';
import { pointsReport, redemptionsByGoods } from './points-reports.ts';
import { sheet, type TableColumn, type TableSheet } from './table-export.ts';
import { yearSummary } from './year-summary.ts';

interface ReportDefinition<N extends ReportName> {
  /** Lists people by name: staff roles only, exports audited. */
  personal: boolean;
  compute(state: StationState, query: ReportQuery): ReportOf<N>;
  /** The report as tables for XLSX (one sheet each) and CSV. */
  sheets(report: ReportOf<N>): TableSheet<unknown>[];
}

const figureColumns: TableColumn<Figures>[] = [
  { header: '服务人次', value: (f) => f.attendances },
  { header: '服务时长(小时)', value: (f) => f.hours },
  { header: '参与人数', value: (f) => f.volunteers },
];

const volunteerHoursColumns: TableColumn<VolunteerHoursRow>[] = [
  { header: '姓名', value: (r) => r.name },
  { header: '卡号', value: (r) => r.cardNo },
  { header: '服务队', value: (r) => r.teamNames.join('、'), width: 24 },
  { header: '服务人次', value: (r) => r.attendances },
  { header: '服务时长(小时)', value: (r) => r.hours },
  { header: '参加活动数', value: (r) => r.activities },
  { header: '最近服务日期', value: (r) => r.lastDay },
];

const goodsColumns: TableColumn<GoodsOutRow>[] = [
  { header: '物品', value: (r) => r.name, width: 24 },
  { header: '类别', value: (r) => r.category },
  { header: '数量', value: (r) => r.quantity },
  { header: '积分', value: (r) => r.points },
  { header: '兑换次数', value: (r) => r.redemptions },
];

const genderNames: Record<string, string> = { male: '男', female: '女', unspecified: '' };
const volunteerStatusNames: Record<string, string> = { active: '在册', suspended: '暂停', left: '已退出' };

/** A one-row-per-figure table: how the head of a summary reads in Excel. */
function figuresSheet(name: string, figures: [string, string | number][]): TableSheet<unknown> {
  return sheet({ name, columns: [{ header: '项目', value: (r) => r[0], width: 24 }, { header: '数值', value: (r) => r[1] }], rows: figures });
}

const catalog: { [N in ReportName]: ReportDefinition<N> } = {
  'hours-by-month': {
    personal: false,
    compute: hoursByMonth,
    sheets: (r) => [sheet({ name: '按月', columns: [{ header: '月份', value: (i) => i.month }, ...figureColumns], rows: [...r.items, { month: '合计', ...r.total }] })],
  },
  'hours-by-team': {
    personal: false,
    compute: hoursByTeam,
    sheets: (r) => [sheet({ name: '按服务队', columns: [{ header: '服务队', value: (i) => i.teamName, width: 24 }, ...figureColumns], rows: [...r.items, { teamId: null, teamName: '合计', ...r.total }] })],
  },
  'hours-by-theme': {
    personal: false,
    compute: hoursByTheme,
    sheets: (r) => [sheet({ name: '按主题', columns: [{ header: '活动主题', value: (i) => i.themeName, width: 24 }, ...figureColumns], rows: [...r.items, { theme: null, themeName: '合计', ...r.total }] })],
  },
  'hours-by-volunteer': {
    personal: true,
    compute: hoursByVolunteer,
    sheets: (r) => [sheet({ name: '按志愿者', columns: volunteerHoursColumns, rows: r.items })],
  },
  'new-volunteers': {
    personal: true,
    compute: newVolunteers,
    sheets: (r) => [
      sheet({
        name: '新注册志愿者',
        columns: [
          { header: '姓名', value: (v) => v.name },
          { header: '卡号', value: (v) => v.cardNo },
          { header: '性别', value: (v) => genderNames[v.gender] },
          { header: '加入日期', value: (v) => v.joinedOn },
          { header: '服务队', value: (v) => v.teamNames.join('、'), width: 24 },
          { header: '状态', value: (v) => volunteerStatusNames[v.status] },
        ],
        rows: r.items,
      }),
      sheet({ name: '按月', columns: [{ header: '月份', value: (m) => m.month }, { header: '新注册人数', value: (m) => m.count }], rows: r.byMonth }),
    ],
  },
  'active-volunteers': {
    personal: true,
    compute: activeVolunteers,
    sheets: (r) => [
      figuresSheet('概况', [['活跃志愿者(人)', r.active], ['在册志愿者(人)', r.registered], ['活跃率', `${Math.round(r.activeRate * 100)}%`]]),
      sheet({ name: '按月', columns: [{ header: '月份', value: (m) => m.month }, { header: '活跃人数', value: (m) => m.active }], rows: r.byMonth }),
      sheet({ name: '名单', columns: volunteerHoursColumns, rows: r.items }),
    ],
  },
  points: {
    personal: false,
    compute: pointsReport,
    sheets: (r) => [
      sheet({
        name: '按月',
        columns: [
          { header: '月份', value: (m) => m.month },
          { header: '发放积分', value: (m) => m.issued },
          { header: '扣减积分', value: (m) => m.deducted },
          { header: '兑换积分', value: (m) => m.redeemed },
          { header: '净变动', value: (m) => m.net },
        ],
        rows: [...r.byMonth, { month: '合计', ...r.total }],
      }),
      sheet({
        name: '按类型',
        columns: [
          { header: '类型', value: (k) => k.kindName },
          { header: '笔数', value: (k) => k.entries },
          { header: '增加', value: (k) => k.plus },
          { header: '减少', value: (k) => k.minus },
        ],
        rows: r.byKind,
      }),
    ],
  },
  'redemptions-by-goods': {
    personal: false,
    compute: redemptionsByGoods,
    sheets: (r) => [
      sheet({
        name: '按物品',
        columns: goodsColumns,
        rows: [...r.items, { goodsId: '', name: '合计', category: '', quantity: r.total.quantity, points: r.total.points, redemptions: r.total.redemptions }],
      }),
    ],
  },
  activities: {
    personal: false,
    compute: activitiesReport,
    sheets: (r) => [
      sheet({
        name: '活动',
        columns: [
          { header: '活动', value: (a) => a.title, width: 28 },
          { header: '主题', value: (a) => a.theme },
          { header: '时间', value: (a) => a.time, width: 26 },
          { header: '地点', value: (a) => a.place, width: 20 },
          { header: '组织单位', value: (a) => a.organizer, width: 20 },
          { header: '服务队', value: (a) => a.teamNames.join('、'), width: 20 },
          { header: '服务人次', value: (a) => a.attendances },
          { header: '参与人数', value: (a) => a.volunteers },
          { header: '服务时长(小时)', value: (a) => a.hours },
        ],
        rows: r.items,
      }),
    ],
  },
  'year-summary': {
    personal: false,
    compute: yearSummary,
    sheets: (r) => [
      figuresSheet('概况', [
        ['统计期间', `${r.period.from} 至 ${r.period.to}`],
        ['在册志愿者(人)', r.volunteers.registered],
        ['新注册志愿者(人)', r.volunteers.new],
        ['活跃志愿者(人)', r.volunteers.active],
        ['活跃率', `${Math.round(r.volunteers.activeRate * 100)}%`],
        ['开展活动(场)', r.activities.held],
        ['服务人次', r.service.attendances],
        ['服务时长(小时)', r.service.hours],
        ['活跃志愿者人均时长(小时)', r.service.hoursPerActiveVolunteer],
        ['在册志愿者人均时长(小时)', r.service.hoursPerRegisteredVolunteer],
        ['发放积分', r.points.issued],
        ['扣减积分', r.points.deducted],
        ['兑换积分', r.points.redeemed],
        ['兑出物品(件)', r.goods.quantity],
        ['兑换次数', r.goods.redemptions],
      ]),
      sheet({
        name: '逐月',
        columns: [
          { header: '月份', value: (m) => m.month },
          { header: '服务时长(小时)', value: (m) => m.hours },
          { header: '服务人次', value: (m) => m.attendances },
          { header: '活跃人数', value: (m) => m.activeVolunteers },
          { header: '活动(场)', value: (m) => m.activities },
          { header: '新注册(人)', value: (m) => m.newVolunteers },
        ],
        rows: r.months,
      }),
      sheet({ name: '星级分布', columns: [{ header: '星级', value: (s) => (s.level === 0 ? '未评星' : `${s.level}星`) }, { header: '人数', value: (s) => s.volunteers }], rows: r.stars }),
      sheet({ name: '服务队排名', columns: [{ header: '服务队', value: (t) => t.teamName, width: 24 }, ...figureColumns], rows: r.topTeams }),
      sheet({ name: '兑换物品排名', columns: goodsColumns, rows: r.goods.top }),
    ],
  },
};

export function isReportName(name: string): name is ReportName {
  return (reportNames as readonly string[]).includes(name);
}

export function reportDefinition<N extends ReportName>(name: N): ReportDefinition<N> {
  return catalog[name] as ReportDefinition<N>;
}

export function reportInfos(): ReportInfo[] {
  return reportNames.map((name) => ({ name, title: reportTitles[name], personal: catalog[name].personal }));
}
