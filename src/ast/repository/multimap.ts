/**
 * A key -> values index whose removals cost O(1): values are held in insertion-ordered sets and
 * the array a lookup returns is built once and kept until that key changes. Lookups see the
 * values in the order they were added, as an array filtered on removal would give them, but
 * removing one value of a 10,000-long list no longer scans it (a live index removes and re-adds
 * a file's functions on every save).
 * @packageDocumentation
 */

const EMPTY: readonly never[] = Object.freeze([]);

/** Values by key, in insertion order, with O(1) add and delete. */
export class OrderedMultiMap<K, V> {
  readonly #entries = new Map<K, { set: Set<V>; list: readonly V[] | null }>();
  #size = 0;

  add(key: K, value: V): void {
    let e = this.#entries.get(key);
    if (e === undefined) {
      e = { set: new Set(), list: null };
      this.#entries.set(key, e);
    }
    if (e.set.has(value)) return;
    e.set.add(value);
    e.list = null;
    this.#size++;
  }

  delete(key: K, value: V): boolean {
    const e = this.#entries.get(key);
    if (e === undefined || !e.set.delete(value)) return false;
    e.list = null;
    this.#size--;
    if (e.set.size === 0) this.#entries.delete(key);
    return true;
  }

  /** The values of `key` in insertion order (read-only; shared until the key changes). */
  get(key: K): readonly V[] {
    const e = this.#entries.get(key);
    if (e === undefined) return EMPTY;
    e.list ??= [...e.set];
    return e.list;
  }

  /** The first value of `key`, or undefined. */
  first(key: K): V | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    for (const v of e.set) return v;
    return undefined;
  }

  keys(): IterableIterator<K> {
    return this.#entries.keys();
  }

  /** Number of values over all keys. */
  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#entries.clear();
    this.#size = 0;
  }
}
