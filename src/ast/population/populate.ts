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
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import type { FileError, FileExtraction } from "../model.js";
import { DEFAULT_ELIXIR_VERSION, ELIXIR_VERSIONS, type ElixirVersion } from "../parser/index.js";
import { AnalysisCache, type CacheEntry } from "../repository/cache.js";
import { AstRepository, countsOf } from "../repository/repository.js";
import {
  DISCOVER_OPTION_KEYS,
  type DiscoverOptions,
  type Discovery,
  discoverFiles,
  validateDiscoverOptions,
} from "./discover.js";
import { extractorVersion } from "./fingerprint.js";
import { checkFunction, rejectUnknownKeys } from "./options.js";
import { defaultWorkerCount, maxWorkerCount, ParsePool } from "./pool.js";
import { extractionOf, processSource } from "./process.js";
import type { FileOutcome, ParseJob } from "./protocol.js";

/**
 * Below this many bytes to parse, parsing in the calling thread is at least as fast as starting
 * workers, each of which must load and warm up the parser (measured from 50 KB to 23 MB: see
 * docs/ANALYZE.md).
 */
export const IN_PROCESS_MAX_BYTES = 1024 * 1024;

/** Free cores below which `workers: "auto"` parses on the main thread (see `autoWorkers`). */
export const MIN_FREE_CORES_FOR_WORKERS = 3;

/**
 * The default per-file size limit, bytes. Parsing takes about 115 bytes of heap per byte of
 * source (a 30 MB generated file took 3.5 GB), so 5 MB stays well inside a default heap on each
 * of several workers; real Elixir sources rarely pass 1 MB.
 */
export const DEFAULT_MAX_FILE_BYTES = 5_000_000;

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
   * one per free core but the calling thread's, when at least {@link MIN_FREE_CORES_FOR_WORKERS} cores are free (cores
   * minus the load average) and there is at least {@link IN_PROCESS_MAX_BYTES} to parse, else
   * in-process.
   * Never more threads than files to parse; above {@link maxWorkerCount} is an error.
   */
  workers?: number | "auto";
  /**
   * Files larger than this many bytes are not parsed: they get the error `file too large to
   * analyze: 63 MB, limit 5 MB` (never cached) instead of taking a worker's memory. Default
   * {@link DEFAULT_MAX_FILE_BYTES}.
   */
  maxFileBytes?: number;
  /**
   * Heap limit of each parse worker in MB: a file that needs more kills its worker (and is
   * reported failed, not cached) instead of the process. Default: Node's own limit.
   */
  workerHeapMb?: number;
  /**
   * The Elixir whose syntax the files are written in: `"1.18"` (default) or `"1.14"`. Part of
   * the cache key: a file parsed for another version is parsed again.
   */
  elixir?: ElixirVersion;
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
  /**
   * Where its extraction came from: `unreadable`, the file could not be read; `skipped`, it was
   * over the size limit (both with an error).
   */
  source: "parsed" | "cache" | "memory" | "unreadable" | "skipped";
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
  /** Directories that could not be read (their files are missing from the run). */
  unreadable: number;
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
  /** The extractor's version with the Elixir version parsed for (`0.1.0+<hash>+elixir-1.18`). */
  extractorVersion: string;
  /** The Elixir whose syntax the files were parsed as. */
  elixir: ElixirVersion;
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
  /** Directories that could not be read, relative to the root, with the reason. */
  unreadable: Discovery["unreadable"];
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

/** Everything one run works on; passed from phase to phase. */
interface Run {
  readonly options: PopulateOptions;
  readonly observer: PopulationObserver;
  readonly absRoot: string;
  readonly paths: readonly string[];
  readonly version: string;
  readonly cacheFile: string | null;
  readonly cache: AnalysisCache | null;
  readonly loader: DeferredLoader | null;
  readonly repository: AstRepository;
  readonly records: Map<string, FileRecord>;
  readonly maxFileBytes: number;
  readonly elixir: ElixirVersion;
  pool: ParsePool | null;
  toParse: { path: string; source: Uint8Array }[];
  toParseBytes: number;
  bytes: number;
  unchanged: number;
  cached: number;
  removed: number;
  cpuParseMs: number;
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
  const discovery = discoverFiles(root, {
    ...(options.include === undefined ? {} : { include: options.include }),
    ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    ...(options.gitignore === undefined ? {} : { gitignore: options.gitignore }),
  });
  const tDiscovered = performance.now();
  const run = openRun(discovery.root, discovery.files, options);
  try {
    readPhase(run);
    const tRead = performance.now();
    await parsePhase(run);
    storePhase(run);
    const tParsed = performance.now();
    const summary = summarize(run, discovery.unreadable.length, {
      discoverMs: tDiscovered - t0,
      readMs: tRead - tDiscovered,
      parseMs: tParsed - tRead,
      totalMs: performance.now() - t0,
    });
    const files = run.paths.map((p) => run.records.get(p)!);
    return {
      root: run.absRoot,
      files,
      unreadable: discovery.unreadable,
      repository: run.repository,
      summary,
    };
  } finally {
    await run.pool?.close();
    run.cache?.close();
  }
}

