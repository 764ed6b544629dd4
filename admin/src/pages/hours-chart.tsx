import type { HoursByMonthReport } from '@protocol/reports.ts';
import { query } from '../api/client.ts';
import { BarChart } from '../components/chart.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { addMonths, dayIn } from '../time.ts';
import { useResource } from '../use-resource.ts';

const MONTHS = 12;

/** Hours served per month over the last year, of one volunteer or one team: a glance at who keeps coming. */
export function HoursChart({ filter, title }: { filter: { volunteerId: string } | { teamId: string }; title: string }) {
  const m = useMessages();
  const format = useFormat();
  const today = dayIn(new Date(), format.timeZone);
  const from = `${addMonths(today.slice(0, 7), 1 - MONTHS)}-01`;
  const report = useResource<HoursByMonthReport>(`/reports/hours-by-month${query({ from, to: today, ...filter })}`);
  const items = report.data?.items ?? [];
  return (
    <section class="panel">
      <header class="panel__header">
        <h2>{title}</h2>
        {report.data && <span class="muted">{m.reports.totalHours(format.number(report.data.total.hours), report.data.total.attendances)}</span>}
      </header>
      <ErrorNotice error={report.error} />
      {report.data?.total.attendances === 0 && <p class="muted">{m.reports.noService}</p>}
      {report.data && report.data.total.attendances > 0 && (
        <BarChart
          label={title}
          height={220}
          spec={{ labels: items.map((i) => m.reports.monthLabel(i.month)), series: [{ label: m.reports.hours, data: items.map((i) => i.hours) }], unit: m.reports.hoursUnit }}
        />
      )}
    </section>
  );
}
