/**
 * The module graph's cycles kept current edge change by edge change, for
 * {@link IncrementalProject}: only the strongly connected components a change can touch are
 * computed again.
 *
 * Why that region suffices: a cycle that appears uses a changed edge, so every module on it is
 * reachable from a module whose edges changed (a "seed"); a cycle that breaks contained a seed.
 * Recomputing the components of `reachable(seeds) ∪ oldCycle(seeds)` (edges leaving it ignored)
 * therefore gives every changed component, and the components outside it are as they were.
 * @packageDocumentation
 */
import { cyclesOf } from "./graph.js";

/** The current cycles of a graph given by successor sets. */
export class CycleIndex {
  /** Each module on a cycle, with its cycle (sorted names). */
  readonly #cycleOf = new Map<string, string[]>();
  #sorted: string[][] | null = [];

  /**
   * Recomputes the cycles around `seeds` (modules whose out-edges changed, or that appeared or
   * disappeared). `successors` gives a module's current successors, undefined for a module that
   * no longer exists.
   */
  update(
    seeds: Iterable<string>,
    successors: (name: string) => ReadonlySet<string> | undefined,
  ): void {
    const region = new Set<string>();
    const reached = new Set<string>();
    const stack: string[] = [];
    for (const s of seeds) {
      for (const n of this.#cycleOf.get(s) ?? []) region.add(n);
      region.add(s);
      if (!reached.has(s) && successors(s) !== undefined) {
        reached.add(s);
        stack.push(s);
      }
    }
    // Everything reachable from a seed over the new edges (a seed on another seed's old cycle
    // is explored too: being in the region already does not mean its successors are).
    while (stack.length > 0) {
      for (const next of successors(stack.pop() as string) ?? []) {
        if (reached.has(next) || successors(next) === undefined) continue;
        reached.add(next);
        region.add(next);
        stack.push(next);
      }
    }
    for (const n of region) {
      const old = this.#cycleOf.get(n);
      if (old !== undefined) for (const m of old) this.#cycleOf.delete(m);
    }
    const nodes = [...region].filter((n) => successors(n) !== undefined);
    const edges = new Map<string, string[]>();
    for (const n of nodes) edges.set(n, [...(successors(n) as ReadonlySet<string>)]);
    for (const cycle of cyclesOf(nodes, edges)) for (const n of cycle) this.#cycleOf.set(n, cycle);
    this.#sorted = null;
  }

  /** The cycles, sorted by their first name (as `cyclesOf` gives them). */
  cycles(): string[][] {
    if (this.#sorted === null) {
      const unique = new Set(this.#cycleOf.values());
      this.#sorted = [...unique].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    }
    return this.#sorted;
  }
}
