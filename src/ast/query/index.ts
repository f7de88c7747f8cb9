/**
 * Queries over an analyzed project: the builder, the text language and the engine (see
 * docs/QUERY.md).
 *
 * ```ts
 * import { openQueryEngine, parseQuery, query } from "elixirscope/ast";
 * const engine = await openQueryEngine("path/to/project");
 * engine.run(parseQuery("callers of Repo.delete!/1 depth 2")).items;
 * query("modules").implementing("GenServer").lacking("handle_info/2").run(engine);
 * ```
 * @packageDocumentation
 */
import { type AnalyzeRootOptions, analyzeRoot } from "../population/run.js";
import { QueryEngine } from "./engine.js";

export { type NameMatcher, Query, query } from "./builder.js";
export {
  checkSpec,
  type ExplainStep,
  QueryEngine,
  QueryError,
  type QueryResult,
  type QuerySource,
} from "./engine.js";
export { globToRegExp } from "./filter.js";
export { parseQuery, QuerySyntaxError } from "./language.js";
export type {
  CallRow,
  ClauseRow,
  FileRow,
  FindingRow,
  FunctionRow,
  ModuleRow,
  PathRow,
  Row,
} from "./rows.js";
export { FIELDS } from "./rows.js";
export type { CompareOp, Condition, Entity, Order, Origin, QuerySpec, Value } from "./spec.js";
export { ENTITIES } from "./spec.js";

/** Analyzes `root` (with the analysis cache, as `elixirscope analyze` does) and opens an engine on it. */
export async function openQueryEngine(
  root: string,
  options: AnalyzeRootOptions = {},
): Promise<QueryEngine> {
  const run = await analyzeRoot(root, options);
  return new QueryEngine({ repository: run.repository, analysis: run.analysis });
}
