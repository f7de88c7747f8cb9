/**
 * The live index: the AST repository kept current as files change.
 *
 * - **Start:** the watcher starts first (so nothing changed during the build is missed), then the
 *   index is built, warm from the SQLite cache, without holding up the event loop
 *   (`index-build.ts`: time slices, parsing on worker threads).
 * - **Changes:** the watcher's paths go into a set (a file saved ten times is one entry), bounded
 *   by `queueLimit`; past it the set is dropped and one rescan of the tree replaces it, so a burst
 *   costs memory in proportion to the project, never to the number of events.
 * - **Batches:** queued paths are read and hashed; only files whose content changed are parsed
 *   (in this thread, in time slices that let requests through). Nothing is visible until the
 *   batch commits in one synchronous step: the repository swaps the files and the cache writes
 *   their rows in one transaction. Queries therefore always answer from the last committed state.
 * - **Project results:** the commit also updates the project-level analysis incrementally
 *   ({@link IncrementalProject}: call edges, cycles, and the findings of the touched modules and
 *   their dependents), so findings and the graph are as current as the functions; the sorted
 *   results are assembled when first asked for after a commit.
 * - **Readiness:** `degraded` while the backlog (queued plus staged files) is over
 *   `degradedBacklog`.
 * @packageDocumentation
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { IncrementalProject } from "../ast/analysis/incremental.js";
import type { FileExtraction, ProjectAnalysis } from "../ast/model.js";
import { DEFAULT_ELIXIR_VERSION, type ElixirVersion } from "../ast/parser/index.js";
import { discoverFiles } from "../ast/population/discover.js";
import { cacheVersionFor, defaultCachePath } from "../ast/population/populate.js";
import { RANKING_SIZE, type RankedFunction, rankFunctions } from "../ast/population/run.js";
import { AnalysisCache, type CacheEntry } from "../ast/repository/cache.js";
import type { AstRepository } from "../ast/repository/repository.js";
import { newCorrelationId } from "../foundation/errors/context.js";
import {
  type HealthProbeResult,
  type Namespace,
  parseOptions,
  type RegistryApi,
  Service,
  type TelemetryEmitter,
  withErrorContext,
} from "../foundation/index.js";
import type { AnalysisConfig, AnalysisEventSink } from "../integration/analysis-services.js";
import type { EventHub } from "../integration/async-api.js";
import {
  type BuildSummary,
  buildIndex,
  hashOf,
  parseHere,
  Slicer,
  type Staged,
  type StagedFile,
  templatesBeside,
} from "./index-build.js";
import { SourceFilter } from "./source-filter.js";
import { type Watcher, watchTree } from "./watcher.js";

/** Registry name of the live index service. */
export const LIVE_INDEX_SERVICE = "elixirscope.serve.live_index";

/** One committed change of the index, as published to subscribers. */
export interface IndexChange {
  /** Index version after the change (1 is the initial build). */
  version: number;
  /** Epoch ms of the commit. */
  at: number;
  /** Files added or changed (relative paths). */
  changed: string[];
  removed: string[];
  /** Files of `changed` that failed to parse. */
  failed: string[];
  /** Modules defined by the changed files after the change. */
  modules: string[];
  correlationId: string;
}

/** Update size (modules computed again) above which the analysis update runs in time slices. */
const STEPPED_IMPACT = 500;

/** A commit's change, for the project analysis. */
interface AnalysisUpdate {
  version: number;
  changed: FileExtraction[];
  removed: string[];
}

/** The project-level analysis and the index version it describes. */
export interface ProjectSnapshot {
  version: number;
  analysis: ProjectAnalysis;
  ranking: RankedFunction[];
}

/** Where the index is. */
export type IndexPhase = "starting" | "indexing" | "ready" | "failed";

/** The index's state, for health and metrics. */
export interface LiveIndexStatus {
  phase: IndexPhase;
  version: number;
  /** Paths waiting: queued plus staged in the current batch. */
  backlog: number;
  degraded: boolean;
  watcher: "running" | "failed" | "stopped";
  /** Version of the project snapshot (the same as `version`: each commit updates it). */
  analysisVersion: number;
  /** How long the last commit's project-analysis update took, ms (null before the first). */
  lastAnalysisMs: number | null;
  /** The initial build's counts, once it has finished. */
  build: BuildSummary | null;
  rescans: number;
  /** Epoch ms of the last commit, or null. */
  lastCommitAt: number | null;
  /** Why the build or the watcher failed, or null. */
  error: string | null;
  cacheFile: string | null;
}

