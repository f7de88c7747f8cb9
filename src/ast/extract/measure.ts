/**
 * The metrics of one definition clause: one walk of the clause ({@link walkClause}) and Credo's
 * nesting descent, put together as {@link ClauseMetrics}.
 * @packageDocumentation
 */

import type { ClauseDependency } from "../analysis/clause-walk.js";
import { abcParameters, type ClauseContext, walkClause } from "../analysis/clause-walk.js";
import { credoNesting } from "../analysis/nesting.js";
import type { CallInfo, ClauseMetrics, FunctionKind } from "../model.js";
import type { Term } from "../term.js";
import type { DefShape } from "./def-shape.js";

/** A clause's metrics, calls and module references. */
export interface MeasuredClause {
  metrics: ClauseMetrics;
  calls: CallInfo[];
  dependencies: ClauseDependency[];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Measures a clause whose calls are wanted, in the module context `ctx`. */
export function measureClauseWithCalls(
  ctx: ClauseContext,
  defArgs: Term[],
  kind: FunctionKind,
  shape: Pick<DefShape, "params" | "guards" | "blocks">,
  line: number,
  endLine: number,
): MeasuredClause {
  const r = walkClause(ctx, shape.params, shape.guards, shape.blocks, abcParameters(defArgs[0]));
  // Credo's descent enters only the blocks of `defArgs[1]`, which the walk saw whole: without
  // a nesting call there, it finds depth 0 at the definition's line.
  const plain = r.nestOps === 0 && defArgs.length <= 2 && !Array.isArray(defArgs[0]);
  const nesting = plain ? { depth: 0, line } : credoNesting(defArgs, line, kind);
  const metrics: ClauseMetrics = {
    cyclomatic: r.cyclomatic,
    perceived: r.perceived,
    abc: round2(Math.sqrt(r.abcA * r.abcA + r.abcB * r.abcB + r.abcC * r.abcC)),
    abcA: r.abcA,
    abcB: r.abcB,
    abcC: r.abcC,
    nesting: nesting.depth,
    nestingLine: nesting.line,
    arity: shape.params.length,
    cognitive: r.cognitive,
    loc: endLine - line + 1,
  };
  return { metrics, calls: r.calls, dependencies: r.dependencies };
}

const NO_LOCALS: ReadonlySet<string> = new Set();

/** Measures a definition outside a named module (its calls are not collected). */
export function measureClause(
  defArgs: Term[],
  kind: FunctionKind,
  shape: DefShape,
  line: number,
  endLine: number,
  ectoQuery: boolean,
): ClauseMetrics {
  const ctx: ClauseContext = {
    module: "",
    aliases: {},
    locals: NO_LOCALS,
    importedOnly: {},
    name: shape.name ?? "",
    arity: shape.params.length,
    ectoQuery,
    idPrefix: "",
  };
  return measureClauseWithCalls(ctx, defArgs, kind, shape, line, endLine).metrics;
}
