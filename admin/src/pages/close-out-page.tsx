import { query } from '../api/client.ts';
import type { CloseOut } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { DayPicker, useDayParam } from '../components/day-picker.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useResource } from '../use-resource.ts';

type Counter = CloseOut['counters'][number];
type StockLine = CloseOut['stockLeft'][number] & { out: number };

/**
 * The day's close-out (日结) per counter: receipts, voids, points and goods out, and the stock
 * left. Printed on A4 for the day's file; voided receipts are counted as voids, not as goods out.
 */
export function CloseOutPage() {
  const m = useMessages();
  const format = useFormat();
  const { settings, can } = useSession();
  const { day, today, setDay } = useDayParam();
  const report = useResource<CloseOut>(`/redemptions/close-out${query({ day })}`);
  const data = report.data?.day === day ? report.data : undefined;

  const goodsOut = new Map<string, number>();
  for (const counter of data?.counters ?? []) for (const line of counter.goodsOut) goodsOut.set(line.goodsId, (goodsOut.get(line.goodsId) ?? 0) + line.quantity);
  // Goods handed out today first, then whatever is low, then the rest by name: what a counter checks at closing.
  const stock: StockLine[] = (data?.stockLeft ?? [])
    .map((s) => ({ ...s, out: goodsOut.get(s.goodsId) ?? 0 }))
    .sort((a, b) => Number(b.out > 0) - Number(a.out > 0) || Number(b.low) - Number(a.low) || a.name.localeCompare(b.name, 'zh-CN'));
  const goodsText = (counter: Counter) => counter.goodsOut.map((g) => m.redemptions.line(g.name, g.quantity)).join('、') || '—';
  const counterName = (counter: Counter) => (counter.deviceId ? counter.counterName || m.closeOut.unnamedCounter : m.closeOut.noCounter);

  const counterColumns: Column<Counter>[] = [
    { key: 'counter', header: m.closeOut.counter, cell: (c) => <strong>{counterName(c)}</strong> },
    { key: 'redemptions', header: m.closeOut.redemptions, kind: 'num', cell: (c) => c.redemptions },
    { key: 'voids', header: m.closeOut.voids, kind: 'num', cell: (c) => c.voids },
    { key: 'points', header: m.closeOut.points, kind: 'num', cell: (c) => format.number(c.pointsSpent) },
    { key: 'goods', header: m.closeOut.goodsOut, kind: 'text', cell: goodsText },
  ];
  const stockColumns: Column<StockLine>[] = [
    { key: 'name', header: m.goods.name, cell: (s) => s.name },
    { key: 'out', header: m.closeOut.outToday, kind: 'num', cell: (s) => (s.out > 0 ? format.number(s.out) : '—') },
    { key: 'stock', header: m.closeOut.stockLeft, kind: 'num', cell: (s) => format.number(s.stock) },
    { key: 'low', header: '', cell: (s) => s.low && <span class="badge badge--warn">{s.stock === 0 ? m.goods.outOfStock : m.goods.lowStock}</span> },
  ];

  return (
    <section class="page close-out">
      <header class="page__header">
        <div>
          <h1>{m.closeOut.sheetTitle(settings.centerName, day)}</h1>
          <p class="page__subtitle no-print">
            <Link to={`/redemptions${day === today ? '' : `?day=${day}`}`}>← {m.nav.redemptions}</Link> · {m.closeOut.intro}
          </p>
        </div>
        <div class="page__actions no-print">
          <button class="button button--primary" disabled={!data} onClick={() => window.print()}>
            {m.closeOut.print}
          </button>
          <a class="button" href={`/api/redemptions/close-out.xlsx${query({ day })}`} download>
            {m.closeOut.exportXlsx}
          </a>
          {can('exports:personal') && (
            <a class="button" href={`/api/exports/redemptions.xlsx${query({ from: day, to: day })}`} download>
              {m.redemptions.export}
            </a>
          )}
        </div>
      </header>
      <div class="toolbar no-print">
        <DayPicker day={day} today={today} onChange={setDay} />
      </div>
      <ErrorNotice error={report.error} />
      {!data ? (
        !report.error && <Loading />
      ) : (
        <>
          <div class="tiles">
            <div class="tile">
              <span class="tile__label">{m.closeOut.redemptions}</span>
              <strong class="tile__value" data-testid="total-redemptions">{data.totals.redemptions}</strong>
            </div>
            <div class="tile">
              <span class="tile__label">{m.closeOut.voids}</span>
              <strong class="tile__value" data-testid="total-voids">{data.totals.voids}</strong>
            </div>
            <div class="tile">
              <span class="tile__label">{m.closeOut.points}</span>
              <strong class="tile__value" data-testid="total-points">{format.number(data.totals.pointsSpent)}</strong>
            </div>
          </div>
          <h2>{m.closeOut.byCounter}</h2>
          <DataTable label={m.closeOut.byCounter} columns={counterColumns} rows={data.counters} rowKey={(c) => c.deviceId ?? 'admin'} empty={m.closeOut.noRedemptions} />
          <h2 class="close-out__heading">{m.closeOut.stockTitle}</h2>
          <p class="muted">{m.closeOut.stockNote(format.dateTime(new Date().toISOString()))}</p>
          <DataTable label={m.closeOut.stockTitle} columns={stockColumns} rows={stock} rowKey={(s) => s.goodsId} empty={m.goods.none} />
          <div class="close-out__sign">
            <span>{m.closeOut.signedBy}</span>
            <span>{m.closeOut.checkedBy}</span>
          </div>
        </>
      )}
    </section>
  );
}
