/**
 * Structural search over files and directories: discovery, then parsing and matching on worker
 * threads (in-process for a handful of files, where starting threads would cost more).
 * @packageDocumentation
 */
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { ElixirVersion } from "../parser/index.js";
import { discoverFiles } from "../population/discover.js";
import type { SearchFile } from "./protocol.js";
import { compile, readAndSearch, type SearchError, type SourceOutcome } from "./source.js";
import { searchOnWorkers } from "./threads.js";
import type { SearchMatch } from "./walk.js";

/** Options of {@link search}. */
export interface SearchOptions {
  /** Directory that reported paths are relative to (default `process.cwd()`). */
  cwd?: string;
  /** Worker threads; 0 searches in-process (default: one per core, in-process below 32 files). */
  workers?: number;
  /** The Elixir version whose syntax pattern and files are parsed as (default 1.18). */
  elixir?: ElixirVersion;
}

/** The result of a search: the JSON document `elixirscope search --json` prints. */
export interface SearchResult {
  pattern: string;
  /** Sorted by file, line, column. */
  matches: SearchMatch[];
  /** Files searched (including those that failed to parse). */
  files: number;
  /** Files that failed to parse (or be read), sorted by file; they were skipped. */
  errors: SearchError[];
}

/** Files below which threads are not started. */
const IN_PROCESS_FILES = 32;

const OPTION_KEYS = new Set(["cwd", "workers", "elixir"]);

function checkOptions(options: SearchOptions): void {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`search: unknown option "${key}"`);
  }
  const w = options.workers;
  if (w !== undefined && (!Number.isInteger(w) || w < 0 || w > 4 * availableParallelism())) {
    throw new RangeError(
      `search: option "workers" must be an integer from 0 to ${4 * availableParallelism()}`,
    );
  }
}

function displayName(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  const name = rel === "" ? "." : rel;
  return sep === "/" ? name : name.split(sep).join("/");
}

/**
 * The files that `paths` name: files as given, directories through discovery (`.ex`/`.exs`,
 * skipping `_build`, `deps` and ignored paths). Sorted, without duplicates.
 * @throws {Error} naming a path that does not exist.
 */
export function searchFiles(paths: readonly string[], cwd: string): SearchFile[] {
  const seen = new Map<string, SearchFile>();
  for (const p of paths.length === 0 ? ["."] : paths) {
    const abs = isAbsolute(p) ? p : resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      throw new Error(`no such file or directory: ${p}`);
    }
    if (!isDir) {
      seen.set(abs, { file: displayName(cwd, abs), path: abs });
      continue;
    }
    const found = discoverFiles(abs);
    for (const f of found.files) {
      const path = resolve(found.root, f);
      seen.set(path, { file: displayName(cwd, path), path });
    }
  }
  return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function byPosition(a: SearchMatch, b: SearchMatch): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

/**
 * Finds every match of `pattern` (Elixir source with `_`, `_name` and `...`; see
 * docs/SEARCH.md) in the files and directories `paths` (default the current directory).
 * @throws {PatternError} for an invalid pattern; {@link Error} for a missing path;
 *   {@link TypeError}/{@link RangeError} for bad options.
 */
export async function search(
  pattern: string,
  paths: readonly string[] = ["."],
  options: SearchOptions = {},
): Promise<SearchResult> {
  checkOptions(options);
  const compiled = compile(pattern, options.elixir);
  const cwd = resolve(options.cwd ?? process.cwd());
  const files = searchFiles(paths, cwd);
  const matches: SearchMatch[] = [];
  const errors: SearchError[] = [];
  const take = (o: SourceOutcome): void => {
    if (o.ok) for (const m of o.matches) matches.push(m);
    else errors.push(o.error);
  };
  const workers = options.workers ?? (files.length < IN_PROCESS_FILES ? 0 : availableParallelism());
  if (workers === 0) for (const f of files) take(readAndSearch(compiled, f));
  else await searchOnWorkers(compiled, files, workers, (_f, o) => take(o));
  matches.sort(byPosition);
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { pattern, matches, files: files.length, errors };
}
