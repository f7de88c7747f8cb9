/**
 * Nesting depth exactly as Credo 1.7's `Refactor.Nesting` measures it (see docs/ANALYSIS.md):
 * the largest number of `if`/`unless`/`case`/`cond`/`fn`/`for`/`with` calls on a path from the
 * definition to a leaf, where keyword-list arguments are entered only through their `do`,
 * `else`, `rescue` and `after` blocks as Credo's `Block.all_blocks_for!/1` finds them.
 * @packageDocumentation
 */
import { Atom, Node, type Term, Tuple } from "../term.js";

const NEST_OPS = new Set(["if", "unless", "case", "cond", "fn", "for", "with"]);

/**
 * `Credo.Code.Block.<key>_block_for/1` on a list: `[do: b]` (for `do`) or
 * `[do: _, <key>: b]` exactly, else the first element that is itself a list holding `key`.
 * Returns `undefined` for "no block" (Credo's nil).
 */
function blockFor(list: Term[], key: string): Term | undefined {
  if (key === "do") {
    if (list.length === 1 && isPair(list[0], "do")) return (list[0] as Tuple).items[1];
  } else if (list.length === 2 && isPair(list[0], "do") && isPair(list[1], key)) {
    return (list[1] as Tuple).items[1];
  }
  for (const el of list) {
    if (!Array.isArray(el)) continue;
    // Keyword.has_key?/2 then list[key]: the first pair with that key.
    for (const p of el) if (isPair(p, key)) return (p as Tuple).items[1];
  }
  return undefined;
}

function isPair(t: Term, key: string): boolean {
  return (
    t instanceof Tuple &&
    t.items.length === 2 &&
    t.items[0] instanceof Atom &&
    t.items[0].name === key
  );
}

const BLOCK_KEYS = ["do", "else", "rescue", "after"];

/** Deepest nesting below `t` with `depth` nest ops already on the path; -1 stands for nil. */
function findDepth(t: Term, depth: number): number {
  if (Array.isArray(t)) {
    let best = -1;
    for (const key of BLOCK_KEYS) {
      const block = blockFor(t, key);
      // A nil block is List.wrap(nil) = []; a literal nil value is the same in Elixir.
      if (block === undefined || block === null) continue;
      const items = Array.isArray(block) ? block : [block];
      for (const item of items) {
        const d = findDepth(item, depth);
        if (d > best) best = d;
      }
    }
    return best;
  }
  if (
    t instanceof Node &&
    Array.isArray(t.args) &&
    (t.form instanceof Atom || t.form instanceof Node)
  ) {
    const inner = t.form instanceof Atom && NEST_OPS.has(t.form.name) ? depth + 1 : depth;
    let best = -1;
    for (const a of t.args) {
      const d = findDepth(a, inner);
      if (d > best) best = d;
    }
    return best;
  }
  return depth;
}

/**
 * Nesting depth of a definition given the arguments of its `def` call (`[head, [do: body...]]`),
 * 0 when Credo would find nothing to measure (a bodiless head).
 */
export function credoNesting(defArgs: Term[]): number {
  const d = findDepth(defArgs, 0);
  return Math.max(d, 0);
}
