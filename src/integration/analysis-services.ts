/**
 * L2 as services on L1: the repository and the population run as Foundation services, found
 * through the registry, supervised, configured by a validated config, and reporting events and
 * telemetry through the Foundation.
 *
 * - {@link AstRepositoryService} (`elixirscope.ast.repository`) owns an {@link AstRepository} and
 *   answers lookups as calls (or directly through `repository` for hot paths in the same thread).
 * - {@link PopulationService} (`elixirscope.ast.population`) runs analyses one at a time (its
 *   mailbox serializes them), refreshing the repository service's indexes in place, so a second
 *   analysis of the same root re-extracts only the files whose content changed.
 * @packageDocumentation
 */
import { z } from "zod";
import type { ModuleInfo } from "../ast/model.js";
import { MAX_PATTERN_LENGTH } from "../ast/population/glob.js";
import { maxWorkerCount } from "../ast/population/pool.js";
import type { PopulationObserver, PopulationProgress } from "../ast/population/populate.js";
import { type AnalysisRun, analyzeRoot } from "../ast/population/run.js";
import {
  AstRepository,
  type CallRef,
  type FunctionRef,
  type RepositoryStats,
} from "../ast/repository/repository.js";
import {
  CORE_SERVICES,
  type ConfigServer,
  type Disposable,
  ElixirScopeError,
  type EventStore,
  type Foundation,
  type MemoryManager,
  type Namespace,
  parseOptions,
  type RegistryApi,
  Service,
  Supervisor,
  type TelemetryEmitter,
  type TelemetryServer,
} from "../foundation/index.js";

/** Registry name of the repository service. */
export const AST_REPOSITORY_SERVICE = "elixirscope.ast.repository";
/** Registry name of the population service. */
export const POPULATION_SERVICE = "elixirscope.ast.population";
/** Registry name of the supervisor of both. */
export const ANALYSIS_SUPERVISOR = "elixirscope.ast.supervisor";

/**
 * Where the services record their events: the Foundation EventStore's `store` fits this shape.
 * Events: `population.run.started`, `population.file.failed`, `population.run.finished`.
 */
export interface AnalysisEventSink {
  store(event: { type: string; data: Record<string, unknown>; correlationId?: string }): unknown;
}

const pattern = z
  .string()
  .max(MAX_PATTERN_LENGTH, `a pattern may be at most ${MAX_PATTERN_LENGTH} characters long`);

/** The analysis configuration (validated; unknown keys are errors). */
export const AnalysisConfigSchema = z.strictObject({
  /** Project analyzed when a call names none. */
  root: z.string().min(1).optional(),
  /** Cache file; `false` runs without cache; default `<root>/.elixirscope/cache.sqlite`. */
  cache: z.union([z.string().min(1), z.literal(false)]).optional(),
  /** Parse threads: a non-negative integer up to {@link maxWorkerCount} (4 per core), or "auto". */
  workers: z
    .union([
      z.number().int().min(0).max(maxWorkerCount(), `at most ${maxWorkerCount()} (4 per core)`),
      z.literal("auto"),
    ])
    .optional(),
  /** Patterns in gitignore syntax, each at most {@link MAX_PATTERN_LENGTH} characters. */
  include: z.array(pattern).optional(),
  exclude: z.array(pattern).optional(),
  /** Honour `.gitignore` files (default true). */
  gitignore: z.boolean().optional(),
  /** How many of the most complex functions a report lists; the population ignores it. */
  top: z.number().int().positive().optional(),
});
/** The analysis configuration. */
export type AnalysisConfig = z.infer<typeof AnalysisConfigSchema>;

/** A lookup answered by the repository service. */
export type RepositoryCall =
  | { op: "module"; name: string }
  | { op: "functions"; module: string; name: string; arity: number }
  | { op: "functionsNamed"; name: string; arity?: number }
  | { op: "modulesInFile"; path: string }
  | { op: "modulesWithBehaviour"; behaviour: string }
  | { op: "callers"; key: string }
  | { op: "callees"; key: string }
  | { op: "stats" };

