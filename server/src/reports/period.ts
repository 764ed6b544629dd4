import { addDays, startOfDayIn } from '../domain/time-zone.ts';
import type { ReportPeriod } from '../protocol/reports.ts';

/**
 * A report period as instants: where it starts and ends in the center's zone, and where each of
 * its months begins. Placing a record is two comparisons and a binary search over at most 120
 * month starts, instead of formatting each of 200,000 timestamps into a calendar day.
 */
export class PeriodCalendar {
  readonly from: string;
  readonly to: string;
  readonly startMs: number;
  /** Exclusive: the first instant of the day after `to`. */
  readonly endMs: number;
  readonly months: string[];
  readonly #monthStarts: number[];

  constructor(period: ReportPeriod, readonly timeZone: string) {
    this.from = period.from;
    this.to = period.to;
    this.startMs = startOfDayIn(period.from, timeZone).getTime();
    this.endMs = startOfDayIn(addDays(period.to, 1), timeZone).getTime();
    this.months = [];
    this.#monthStarts = [];
    for (let month = period.from.slice(0, 7); month <= period.to.slice(0, 7); month = nextMonth(month)) {
      this.months.push(month);
      this.#monthStarts.push(month === period.from.slice(0, 7) ? this.startMs : startOfDayIn(`${month}-01`, timeZone).getTime());
    }
  }

  contains(ms: number): boolean {
    return ms >= this.startMs && ms < this.endMs;
  }

  /** Index into `months` of an instant inside the period. */
  monthIndexOf(ms: number): number {
    const starts = this.#monthStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= ms) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Whether a calendar day (YYYY-MM-DD, already in the center's zone) is in the period. */
  containsDay(day: string): boolean {
    return day >= this.from && day <= this.to;
  }

  monthIndexOfDay(day: string): number {
    return this.months.indexOf(day.slice(0, 7));
  }
}

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}
