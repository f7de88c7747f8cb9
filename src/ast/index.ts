/**
 * L2 AST layer: the Elixir parser, the in-memory AST, extraction of modules, functions and calls,
 * and analysis (metrics, patterns, findings, graphs). Exported as `elixirscope/ast`.
 * @packageDocumentation
 */

export { cyclesOf, stronglyConnectedComponents } from "./analysis/graph.js";
export {
  type AnalysisOptions,
  analyzeProject,
  resolveOptions,
} from "./analysis/project.js";
export {
  type ExtractionDiagnostics,
  extractFile,
  extractFileWithDiagnostics,
} from "./extract/index.js";
export type * from "./model.js";
export { functionKey } from "./model.js";
export {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  type ElixirVersion,
  MAX_DEPTH,
  ParseError,
  type ParseOptions,
  type ParseResult,
  parse,
  tryParse,
} from "./parser/index.js";
export * from "./population/index.js";
export * from "./repository/index.js";
export * from "./term.js";
export * from "./term-json.js";