/** Replies of the repository service, by operation. */
export type RepositoryReply =
  | ModuleInfo
  | undefined
  | readonly FunctionRef[]
  | readonly ModuleInfo[]
  | readonly CallRef[]
  | RepositoryStats;

const ServiceCommon = {
  registry: z.custom<RegistryApi>((v) => typeof (v as RegistryApi)?.register === "function"),
  namespace: z.custom<Namespace>((v) => typeof v === "string"),
  telemetry: z
    .custom<TelemetryEmitter>((v) => typeof (v as TelemetryEmitter)?.execute === "function")
    .optional(),
};

/**
 * The service holding the in-memory indexes. With a MemoryManager, the rebuildable lists of the
 * indexes are dropped when memory pressure reaches "high".
 */
export class AstRepositoryService extends Service<RepositoryCall, RepositoryReply> {
  /** The indexes; read directly when a call's round trip is not wanted. */
  readonly repository = new AstRepository();
  readonly #memory: MemoryManager | undefined;
  #memoryHook: Disposable | undefined;
  /** Lists dropped under memory pressure since start. */
  droppedUnderPressure = 0;

  constructor(options: {
    registry: RegistryApi;
    namespace: Namespace;
    telemetry?: TelemetryEmitter;
    memory?: MemoryManager;
  }) {
    const o = parseOptions(
      z.strictObject({
        ...ServiceCommon,
        memory: z
          .custom<MemoryManager>((v) => typeof (v as MemoryManager)?.onLevel === "function")
          .optional(),
      }),
      options,
      "AstRepositoryService",
    );
    super({
      name: AST_REPOSITORY_SERVICE,
      registry: o.registry,
      namespace: o.namespace,
      telemetry: o.telemetry,
    });
    this.#memory = o.memory;
  }

  protected override init(): void {
    this.#memoryHook = this.#memory?.onLevel("high", () => {
      this.droppedUnderPressure += this.repository.dropCaches();
    });
  }

  protected override terminate(): void {
    this.#memoryHook?.dispose();
    this.#memoryHook = undefined;
  }

  protected override handleCall(msg: RepositoryCall): RepositoryReply {
    const r = this.repository;
    switch (msg.op) {
      case "module":
        return r.module(msg.name);
      case "functions":
        return r.functions(msg.module, msg.name, msg.arity);
      case "functionsNamed":
        return r.functionsNamed(msg.name, msg.arity);
      case "modulesInFile":
        return r.modulesInFile(msg.path);
      case "modulesWithBehaviour":
        return r.modulesWithBehaviour(msg.behaviour);
      case "callers":
        return r.callers(msg.key);
      case "callees":
        return r.callees(msg.key);
      case "stats":
        return r.stats();
    }
  }

  override health() {
    const base = super.health();
    if (typeof base === "object" && "status" in base && base.status === "healthy") {
      return { status: "healthy" as const, details: { ...this.repository.stats() } };
    }
    return base;
  }
}

/**
 * A live configuration to read the analysis settings from at each run: the Foundation's
 * ConfigServer fits (`get(path)`), so `update("analysis.workers", 4)` applies to the next run.
 */
export interface AnalysisConfigSource {
  get(path: string): unknown;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as PromiseLike<unknown> | null)?.then === "function";
}

/**
 * Progress of an analysis run: the population's phases (`read`, `parse`: files done of total),
 * then `analyze`, the project-level analysis (0 of 1 when it starts, 1 of 1 when it ends).
 */
export type AnalysisProgress = PopulationProgress | { phase: "analyze"; done: 0 | 1; total: 1 };

/** A request to the population service. */
export type PopulationCall = {
  op: "analyze";
  root?: string;
  correlationId?: string;
  /** Progress of the run (the call stays in-process, so a function can travel with it). */
  onProgress?: (progress: AnalysisProgress) => void;
  /** Settings validated by the caller; read from the configuration when absent. */
  settings?: AnalysisConfig;
};

