/**
 * L2 AST layer, exported as `elixirscope/ast`: what a library user needs to parse Elixir, read
 * its AST, extract and analyse files and projects, and query the results. Internals (the worker
 * protocol, the parse pool, glob matching, cache rows) stay inside the package.
 * @packageDocumentation
 */

// Extraction and analysis, and their data model.
export { type AnalysisOptions, analyzeProject, type ProjectInputs } from "./analysis/project.js";
export {
  type ExtractionDiagnostics,
  extractFile,
  extractFileWithDiagnostics,
} from "./extract/index.js";
export type * from "./model.js";
export { functionKey } from "./model.js";
// Parsing and the AST.
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
// Whole projects: discovery, population with its cache, the repository, analysis runs.
export {
  type DiscoverOptions,
  type Discovery,
  DiscoveryError,
  discoverFiles,
} from "./population/discover.js";
export { extractorVersion } from "./population/fingerprint.js";
export {
  defaultCachePath,
  type FileRecord,
  type PopulateOptions,
  type PopulationObserver,
  type PopulationProgress,
  type PopulationResult,
  type PopulationSummary,
  populate,
} from "./population/populate.js";
export {
  type AnalysisRun,
  type AnalysisSummary,
  type AnalyzeRootOptions,
  analyzeRoot,
  type RankedFunction,
} from "./population/run.js";
// Queries, structural search and rules (docs/QUERY.md, docs/SEARCH.md).
export {
  type Entity,
  type ExplainStep,
  openQueryEngine,
  parseQuery,
  Query,
  QueryEngine,
  QueryError,
  type QueryResult,
  type QuerySpec,
  QuerySyntaxError,
  query,
} from "./query/index.js";
export { CacheError } from "./repository/cache.js";
export {
  AstRepository,
  type CallRef,
  type FileEntry,
  type FunctionRef,
  type RepositoryStats,
} from "./repository/repository.js";
export {
  type Baseline,
  type CheckFinding,
  type CheckOptions,
  type CheckResult,
  check,
  loadRuleDir,
  parseRules,
  type Rule,
  RuleError,
  readBaseline,
  type Severity,
  writeBaseline,
} from "./rules/index.js";
export {
  PatternError,
  type SearchError,
  type SearchMatch,
  type SearchOptions,
  type SearchResult,
  search,
} from "./search/index.js";
export {
  Atom,
  atom,
  Bin,
  type Comment,
  Float,
  type Meta,
  type MetaValue,
  metaGet,
  metaInt,
  Node,
  type Term,
  Tuple,
} from "./term.js";
export { type TermJson, termFromJson, termToJson } from "./term-json.js";
