/**
 * A Foundation configured for the analysis: its ConfigServer's schema is the Foundation's plus an
 * `analysis` section (the same settings as `elixirscope analyze`'s options), layered like every
 * other section (defaults < config file < `ELIXIRSCOPE_ANALYSIS__*` environment variables <
 * explicit overrides), with the analysis services and a MemoryManager started on it.
 *
 * L1 knows nothing of the analysis: the section is added here through the ConfigServer's own
 * extension options (`schema`, `defaults`, `updatable`), so the Foundation's config module is
 * untouched and another layer could add its own section the same way.
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { deepMerge, isPlainObject } from "../foundation/config/paths.js";
import {
  CORE_SERVICES,
  type ConfigServerOptions,
  ElixirScopeError,
  FOUNDATION_DEFAULTS,
  FOUNDATION_UPDATABLE_PATHS,
  type Foundation,
  FoundationConfigSchema,
  MemoryManager,
  type MemorySource,
  type Namespace,
  parseOptions,
  Registry,
  type Supervisor,
  startFoundation,
  type TelemetryEmitter,
  type TelemetryServer,
  type TimerClock,
} from "../foundation/index.js";
import {
  type AnalysisConfig,
  AnalysisConfigSchema,
  AST_REPOSITORY_SERVICE,
  type AstRepositoryService,
  POPULATION_SERVICE,
  type PopulationService,
  startAnalysisOnFoundation,
} from "./analysis-services.js";

/** The config section the analysis settings live in. */
export const ANALYSIS_CONFIG_SECTION = "analysis";

/**
 * Defaults of the `analysis` section: those of `elixirscope analyze` (every parse thread the
 * machine has, no include or exclude pattern, `.gitignore` honoured, ten functions listed). `root`
 * and `cache` have none: the command's path argument, and `<root>/.elixirscope/cache.sqlite`.
 */
export const ANALYSIS_CONFIG_DEFAULTS: Readonly<AnalysisConfig> = Object.freeze({
  workers: "auto",
  include: [],
  exclude: [],
  gitignore: true,
  top: 10,
});

/** The Foundation's config schema with the `analysis` section; strict at every level. */
export const AnalysisFoundationConfigSchema = FoundationConfigSchema.extend({
  [ANALYSIS_CONFIG_SECTION]: AnalysisConfigSchema,
});

/** The configuration of a Foundation with the `analysis` section. */
export type AnalysisFoundationConfig = z.output<typeof AnalysisFoundationConfigSchema>;

/** The layers of an analysis Foundation's configuration (see the ConfigServer). */
export interface AnalysisConfigLayers {
  /** A JSON file over the defaults: any Foundation section, plus `analysis`. */
  file?: string;
  /** Environment variables (default `process.env`): `ELIXIRSCOPE_ANALYSIS__WORKERS=0`, ... */
  env?: Record<string, string | undefined>;
  /** Prefix of the environment variables (default `ELIXIRSCOPE_`). */
  envPrefix?: string;
  /** Explicit settings, the top layer: `{ analysis: { exclude: ["test/"] } }`. */
  overrides?: Record<string, unknown>;
}

/**
 * ConfigServer options (for `startFoundation({ config })`) whose schema adds the `analysis`
 * section to the Foundation's, with its defaults; `analysis` is updatable at run time (it is read
 * at each run), next to the Foundation's own updatable paths.
 *
 * The config file is read here, once, and layered over the defaults (the ConfigServer layers the
 * environment and the overrides above it as usual): the Foundation builds its config service
 * more than once, and a file that can be read only once (`--config <(echo ...)`, a pipe) must
 * still work.
 * @throws ElixirScopeError `CONFIG_FILE_UNREADABLE` for a file that cannot be read or is not a
 *   JSON object, `CONFIG_INVALID` for a `__proto__` key in it
 */
export function analysisConfigOptions(layers: AnalysisConfigLayers = {}): ConfigServerOptions {
  const { file, ...rest } = layers;
  const defaults = {
    ...FOUNDATION_DEFAULTS,
    [ANALYSIS_CONFIG_SECTION]: { ...ANALYSIS_CONFIG_DEFAULTS },
  };
  return {
    ...rest,
    schema: AnalysisFoundationConfigSchema,
    defaults:
      file === undefined
        ? defaults
        : (deepMerge(defaults, readConfigFileOnce(file)) as Record<string, unknown>),
    updatable: [...FOUNDATION_UPDATABLE_PATHS, ANALYSIS_CONFIG_SECTION],
  };
}

/** Reads and parses a JSON config file in one read. */
function readConfigFileOnce(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new ElixirScopeError(
      "CONFIG_FILE_UNREADABLE",
      `Cannot read config file ${path}: ${(cause as Error).message}`,
      { context: { file: path }, cause },
    );
  }
  if (!isPlainObject(parsed)) {
    throw new ElixirScopeError(
      "CONFIG_FILE_UNREADABLE",
      `Config file ${path} must hold a JSON object`,
      { context: { file: path } },
    );
  }
  rejectProtoKeys(parsed, path, []);
  return parsed;
}

/**
 * `JSON.parse` keeps a `"__proto__"` key as an own property, which merging would turn into a
 * prototype instead of a setting the schema could reject: refuse it as the unknown key it is.
 */
