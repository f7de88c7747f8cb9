/**
 * Nesting depth exactly as Credo 1.7's `Refactor.Nesting` measures it (see docs/ANALYSIS.md):
 * the largest number of `if`/`unless`/`case`/`cond`/`fn`/`for`/`with` calls on a path from the
 * definition to a leaf, where keyword-list arguments are entered only through their `do`,
 * `else`, `rescue` and `after` blocks as Credo's `Block.all_blocks_for!/1` finds them.
 * @packageDocumentation
 */
import { blockFor } from "../syntax/ast-util.js";
import { Atom, metaInt, Node, type Term } from "../term.js";

/** The calls that nest. */
export const NEST_OPS: ReadonlySet<string> = new Set([
  "if",
  "unless",
  "case",
  "cond",
  "fn",
  "for",
  "with",
]);

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

/*
 * The descent runs on an explicit stack (one array per field, reused between calls, so it
 * allocates nothing per node): definitions as deep as the parser accepts must not exhaust the
 * call stack. The answer is a maximum over the leaves reached, so the visiting order is free.
 */
const stackTerm: Term[] = [];
const stackDepth: number[] = [];
const stackLine: number[] = [];
const stackRank: number[] = [];

function push(x: Term, d: number, l: number, r: number): void {
  stackTerm.push(x);
  stackDepth.push(d);
  stackLine.push(l);
  stackRank.push(r);
}

/** Deepest point below `t`, `depth` nest ops above it; -1 stands for Credo's nil. */
function findDepth(t: Term, depth: number, line: number, rank: number): number {
  const base = stackTerm.length;
  push(t, depth, line, rank);
  try {
    return deepest(base);
  } finally {
    // Only a throw leaves entries behind; they must not outlive this call.
    stackTerm.length = base;
    stackDepth.length = base;
    stackLine.length = base;
    stackRank.length = base;
  }
}

/** Pops entries until the stack is back to `base`; the largest packed leaf, or -1. */
function deepest(base: number): number {
  let best = -1;
  while (stackTerm.length > base) {
    const x = stackTerm.pop() as Term;
    const d = stackDepth.pop() as number;
    const l = stackLine.pop() as number;
    const r = stackRank.pop() as number;
    if (Array.isArray(x)) {
      for (const key of BLOCK_KEYS) {
        const block = blockFor(x, key);
        // A nil block is List.wrap(nil) = []; a literal nil value is the same in Elixir.
        if (block === undefined || block === null) continue;
        if (Array.isArray(block)) for (const item of block) push(item, d, l, r);
        else push(block, d, l, r);
      }
    } else if (
      x instanceof Node &&
      Array.isArray(x.args) &&
      (x.form instanceof Atom || x.form instanceof Node)
    ) {
      if (x.form instanceof Atom && NEST_OPS.has(x.form.name)) {
        const nl = metaInt(x.meta, "line") ?? 0;
        const nr = rankOf(x.form.name);
        for (const a of x.args) push(a, d + 1, nl, nr);
      } else {
        for (const a of x.args) push(a, d, l, r);
      }
    } else {
      const packed = d * DEPTH_SCALE + l * LINE_SCALE + r;
      if (packed > best) best = packed;
    }
  }
  return best;
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