/** Options of {@link LiveIndexService}. Unknown keys are errors. */
export interface LiveIndexOptions {
  root: string;
  registry: RegistryApi;
  namespace: Namespace;
  /** The repository to keep current (the repository service's). */
  repository: AstRepository;
  settings?: AnalysisConfig;
  hub: EventHub<IndexChange>;
  events?: AnalysisEventSink;
  telemetry?: TelemetryEmitter;
  /** Backlog above which readiness is `degraded` (default 100). */
  degradedBacklog?: number;
  /** Distinct queued paths at most before a rescan replaces the queue (default 20 000). */
  queueLimit?: number;
  /** Files committed at most per batch (default 1 000). */
  batchMax?: number;
  /** Longest stretch of parsing before yielding to requests, ms (default 20). */
  sliceMs?: number;
}

const fn = (v: unknown) => typeof v === "function";
const OptionsSchema = z.strictObject({
  root: z.string().min(1),
  registry: z.custom<RegistryApi>((v) => fn((v as RegistryApi)?.register)),
  namespace: z.custom<Namespace>((v) => typeof v === "string"),
  repository: z.custom<AstRepository>((v) => fn((v as AstRepository)?.setFile)),
  settings: z.custom<AnalysisConfig>((v) => typeof v === "object" && v !== null).optional(),
  hub: z.custom<EventHub<IndexChange>>((v) => fn((v as EventHub<IndexChange>)?.publish)),
  events: z.custom<AnalysisEventSink>((v) => fn((v as AnalysisEventSink)?.store)).optional(),
  telemetry: z.custom<TelemetryEmitter>((v) => fn((v as TelemetryEmitter)?.execute)).optional(),
  degradedBacklog: z.number().int().nonnegative().optional(),
  queueLimit: z.number().int().positive().optional(),
  batchMax: z.number().int().positive().optional(),
  sliceMs: z.number().positive().optional(),
});

/** Calls the service answers through its mailbox. */
export type LiveIndexCall = { op: "status" };

/** The live index as a Foundation service (see the module comment). */
export class LiveIndexService extends Service<LiveIndexCall, LiveIndexStatus> {
  readonly #o: z.output<typeof OptionsSchema>;
  readonly #filter: SourceFilter;
  readonly #cacheFile: string | null;
  readonly #queue = new Set<string>();
  #rescan = false;
  #staged = 0;
  #phase: IndexPhase = "starting";
  #version = 0;
  #watcher: Watcher | undefined;
  #watcherState: LiveIndexStatus["watcher"] = "stopped";
  #error: string | null = null;
  #draining = false;
  #cache: AnalysisCache | null = null;
  /** The syntax files are parsed as: the same as the initial build's, so cache rows agree. */
  readonly #elixir: ElixirVersion;
  #snapshot: ProjectSnapshot | undefined;
  #project: IncrementalProject | undefined;
  /** Commits whose project-analysis update has not run yet, in order. */
  readonly #analysisQueue: AnalysisUpdate[] = [];
  #analyzing = false;
  /** Extractions of the initial build, analyzed together once it has read every file. */
  #loaded: FileExtraction[] = [];
  #buildSummary: BuildSummary | null = null;
  #rescans = 0;
  #lastAnalysisMs: number | null = null;
  #lastCommitAt: number | null = null;
  #stopped = false;
  /** Resolves when the initial build has finished (or failed). */
  readonly built: Promise<void>;
  #markBuilt!: () => void;