/**
 * The reply of an analysis. A failed run (missing root, unusable cache) is a reply rather than a
 * throw, so that a bad request does not crash the service and restart its siblings.
 */
export type PopulationReply = { ok: true; run: AnalysisRun } | { ok: false; error: Error };

/** The service that runs analyses into the repository service. */
export class PopulationService extends Service<PopulationCall, PopulationReply> {
  readonly #registry: RegistryApi;
  readonly #ns: Namespace;
  readonly #config: AnalysisConfig;
  readonly #configSource: AnalysisConfigSource | undefined;
  readonly #configPath: string;
  readonly #events: AnalysisEventSink | undefined;
  readonly #telemetryOut: TelemetryEmitter | undefined;
  /** Analyses completed by this instance. */
  runs = 0;

  constructor(options: {
    registry: RegistryApi;
    namespace: Namespace;
    telemetry?: TelemetryEmitter;
    events?: AnalysisEventSink;
    config?: AnalysisConfig;
    configSource?: AnalysisConfigSource;
    configPath?: string;
  }) {
    const o = parseOptions(
      z.strictObject({
        ...ServiceCommon,
        events: z
          .custom<AnalysisEventSink>((v) => typeof (v as AnalysisEventSink)?.store === "function")
          .optional(),
        config: AnalysisConfigSchema.optional(),
        configSource: z
          .custom<AnalysisConfigSource>(
            (v) => typeof (v as AnalysisConfigSource)?.get === "function",
          )
          .optional(),
        configPath: z.string().min(1).optional(),
      }),
      options,
      "PopulationService",
    );
    super({
      name: POPULATION_SERVICE,
      registry: o.registry,
      namespace: o.namespace,
      telemetry: o.telemetry,
    });
    this.#registry = o.registry;
    this.#ns = o.namespace;
    this.#config = o.config ?? {};
    this.#configSource = o.configSource;
    this.#configPath = o.configPath ?? "analysis";
    this.#events = o.events;
    this.#telemetryOut = o.telemetry;
  }

