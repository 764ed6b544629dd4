import type { IndexHandlers, StateIndex } from './state-index.ts';

/** Stock per goods: the sum of its movements (append-only), so a redemption's check is one lookup. */
export class StockIndex implements StateIndex {
  readonly #byGoods = new Map<string, number>();

  readonly follows: IndexHandlers = {
    stockMovements: (old, next) => {
      if (old) this.#byGoods.set(old.goodsId, this.of(old.goodsId) - old.delta);
      if (next) this.#byGoods.set(next.goodsId, this.of(next.goodsId) + next.delta);
    },
  };

  of(goodsId: string): number {
    return this.#byGoods.get(goodsId) ?? 0;
  }

  /** Stock per goods: the live map, read only (kept for callers not yet on the query methods). */
  get entries(): ReadonlyMap<string, number> {
    return this.#byGoods;
  }

  clear(): void {
    this.#byGoods.clear();
  }
}
