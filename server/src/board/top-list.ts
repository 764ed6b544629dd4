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
    // Binary search: streams often arrive in the opposite order (oldest first), each new item going to the front.
    let low = 0;
    let high = this.#items.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.order(item, this.#items[middle]!) < 0) high = middle;
      else low = middle + 1;
    }
    this.#items.splice(low, 0, item);
    if (this.#items.length > this.limit) this.#items.pop();
  }

  items(): T[] {
    return [...this.#items];
  }
}
