/**
 * Population: from a project directory to a filled {@link AstRepository}.
 *
 * 1. discover the sources ({@link discoverFiles});
 * 2. read and hash each file (SHA-256) and look it up: in the repository being refreshed (same
 *    hash: nothing to do), then in the persistent cache (same path, hash and extractor version:
 *    the stored extraction is used);
 * 3. parse and extract the rest on worker threads (or in-process for small batches);
 * 4. store the new outcomes in the cache (in transactions) and drop rows of vanished files.
 *
 * A file that fails to parse becomes a file error; everything else goes on.
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { FileError, FileExtraction } from "../model.js";
import { AnalysisCache, type CacheEntry } from "../repository/cache.js";
import { AstRepository, countsOf } from "../repository/repository.js";
import {
  DISCOVER_OPTION_KEYS,
  type DiscoverOptions,
  discoverFiles,
  validateDiscoverOptions,
} from "./discover.js";
import { extractorVersion } from "./fingerprint.js";
import { checkFunction, rejectUnknownKeys } from "./options.js";
import { defaultWorkerCount, maxWorkerCount, ParsePool } from "./pool.js";
import { processSource } from "./process.js";
import type { FileOutcome } from "./protocol.js";

/**
 * Below this many bytes to parse, parsing in the calling thread is at least as fast as starting
 * workers, each of which must load and warm up the parser (measured from 50 KB to 23 MB: see
 * docs/ANALYZE.md).
 */
export const IN_PROCESS_MAX_BYTES = 1024 * 1024;

/** Cache rows written per transaction while results stream in. */
const CACHE_BATCH = 512;

/** Receives the run's events and telemetry; the integration layer wires it to the Foundation. */
export interface PopulationObserver {
  /** A notable event: `population.run.started`, `population.file.failed`, `population.run.finished`. */
  event?(type: string, data: Record<string, unknown>): void;
  /** A measurement (durations in ms): `population.file.parsed`, `population.run`. */
  telemetry?(
    event: string,
    measurements: Record<string, number>,
    metadata?: Record<string, unknown>,
  ): void;
}

/** Where a run is, for a progress bar. */
export interface PopulationProgress {
  phase: "read" | "parse";
  done: number;
  total: number;
}

/** Options of {@link populate}. */
export interface PopulateOptions extends DiscoverOptions {
  /**
   * The persistent cache file; default `<root>/.elixirscope/cache.sqlite`; `false` runs cold,
   * neither reading nor writing a cache.
   */
  cache?: string | false;
  /**
   * Worker threads: a positive number, 0 to parse in the calling thread, or `"auto"` (default):
   * one per core, in-process when there is less than {@link IN_PROCESS_MAX_BYTES} to parse.
   * Never more threads than files to parse; above {@link maxWorkerCount} is an error.
   */
  workers?: number | "auto";
  /** A repository to refresh in place (files with an unchanged hash are kept as they are). */
  repository?: AstRepository;
  observer?: PopulationObserver;
  onProgress?: (progress: PopulationProgress) => void;
}

/** Outcome of one file in a run. */
export interface FileRecord {
  /** Relative to the root, `/`-separated. */
  path: string;
  hash: string;
  size: number;
  /** Where its extraction came from (`unreadable`: the file could not be read). */
  source: "parsed" | "cache" | "memory" | "unreadable";
  error: FileError | null;
}

/** Counters and timings of a run (ms). */
export interface PopulationSummary {
  files: number;
  /** Files parsed and extracted in this run. */
  parsed: number;
  /** Files taken from the persistent cache. */
  cached: number;
  /** Files unchanged in the repository being refreshed. */
  unchanged: number;
  /** Files that failed to parse (from this run or the cache). */
  failed: number;
  /** Files that left the project since the repository or cache last saw them. */
  removed: number;
  modules: number;
  functions: number;
  clauses: number;
  /** Bytes read. */
  bytes: number;
  /** Threads used to parse (0: in-process). */
  workers: number;
  discoverMs: number;
  readMs: number;
  parseMs: number;
  /** Sum over files of the time spent parsing and extracting, in whichever thread. */
  cpuParseMs: number;
  totalMs: number;
  /** The cache file, or null when running without one. */
  cacheFile: string | null;
  extractorVersion: string;
  /**
   * SHA-256 over the extractor version and every file's path and content hash: equal
   * fingerprints mean equal per-file extractions.
   */
  fingerprint: string;
}

