/**
 * Structural search with Elixir-syntax patterns: the public API (see docs/SEARCH.md).
 *
 * ```ts
 * import { search } from "elixirscope/ast";
 * const { matches } = await search("IO.inspect(...)", ["lib"]);
 * ```
 * @packageDocumentation
 */
export { type Captures, equalTerms, Matcher } from "./match.js";
export type { SearchFile } from "./protocol.js";
export { type SearchOptions, type SearchResult, search, searchFiles } from "./search.js";
export {
  compile,
  PatternError,
  type SearchError,
  type SourceOutcome,
  searchSource,
} from "./source.js";
export { type CompiledPattern, matchFile, type SearchMatch } from "./walk.js";
