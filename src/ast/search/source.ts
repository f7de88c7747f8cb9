/**
 * Pattern compilation and the search of one source text: the part that runs on a worker.
 * @packageDocumentation
 */
import { ParseError, parse } from "../parser/index.js";
import {
  type CompiledPattern,
  compilePattern,
  matchFile,
  mayMatch,
  type SearchMatch,
} from "./walk.js";

/** A file that could not be searched: its parse error. Lines and columns are 1-based. */
export interface SearchError {
  file: string;
  line: number | null;
  column: number | null;
  message: string;
}

/** A pattern that is not valid Elixir; `line`/`column` point into the pattern text. */
export class PatternError extends Error {
  override name = "PatternError";
  constructor(
    readonly description: string,
    readonly line: number,
    readonly column: number | null,
  ) {
    super(`invalid pattern at ${line}:${column ?? 0}: ${description}`);
  }
}

/**
 * Parses a pattern (Elixir source) for searching.
 * @throws {PatternError} when the pattern is empty or not valid Elixir.
 */
export function compile(pattern: string): CompiledPattern {
  if (typeof pattern !== "string" || pattern.trim() === "") {
    throw new PatternError("the pattern is empty", 1, 1);
  }
  try {
    return compilePattern(pattern, parse(pattern).ast);
  } catch (e) {
    if (e instanceof ParseError) throw new PatternError(e.description, e.line, e.column);
    throw e;
  }
}

/** What searching one source gave: its matches, or the error that kept it from being parsed. */
export type SourceOutcome =
  | { ok: true; matches: SearchMatch[] }
  | { ok: false; error: SearchError };

/** Searches one source text (bytes are decoded as UTF-8, as the parser requires). */
export function searchSource(
  pattern: CompiledPattern,
  file: string,
  source: string | Uint8Array,
): SourceOutcome {
  // Prefilter: a file that lacks a name every match spells out is not parsed (its parse
  // errors, if any, are then not reported: it cannot hold a match either way).
  if (!mayMatch(pattern, source)) return { ok: true, matches: [] };
  let text: string;
  try {
    const parsed = parse(source, { file });
    text = typeof source === "string" ? source : Buffer.from(source).toString("utf8");
    return { ok: true, matches: matchFile(pattern, file, text, parsed.ast) };
  } catch (e) {
    if (e instanceof ParseError) {
      return {
        ok: false,
        error: { file, line: e.line, column: e.column, message: e.description },
      };
    }
    throw e;
  }
}
