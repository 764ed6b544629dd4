import type { Chart } from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.tsx';

let library: Promise<typeof import('chart.js')> | undefined;

/** chart.js is half the admin's code: it loads the first time a chart is drawn, not with every screen. */
function loadChartJs(): Promise<typeof import('chart.js')> {
  library ??= import('chart.js').then((lib) => {
    // Only the parts these charts use.
    lib.Chart.register(lib.BarController, lib.BarElement, lib.CategoryScale, lib.LinearScale, lib.LineController, lib.LineElement, lib.PointElement, lib.Legend, lib.Tooltip);
    lib.Chart.defaults.font.family = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif";
    lib.Chart.defaults.font.size = 13;
    lib.Chart.defaults.color = '#52606d';
    return lib;
  });
  return library;
}

/** The accent first, then colours that stay apart for colour-blind readers and on a greyscale printout. */
const PALETTE = ['#c2410c', '#1f6f8b', '#8a5a00', '#52606d'];

export interface ChartSeries {
  label: string;
  data: number[];
  /** A line over bars reads as "the other figure"; bars are the default. */
  kind?: 'bar' | 'line';
}

export interface ChartSpec {
  labels: string[];
  series: ChartSeries[];
  /** Long labels (teams, goods) read better down the side than slanted under the bars. */
  horizontal?: boolean;
  /** Printed on the value axis, e.g. "小时". */
  unit?: string;
}

/**
 * A bar (or bar-and-line) chart drawn by chart.js. No animation: the figures are for reading
 * and printing, and a chart caught half-drawn by the print dialog would mislead.
 */
export function BarChart({ spec, label, height = 280 }: { spec: ChartSpec; label: string; height?: number }) {
  const { language } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(false);
  const key = JSON.stringify(spec);

  useEffect(() => {
    const numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    const valueAxis = spec.horizontal ? 'x' : 'y';
    let chart: Chart | undefined;
    let current = true;
    void loadChartJs().then(({ Chart }) => {
      if (!current) return;
      chart = new Chart(canvas.current!, {
        type: 'bar',
        data: {
          labels: spec.labels,
          datasets: spec.series.map((series, i) => ({
            type: series.kind ?? 'bar',
            label: series.label,
            data: series.data,
            backgroundColor: PALETTE[i % PALETTE.length],
            borderColor: PALETTE[i % PALETTE.length],
            borderWidth: series.kind === 'line' ? 2 : 0,
            maxBarThickness: 48,
          })),
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          indexAxis: spec.horizontal ? 'y' : 'x',
          plugins: {
            legend: { display: spec.series.length > 1, position: 'bottom' },
            tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${numbers.format(Number(item.raw))}` } },
          },
          scales: {
            [valueAxis]: {
              beginAtZero: true,
              title: { display: !!spec.unit, text: spec.unit ?? '' },
              ticks: { callback: (value) => numbers.format(Number(value)) },
            },
          },
        },
      });
      setDrawn(true);
    });
    return () => {
      current = false;
      chart?.destroy();
    };
    // The spec is compared by content: a re-render with the same figures keeps the chart.
  }, [key, language]);

  return (
    <div class="chart" style={{ height: `${height}px` }} data-drawn={drawn ? 'true' : 'false'}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
