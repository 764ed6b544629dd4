import { scaleBand, scaleLinear } from 'd3-scale';

/**
 * Charts for paper: plain SVG drawn on the server, d3-scale for the arithmetic (bands, nice
 * ticks). Vector output stays sharp at any printer resolution, and nothing runs in the browser,
 * so the page prints the same from any PC.
 */

export interface BarDatum {
  label: string;
  value: number;
}

const AXIS = '#555';
const GRID = '#ddd';

function formatValue(value: number): string {
  return value.toLocaleString('zh-CN', { maximumFractionDigits: 1 });
}

/** Vertical bars with a value on each, for a series such as the twelve months. */
export function ColumnChart(props: { data: BarDatum[]; width?: number; height?: number; color?: string; unit?: string }) {
  const { data, width = 640, height = 220, color = '#3b7dd8', unit } = props;
  const margin = { top: 28, right: 8, bottom: 26, left: 46 };
  const x = scaleBand<string>().domain(data.map((d) => d.label)).range([margin.left, width - margin.right]).padding(0.25);
  const y = scaleLinear().domain([0, Math.max(1, ...data.map((d) => d.value))]).nice().range([height - margin.bottom, margin.top]);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" class="chart">
      {y.ticks(5).map((tick) => (
        <g key={tick}>
          <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} stroke={GRID} stroke-width="0.8" />
          <text x={margin.left - 5} y={y(tick)} text-anchor="end" dominant-baseline="middle" font-size="10" fill={AXIS}>
            {formatValue(tick)}
          </text>
        </g>
      ))}
      {unit && (
        <text x={margin.left - 5} y={11} text-anchor="end" font-size="10" fill={AXIS}>
          {unit}
        </text>
      )}
      {data.map((d) => {
        const top = y(d.value);
        return (
          <g key={d.label}>
            <rect x={x(d.label)} y={top} width={x.bandwidth()} height={y(0) - top} fill={color} />
            {d.value > 0 && (
              <text x={x(d.label)! + x.bandwidth() / 2} y={top - 3} text-anchor="middle" font-size="9.5" fill="#222">
                {formatValue(d.value)}
              </text>
            )}
            <text x={x(d.label)! + x.bandwidth() / 2} y={height - margin.bottom + 14} text-anchor="middle" font-size="10.5" fill="#222">
              {d.label}
            </text>
          </g>
        );
      })}
      <line x1={margin.left} x2={width - margin.right} y1={y(0)} y2={y(0)} stroke={AXIS} stroke-width="1" />
    </svg>
  );
}

/** Horizontal bars with labels on the left, for a ranking such as teams or star levels. */
export function BarChart(props: { data: BarDatum[]; width?: number; color?: string; unit?: string; labelWidth?: number }) {
  const { data, width = 640, color = '#2e9d6a', unit = '', labelWidth = 120 } = props;
  const row = 24;
  const height = Math.max(1, data.length) * row + 8;
  const x = scaleLinear().domain([0, Math.max(1, ...data.map((d) => d.value))]).range([0, width - labelWidth - 80]);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" class="chart">
      {data.map((d, index) => {
        const top = 4 + index * row;
        return (
          <g key={d.label}>
            <text x={labelWidth - 8} y={top + row / 2} text-anchor="end" dominant-baseline="middle" font-size="11" fill="#222">
              {d.label}
            </text>
            <rect x={labelWidth} y={top + 4} width={Math.max(d.value > 0 ? 1 : 0, x(d.value))} height={row - 8} fill={color} />
            <text x={labelWidth + x(d.value) + 6} y={top + row / 2} dominant-baseline="middle" font-size="10.5" fill="#222">
              {formatValue(d.value)}
              {unit}
            </text>
          </g>
        );
      })}
      <line x1={labelWidth} x2={labelWidth} y1={0} y2={height} stroke={AXIS} stroke-width="1" />
    </svg>
  );
}