function rejectProtoKeys(value: unknown, file: string, at: string[]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) rejectProtoKeys(value[i], file, [...at, String(i)]);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    if (key === "__proto__") {
      throw new ElixirScopeError(
        "CONFIG_INVALID",
        `Invalid config file ${file}: ${at.join(".") || "(root)"}: Unrecognized key: "__proto__"`,
        { context: { file, path: [...at, key].join(".") } },
      );
    }
    rejectProtoKeys(value[key], file, [...at, key]);
  }
}

/** Options of the MemoryManager {@link startAnalysisFoundation} starts. */
export interface AnalysisMemoryOptions {
  /** Sampling interval in ms (default 1 000: a CLI run lasts seconds). */
  intervalMs?: number;
  /** Where samples come from (default: the process). */
  source?: MemorySource;
  thresholds?: { elevated?: number; high?: number; critical?: number };
  clock?: TimerClock;
}

/** Options of {@link startAnalysisFoundation}. Unknown keys are errors. */
export interface AnalysisFoundationOptions {
  /** Default "production". */
  namespace?: Namespace;
  registry?: Registry;
  /** The configuration layers; the `analysis` section is added to the schema. */
  config?: AnalysisConfigLayers;
  /** The MemoryManager's options, or `false` for none (default: one with default options). */
  memory?: AnalysisMemoryOptions | false;
}

const fn = (v: unknown) => typeof v === "function";
const OptionsSchema = z.strictObject({
  namespace: z.custom<Namespace>((v) => typeof v === "string").optional(),
  registry: z.custom<Registry>((v) => v instanceof Registry).optional(),
  config: z
    .strictObject({
      file: z.string().min(1).optional(),
      env: z.record(z.string(), z.string().optional()).optional(),
      envPrefix: z.string().min(1).optional(),
      overrides: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  memory: z
    .union([
      z.literal(false),
      z.strictObject({
        intervalMs: z.number().positive().optional(),
        source: z.custom<MemorySource>(fn).optional(),
        thresholds: z
          .strictObject({
            elevated: z.number().optional(),
            high: z.number().optional(),
            critical: z.number().optional(),
          })
          .optional(),
        clock: z
          .custom<TimerClock>((v) => typeof (v as TimerClock)?.setTimeout === "function")
          .optional(),
      }),
    ])
    .optional(),
});

/** Sampling interval of the analysis MemoryManager by default, in ms. */
export const ANALYSIS_MEMORY_INTERVAL_MS = 1_000;

/** A running analysis Foundation (see {@link startAnalysisFoundation}). */
export interface AnalysisFoundation {
  readonly foundation: Foundation;
  /** The supervisor of the analysis services. */
  readonly supervisor: Supervisor;
  /** The sampling MemoryManager the repository drops its caches on, if any. */
  readonly memory: MemoryManager | undefined;
  /** The current population service (looked up, so restarts are followed). */
  readonly population: PopulationService;
  /** The current repository service. */
  readonly repository: AstRepositoryService;
  /** The current `analysis` section (validated, frozen). */
  settings(): AnalysisConfig;
  /** Stops the MemoryManager, the analysis services and the Foundation. */
  stop(): Promise<void>;
}

/**
 * Starts a Foundation whose config has the `analysis` section, a MemoryManager sampling memory
 * pressure (the repository drops its rebuildable caches at `high`), and the analysis services on
 * it. An invalid configuration (unknown key in any layer, unknown `ELIXIRSCOPE_` variable, bad
 * value) rejects with `CONFIG_INVALID` / `CONFIG_UNKNOWN_ENV` before anything is started.
 */
export async function startAnalysisFoundation(
  options: AnalysisFoundationOptions = {},
): Promise<AnalysisFoundation> {
  const o = parseOptions(OptionsSchema, options, "startAnalysisFoundation");
  const foundation = await startFoundation({
    namespace: o.namespace ?? "production",
    ...(o.registry ? { registry: o.registry } : {}),
    config: analysisConfigOptions(o.config) as Record<string, unknown>,
  });
  const { registry, namespace } = foundation;
  let memory: MemoryManager | undefined;
  try {
    if (o.memory !== false) {
      const telemetry: TelemetryEmitter = {
        execute: (event, measurements, metadata) =>
          registry
            .lookup<TelemetryServer>(namespace, CORE_SERVICES.telemetry)
            ?.execute(event, measurements, metadata),
      };
      const m = o.memory ?? {};
      memory = new MemoryManager({
        name: "elixirscope.analysis.memory",
        intervalMs: m.intervalMs ?? ANALYSIS_MEMORY_INTERVAL_MS,
        telemetry,
        ...(m.source ? { source: m.source } : {}),
        ...(m.thresholds ? { thresholds: m.thresholds } : {}),
        ...(m.clock ? { clock: m.clock } : {}),
      });
    }
    const supervisor = await startAnalysisOnFoundation(foundation, memory ? { memory } : {});
    memory?.start();
    const mm = memory;
    return {
      foundation,
      supervisor,
      memory: mm,
      get population() {
        return registry.get<PopulationService>(namespace, POPULATION_SERVICE);
      },
      get repository() {
        return registry.get<AstRepositoryService>(namespace, AST_REPOSITORY_SERVICE);
      },
      settings: () => foundation.config.get<AnalysisConfig>(ANALYSIS_CONFIG_SECTION),
      stop: async () => {
        await mm?.stop();
        await supervisor.stop("shutdown");
        await foundation.stop();
      },
    };
  } catch (error) {
    await memory?.stop();
    await foundation.stop();
    throw error;
  }
}
