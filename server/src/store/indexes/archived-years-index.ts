import type { IndexHandlers, StateIndex } from './state-index.ts';

/** Years whose history lives in an archive file (store/archive/): one `archives` record each, never removed. */
export class ArchivedYearsIndex implements StateIndex {
  readonly #years = new Set<number>();

  readonly follows: IndexHandlers = {
    archives: (_old, next) => {
      if (next) this.#years.add(next.year);
    },
  };

  has(year: number): boolean {
    return this.#years.has(year);
  }

  get size(): number {
    return this.#years.size;
  }

  /** Oldest first. */
  sorted(): number[] {
    return [...this.#years].sort((a, b) => a - b);
  }

  clear(): void {
    this.#years.clear();
  }
}
