import { query } from '../api/client.ts';
import { ErrorNotice } from '../components/notice.tsx';
import { useResource } from '../use-resource.ts';
import { useServiceMessages } from './service-messages.ts';

/** The figures of `GET /api/service-report` this panel shows (anonymous: viewers may see them). */
interface ServiceFigures {
  requests: number;
  hoursToDispatch: number | null;
  hoursToDone: number | null;
  ratings: { count: number; average: number | null };
  peopleServed: number;
  hoursByKind: { activity: number; request: number; visit: number };
  byCategory: { category: string; total: number }[];
}

/** 服务统计 on the reports page (issue 13): requests, times to dispatch and to done, ratings, people served, hours by kind. */
export function ServiceReportPanel({ period }: { period: { from: string; to: string } }) {
  const s = useServiceMessages().report;
  const figures = useResource<ServiceFigures>(period.from && period.to && period.from <= period.to ? `/service-report${query(period)}` : null);
  const f = figures.data;
  const dash = (value: number | null) => (value === null ? '—' : String(value));
  return (
    <section class="panel" data-panel="service-report">
      <h2>{s.title}</h2>
      <ErrorNotice error={figures.error} />
      {f && (
        <dl class="facts">
          <dt>{s.requests}</dt>
          <dd>{f.requests}{f.byCategory.length > 0 && <span class="muted">（{f.byCategory.map((c) => `${c.category} ${c.total}`).join('、')}）</span>}</dd>
          <dt>{s.toDispatch}</dt>
          <dd>{dash(f.hoursToDispatch)}</dd>
          <dt>{s.toDone}</dt>
          <dd>{dash(f.hoursToDone)}</dd>
          <dt>{s.rating}</dt>
          <dd>{dash(f.ratings.average)}{f.ratings.count > 0 && <span class="muted">（{f.ratings.count}）</span>}</dd>
          <dt>{s.served}</dt>
          <dd>{f.peopleServed}</dd>
          <dt>{s.hours}</dt>
          <dd>{f.hoursByKind.activity} / {f.hoursByKind.request} / {f.hoursByKind.visit}</dd>
        </dl>
      )}
      <div class="actions">
        <a class="button button--small" href={`/api/exports/service-report.xlsx${query(period)}`} download>{s.download}</a>
      </div>
    </section>
  );
}
