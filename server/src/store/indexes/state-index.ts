import type { CollectionName, Collections } from '../state.ts';

/**
 * What an index does when a record of a collection it follows changes: `old` is the record
 * before (undefined when it is new), `next` the record after (undefined when it is removed).
 * Records are replaced, never mutated, so `old` still holds what the index saw.
 */
export type RecordChange<C extends CollectionName> = (old: Collections[C] | undefined, next: Collections[C] | undefined) => void;

/** Per collection, what an index does on a change; a collection it does not name never reaches it. */
export type IndexHandlers = { readonly [C in CollectionName]?: RecordChange<C> };

/**
 * An index derived from the records (never stored): the state calls it on every applied change
 * and, after `clear()`, on every record when it rebuilds. Register it once in
 * `state-indexes.ts`; apply and rebuild both walk that list.
 */
export interface StateIndex {
  readonly follows: IndexHandlers;
  clear(): void;
}

/** The empty answer of a list query, shared: callers get read-only arrays. */
export const NO_IDS: readonly string[] = Object.freeze([]);

/**
 * One record per key (a card number, a token hash): key → record id. A record that changes its
 * key leaves the old one, unless another record has taken it meanwhile.
 */
export class KeyIndex<C extends CollectionName> implements StateIndex {
  readonly #ids = new Map<string, string>();
  readonly follows: IndexHandlers;

  /** `keyOf` answers undefined for a record that is not to be found by key (a revoked device). */
  constructor(collection: C, keyOf: (record: Collections[C]) => string | undefined) {
    const change: RecordChange<C> = (old, next) => {
      const oldKey = old && keyOf(old);
      const newKey = next && keyOf(next);
      const id = (next ?? old)!.id;
      if (oldKey !== undefined && oldKey !== newKey && this.#ids.get(oldKey) === id) this.#ids.delete(oldKey);
      if (newKey !== undefined) this.#ids.set(newKey, id);
    };
    this.follows = { [collection]: change } as IndexHandlers;
  }

  idOf(key: string): string | undefined {
    return this.#ids.get(key);
  }

  has(key: string): boolean {
    return this.#ids.has(key);
  }

  clear(): void {
    this.#ids.clear();
  }
}

/**
 * Record ids per key (a volunteer, an activity) in order of arrival, oldest first. A record is
 * listed when it first appears and stays listed while it is replaced (a check-out, a void); the
 * records these lists follow are never removed one by one (archiving a year rebuilds every index).
 */
export class ListIndex<C extends CollectionName> implements StateIndex {
  readonly #ids = new Map<string, string[]>();
  readonly follows: IndexHandlers;

  constructor(collection: C, keyOf: (record: Collections[C]) => string) {
    const change: RecordChange<C> = (old, next) => {
      if (old || !next) return;
      const key = keyOf(next);
      const list = this.#ids.get(key);
      if (list) list.push(next.id);
      else this.#ids.set(key, [next.id]);
    };
    this.follows = { [collection]: change } as IndexHandlers;
  }

  /** The ids under the key, oldest first: the live list, read only (copy it to keep it as it is now). */
  idsOf(key: string): readonly string[] {
    return this.#ids.get(key) ?? NO_IDS;
  }

  clear(): void {
    this.#ids.clear();
  }
}
