/**
 * Aggregation of clause metrics into function and module metrics (see docs/ANALYSIS.md).
 * Credo measures each clause (each `def`) on its own, so a function's complexity metrics are
 * the maximum over its clauses, which is what a Credo check would report for the function's
 * worst clause; lines of code add up.
 * @packageDocumentation
 */
import type { ClauseInfo, ClauseMetrics, FunctionInfo, ModuleMetrics } from "../model.js";

/** Metrics of a function without clauses (generated, or a default-argument arity). */
export function emptyMetrics(arity: number): ClauseMetrics {
  return {
    cyclomatic: 0,
    perceived: 0,
    abc: 0,
    abcA: 0,
    abcB: 0,
    abcC: 0,
    nesting: 0,
    nestingLine: 0,
    arity,
    cognitive: 0,
    loc: 0,
  };
}

/** A function's metrics from its clauses: maxima, except `loc` (sum) and `arity` (the function's). */
export function functionMetrics(clauses: ClauseInfo[], arity: number): ClauseMetrics {
  const m = emptyMetrics(arity);
  for (const c of clauses) {
    const x = c.metrics;
    if (x.cyclomatic > m.cyclomatic) m.cyclomatic = x.cyclomatic;
    if (x.perceived > m.perceived) m.perceived = x.perceived;
    if (x.abc > m.abc) {
      m.abc = x.abc;
      m.abcA = x.abcA;
      m.abcB = x.abcB;
      m.abcC = x.abcC;
    }
    if (x.nesting > m.nesting) {
      m.nesting = x.nesting;
      m.nestingLine = x.nestingLine;
    }
    if (x.cognitive > m.cognitive) m.cognitive = x.cognitive;
    m.loc += x.loc;
  }
  return m;
}

/** Module aggregates over the functions written in the source (generated ones excluded). */
export function moduleMetrics(
  functions: FunctionInfo[],
  line: number,
  endLine: number,
): ModuleMetrics {
  const out: ModuleMetrics = {
    functionCount: 0,
    clauseCount: 0,
    cyclomaticSum: 0,
    cyclomaticMax: 0,
    cyclomaticMean: 0,
    perceivedMax: 0,
    abcMax: 0,
    nestingMax: 0,
    cognitiveMax: 0,
    cognitiveSum: 0,
    loc: endLine - line + 1,
  };
  for (const f of functions) {
    if (f.generated || f.defaultOf !== null) continue;
    const m = f.metrics;
    out.functionCount++;
    out.clauseCount += f.clauses.length;
    out.cyclomaticSum += m.cyclomatic;
    out.cyclomaticMax = Math.max(out.cyclomaticMax, m.cyclomatic);
    out.perceivedMax = Math.max(out.perceivedMax, m.perceived);
    out.abcMax = Math.max(out.abcMax, m.abc);
    out.nestingMax = Math.max(out.nestingMax, m.nesting);
    out.cognitiveMax = Math.max(out.cognitiveMax, m.cognitive);
    out.cognitiveSum += m.cognitive;
  }
  out.cyclomaticMean =
    out.functionCount === 0 ? 0 : Math.round((out.cyclomaticSum / out.functionCount) * 100) / 100;
  return out;
}