/**
 * The version that cache rows and project snapshots are stored under: the extractor's version with
 * the Elixir version the files were parsed for, so rows made for another version never match.
 */
export function cacheVersionFor(elixir: ElixirVersion): string {
  return `${extractorVersion()}+elixir-${elixir}`;
}

/** Opens the cache and sets up the run's state; drops repository files that left the project. */
function openRun(absRoot: string, paths: readonly string[], options: PopulateOptions): Run {
  const observer = options.observer ?? {};
  observer.event?.("population.run.started", { root: absRoot, files: paths.length });
  const elixir = options.elixir ?? DEFAULT_ELIXIR_VERSION;
  // The Elixir version is part of the extractor version: cache rows and project snapshots made
  // for another version never match.
  const version = cacheVersionFor(elixir);
  const cacheFile = options.cache === false ? null : (options.cache ?? defaultCachePath(absRoot));
  const cache = cacheFile === null ? null : AnalysisCache.open(cacheFile, version);
  const repository = options.repository ?? new AstRepository();
  const keep = new Set(paths);
  let removed = 0;
  for (const old of repository.paths()) {
    if (!keep.has(old) && repository.removeFile(old)) removed++;
  }
  return {
    options,
    observer,
    absRoot,
    paths,
    version,
    cacheFile,
    cache,
    loader: cacheFile === null ? null : new DeferredLoader(cacheFile, version, absRoot, elixir),
    repository,
    records: new Map(),
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    elixir,
    pool: null,
    toParse: [],
    toParseBytes: 0,
    bytes: 0,
    unchanged: 0,
    cached: 0,
    removed,
    cpuParseMs: 0,
  };
}

/** Phase 1: reads and hashes every file and decides where its extraction comes from. */
function readPhase(run: Run): void {
  // One scan of the cache's small columns instead of a lookup per file.
  const peeked = run.cache?.peekAll();
  const total = run.paths.length;
  for (let i = 0; i < total; i++) {
    const path = run.paths[i]!;
    const source = readSource(run, path);
    if (source !== null) {
      const hash = sha256(source);
      if (!reuseKnown(run, path, hash, source.length, peeked)) {
        queueParse(run, path, hash, source, total - i - 1);
      }
    }
    if ((i & 63) === 63) run.options.onProgress?.({ phase: "read", done: i + 1, total });
  }
}

/** The file's bytes, or null after recording why it cannot be analyzed (unreadable, too large). */
function readSource(run: Run, path: string): Uint8Array | null {
  let source: Uint8Array;
  try {
    source = readFileSync(join(run.absRoot, path));
  } catch (error) {
    const message = `cannot read: ${(error as Error).message}`;
    skipFile(run, path, "", 0, "unreadable", message);
    return null;
  }
  run.bytes += source.length;
  if (source.length > run.maxFileBytes) {
    const message = `file too large to analyze: ${megabytes(source.length)}, limit ${megabytes(run.maxFileBytes)}`;
    skipFile(run, path, sha256(source), source.length, "skipped", message);
    return null;
  }
  return source;
}

/** Records a file that is not parsed, with its error (never cached: it is not a parse result). */
function skipFile(
  run: Run,
  path: string,
  hash: string,
  size: number,
  source: "unreadable" | "skipped",
  message: string,
): void {
  const error: FileError = { line: null, column: null, message };
  run.records.set(path, { path, hash, size, source, error });
  run.repository.setFile({ path, hash: null, extraction: null, error });
  run.observer.event?.("population.file.failed", { path, error });
}

/** Uses the repository's or the cache's result for an unchanged file; false when there is none. */
function reuseKnown(
  run: Run,
  path: string,
  hash: string,
  size: number,
  peeked: ReturnType<AnalysisCache["peekAll"]> | undefined,
): boolean {
  if (run.repository.hashOf(path) === hash) {
    run.unchanged++;
    const error = run.repository.errorOf(path);
    run.records.set(path, { path, hash, size, source: "memory", error });
    return true;
  }
  const row = peeked?.get(path);
  const hit = row !== undefined && row.hash === hash ? row.peek : undefined;
  if (hit === undefined || run.loader === null) return false;
  run.cached++;
  const loader = run.loader;
  // The extraction itself is read from the cache only when a lookup needs it.
  if (hit.hasExtraction) {
    loader.expect();
    run.repository.setDeferredFile({
      path,
      hash,
      counts: hit.counts,
      load: () => loader.load(path, hash),
    });
  } else {
    run.repository.setFile({ path, hash, extraction: null, error: hit.error });
  }
  run.records.set(path, { path, hash, size, source: "cache", error: hit.error });
  return true;
}

