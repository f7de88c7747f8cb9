/**
 * Structural search over files and directories: discovery and the prefilter, then parsing and
 * matching in-process, or on worker threads when there are cores to spare (see autoWorkers).
 * @packageDocumentation
 */
import { readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { ElixirVersion } from "../parser/index.js";
import { discoverFiles } from "../population/discover.js";
import type { SearchFile } from "./protocol.js";
import { compile, type SearchError, type SourceOutcome, searchSource } from "./source.js";
import { searchOnWorkers } from "./threads.js";
import { type CompiledPattern, mayMatch, type SearchMatch } from "./walk.js";

/** Options of {@link search}. */
export interface SearchOptions {
  /** Directory that reported paths are relative to (default `process.cwd()`). */
  cwd?: string;
  /** Worker threads; 0 searches in-process (default: {@link autoWorkers}). */
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

/**
 * Worker threads an automatic search starts beside the calling thread, which searches too.
 *
 * A cold search is JIT warm-up more than parsing: the parser runs several times slower until
 * V8 has optimized it (the first MB of Elixir's source parses at a tenth of the speed of the
 * last), and every thread warms up on its own, while V8's optimizing compiler works on another
 * core. Measured on 2 cores (docs/SEARCH.md), a worker then costs more CPU than it saves and
 * the search is slower; so a thread is only worth starting with two cores for it (itself and
 * its compiler), and with enough files.
 */
export function autoWorkers(files: number, cores: number): number {
  if (files < IN_PROCESS_FILES) return 0;
  return Math.max(0, Math.floor(cores / 2) - 1);
}

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

/** A file the prefilter kept, with the bytes it read. */
interface KeptFile extends SearchFile {
  bytes: Uint8Array;
}

/**
 * The files whose text passes the pattern's prefilter (a file that cannot be read is `take`n as
 * its error). Files that fail it hold no match and are not parsed.
 */
function prefiltered(
  pattern: CompiledPattern,
  files: readonly SearchFile[],
  take: (o: SourceOutcome) => void,
): KeptFile[] {
  const kept: KeptFile[] = [];
  for (const f of files) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(f.path);
    } catch (e) {
      const message = `cannot read: ${e instanceof Error ? e.message : String(e)}`;
      take({ ok: false, error: { file: f.file, line: null, column: null, message } });
      continue;
    }
    if (mayMatch(pattern, bytes)) kept.push({ ...f, bytes });
  }
  return kept;
}

/** How long an in-process search runs before it lets queued events (a server's requests) in. */
const YIELD_MS = 50;

/**
 * Searches the kept files on this thread, yielding to the event loop every {@link YIELD_MS}:
 * a server calling {@link search} (`serve`) keeps answering while a long search runs.
 */
async function searchInProcess(
  pattern: CompiledPattern,
  kept: readonly KeptFile[],
  take: (o: SourceOutcome) => void,
): Promise<void> {
  let since = performance.now();
  for (const f of kept) {
    take(searchSource(pattern, f.file, f.bytes));
    if (performance.now() - since >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
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
  // The prefilter runs here first: it reads every file but parses none, and the files it keeps
  // are often few enough that starting threads would cost more than they save.
  const kept = prefiltered(compiled, files, take);
  const auto = options.workers === undefined;
  const workers = options.workers ?? autoWorkers(kept.length, availableParallelism());
  if (workers === 0) {
    await searchInProcess(compiled, kept, take);
  } else {
    // Automatic: this thread takes batches too, beside the workers.
    const toSearch = kept.map((f): SearchFile => ({ file: f.file, path: f.path }));
    await searchOnWorkers(compiled, toSearch, workers, (_f, o) => take(o), auto);
  }
  matches.sort(byPosition);
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { pattern, matches, files: files.length, errors };
}
