/**
 * The live index's initial build, written so that the server keeps answering while it runs
 * (`/health/live` within milliseconds even at 10,000 modules):
 *
 * - files are read, hashed and looked up in the cache in time slices of `sliceMs`, yielding to
 *   requests between slices;
 * - files the cache does not hold are parsed on worker threads (the population's
 *   {@link ParsePool}); the main thread only receives their extractions as JSON text;
 * - everything is handed to `load` in batches, again between yields.
 *
 * Nothing of it is visible to queries before the build ends: the server answers 503 until the
 * index is ready.
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FileExtraction } from "../ast/model.js";
import type { ElixirVersion } from "../ast/parser/index.js";
import { discoverFiles } from "../ast/population/discover.js";
import { defaultWorkerCount, ParsePool } from "../ast/population/pool.js";
import { processSource } from "../ast/population/process.js";
import type { FileOutcome } from "../ast/population/protocol.js";
import type { AnalysisCache, CacheEntry } from "../ast/repository/cache.js";
import { countsOf } from "../ast/repository/repository.js";
import type { AnalysisConfig } from "../integration/analysis-services.js";

/** A file read (and parsed, or taken from the cache), ready to be committed. */
export interface StagedFile {
  kind: "changed";
  entry: CacheEntry;
  extraction: FileExtraction | null;
  /** True when `entry` came from the cache (it need not be written again). */
  cached: boolean;
}

/** A file that is gone. */
export interface RemovedFile {
  kind: "removed";
  path: string;
}

/** What a batch commits. */
export type Staged = StagedFile | RemovedFile;

/** Files to parse at least before worker threads are worth starting. */
const POOL_MIN_FILES = 16;