/** Queues a file for parsing, starting the workers as soon as they will be used. */
function queueParse(
  run: Run,
  path: string,
  hash: string,
  source: Uint8Array,
  remaining: number,
): void {
  run.toParse.push({ path, source });
  run.toParseBytes += source.length;
  run.records.set(path, { path, hash, size: source.length, source: "parsed", error: null });
  // Started early, the workers' start-up overlaps the reading of the remaining files; at most
  // one thread per file that may still need parsing.
  const n = chooseWorkers(
    run.options.workers ?? "auto",
    run.toParseBytes,
    run.toParse.length + remaining,
  );
  if (run.pool === null && n > 0) {
    const heapMb = run.options.workerHeapMb;
    run.pool = new ParsePool(n, heapMb === undefined ? {} : { heapMb });
  }
}

/** Phase 2: parses and extracts the queued files, on the pool or in this thread. */
async function parsePhase(run: Run): Promise<void> {
  const pending: CacheEntry[] = [];
  const total = run.toParse.length;
  let done = 0;
  const onOutcome = (o: FileOutcome): void => {
    const entry = record(run, o);
    if (entry !== null && run.cache !== null) {
      pending.push(entry);
      if (pending.length >= CACHE_BATCH) run.cache.putMany(pending.splice(0));
    }
    done++;
    run.options.onProgress?.({ phase: "parse", done, total });
  };
  if (total > 0) {
    const elixir = run.elixir;
    if (run.pool !== null)
      await run.pool.run(
        run.toParse.map((f) => ({ ...f, elixir })),
        onOutcome,
        mainThreadWork(run),
      );
    else for (const f of run.toParse) onOutcome(processSource(f.path, f.source, { elixir }));
  }
  // Release the sources before the cache write and the caller's analysis.
  run.toParse = [];
  run.cache?.putMany(pending);
}

/**
 * What the main thread does while the workers run: the same work, on the smallest files, with no
 * JSON round trip. Not when workers have a heap limit: that limit is there so that a file which
 * needs more kills a worker rather than the process, and the main thread has no such guard.
 */
function mainThreadWork(run: Run): ((job: ParseJob) => FileOutcome) | undefined {
  if (run.options.workerHeapMb !== undefined) return undefined;
  const elixir = run.elixir;
  return (job) => processSource(job.path, job.source, { elixir });
}

/**
 * Puts one outcome into the repository; returns its cache row, or null for an outcome that
 * must not be cached (a transient failure, such as a worker that died) or when not caching.
 */
function record(run: Run, o: FileOutcome): CacheEntry | null {
  const rec = run.records.get(o.path)!;
  run.cpuParseMs += o.parseMs + o.extractMs;
  run.observer.telemetry?.(
    "population.file.parsed",
    { parseMs: o.parseMs, extractMs: o.extractMs, bytes: rec.size },
    { path: o.path, ok: o.ok },
  );
  if (!o.ok) {
    rec.error = o.error;
    run.observer.event?.("population.file.failed", { path: o.path, error: o.error });
    run.repository.setFile({
      path: o.path,
      hash: o.transient ? null : rec.hash,
      extraction: null,
      error: o.error,
    });
    if (o.transient || run.cache === null) return null;
    const counts = countsOf(null);
    return {
      path: o.path,
      hash: rec.hash,
      size: rec.size,
      extractionJson: null,
      error: o.error,
      counts,
    };
  }
  const extraction = extractionOf(o);
  // Indexed when a lookup first needs the indexes: a report reads files one by one and the
  // project analysis works from the extractions, so a CLI run never builds them.
  run.repository.setDeferredFile({
    path: o.path,
    hash: rec.hash,
    counts: countsOf(extraction),
    load: () => extraction,
  });
  if (run.cache === null) return null;
  return {
    path: o.path,
    hash: rec.hash,
    size: rec.size,
    // From a worker, the text it sent; in-process, serialized only because the cache stores it.
    extractionJson: o.extractionJson ?? JSON.stringify(extraction),
    error: null,
    counts: countsOf(extraction),
  };
}

/** Phase 3: drops the cache rows of files that left the project. */
function storePhase(run: Run): void {
  if (run.cache === null) return;
  run.removed = Math.max(run.removed, run.cache.retainOnly(new Set(run.paths)));
}

