/**
 * Credo 1.7.19's `Refactor.CyclomaticComplexity` and `Refactor.PerceivedComplexity`, counted
 * over the whole definition (head and guards included): 1 for each `if`, `unless`, `for`,
 * `try`, `and`, `or`, `&&`, `||` and nested `def`/`defp`/`defmacro`; for `case` and `cond`, the
 * clauses of their `do` block (a `case` clause is 0.3 for perceived complexity).
 * @packageDocumentation
 */
import { blockFor } from "../../syntax/ast-util.js";
import type { Term } from "../../term.js";
import type { WalkState } from "./state.js";

/** The definition macros Credo measures and counts when nested. */
export const DEF_OPS: ReadonlySet<string> = new Set(["def", "defp", "defmacro"]);
const DOUBLE_CONDITION = new Set(["if", "unless", "for", "try", "and", "or", "&&", "||"]);

/** Credo's `do_block_for!/1` on a call's arguments, counted as `List.wrap(block) |> length`. */
function doBlockCount(args: Term[]): number {
  const block = blockFor(args, "do");
  if (block === undefined || block === null) return 0;
  return Array.isArray(block) ? block.length : 1;
}

/** Counts the call `name(args)`. */
export function complexityEnter(s: WalkState, name: string, args: Term[]): void {
  if (DEF_OPS.has(name) || DOUBLE_CONDITION.has(name)) {
    s.cc++;
    s.perceived++;
  } else if (name === "case" || name === "cond") {
    const count = doBlockCount(args);
    s.cc += count;
    s.perceived += name === "case" ? count * 0.3 : count;
  }
}

/**
 * Counts the definition's own head call, which Credo's walk visits too: `defmacro left or right`
 * and `defmacro def(call, expr)` count their own name.
 */
export function complexityHead(s: WalkState, name: string, arity: number): void {
  if (arity > 0 && (DEF_OPS.has(name) || DOUBLE_CONDITION.has(name))) {
    s.cc++;
    s.perceived++;
  }
}
