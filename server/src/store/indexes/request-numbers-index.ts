import type { IndexHandlers, StateIndex } from './state-index.ts';

/** Highest request number per year (`2026-0042` → 42), so the next number is one lookup. */
export class RequestNumbersIndex implements StateIndex {
  readonly #lastByYear = new Map<number, number>();

  readonly follows: IndexHandlers = {
    serviceRequests: (_old, next) => {
      const [year, sequence] = (next?.number ?? '').split('-').map(Number);
      if (year && sequence && sequence > this.last(year)) this.#lastByYear.set(year, sequence);
    },
  };

  /** The highest sequence number given in the year (0 when none). */
  last(year: number): number {
    return this.#lastByYear.get(year) ?? 0;
  }

  clear(): void {
    this.#lastByYear.clear();
  }
}
