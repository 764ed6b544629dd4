import type { ComponentChildren } from 'preact';
import type { LedgerKind, VolunteerStatus } from '@protocol/model.ts';
import type { ActivityRow, Figures, GoodsOutRow, NewVolunteerRow, PointsFigures, Report, VolunteerHoursRow } from '@protocol/reports.ts';
import { BarChart, type ChartSpec } from '../components/chart.tsx';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Stars } from '../components/stars.tsx';
import { useFormat } from '../format.ts';
import { useMessages, type Messages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';

/** The longest list a chart draws; the table below it has every row. */
const CHART_ROWS = 12;

type Format = ReturnType<typeof useFormat>;

function Tiles({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <div class="tiles">
      {items.map(([label, value]) => (
        <div class="tile" key={label}>
          <span class="tile__label">{label}</span>
          <strong class="tile__value">{value}</strong>
        </div>
      ))}
    </div>
  );
}

function Chart({ title, spec, tall }: { title: string; spec: ChartSpec; tall?: boolean }) {
  // A month chart of one month is a single bar: the figures above say it better.
  if (spec.labels.length < (spec.horizontal ? 1 : 2)) return null;
  // Horizontal bars need room per row; a month chart has a fixed shape.
  const height = spec.horizontal ? Math.max(160, 36 * spec.labels.length + 60) : tall ? 320 : 280;
  return (
    <figure class="report__chart">
      <figcaption>{title}</figcaption>
      <BarChart label={title} spec={spec} height={height} />
    </figure>
  );
}

function figureTiles(m: Messages, format: Format, total: Figures): [string, ComponentChildren][] {
  return [
    [m.reports.hours, format.number(total.hours)],
    [m.reports.attendances, format.number(total.attendances)],
    [m.reports.volunteers, format.number(total.volunteers)],
  ];
}

function figureColumns<T extends Figures>(m: Messages, format: Format): Column<T>[] {
  return [
    { key: 'attendances', header: m.reports.attendances, kind: 'num', cell: (r) => format.number(r.attendances) },
    { key: 'volunteers', header: m.reports.volunteers, kind: 'num', cell: (r) => format.number(r.volunteers) },
    { key: 'hours', header: m.reports.hours, kind: 'num', cell: (r) => format.number(r.hours) },
  ];
}

function volunteerColumns(m: Messages, format: Format): Column<VolunteerHoursRow>[] {
  return [
    { key: 'name', header: m.volunteers.name, cell: (r) => <Link to={`/volunteers/${r.volunteerId}`}>{r.name}</Link> },
    { key: 'cardNo', header: m.volunteers.cardNo, cell: (r) => <span class="mono">{r.cardNo}</span> },
    { key: 'teams', header: m.volunteers.teams, kind: 'text', cell: (r) => r.teamNames.join('、') || '—' },
    { key: 'activities', header: m.reports.activitiesCount, kind: 'num', cell: (r) => format.number(r.activities) },
    { key: 'attendances', header: m.reports.attendances, kind: 'num', cell: (r) => format.number(r.attendances) },
    { key: 'hours', header: m.reports.hours, kind: 'num', cell: (r) => format.number(r.hours) },
    { key: 'last', header: m.reports.lastDay, cell: (r) => r.lastDay },
  ];
}

function pointsTiles(m: Messages, format: Format, points: PointsFigures): [string, ComponentChildren][] {
  return [
    [m.reports.pointsIssued, format.number(points.issued)],
    [m.reports.pointsDeducted, format.number(points.deducted)],
    [m.reports.pointsRedeemed, format.number(points.redeemed)],
    [m.reports.pointsNet, format.number(points.net)],
  ];
}

const goodsColumns = (m: Messages, format: Format): Column<GoodsOutRow>[] => [
  { key: 'name', header: m.goods.name, cell: (r) => r.name },
  { key: 'category', header: m.goods.category, cell: (r) => r.category || '—' },
  { key: 'quantity', header: m.reports.quantity, kind: 'num', cell: (r) => format.number(r.quantity) },
  { key: 'points', header: m.reports.points, kind: 'num', cell: (r) => format.number(r.points) },
  { key: 'redemptions', header: m.reports.receipts, kind: 'num', cell: (r) => format.number(r.redemptions) },
];

/** One report as tiles, a chart where a picture reads faster than figures, and its table. */
export function ReportBody({ report }: { report: Report }) {
  const m = useMessages();
  const format = useFormat();
  const month = (value: string) => m.reports.monthLabel(value);
  // Inside one calendar year, "3月" says enough under a bar; across years the year is needed.
  const inOneYear = report.period.from.slice(0, 4) === report.period.to.slice(0, 4);
  const barMonth = (value: string) => (inOneYear ? m.reports.shortMonth(value) : month(value));
  const hours = m.reports.hoursUnit;

  switch (report.report) {
    case 'hours-by-month':
      return (
        <>
          <Tiles items={figureTiles(m, format, report.total)} />
          <Chart
            title={m.reports.hoursPerMonth}
            spec={{
              labels: report.items.map((i) => barMonth(i.month)),
              series: [
                { label: m.reports.hours, data: report.items.map((i) => i.hours) },
                { label: m.reports.attendances, data: report.items.map((i) => i.attendances), kind: 'line' },
              ],
            }}
          />
          <DataTable
            label={m.reports.names[report.report]}
            columns={[{ key: 'month', header: m.reports.month, cell: (r) => month(r.month) }, ...figureColumns<(typeof report.items)[number]>(m, format)]}
            rows={report.items}
            rowKey={(r) => r.month}
          />
        </>
      );
    case 'hours-by-team':
    case 'hours-by-theme': {
      const rows = report.report === 'hours-by-team' ? report.items.map((i) => ({ key: i.teamId ?? '', name: i.teamName, ...i })) : report.items.map((i) => ({ key: i.theme ?? '', name: i.themeName, ...i }));
      const top = rows.slice(0, CHART_ROWS);
      return (
        <>
          <Tiles items={figureTiles(m, format, report.total)} />
          <Chart title={m.reports.hoursOf(m.reports.names[report.report])} spec={{ labels: top.map((r) => r.name), series: [{ label: m.reports.hours, data: top.map((r) => r.hours) }], horizontal: true, unit: hours }} />
          <DataTable
            label={m.reports.names[report.report]}
            columns={[{ key: 'name', header: report.report === 'hours-by-team' ? m.volunteers.teams : m.activities.theme, cell: (r) => r.name }, ...figureColumns<(typeof rows)[number]>(m, format)]}
            rows={rows}
            rowKey={(r) => r.key}
          />
        </>
      );
    }
    case 'hours-by-volunteer': {
      const top = report.items.slice(0, CHART_ROWS);
      return (
        <>
          <Tiles items={figureTiles(m, format, report.total)} />
          <Chart title={m.reports.topVolunteers(top.length)} spec={{ labels: top.map((r) => r.name), series: [{ label: m.reports.hours, data: top.map((r) => r.hours) }], horizontal: true, unit: hours }} />
          <DataTable label={m.reports.names[report.report]} columns={volunteerColumns(m, format)} rows={report.items} rowKey={(r) => r.volunteerId} />
        </>
      );
    }
    case 'new-volunteers': {
      const columns: Column<NewVolunteerRow>[] = [
        { key: 'name', header: m.volunteers.name, cell: (r) => <Link to={`/volunteers/${r.volunteerId}`}>{r.name}</Link> },
        { key: 'cardNo', header: m.volunteers.cardNo, cell: (r) => <span class="mono">{r.cardNo}</span> },
        { key: 'gender', header: m.volunteers.gender, cell: (r) => m.gender[r.gender as keyof Messages['gender']] ?? r.gender },
        { key: 'joined', header: m.volunteers.joinedOn, cell: (r) => r.joinedOn },
        { key: 'teams', header: m.volunteers.teams, kind: 'text', cell: (r) => r.teamNames.join('、') || '—' },
        { key: 'status', header: m.volunteers.status, cell: (r) => m.volunteerStatus[r.status as VolunteerStatus] ?? r.status },
      ];
      return (
        <>
          <Tiles items={[[m.reports.newVolunteers, format.number(report.count)]]} />
          <Chart title={m.reports.newPerMonth} spec={{ labels: report.byMonth.map((i) => barMonth(i.month)), series: [{ label: m.reports.newVolunteers, data: report.byMonth.map((i) => i.count) }] }} />
          <DataTable label={m.reports.names[report.report]} columns={columns} rows={report.items} rowKey={(r) => r.volunteerId} />
        </>
      );
    }
    case 'active-volunteers':
      return (
        <>
          <Tiles
            items={[
              [m.reports.activeVolunteers, format.number(report.active)],
              [m.reports.registered, format.number(report.registered)],
              [m.reports.activeRate, `${format.number(report.activeRate * 100)}%`],
            ]}
          />
          <Chart title={m.reports.activePerMonth} spec={{ labels: report.byMonth.map((i) => barMonth(i.month)), series: [{ label: m.reports.activeVolunteers, data: report.byMonth.map((i) => i.active) }] }} />
          <DataTable label={m.reports.names[report.report]} columns={volunteerColumns(m, format)} rows={report.items} rowKey={(r) => r.volunteerId} />
        </>
      );
    case 'points': {
      type MonthRow = (typeof report.byMonth)[number];
      type KindRow = (typeof report.byKind)[number];
      const kindName = (r: KindRow) => (m.ledgerKind as Record<string, string>)[r.kind as LedgerKind] ?? r.kindName;
      return (
        <>
          <Tiles items={pointsTiles(m, format, report.total)} />
          <Chart
            title={m.reports.pointsPerMonth}
            spec={{
              labels: report.byMonth.map((i) => barMonth(i.month)),
              series: [
                { label: m.reports.pointsIssued, data: report.byMonth.map((i) => i.issued) },
                { label: m.reports.pointsRedeemed, data: report.byMonth.map((i) => i.redeemed) },
              ],
            }}
          />
          <DataTable
            label={m.reports.pointsPerMonth}
            columns={
              [
                { key: 'month', header: m.reports.month, cell: (r) => month(r.month) },
                { key: 'issued', header: m.reports.pointsIssued, kind: 'num', cell: (r) => format.number(r.issued) },
                { key: 'deducted', header: m.reports.pointsDeducted, kind: 'num', cell: (r) => format.number(r.deducted) },
                { key: 'redeemed', header: m.reports.pointsRedeemed, kind: 'num', cell: (r) => format.number(r.redeemed) },
                { key: 'net', header: m.reports.pointsNet, kind: 'num', cell: (r) => format.number(r.net) },
              ] satisfies Column<MonthRow>[]
            }
            rows={report.byMonth}
            rowKey={(r) => r.month}
          />
          <h3>{m.reports.byKind}</h3>
          <DataTable
            label={m.reports.byKind}
            columns={
              [
                { key: 'kind', header: m.ledger.kind, cell: kindName },
                { key: 'entries', header: m.reports.entries, kind: 'num', cell: (r) => format.number(r.entries) },
                { key: 'plus', header: m.reports.plus, kind: 'num', cell: (r) => format.number(r.plus) },
                { key: 'minus', header: m.reports.minus, kind: 'num', cell: (r) => format.number(r.minus) },
              ] satisfies Column<KindRow>[]
            }
            rows={report.byKind}
            rowKey={(r) => r.kind}
          />
        </>
      );
    }
    case 'redemptions-by-goods': {
      const top = report.items.slice(0, CHART_ROWS);
      return (
        <>
          <Tiles
            items={[
              [m.reports.quantity, format.number(report.total.quantity)],
              [m.reports.points, format.number(report.total.points)],
              [m.reports.receipts, format.number(report.total.redemptions)],
            ]}
          />
          {report.voidedLeftOut > 0 && <p class="muted">{m.reports.voidedLeftOut(report.voidedLeftOut)}</p>}
          <Chart title={m.reports.goodsOut} spec={{ labels: top.map((r) => r.name), series: [{ label: m.reports.quantity, data: top.map((r) => r.quantity) }], horizontal: true }} />
          <DataTable label={m.reports.names[report.report]} columns={goodsColumns(m, format)} rows={report.items} rowKey={(r) => r.goodsId} />
        </>
      );
    }
    case 'activities': {
      const columns: Column<ActivityRow>[] = [
        { key: 'time', header: m.activities.when, cell: (r) => r.time },
        { key: 'title', header: m.activities.titleField, kind: 'text', cell: (r) => <Link to={`/activities/${r.activityId}`}>{r.title}</Link> },
        { key: 'theme', header: m.activities.theme, cell: (r) => r.theme || '—' },
        { key: 'place', header: m.activities.place, cell: (r) => r.place || '—' },
        { key: 'organizer', header: m.activities.organizer, cell: (r) => r.organizer || '—' },
        { key: 'attendances', header: m.reports.attendances, kind: 'num', cell: (r) => format.number(r.attendances) },
        { key: 'volunteers', header: m.reports.volunteers, kind: 'num', cell: (r) => format.number(r.volunteers) },
        { key: 'hours', header: m.reports.hours, kind: 'num', cell: (r) => format.number(r.hours) },
      ];
      return (
        <>
          <Tiles
            items={[
              [m.reports.activitiesHeld, format.number(report.total.activities)],
              [m.reports.attendances, format.number(report.total.attendances)],
              [m.reports.hours, format.number(report.total.hours)],
            ]}
          />
          <DataTable label={m.reports.names[report.report]} columns={columns} rows={report.items} rowKey={(r) => r.activityId} />
        </>
      );
    }
    case 'year-summary': {
      type TeamRow = (typeof report.topTeams)[number];
      return (
        <>
          <Tiles
            items={[
              [m.reports.registered, format.number(report.volunteers.registered)],
              [m.reports.activeVolunteers, format.number(report.volunteers.active)],
              [m.reports.newVolunteers, format.number(report.volunteers.new)],
              [m.reports.activitiesHeld, format.number(report.activities.held)],
              [m.reports.hours, format.number(report.service.hours)],
              [m.reports.attendances, format.number(report.service.attendances)],
              [m.reports.hoursPerActive, format.number(report.service.hoursPerActiveVolunteer)],
            ]}
          />
          <Chart
            title={m.reports.hoursPerMonth}
            tall
            spec={{
              labels: report.months.map((i) => barMonth(i.month)),
              series: [
                { label: m.reports.hours, data: report.months.map((i) => i.hours) },
                { label: m.reports.activeVolunteers, data: report.months.map((i) => i.activeVolunteers), kind: 'line' },
              ],
            }}
          />
          <div class="report__columns">
            <div>
              <h3>{m.reports.starsHeld}</h3>
              <DataTable
                label={m.reports.starsHeld}
                columns={[
                  { key: 'level', header: m.volunteers.stars, cell: (r) => (r.level === 0 ? m.volunteers.starLevel(0) : <Stars value={r.level} />) },
                  { key: 'count', header: m.reports.volunteers, kind: 'num', cell: (r) => format.number(r.volunteers) },
                ]}
                rows={report.stars}
                rowKey={(r) => String(r.level)}
              />
            </div>
            <div>
              <h3>{m.reports.topTeams}</h3>
              <DataTable
                label={m.reports.topTeams}
                columns={[{ key: 'name', header: m.volunteers.teams, cell: (r) => r.teamName }, ...figureColumns<TeamRow>(m, format)]}
                rows={report.topTeams}
                rowKey={(r) => r.teamId}
              />
            </div>
          </div>
          <h3>{m.reports.names.points}</h3>
          <Tiles items={pointsTiles(m, format, report.points)} />
          <h3>{m.reports.names['redemptions-by-goods']}</h3>
          <DataTable label={m.reports.names['redemptions-by-goods']} columns={goodsColumns(m, format)} rows={report.goods.top} rowKey={(r) => r.goodsId} />
        </>
      );
    }
  }
}