export const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Yields when the current slice has run longer than `sliceMs`. */
export class Slicer {
  #start = performance.now();
  constructor(readonly sliceMs: number) {}
  async tick(): Promise<void> {
    if (performance.now() - this.#start <= this.sliceMs) return;
    await yieldToRequests();
    this.#start = performance.now();
  }
}

/** The staged form of a parse outcome (from a worker or in-process). */
export function stagedOf(path: string, hash: string, size: number, o: FileOutcome): StagedFile {
  let extraction: FileExtraction | null = null;
  let json: string | null = null;
  if (o.ok) {
    extraction = o.extraction ?? (JSON.parse(o.extractionJson as string) as FileExtraction);
    json = o.extractionJson ?? JSON.stringify(extraction);
  }
  const entry: CacheEntry = {
    path,
    hash,
    size,
    extractionJson: json,
    error: o.ok ? null : o.error,
    counts: countsOf(extraction),
  };
  return { kind: "changed", entry, extraction, cached: false };
}

/** Reads, hashes and parses one file in this thread (the live updates' path). */
export function parseHere(
  path: string,
  bytes: Buffer,
  hash: string,
  elixir: ElixirVersion,
): StagedFile {
  return stagedOf(path, hash, bytes.length, processSource(path, bytes, { elixir }));
}

/** SHA-256 of a file's bytes, hex (the cache's and the repository's key). */
export function hashOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** What the initial build needs from the live index. */
export interface BuildContext {
  root: string;
  settings: AnalysisConfig;
  elixir: ElixirVersion;
  cache: AnalysisCache | null;
  sliceMs: number;
  batchMax: number;
  /** Called once with the files found, before any batch. */
  begin: (files: readonly string[]) => void;
  /** Loads a batch into the (not yet visible) index. */
  load: (batch: readonly StagedFile[]) => void;
  stopped: () => boolean;
}

/** Counts of an initial build. */
export interface BuildSummary {
  files: number;
  cached: number;
  parsed: number;
  workers: number;
}

interface ToParse {
  path: string;
  hash: string;
  source: Buffer;
}

/** Builds the index from the files under the root (see the module comment). */
export async function buildIndex(ctx: BuildContext): Promise<BuildSummary> {
  const s = ctx.settings;
  const files = discoverFiles(ctx.root, {
    ...(s.include ? { include: s.include } : {}),
    ...(s.exclude ? { exclude: s.exclude } : {}),
    ...(s.gitignore === undefined ? {} : { gitignore: s.gitignore }),
  }).files;
  ctx.begin(files);
  const slicer = new Slicer(ctx.sliceMs);
  const batch = new Batcher(ctx, slicer);
  const toParse: ToParse[] = [];
  for (const path of files) {
    if (ctx.stopped()) break;
    let source: Buffer;
    try {
      source = readFileSync(join(ctx.root, path));
    } catch {
      continue; // gone since discovery: the watcher reports it
    }
    const hash = hashOf(source);
    const hit = ctx.cache?.get(path, hash);
    if (hit === undefined) toParse.push({ path, hash, source });
    else {
      const extraction =
        hit.extractionJson === null ? null : (JSON.parse(hit.extractionJson) as FileExtraction);
      await batch.add({ kind: "changed", entry: hit, extraction, cached: true });
    }
    await slicer.tick();
  }
  const workers = await parseAll(ctx, toParse, batch, slicer);
  await batch.flush();
  ctx.cache?.retainOnly(new Set(files));
  return {
    files: files.length,
    cached: files.length - toParse.length,
    parsed: toParse.length,
    workers,
  };
}

/** Hands staged files to `load` in batches of `batchMax`. */
class Batcher {
  #pending: StagedFile[] = [];
  constructor(
    readonly ctx: BuildContext,
    readonly slicer: Slicer,
  ) {}
  async add(f: StagedFile): Promise<void> {
    this.#pending.push(f);
    if (this.#pending.length >= this.ctx.batchMax) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.#pending.length === 0 || this.ctx.stopped()) return;
    const batch = this.#pending;
    this.#pending = [];
    this.ctx.load(batch);
    await yieldToRequests();
  }
}

/** Parses the files the cache lacks: on worker threads, or here in slices when few or asked to. */
async function parseAll(
  ctx: BuildContext,
  files: ToParse[],
  batch: Batcher,
  slicer: Slicer,
): Promise<number> {
  const wanted = ctx.settings.workers ?? "auto";
  const n = wanted === "auto" ? defaultWorkerCount() : Math.min(wanted, files.length);
  if (n === 0 || files.length < POOL_MIN_FILES) {
    for (const f of files) {
      if (ctx.stopped()) break;
      await batch.add(parseHere(f.path, f.source, f.hash, ctx.elixir));
      await slicer.tick();
    }
    return 0;
  }
  const pool = new ParsePool(
    n,
    ctx.settings.workerHeapMb ? { heapMb: ctx.settings.workerHeapMb } : {},
  );
  const byPath = new Map(files.map((f) => [f.path, f]));
  const outcomes: FileOutcome[] = [];
  try {
    await pool.run(
      files.map((f) => ({ path: f.path, source: f.source, elixir: ctx.elixir })),
      (o) => outcomes.push(o),
    );
  } finally {
    await pool.close();
  }
  for (const o of outcomes) {
    if (ctx.stopped()) break;
    const f = byPath.get(o.path) as ToParse;
    const staged = stagedOf(f.path, f.hash, f.source.length, o);
    // A transient failure (a worker died) is reported but not cached: the next start retries.
    if (!o.ok && o.transient === true) staged.cached = true;
    await batch.add(staged);
    await slicer.tick();
  }
  return n;
}

/**
 * The Phoenix templates (`.html.heex`, `.html.leex`) in the folders of `files`, relative to the
 * root and sorted: the analysis needs them to know which LiveViews have `render/1` generated.
 */
export function templatesBeside(root: string, files: readonly string[]): string[] {
  const dirs = new Set(files.map((f) => f.slice(0, Math.max(0, f.lastIndexOf("/")))));
  const out: string[] = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(join(root, dir));
    } catch {
      // a folder removed since discovery has no templates
    }
    for (const name of names)
      if (/\.html\.[hl]eex$/.test(name)) out.push(dir === "" ? name : `${dir}/${name}`);
  }
  return out.sort();
}