  constructor(options: LiveIndexOptions) {
    const o = parseOptions(OptionsSchema, options, "LiveIndexService");
    super({
      name: LIVE_INDEX_SERVICE,
      registry: o.registry,
      namespace: o.namespace,
      ...(o.telemetry ? { telemetry: o.telemetry } : {}),
    });
    this.#o = o;
    const s = o.settings ?? {};
    this.#filter = new SourceFilter(o.root, {
      ...(s.include ? { include: s.include } : {}),
      ...(s.exclude ? { exclude: s.exclude } : {}),
      ...(s.gitignore === undefined ? {} : { gitignore: s.gitignore }),
    });
    this.#cacheFile = s.cache === false ? null : (s.cache ?? defaultCachePath(o.root));
    this.#elixir = s.elixir ?? DEFAULT_ELIXIR_VERSION;
    this.built = new Promise((resolve) => {
      this.#markBuilt = resolve;
    });
  }

  /** The repository being kept current. */
  get repository(): AstRepository {
    return this.#o.repository;
  }

  /** The last project-level snapshot, or undefined before the initial build. */
  get snapshot(): ProjectSnapshot | undefined {
    return this.#snapshot;
  }

  /** The root directory (absolute). */
  get root(): string {
    return this.#o.root;
  }

  protected override init(): void {
    this.#stopped = false;
    this.#watcher = watchTree(this.#o.root, {
      onPath: (rel) => this.#enqueue(rel),
      onError: (error) => {
        this.#watcherState = "failed";
        this.#error = `watcher: ${error.message}`;
        this.#requestRescan();
      },
    });
    this.#watcherState = "running";
    void this.#build();
  }

  protected override terminate(): void {
    this.#stopped = true;
    this.#watcher?.close();
    this.#watcherState = "stopped";
    this.#cache?.close();
    this.#cache = null;
  }

  protected override handleCall(_msg: LiveIndexCall): LiveIndexStatus {
    return this.indexStatus();
  }

  /** The current state (synchronous; also answered as a call). */
  indexStatus(): LiveIndexStatus {
    const backlog = this.#queue.size + this.#staged + (this.#rescan ? 1 : 0);
    return {
      phase: this.#phase,
      version: this.#version,
      backlog,
      degraded: backlog > (this.#o.degradedBacklog ?? 100) || this.#rescan,
      watcher: this.#watcherState,
      analysisVersion: this.#snapshot?.version ?? 0,
      lastAnalysisMs: this.#lastAnalysisMs,
      build: this.#buildSummary,
      rescans: this.#rescans,
      lastCommitAt: this.#lastCommitAt,
      error: this.#error,
      cacheFile: this.#cacheFile,
    };
  }

  override health(): HealthProbeResult {
    const s = this.indexStatus();
    if (s.phase === "failed") return { status: "unhealthy", reason: s.error ?? "build failed" };
    if (s.phase !== "ready") return { status: "degraded", reason: `index ${s.phase}` };
    if (s.watcher !== "running") return { status: "degraded", reason: s.error ?? "no watcher" };
    if (s.degraded) return { status: "degraded", reason: `backlog of ${s.backlog} files` };
    return { status: "healthy", details: { version: s.version } };
  }

  async #build(): Promise<void> {
    this.#phase = "indexing";
    try {
      this.#cache =
        this.#cacheFile === null
          ? null
          : AnalysisCache.open(this.#cacheFile, cacheVersionFor(this.#elixir));
      this.#buildSummary = await buildIndex({
        root: this.#o.root,
        settings: this.#o.settings ?? {},
        elixir: this.#elixir,
        cache: this.#cache,
        sliceMs: this.#o.sliceMs ?? 20,
        // Smaller than a live batch: each one is loaded without a yield.
        batchMax: Math.min(this.#o.batchMax ?? 1_000, 250),
        begin: (files) => {
          const templates = templatesBeside(this.#o.root, files);
          this.#project = new IncrementalProject({}, { templates });
        },
        load: (batch) => this.#load(batch),
        stopped: () => this.#stopped,
      });
      await this.#analyzeLoaded();
      if (this.#stopped) return;
      this.#version = 1;
      this.#snapshot = snapshotOf(1, this.#project as IncrementalProject);
      this.#phase = "ready";
      this.#lastCommitAt = Date.now();
    } catch (error) {
      this.#phase = "failed";
      this.#error = `initial index: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.#markBuilt();
    }
    if (this.#phase === "ready") this.#kick();
  }

  /** One batch of the initial build: into the repository, the cache and the project analysis. */
  #load(batch: readonly StagedFile[]): void {
    const repo = this.#o.repository;
    const rows: CacheEntry[] = [];
    for (const f of batch) {
      repo.setFile({
        path: f.entry.path,
        hash: f.entry.hash,
        extraction: f.extraction,
        error: f.entry.error,
      });
      if (!f.cached) rows.push(f.entry);
    }
    this.#cache?.putMany(rows);
    for (const f of batch) if (f.extraction !== null) this.#loaded.push(f.extraction);
  }

  /** The initial project analysis, in one update (each module once), in time slices. */
  async #analyzeLoaded(): Promise<void> {
    const project = this.#project as IncrementalProject;
    const slicer = new Slicer(this.#o.sliceMs ?? 20);
    const t0 = performance.now();
    const steps = project.updateSteps(this.#loaded);
    this.#loaded = [];
    while (steps.next().done !== true) {
      if (this.#stopped) return;
      await slicer.tick();
    }
    this.#lastAnalysisMs = performance.now() - t0;
  }

  #enqueue(rel: string): void {
    if (this.#filter.skipped(rel)) return;
    if (rel === ".gitignore" || rel.endsWith("/.gitignore")) {
      // The set of files in the project may have changed anywhere below.
      this.#filter.reset();
      this.#requestRescan();
      return;
    }
    if (!this.#filter.accepts(rel) && this.#o.repository.hashOf(rel) === undefined) {
      // A directory rename reports the directory only: its files must be found by a rescan.
      if (!/\.exs?$/.test(rel)) this.#maybeDirectory(rel);
      return;
    }
    if (this.#queue.size >= (this.#o.queueLimit ?? 20_000)) {
      this.#requestRescan();
      return;
    }
    this.#queue.add(rel);
    this.#kick();
  }

  /** A path without a source extension: when it is (or was) a directory holding sources, rescan. */
  #maybeDirectory(rel: string): void {
    const prefix = `${rel}/`;
    let isDir = false;
    try {
      isDir = statSync(join(this.#o.root, rel)).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir || this.#o.repository.paths().some((p) => p.startsWith(prefix)))
      this.#requestRescan();
  }

  #requestRescan(): void {
    this.#queue.clear();
    this.#rescan = true;
    this.#kick();
  }

  #kick(): void {
    if (this.#draining || this.#phase !== "ready" || this.#stopped) return;
    this.#draining = true;
    setImmediate(() => {
      this.#drain().then(
        () => {
          this.#draining = false;
          if (this.#queue.size > 0 || this.#rescan) this.#kick();
        },
        (error: unknown) => {
          this.#draining = false;
          this.#error = `update: ${error instanceof Error ? error.message : String(error)}`;
        },
      );
    });
  }

  /** Takes the queue (or a rescan's file list) batch by batch until it is empty. */
  async #drain(): Promise<void> {
    while (!this.#stopped && (this.#queue.size > 0 || this.#rescan)) {
      let paths: string[];
      if (this.#rescan) {
        this.#rescan = false;
        this.#rescans++;
        paths = this.#rescanPaths();
      } else {
        paths = [...this.#queue];
        this.#queue.clear();
      }
      const batchMax = this.#o.batchMax ?? 1_000;
      for (let i = 0; i < paths.length && !this.#stopped; i += batchMax) {
        const batch = paths.slice(i, i + batchMax);
        this.#staged = paths.length - i;
        const staged = await this.#stage(batch);
        if (!this.#stopped) this.#commit(staged);
      }
      this.#staged = 0;
    }
  }

  #rescanPaths(): string[] {
    const s = this.#o.settings ?? {};
    const found = discoverFiles(this.#o.root, {
      ...(s.include ? { include: s.include } : {}),
      ...(s.exclude ? { exclude: s.exclude } : {}),
      ...(s.gitignore === undefined ? {} : { gitignore: s.gitignore }),
    }).files;
    const all = new Set(found);
    // Files the index holds but discovery no longer lists are removals.
    for (const p of this.#o.repository.paths()) if (!all.has(p)) all.add(p);
    return [...all];
  }

  /** Reads, hashes and (when changed) parses each path, yielding to requests every slice. */
  async #stage(paths: readonly string[]): Promise<Staged[]> {
    const out: Staged[] = [];
    const slicer = new Slicer(this.#o.sliceMs ?? 20);
    for (const path of paths) {
      const s = this.#stageOne(path);
      if (s !== null) out.push(s);
      await slicer.tick();
    }
    return out;
  }

  #stageOne(path: string): Staged | null {
    const repo = this.#o.repository;
    const known = repo.hashOf(path) !== undefined;
    let bytes: Buffer | null = null;
    if (this.#filter.accepts(path)) {
      try {
        bytes = readFileSync(join(this.#o.root, path));
      } catch {
        bytes = null;
      }
    }
    if (bytes === null) return known ? { kind: "removed", path } : null;
    const hash = hashOf(bytes);
    if (repo.hashOf(path) === hash) return null;
    return parseHere(path, bytes, hash, this.#elixir);
  }

  /**
   * Applies the queued commits to the project analysis. A small update (the usual edit) runs at
   * once, inside the commit, so findings and the graph are as current as the functions. A large
   * one (a module many others refer to, a burst) runs in time slices: the snapshot of the last
   * applied version is frozen (assembled now) and served until the update ends, so queries never
   * see a half-updated analysis and the event loop is never held for seconds.
   */
  #runAnalysis(): void {
    if (this.#analyzing || this.#stopped) return;
    const project = this.#project as IncrementalProject;
    for (;;) {
      const next = this.#analysisQueue.shift();
      if (next === undefined) return;
      if (project.impactOf(next.changed, next.removed) <= STEPPED_IMPACT) {
        const t0 = performance.now();
        project.update(next.changed, next.removed);
        this.#analyzed(next.version, performance.now() - t0);
        continue;
      }
      this.#analyzing = true;
      void this.#runStepped(project, next).finally(() => {
        this.#analyzing = false;
        this.#runAnalysis();
      });
      return;
    }
  }

  async #runStepped(project: IncrementalProject, u: AnalysisUpdate): Promise<void> {
    const frozen = this.#snapshot;
    if (frozen !== undefined) {
      // Assembled before the project starts changing: read from now on, it stays as it is.
      void frozen.analysis;
      void frozen.ranking;
    }
    const t0 = performance.now();
    const slicer = new Slicer(this.#o.sliceMs ?? 20);
    const steps = project.updateSteps(u.changed, u.removed);
    while (steps.next().done !== true) {
      if (this.#stopped) return;
      await slicer.tick();
    }
    this.#analyzed(u.version, performance.now() - t0);
  }

  #analyzed(version: number, ms: number): void {
    this.#snapshot = snapshotOf(version, this.#project as IncrementalProject);
    this.#lastAnalysisMs = ms;
    this.#o.telemetry?.execute("elixirscope.serve.analysis", { durationMs: ms }, { version });
  }

  /** Makes a batch visible at once: repository swap, one cache transaction, one event. */
  #commit(staged: readonly Staged[]): void {
    if (staged.length === 0) return;
    const correlationId = newCorrelationId();
    withErrorContext({ correlationId, operation: "index.commit" }, () => {
      const repo = this.#o.repository;
      const change: IndexChange = {
        version: this.#version + 1,
        at: Date.now(),
        changed: [],
        removed: [],
        failed: [],
        modules: [],
        correlationId,
      };
      const rows: CacheEntry[] = [];
      const extractions: FileExtraction[] = [];
      const gone: string[] = [];
      for (const s of staged) {
        if (s.kind === "removed") {
          repo.removeFile(s.path);
          change.removed.push(s.path);
          gone.push(s.path);
          continue;
        }
        const { entry, extraction } = s;
        repo.setFile({ path: entry.path, hash: entry.hash, extraction, error: entry.error });
        rows.push(entry);
        change.changed.push(entry.path);
        if (entry.error !== null) change.failed.push(entry.path);
        if (extraction === null) gone.push(entry.path);
        else extractions.push(extraction);
        for (const m of extraction?.modules ?? []) change.modules.push(m.name);
      }
      this.#analysisQueue.push({ version: change.version, changed: extractions, removed: gone });
      this.#cache?.putMany(rows);
      if (change.removed.length > 0) this.#cache?.retainOnly(new Set(repo.paths()));
      this.#version = change.version;
      this.#lastCommitAt = change.at;
      this.#runAnalysis();
      this.#o.hub.publish(change);
      this.#o.events?.store({
        type: "index.changed",
        data: {
          version: change.version,
          changed: change.changed.length,
          removed: change.removed.length,
          failed: change.failed.length,
        },
        correlationId,
      });
      this.#o.telemetry?.execute(
        "elixirscope.serve.index.commit",
        { files: staged.length },
        { version: change.version },
      );
    });
  }
}

/**
 * The project snapshot of one index version. The analysis is assembled (sorted) and the ranking
 * computed only when first read: a burst of commits that nobody looks at costs neither.
 */
function snapshotOf(version: number, project: IncrementalProject): ProjectSnapshot {
  let analysis: ProjectAnalysis | undefined;
  let ranking: RankedFunction[] | undefined;
  return {
    version,
    get analysis() {
      analysis ??= project.analysis();
      return analysis;
    },
    get ranking() {
      ranking ??= rankFunctions(project.modules(), RANKING_SIZE);
      return ranking;
    },
  };
}
