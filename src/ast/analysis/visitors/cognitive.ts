/**
 * Cognitive complexity (SonarSource's definition adapted to Elixir, see docs/ANALYSIS.md): +1
 * plus the nesting level for each branching construct, +1 for an `else`, +1 per sequence of the
 * same boolean operator. Returns the nesting level of the construct's blocks.
 * @packageDocumentation
 */
import { kwGet } from "../../syntax/ast-util.js";
import type { Term } from "../../term.js";
import type { WalkState } from "./state.js";

const BRANCHES = new Set(["if", "unless", "case", "cond", "receive", "with", "for"]);
/** The boolean operators, whose sequences count once. */
export const LOGICAL: ReadonlySet<string> = new Set(["and", "or", "&&", "||"]);

/** Counts the call `name(args)` at level `nest`; returns the level of its blocks. */
export function cognitiveEnter(
  s: WalkState,
  name: string,
  args: Term[],
  nest: number,
  parentOp: string | null,
): number {
  if (BRANCHES.has(name)) {
    s.cognitive += 1 + nest;
    const last = args[args.length - 1];
    if (
      (name === "if" || name === "unless" || name === "with") &&
      kwGet(last, "else") !== undefined
    )
      s.cognitive += 1;
    return nest + 1;
  }
  if (name === "try") {
    if (kwGet(args[0], "rescue") !== undefined || kwGet(args[0], "catch") !== undefined)
      s.cognitive += 1 + nest;
    return nest + 1;
  }
  if (name === "fn") return nest + 1;
  if (LOGICAL.has(name) && parentOp !== name) s.cognitive += 1;
  return nest;
}
