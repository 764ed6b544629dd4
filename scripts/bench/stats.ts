/** Latency summaries. A request never answered within its window counts as infinitely slow, never as missing. */

export interface Summary {
  count: number;
  /** Requests that got no answer within the window. */
  unanswered: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(latencies: readonly number[], unanswered = 0): Summary {
  const sorted = [...latencies, ...Array<number>(unanswered).fill(Number.POSITIVE_INFINITY)].sort((a, b) => a - b);
  return { count: sorted.length, unanswered, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN };
}

export function ms(value: number, digits = 1): string {
  if (Number.isNaN(value)) return 'n/a';
  if (value === Number.POSITIVE_INFINITY) return '∞ (no ack)';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return `${value.toFixed(value >= 100 ? 0 : digits)} ms`;
}

export function ratio(ours: number, reference: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(reference) || reference <= 0) return ours === Number.POSITIVE_INFINITY ? '∞' : reference === Number.POSITIVE_INFINITY ? '≈0' : 'n/a';
  const value = ours / reference;
  return value >= 100 ? `${value.toFixed(0)}×` : value >= 0.01 ? `${value.toFixed(2)}×` : `1/${(1 / value).toFixed(0)}`;
}

export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A plain text table: first row is the header; columns padded to their widest cell (CJK counted double). */
export function table(rows: string[][]): string {
  const width = (text: string) => [...text].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => width(row[col] ?? ''))));
  const line = (row: string[]) => row.map((cell, col) => cell + ' '.repeat(widths[col]! - width(cell))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