/** What {@link populate} returns. */
export interface PopulationResult {
  root: string;
  /** One record per discovered file, sorted by path. */
  files: FileRecord[];
  repository: AstRepository;
  summary: PopulationSummary;
}

/** The default cache file of a project. */
export function defaultCachePath(root: string): string {
  return join(resolve(root), ".elixirscope", "cache.sqlite");
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Discovers, parses (or loads from cache) and indexes every source file under `root`.
 * Every option is checked before anything is read or created.
 * @throws DiscoveryError for a missing or unreadable root, CacheError for an unusable cache,
 *   TypeError or RangeError for an unknown or invalid option.
 */
export async function populate(
  root: string,
  options: PopulateOptions = {},
): Promise<PopulationResult> {
  const t0 = performance.now();
  validatePopulateOptions(options);
  const observer = options.observer ?? {};
  const discovery = discoverFiles(root, {
    ...(options.include === undefined ? {} : { include: options.include }),
    ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    ...(options.gitignore === undefined ? {} : { gitignore: options.gitignore }),
  });
  const absRoot = discovery.root;
  const paths = discovery.files;
  const tDiscovered = performance.now();
  observer.event?.("population.run.started", { root: absRoot, files: paths.length });

  const version = extractorVersion();
  const cacheFile = options.cache === false ? null : (options.cache ?? defaultCachePath(absRoot));
  const cache = cacheFile === null ? null : AnalysisCache.open(cacheFile, version);
  const repository = options.repository ?? new AstRepository();
  const records = new Map<string, FileRecord>();
  const workerOption = options.workers ?? "auto";
  // Boxed so that TypeScript does not narrow it to null across the closures below.
  const poolBox: { pool: ParsePool | null } = { pool: null };
  try {
    // Read, hash and look up every file.
    const toParse: { path: string; source: Uint8Array }[] = [];
    let toParseBytes = 0;
    let bytes = 0;
    let unchanged = 0;
    let cached = 0;
    const keep = new Set(paths);
    let removedFromRepository = 0;
    for (const old of repository.paths()) {
      if (!keep.has(old) && repository.removeFile(old)) removedFromRepository++;
    }
    const loader = cacheFile === null ? null : new DeferredLoader(cacheFile, version, absRoot);
    // One scan of the cache's small columns instead of a lookup per file.
    const peeked = cache?.peekAll();
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      let source: Uint8Array;
      try {
        source = readFileSync(join(absRoot, path));
      } catch (error) {
        const fileError = {
          line: null,
          column: null,
          message: `cannot read: ${(error as Error).message}`,
        };
        records.set(path, { path, hash: "", size: 0, source: "unreadable", error: fileError });
        repository.setFile({ path, hash: null, extraction: null, error: fileError });
        continue;
      }
      bytes += source.length;
      const hash = sha256(source);
      if (repository.hashOf(path) === hash) {
        unchanged++;
        records.set(path, {
          path,
          hash,
          size: source.length,
          source: "memory",
          error: repository.errorOf(path),
        });
      } else {
        const row = peeked?.get(path);
        const hit = row !== undefined && row.hash === hash ? row.peek : undefined;
        if (hit !== undefined && loader !== null) {
          cached++;
          // The extraction itself is read from the cache only when a lookup needs it.
          if (hit.hasExtraction) {
            loader.expect();
            repository.setDeferredFile({
              path,
              hash,
              counts: hit.counts,
              load: () => loader.load(path, hash),
            });
          } else {
            repository.setFile({ path, hash, extraction: null, error: hit.error });
          }
          records.set(path, { path, hash, size: source.length, source: "cache", error: hit.error });
        } else {
          toParse.push({ path, source });
          toParseBytes += source.length;
          records.set(path, { path, hash, size: source.length, source: "parsed", error: null });
          // Start the workers as soon as they will be used, so that their start-up overlaps the
          // reading of the remaining files.
          // At most one thread per file that may still need parsing.
          const n = chooseWorkers(
            workerOption,
            toParseBytes,
            toParse.length + paths.length - i - 1,
          );
          if (poolBox.pool === null && n > 0) poolBox.pool = new ParsePool(n);
        }
      }
      if ((i & 63) === 63)
        options.onProgress?.({ phase: "read", done: i + 1, total: paths.length });
    }
    const tRead = performance.now();

    // Parse and extract.
    const pending: CacheEntry[] = [];
    let done = 0;
    let cpuParseMs = 0;
    const onOutcome = (o: FileOutcome): void => {
      const record = records.get(o.path)!;
      cpuParseMs += o.parseMs + o.extractMs;
      observer.telemetry?.(
        "population.file.parsed",
        { parseMs: o.parseMs, extractMs: o.extractMs, bytes: record.size },
        { path: o.path, ok: o.ok },
      );
      let extraction: FileExtraction | null = null;
      if (o.ok) {
        extraction = JSON.parse(o.extractionJson) as FileExtraction;
      } else {
        record.error = o.error;
        observer.event?.("population.file.failed", { path: o.path, error: o.error });
      }
      repository.setFile({ path: o.path, hash: record.hash, extraction, error: record.error });
      if (cache !== null) {
        pending.push({
          path: o.path,
          hash: record.hash,
          size: record.size,
          extractionJson: o.ok ? o.extractionJson : null,
          error: o.ok ? null : o.error,
          counts: countsOf(extraction),
        });
        if (pending.length >= CACHE_BATCH) cache.putMany(pending.splice(0));
      }
      done++;
      options.onProgress?.({ phase: "parse", done, total: toParse.length });
    };
    if (toParse.length > 0) {
      if (poolBox.pool !== null) {
        await poolBox.pool.run(toParse, onOutcome);
      } else {
        for (const f of toParse) onOutcome(processSource(f.path, f.source));
      }
    }
    // Release the sources before the cache write and the caller's analysis.
    toParse.length = 0;
    let removed = removedFromRepository;
    if (cache !== null) {
      cache.putMany(pending);
      removed = Math.max(removed, cache.retainOnly(keep));
    }
    const tParsed = performance.now();

    const files = paths.map((p) => records.get(p)!);
    const totals = { modules: 0, functions: 0, clauses: 0 };
    for (const p of paths) {
      const c = repository.countsOf(p);
      if (c === undefined) continue;
      totals.modules += c.modules;
      totals.functions += c.functions;
      totals.clauses += c.clauses;
    }
    const fp = createHash("sha256").update(version);
    for (const f of files)
      fp.update(`\n${f.path}\0${f.hash}\0${f.source === "unreadable" ? "!" : ""}`);
    const summary: PopulationSummary = {
      files: files.length,
      parsed: files.filter((f) => f.source === "parsed").length,
      cached,
      unchanged,
      failed: files.filter((f) => f.error !== null).length,
      removed,
      modules: totals.modules,
      functions: totals.functions,
      clauses: totals.clauses,
      bytes,
      workers: poolBox.pool?.size ?? 0,
      discoverMs: tDiscovered - t0,
      readMs: tRead - tDiscovered,
      parseMs: tParsed - tRead,
      cpuParseMs,
      totalMs: performance.now() - t0,
      cacheFile,
      extractorVersion: version,
      fingerprint: fp.digest("hex"),
    };
    observer.telemetry?.(
      "population.run",
      {
        durationMs: summary.totalMs,
        files: summary.files,
        parsed: summary.parsed,
        cached: summary.cached,
        failed: summary.failed,
      },
      { root: absRoot },
    );
    observer.event?.("population.run.finished", { root: absRoot, ...summary });
    return { root: absRoot, files, repository, summary };
  } finally {
    await poolBox.pool?.close();
    cache?.close();
  }
}