  /** The settings for a run: the live source's (validated) over the static ones. */
  #settings(): AnalysisConfig {
    if (this.#configSource === undefined) return this.#config;
    const live = parseOptions(
      AnalysisConfigSchema,
      this.#configSource.get(this.#configPath) ?? {},
      `PopulationService config "${this.#configPath}"`,
    );
    return { ...this.#config, ...live };
  }

  protected override async handleCall(msg: PopulationCall): Promise<PopulationReply> {
    try {
      return { ok: true, run: await this.#run(msg) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  async #run(msg: PopulationCall): Promise<AnalysisRun> {
    const settings = msg.settings ?? this.#settings();
    const root = msg.root ?? settings.root;
    if (root === undefined) {
      throw new ElixirScopeError(
        "INVALID_ARGUMENT",
        "PopulationService: no root given or configured",
      );
    }
    const repoService = this.#registry.get<AstRepositoryService>(this.#ns, AST_REPOSITORY_SERVICE);
    const events = this.#events;
    const telemetry = this.#telemetryOut;
    const correlationId = msg.correlationId;
    const onProgress = msg.onProgress;
    const observer: PopulationObserver = {
      event: (type, data) => {
        // The population's last event: the project analysis starts next.
        if (type === "population.run.finished")
          onProgress?.({ phase: "analyze", done: 0, total: 1 });
        if (events === undefined) return;
        const stored = events.store({ type, data, ...(correlationId ? { correlationId } : {}) });
        // The run goes on when the store refuses an event; the failure is counted, not lost.
        if (isThenable(stored)) {
          stored.then(undefined, (error: unknown) =>
            telemetry?.execute(
              "elixirscope.population.event_failed",
              { count: 1 },
              { type, error: String(error) },
            ),
          );
        }
      },
      telemetry: (event, measurements, metadata) => {
        if (event === "population.analysis") onProgress?.({ phase: "analyze", done: 1, total: 1 });
        telemetry?.execute(`elixirscope.${event}`, measurements, metadata);
      },
    };
    const { root: _root, top: _top, ...populate } = settings;
    const run = await analyzeRoot(root, {
      ...populate,
      repository: repoService.repository,
      observer,
      ...(onProgress ? { onProgress } : {}),
    });
    this.runs++;
    return run;
  }

  /**
   * Analyzes `root` (or the configured root) and resolves to the run; rejects with the run's error
   * (the service keeps running). `timeoutMs` bounds the wait (default 10 minutes).
   */
  async analyze(
    root?: string,
    options: { timeoutMs?: number; onProgress?: (progress: AnalysisProgress) => void } = {},
  ): Promise<AnalysisRun> {
    // Settings are validated here, in the caller, so an invalid configuration is the caller's error.
    const settings = this.#settings();
    const reply = await this.call(
      {
        op: "analyze",
        settings,
        ...(root === undefined ? {} : { root }),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
      options.timeoutMs ?? 600_000,
    );
    if (!reply.ok) throw reply.error;
    return reply.run;
  }
}

/**
 * Starts the analysis services in a running Foundation's namespace: telemetry and events go to its
 * TelemetryServer and EventStore (looked up at each use, so restarts of those are followed), and
 * settings are read from its ConfigServer's `analysis` section when the config has one, over
 * `config`.
 */
export function startAnalysisOnFoundation(
  foundation: Foundation,
  options: { config?: AnalysisConfig; memory?: MemoryManager } = {},
): Promise<Supervisor> {
  const { config = {}, memory } = options;
  const { registry, namespace } = foundation;
  const telemetry: TelemetryEmitter = {
    execute: (event, measurements, metadata) =>
      registry
        .lookup<TelemetryServer>(namespace, CORE_SERVICES.telemetry)
        ?.execute(event, measurements, metadata),
  };
  const events: AnalysisEventSink = {
    store: (event) => {
      const store = registry.lookup<EventStore>(namespace, CORE_SERVICES.events);
      return store === undefined ? undefined : store.store(event);
    },
  };
  const configSource: AnalysisConfigSource = {
    get: (path) => {
      const server = registry.lookup<ConfigServer>(namespace, CORE_SERVICES.config);
      if (server === undefined) return undefined;
      try {
        return server.get(path);
      } catch (error) {
        if (error instanceof ElixirScopeError && error.code === "CONFIG_PATH_NOT_FOUND") {
          return undefined;
        }
        throw error;
      }
    },
  };
  return startAnalysisServices({
    registry,
    namespace,
    telemetry,
    events,
    config,
    configSource,
    ...(memory ? { memory } : {}),
  });
}

/** Options of {@link startAnalysisServices}. */
export interface AnalysisServicesOptions {
  registry: RegistryApi;
  namespace: Namespace;
  telemetry?: TelemetryEmitter;
  events?: AnalysisEventSink;
  config?: AnalysisConfig;
  configSource?: AnalysisConfigSource;
  configPath?: string;
  /** The repository's rebuildable caches are dropped when this manager reports high pressure. */
  memory?: MemoryManager;
}

/**
 * Starts a supervisor (one_for_all: the population depends on the repository) with the
 * repository and population services, all registered in `namespace`.
 */
export async function startAnalysisServices(options: AnalysisServicesOptions): Promise<Supervisor> {
  const { registry, namespace, telemetry, events, config, configSource, configPath, memory } =
    options;
  const supervisor = new Supervisor({
    name: ANALYSIS_SUPERVISOR,
    registry,
    namespace,
    telemetry,
    strategy: "one_for_all",
    children: [
      {
        id: AST_REPOSITORY_SERVICE,
        start: () => new AstRepositoryService({ registry, namespace, telemetry, memory }).start(),
      },
      {
        id: POPULATION_SERVICE,
        start: () =>
          new PopulationService({
            registry,
            namespace,
            telemetry,
            events,
            config,
            configSource,
            configPath,
          }).start(),
      },
    ],
  });
  return supervisor.start();
}
