import type { ActivitiesReport } from '../protocol/reports.ts';
import { chineseDate, chineseMonth, formatHours, PrintDocument } from './print-document.tsx';

const ledgerCss = `
.ledger table { font-size: 9.5pt; }
.ledger .summary { margin: 4mm 0 0; }
.ledger .signatures { display: flex; justify-content: space-between; margin-top: 10mm; font-size: 11pt; }
.ledger .signatures span { min-width: 60mm; padding-bottom: 1mm; border-bottom: .6pt solid #333; }
`;

/** The period's name as a title: a whole month reads 2026年3月, anything else from–to. */
function periodName(report: ActivitiesReport): string {
  const { from, to } = report.period;
  const month = from.slice(0, 7);
  const lastDay = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  if (from === `${month}-01` && to === `${month}-${String(lastDay).padStart(2, '0')}`) return chineseMonth(month);
  return `${chineseDate(from)}至${chineseDate(to)}`;
}

/** 志愿服务活动台账: the month's activities, as a center files them for the street office. */
export function LedgerPage(props: { report: ActivitiesReport; teamName?: string; printedOn: string }) {
  const { report } = props;
  const title = `${report.centerName}志愿服务活动台账`;
  return (
    <PrintDocument title={`${title}（${periodName(report)}）`} landscape extraCss={ledgerCss}>
      <main class="sheet ledger">
        <h1>{title}</h1>
        <p class="subtitle">
          {periodName(report)}
          {props.teamName && ` · ${props.teamName}`}
          {report.filters.theme && ` · 主题：${report.filters.theme}`}
        </p>
        <table>
          <thead>
            <tr>
              <th>序号</th>
              <th>活动名称</th>
              <th>主题</th>
              <th>时间</th>
              <th>地点</th>
              <th>组织单位</th>
              <th>服务队</th>
              <th class="num">参与人数</th>
              <th class="num">服务人次</th>
              <th class="num">服务时长（小时）</th>
            </tr>
          </thead>
          <tbody>
            {report.items.map((activity, index) => (
              <tr key={activity.activityId}>
                <td class="center">{index + 1}</td>
                <td>{activity.title}</td>
                <td>{activity.theme}</td>
                <td style="white-space: nowrap">{activity.time}</td>
                <td>{activity.place}</td>
                <td>{activity.organizer}</td>
                <td>{activity.teamNames.join('、')}</td>
                <td class="num">{activity.volunteers}</td>
                <td class="num">{activity.attendances}</td>
                <td class="num">{formatHours(activity.hours)}</td>
              </tr>
            ))}
            {report.items.length === 0 && (
              <tr>
                <td colSpan={10} class="center muted">本期无活动</td>
              </tr>
            )}
            <tr class="total">
              <td colSpan={7} class="center">合计 {report.total.activities} 场</td>
              <td class="num" />
              <td class="num">{report.total.attendances}</td>
              <td class="num">{formatHours(report.total.hours)}</td>
            </tr>
          </tbody>
        </table>
        <p class="summary">
          本期共开展志愿服务活动 {report.total.activities} 场，服务 {report.total.attendances} 人次，累计服务时长 {formatHours(report.total.hours)} 小时。
        </p>
        <div class="signatures keep">
          <span>制表人：</span>
          <span>审核人：</span>
          <span>制表日期：{chineseDate(props.printedOn)}</span>
        </div>
      </main>
    </PrintDocument>
  );
}