/** The keys of {@link PopulateOptions}. */
const POPULATE_OPTION_KEYS: readonly (keyof PopulateOptions)[] = [
  ...DISCOVER_OPTION_KEYS,
  "cache",
  "workers",
  "repository",
  "observer",
  "onProgress",
];

/** Checks every option of {@link populate}, so that a bad one fails before any side effect. */
function validatePopulateOptions(options: PopulateOptions): void {
  rejectUnknownKeys("populate", options, POPULATE_OPTION_KEYS);
  validateDiscoverOptions(
    { include: options.include, exclude: options.exclude, gitignore: options.gitignore },
    "populate",
  );
  const cache: unknown = options.cache;
  if (cache !== undefined && cache !== false && (typeof cache !== "string" || cache === "")) {
    throw new TypeError(
      `populate: option "cache" must be a file path or false, got ${String(cache)}`,
    );
  }
  validateWorkers(options.workers ?? "auto");
  if (options.repository !== undefined && !(options.repository instanceof AstRepository)) {
    throw new TypeError('populate: option "repository" must be an AstRepository');
  }
  const observer: unknown = options.observer;
  if (observer !== undefined && (typeof observer !== "object" || observer === null)) {
    throw new TypeError('populate: option "observer" must be an object');
  }
  checkFunction("populate", "onProgress", options.onProgress);
}

