/**
 * The first `limit` items in a fixed order, kept while streaming through many more: memory and
 * work stay bounded by the limit, not by the number of items offered.
 */
export class TopList<T> {
  readonly #items: T[] = [];

  constructor(
    private readonly limit: number,
    /** Negative when `a` comes before `b`. */
    private readonly order: (a: T, b: T) => number,
  ) {}

  /** Whether an item would make the list now (so a caller can skip costly work for those that would not). */
  accepts(item: T): boolean {
    return this.#items.length < this.limit || this.order(item, this.#items[this.#items.length - 1]!) < 0;
  }

  offer(item: T): void {
    if (!this.accepts(item)) return;
    let at = this.#items.length;
    while (at > 0 && this.order(item, this.#items[at - 1]!) < 0) at--;
    this.#items.splice(at, 0, item);
    if (this.#items.length > this.limit) this.#items.pop();
  }

  items(): T[] {
    return [...this.#items];
  }
}
