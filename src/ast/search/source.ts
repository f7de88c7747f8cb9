/**
 * Pattern compilation and the search of one source text: the part that runs on a worker.
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  type ElixirVersion,
  ParseError,
  parse,
} from "../parser/index.js";
import type { SearchFile } from "./protocol.js";
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
 * Parses a pattern (Elixir source) for searching files written for `elixir` (default
 * {@link DEFAULT_ELIXIR_VERSION}): the pattern and the files are parsed with that version's syntax.
 * @throws {PatternError} when the pattern is empty or not valid Elixir.
 * @throws {RangeError} for an unknown Elixir version.
 */
export function compile(
  pattern: string,
  elixir: ElixirVersion = DEFAULT_ELIXIR_VERSION,
): CompiledPattern {
  if (!ELIXIR_VERSIONS.includes(elixir)) {
    throw new RangeError(
      `elixir must be one of ${ELIXIR_VERSIONS.join(", ")}, got ${String(elixir)}`,
    );
  }
  if (typeof pattern !== "string" || pattern.trim() === "") {
    throw new PatternError("the pattern is empty", 1, 1);
  }
  try {
    return compilePattern(pattern, parse(pattern, { elixir }).ast, elixir);
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
    const parsed = parse(source, { file, elixir: pattern.elixir });
    text = typeof source === "string" ? source : Buffer.from(source).toString("utf8");
    return { ok: true, matches: matchFile(pattern, file, text, parsed.ast) };
  } catch (e) {
    if (e instanceof ParseError) {
      return {
        ok: false,
        error: { file, line: e.line, column: e.column, message: e.description },
      };
    }
    // Backstop: matching is iterative, but one odd file must never end a whole search.
    if (e instanceof RangeError) {
      const message = `cannot search: ${e.message}`;
      return { ok: false, error: { file, line: null, column: null, message } };
    }
    throw e;
  }
}

/** Reads one file and searches it; a file that cannot be read is that file's error. */
export function readAndSearch(pattern: CompiledPattern, f: SearchFile): SourceOutcome {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(f.path);
  } catch (e) {
    const message = `cannot read: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, error: { file: f.file, line: null, column: null, message } };
  }
  return searchSource(pattern, f.file, bytes);
}