/** Phase 4: the run's counters, fingerprint and telemetry. */
function summarize(
  run: Run,
  unreadable: number,
  times: Pick<PopulationSummary, "discoverMs" | "readMs" | "parseMs" | "totalMs">,
): PopulationSummary {
  const totals = { modules: 0, functions: 0, clauses: 0 };
  let parsed = 0;
  let failed = 0;
  const fp = createHash("sha256").update(run.version);
  for (const path of run.paths) {
    const c = run.repository.countsOf(path);
    if (c !== undefined) {
      totals.modules += c.modules;
      totals.functions += c.functions;
      totals.clauses += c.clauses;
    }
    const f = run.records.get(path)!;
    if (f.source === "parsed") parsed++;
    if (f.error !== null) failed++;
    // The error is part of it: a failure that is not the file's own result (a dead worker, an
    // unreadable file) must not match a later run where the file is fine.
    fp.update(`\n${f.path}\0${f.hash}\0${f.error === null ? "" : f.error.message}`);
  }
  const summary: PopulationSummary = {
    files: run.paths.length,
    parsed,
    cached: run.cached,
    unchanged: run.unchanged,
    failed,
    removed: run.removed,
    unreadable,
    ...totals,
    bytes: run.bytes,
    workers: run.pool?.size ?? 0,
    ...times,
    cpuParseMs: run.cpuParseMs,
    cacheFile: run.cacheFile,
    extractorVersion: run.version,
    elixir: run.elixir,
    fingerprint: fp.digest("hex"),
  };
  const { files, cached } = summary;
  run.observer.telemetry?.(
    "population.run",
    { durationMs: summary.totalMs, files, parsed, cached, failed },
    { root: run.absRoot },
  );
  run.observer.event?.("population.run.finished", { root: run.absRoot, ...summary });
  return summary;
}

/** A size for people: `63 MB`, `2.7 MB`, `512 KB`, `900 bytes` (decimal units). */
function megabytes(bytes: number): string {
  const [value, unit] =
    bytes >= 1_000_000
      ? [bytes / 1_000_000, "MB"]
      : bytes >= 1_000
        ? [bytes / 1_000, "KB"]
        : [bytes, "bytes"];
  return `${value < 10 ? Number(value.toFixed(1)) : Math.round(value)} ${unit}`;
}

/** The keys of {@link PopulateOptions}. */
const POPULATE_OPTION_KEYS: readonly (keyof PopulateOptions)[] = [
  ...DISCOVER_OPTION_KEYS,
  "cache",
  "workers",
  "maxFileBytes",
  "workerHeapMb",
  "elixir",
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
  const elixir: unknown = options.elixir;
  if (elixir !== undefined && !(ELIXIR_VERSIONS as readonly unknown[]).includes(elixir)) {
    throw new RangeError(
      `populate: option "elixir" must be one of ${ELIXIR_VERSIONS.map((v) => `"${v}"`).join(", ")}, got ${String(elixir)}`,
    );
  }
  for (const key of ["maxFileBytes", "workerHeapMb"] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new RangeError(
        `populate: option "${key}" must be a positive integer, got ${String(v)}`,
      );
    }
  }
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
  const wanted = workers === "auto" ? autoWorkers(bytes) : workers;
  return Math.min(wanted, files);
}

/**
 * Workers pay off only with cores to spare. Measured on Elixir's `lib/` (2 cores): two workers
 * cost 9.7 s of CPU where the main thread alone took 6.6 s (each worker loads and warms up the
 * parser, serializes its extractions, and the main thread parses them back), for no gain in wall
 * time. So `auto` parses on the main thread below {@link IN_PROCESS_MAX_BYTES}, and otherwise
 * uses one worker per free core but one (cores minus the 1-minute load average; the main thread
 * parses too, see {@link mainThreadWork}) only when at least
 * {@link MIN_FREE_CORES_FOR_WORKERS} are free.
 */
function autoWorkers(bytes: number): number {
  if (bytes < IN_PROCESS_MAX_BYTES) return 0;
  const free = Math.floor(defaultWorkerCount() - loadavg()[0]!);
  return free >= MIN_FREE_CORES_FOR_WORKERS ? free - 1 : 0;
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
    readonly elixir: ElixirVersion,
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
    return reparse(join(this.root, path), path, hash, this.elixir);
  }

  #close(): void {
    this.#cache?.close();
    this.#cache = null;
  }
}

function reparse(abs: string, path: string, hash: string, elixir: ElixirVersion): FileExtraction {
  const empty: FileExtraction = { path, modules: [], commentCount: 0, lastLine: 0 };
  let source: Uint8Array;
  try {
    source = readFileSync(abs);
  } catch {
    return empty;
  }
  if (sha256(source) !== hash) return empty;
  const o = processSource(path, source, { elixir });
  return o.ok && o.extraction !== undefined ? o.extraction : empty;
}