function validateWorkers(workers: number | "auto"): void {
  if (workers !== "auto" && (!Number.isInteger(workers) || workers < 0)) {
    throw new RangeError(
      `populate: workers must be a non-negative integer or "auto", got ${String(workers)}`,
    );
  }
  if (workers !== "auto" && workers > maxWorkerCount()) {
    throw new RangeError(
      `populate: workers must be at most ${maxWorkerCount()} (4 per core), got ${workers}`,
    );
  }
}

/**
 * Worker threads to use once `bytes` are known to need parsing and at most `files` files can
 * need it: never more threads than files.
 */
function chooseWorkers(workers: number | "auto", bytes: number, files: number): number {
  const wanted =
    workers === "auto" ? (bytes < IN_PROCESS_MAX_BYTES ? 0 : defaultWorkerCount()) : workers;
  return Math.min(wanted, files);
}

/**
 * Loads deferred extractions from the cache when a lookup first needs them. The connection is
 * opened on the first load and closed once the current synchronous burst of loads is over, so
 * nothing stays open between lookups. A row that vanished or changed since the run (another
 * process rewrote the cache) is replaced by parsing the file again in-process when its content
 * still has the expected hash, else by an empty extraction that the next run corrects.
 */
class DeferredLoader {
  #cache: AnalysisCache | null = null;
  #outstanding = 0;

  constructor(
    readonly file: string,
    readonly version: string,
    readonly root: string,
  ) {}

  expect(): void {
    this.#outstanding++;
  }

  load(path: string, hash: string): FileExtraction {
    this.#outstanding--;
    if (this.#cache === null) {
      this.#cache = AnalysisCache.open(this.file, this.version);
      setImmediate(() => this.#close());
    }
    const json = this.#cache.loadExtraction(path, hash);
    if (this.#outstanding === 0) this.#close();
    if (json !== undefined) return JSON.parse(json) as FileExtraction;
    return reparse(join(this.root, path), path, hash);
  }

  #close(): void {
    this.#cache?.close();
    this.#cache = null;
  }
}

function reparse(abs: string, path: string, hash: string): FileExtraction {
  const empty: FileExtraction = { path, modules: [], commentCount: 0, lastLine: 0 };
  let source: Uint8Array;
  try {
    source = readFileSync(abs);
  } catch {
    return empty;
  }
  if (sha256(source) !== hash) return empty;
  const o = processSource(path, source);
  return o.ok ? (JSON.parse(o.extractionJson) as FileExtraction) : empty;
}
