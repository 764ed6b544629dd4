import type { YearSummaryReport } from '../protocol/reports.ts';
import { BarChart, ColumnChart } from './charts.tsx';
import { chineseDate, formatHours, PrintDocument } from './print-document.tsx';

const summaryCss = `
.summary .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; margin: 2mm 0 2mm; }
.summary .figure { border: .6pt solid #999; border-radius: 2mm; padding: 2.5mm 3mm; break-inside: avoid; }
.summary .figure .value { font-size: 17pt; font-weight: bold; line-height: 1.2; }
.summary .figure .label { font-size: 9pt; color: #444; }
.summary .figure .note { font-size: 8.5pt; color: #666; }
.summary .two { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
.summary section { break-inside: avoid; }
.summary .chart { display: block; }
.summary table { font-size: 9.5pt; }
.summary .page-break { break-before: page; }
`;

function Figure(props: { label: string; value: string | number; note?: string }) {
  return (
    <div class="figure">
      <div class="value">{props.value}</div>
      <div class="label">{props.label}</div>
      {props.note && <div class="note">{props.note}</div>}
    </div>
  );
}

/** Month labels: 1月…12月 within one year, YYYY-MM across years. */
function monthLabels(months: string[]): string[] {
  const oneYear = months.every((m) => m.slice(0, 4) === months[0]?.slice(0, 4));
  return months.map((m) => (oneYear ? `${Number(m.slice(5))}月` : m));
}

function periodTitle(report: YearSummaryReport): string {
  const { from, to } = report.period;
  return from.endsWith('-01-01') && to === `${from.slice(0, 4)}-12-31` ? `${from.slice(0, 4)}年度` : `${chineseDate(from)}至${chineseDate(to)}`;
}

/** 年度总结: the figures a center reports to the street office, with charts where a reader would rather look. */
export function YearSummaryPage(props: { report: YearSummaryReport; teamName?: string; printedOn: string }) {
  const { report } = props;
  const labels = monthLabels(report.months.map((m) => m.month));
  const title = `${report.centerName}${periodTitle(report)}志愿服务总结`;
  return (
    <PrintDocument title={title} extraCss={summaryCss}>
      <main class="sheet summary">
        <h1>{title}</h1>
        <p class="subtitle">
          统计期间：{chineseDate(report.period.from)}至{chineseDate(report.period.to)}
          {props.teamName && ` · ${props.teamName}`}
          {report.filters.theme && ` · 主题：${report.filters.theme}`}
        </p>

        <section>
          <h2>总体情况</h2>
          <div class="figures">
            <Figure label="在册志愿者（人）" value={report.volunteers.registered} />
            <Figure label="新注册志愿者（人）" value={report.volunteers.new} />
            <Figure label="活跃志愿者（人）" value={report.volunteers.active} note={`活跃率 ${Math.round(report.volunteers.activeRate * 100)}%`} />
            <Figure label="开展活动（场）" value={report.activities.held} />
            <Figure label="服务时长（小时）" value={formatHours(report.service.hours)} />
            <Figure label="服务人次" value={report.service.attendances} />
            <Figure label="活跃志愿者人均时长（小时）" value={formatHours(report.service.hoursPerActiveVolunteer)} />
            <Figure label="在册志愿者人均时长（小时）" value={formatHours(report.service.hoursPerRegisteredVolunteer)} />
            <Figure label="发放积分" value={formatHours(report.points.issued)} />
            <Figure label="兑换积分" value={formatHours(report.points.redeemed)} />
            <Figure label="兑出物品（件）" value={report.goods.quantity} note={`${report.goods.redemptions} 次兑换`} />
            <Figure label="扣减积分" value={formatHours(report.points.deducted)} />
          </div>
        </section>

        <section>
          <h2>逐月服务时长</h2>
          <ColumnChart data={report.months.map((m, i) => ({ label: labels[i]!, value: m.hours }))} unit="小时" />
        </section>

        <section>
          <h2>逐月服务人次</h2>
          <ColumnChart data={report.months.map((m, i) => ({ label: labels[i]!, value: m.attendances }))} unit="人次" color="#e07b39" height={180} />
        </section>

        <section class="page-break">
          <h2>星级分布</h2>
          <BarChart
            data={report.stars.map((s) => ({ label: s.level === 0 ? '未评星' : `${'★'.repeat(s.level)}`, value: s.volunteers }))}
            unit=" 人"
            color="#d4a017"
          />
        </section>

        <div class="two">
          <section>
            <h2>服务队服务时长排行</h2>
            {report.topTeams.length > 0 ? (
              <BarChart data={report.topTeams.map((t) => ({ label: t.teamName, value: t.hours }))} unit=" 小时" width={320} labelWidth={100} />
            ) : (
              <p class="muted">本期无服务队数据</p>
            )}
          </section>
          <section>
            <h2>爱心超市兑换排行</h2>
            {report.goods.top.length > 0 ? (
              <BarChart data={report.goods.top.map((g) => ({ label: g.name, value: g.quantity }))} unit=" 件" width={320} labelWidth={100} color="#8e5bd6" />
            ) : (
              <p class="muted">本期无兑换</p>
            )}
          </section>
        </div>

        <section>
          <h2>逐月明细</h2>
          <table>
            <thead>
              <tr>
                <th>月份</th>
                <th class="num">服务时长（小时）</th>
                <th class="num">服务人次</th>
                <th class="num">活跃人数</th>
                <th class="num">开展活动（场）</th>
                <th class="num">新注册（人）</th>
              </tr>
            </thead>
            <tbody>
              {report.months.map((m, i) => (
                <tr key={m.month}>
                  <td class="center">{labels[i]}</td>
                  <td class="num">{formatHours(m.hours)}</td>
                  <td class="num">{m.attendances}</td>
                  <td class="num">{m.activeVolunteers}</td>
                  <td class="num">{m.activities}</td>
                  <td class="num">{m.newVolunteers}</td>
                </tr>
              ))}
              <tr class="total">
                <td class="center">合计</td>
                <td class="num">{formatHours(report.service.hours)}</td>
                <td class="num">{report.service.attendances}</td>
                <td class="num">{report.volunteers.active}</td>
                <td class="num">{report.activities.held}</td>
                <td class="num">{report.volunteers.new}</td>
              </tr>
            </tbody>
          </table>
          <p class="small muted">
            服务时长为按本中心计时规则认定的可计时长；自动签退与更正后的记录按当前认定时长计入，已删除的记录不计。星级按统计期末的累计时长和本中心星级规则评定。制表日期：{chineseDate(props.printedOn)}。
          </p>
        </section>
      </main>
    </PrintDocument>
  );
}
