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

  clear(): void {
    this.#byGoods.clear();
  }
}
