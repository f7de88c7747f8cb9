/**
 * Nesting depth exactly as Credo 1.7's `Refactor.Nesting` measures it (see docs/ANALYSIS.md):
 * the largest number of `if`/`unless`/`case`/`cond`/`fn`/`for`/`with` calls on a path from the
 * definition to a leaf, where keyword-list arguments are entered only through their `do`,
 * `else`, `rescue` and `after` blocks as Credo's `Block.all_blocks_for!/1` finds them.
 * @packageDocumentation
 */
import { blockFor } from "../syntax/ast-util.js";
import { Atom, metaInt, Node, type Term } from "../term.js";

const NEST_OPS = new Set(["if", "unless", "case", "cond", "fn", "for", "with"]);

const BLOCK_KEYS = ["do", "else", "rescue", "after"];

/*
 * Credo keeps `{depth, line, trigger}` at each leaf and takes the largest by Erlang's term order.
 * We pack that triple into one number, largest when Credo's tuple is: depth, then line, then the
 * trigger atom (atoms order by their text, hence the alphabetical ranks). No allocation.
 */
const LINE_SCALE = 16;
const DEPTH_SCALE = 2 ** 28;
const TRIGGER_RANK: Record<string, number> = {
  case: 0,
  cond: 1,
  def: 2,
  defmacro: 3,
  defp: 4,
  fn: 5,
  for: 6,
  if: 7,
  unless: 8,
  with: 9,
};

function rankOf(trigger: string): number {
  return TRIGGER_RANK[trigger] ?? 2;
}

/** Deepest point below `t`, `depth` nest ops above it; -1 stands for Credo's nil. */
function findDepth(t: Term, depth: number, line: number, rank: number): number {
  if (Array.isArray(t)) {
    let best = -1;
    for (const key of BLOCK_KEYS) {
      const block = blockFor(t, key);
      // A nil block is List.wrap(nil) = []; a literal nil value is the same in Elixir.
      if (block === undefined || block === null) continue;
      if (Array.isArray(block)) {
        for (const item of block) best = Math.max(best, findDepth(item, depth, line, rank));
      } else {
        best = Math.max(best, findDepth(block, depth, line, rank));
      }
    }
    return best;
  }
  if (
    t instanceof Node &&
    Array.isArray(t.args) &&
    (t.form instanceof Atom || t.form instanceof Node)
  ) {
    let d = depth;
    let l = line;
    let r = rank;
    if (t.form instanceof Atom && NEST_OPS.has(t.form.name)) {
      d = depth + 1;
      l = metaInt(t.meta, "line") ?? 0;
      r = rankOf(t.form.name);
    }
    let best = -1;
    for (const a of t.args) best = Math.max(best, findDepth(a, d, l, r));
    return best;
  }
  return depth * DEPTH_SCALE + line * LINE_SCALE + rank;
}

/** Credo's nesting of a definition and the line where it is reached. */
export interface NestingResult {
  depth: number;
  line: number;
}

/**
 * Nesting of a definition from the arguments of its `def` call (`[head, [do: body...]]`), its
 * line and kind: depth 0 at the definition's line when Credo finds nothing to measure (a
 * bodiless head).
 */
export function credoNesting(defArgs: Term[], line: number, kind: string): NestingResult {
  const packed = findDepth(defArgs, 0, line, rankOf(kind));
  if (packed < DEPTH_SCALE) return { depth: 0, line };
  return {
    depth: Math.floor(packed / DEPTH_SCALE),
    line: Math.floor((packed % DEPTH_SCALE) / LINE_SCALE),
  };
}
