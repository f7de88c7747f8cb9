/**
 * `startServe`: the whole `elixirscope serve` process as a library call. It starts the Foundation
 * (config with the `analysis` section, in-memory events), one supervision tree
 * (`elixirscope.serve.supervisor`, rest_for_one) holding the analysis services and the live index
 * (which owns the watcher), the integration pieces (SyncAPI, AsyncAPI hub, layered health, the
 * rate limiter, in memory or on Redis), and the HTTP server.
 * @packageDocumentation
 */

import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { DEFAULT_ELIXIR_VERSION } from "../ast/parser/index.js";
import {
  CORE_SERVICES,
  type HealthProbeResult,
  type KeyedRateLimiter,
  type Namespace,
  RateLimiter,
  RedisRateLimiter,
  type Registrable,
  type RegistryApi,
  Supervisor,
  startFoundation,
  type TelemetryEmitter,
} from "../foundation/index.js";
import {
  ANALYSIS_CONFIG_SECTION,
  type AnalysisConfigLayers,
  analysisConfigOptions,
} from "../integration/analysis-foundation.js";
import {
  ANALYSIS_SUPERVISOR,
  type AnalysisConfig,
  type AnalysisEventSink,
  AST_REPOSITORY_SERVICE,
  type AstRepositoryService,
  POPULATION_SERVICE,
  startAnalysisOnFoundation,
} from "../integration/analysis-services.js";
import { EventHub } from "../integration/async-api.js";
import { LayeredHealth } from "../integration/health.js";
import { SyncApi } from "../integration/sync-api.js";
import {
  type IndexChange,
  LIVE_INDEX_SERVICE,
  type LiveIndexOptions,
  LiveIndexService,
} from "./live-index.js";
import { checkBindPolicy } from "./security.js";
import { createServer, type ServeContext, type ServerLimits } from "./server.js";

/** Registry name of the serve supervisor. */
export const SERVE_SUPERVISOR = "elixirscope.serve.supervisor";

/** The built UI inside the package (dist/ui next to dist/serve). */
export const PACKAGED_UI_DIR = fileURLToPath(new URL("../ui", import.meta.url));

/** Options of {@link startServe}. */
export interface ServeOptions {
  root: string;
  /** Default 4000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1; anything else needs `token` or `insecure`. */
  host?: string;
  token?: string;
  insecure?: boolean;
  /** Redis URL: the rate limiter's budget is shared through it. */
  redis?: string;
  /** Config layers (file, env) of the Foundation and `analysis` section. */
  config?: Omit<AnalysisConfigLayers, "overrides">;
  /** Analysis settings over the config (the command-line options). */
  settings?: AnalysisConfig;
  /** Requests per client: `rate` per `intervalMs`, bursts of `burst` (default 200/s, 400). */
  rateLimit?: { rate: number; intervalMs: number; burst: number };
  limits?: Partial<ServerLimits>;
  /** Tuning of the live index (backlog threshold, queue limit, delays). */
  index?: Pick<LiveIndexOptions, "degradedBacklog" | "queueLimit" | "batchMax" | "sliceMs">;
  /** Built UI directory; default the packaged one when present; null for none. */
  uiDir?: string | null;
  logger?: boolean;
}

/** A running server. */
export interface RunningServe {
  app: FastifyInstance;
  /** `http://host:port`. */
  url: string;
  port: number;
  live: () => LiveIndexService;
  hub: EventHub<IndexChange>;
  /** Resolves when the initial index is built (or failed). */
  built: Promise<void>;
  stop(): Promise<void>;
}

function packagedUi(): string | null {
  try {
    return statSync(`${PACKAGED_UI_DIR}/index.html`).isFile() ? PACKAGED_UI_DIR : null;
  } catch {
    return null;
  }
}

function rootOf(root: string): string {
  let real: string;
  try {
    real = realpathSync(root);
  } catch {
    throw new Error(`${root}: no such directory`);
  }
  if (!statSync(real).isDirectory()) throw new Error(`${root}: not a directory`);
  return real;
}

/** Starts everything; rejects (having stopped what it started) when any part fails to start. */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const host = options.host ?? "127.0.0.1";
  checkBindPolicy(host, options.token, options.insecure === true);
  const realRoot = rootOf(options.root);
  const foundation = await startFoundation({
    namespace: "production",
    config: analysisConfigOptions({
      ...options.config,
      overrides: {
        eventStore: { storage: "memory" },
        [ANALYSIS_CONFIG_SECTION]: options.settings ?? {},
      },
    }) as Record<string, unknown>,
  });
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => foundation.stop()];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const { registry, namespace } = foundation;
    const telemetry: TelemetryEmitter = {
      execute: (e, m, md) => foundation.telemetry.execute(e, m, md),
    };
    const events: AnalysisEventSink = { store: (e) => foundation.events.store(e) };
    const settings = foundation.config.get<AnalysisConfig>(ANALYSIS_CONFIG_SECTION);
    const hub = new EventHub<IndexChange>();
    const supervisor = new Supervisor({
      name: SERVE_SUPERVISOR,
      registry,
      namespace,
      telemetry,
      strategy: "rest_for_one",
      children: [
        { id: ANALYSIS_SUPERVISOR, start: () => startAnalysisOnFoundation(foundation) },
        {
          id: LIVE_INDEX_SERVICE,
          start: () =>
            new LiveIndexService({
              root: realRoot,
              registry,
              namespace,
              repository: registry.get<AstRepositoryService>(namespace, AST_REPOSITORY_SERVICE)
                .repository,
              settings,
              hub,
              events,
              telemetry,
              ...options.index,
            }).start(),
        },
      ],
    });
    await supervisor.start();
    cleanups.push(() => supervisor.stop("shutdown"));
    const live = () => registry.get<LiveIndexService>(namespace, LIVE_INDEX_SERVICE);
    const redis =
      options.redis === undefined
        ? undefined
        : new Redis(options.redis, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    if (redis) cleanups.push(() => redis.disconnect());
    const limiter = makeLimiter(options, redis);
    const sync = new SyncApi({ telemetry });
    const health = new LayeredHealth({ timeoutMs: 1_000 })
      .layer("foundation", () => servicesHealth(registry, namespace, Object.values(CORE_SERVICES)))
      .layer("ast", () =>
        servicesHealth(registry, namespace, [AST_REPOSITORY_SERVICE, POPULATION_SERVICE]),
      )
      .layer("index", () => live().health())
      .layer("watcher", () => watcherHealth(live()))
      .layer("cache", () => cacheHealth(live()));
    if (redis) health.layer("redis", () => redis.ping().then(() => true));
    const ctx: ServeContext = {
      live,
      realRoot,
      elixir: settings.elixir ?? DEFAULT_ELIXIR_VERSION,
      hub,
      telemetry: foundation.telemetry,
      sync,
      health,
      limiter,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.limits ? { limits: options.limits } : {}),
      uiDir: options.uiDir === undefined ? packagedUi() : options.uiDir,
      logger: options.logger === true,
    };
    const app = await createServer(ctx);
    cleanups.push(() => app.close());
    await app.listen({ port: options.port ?? 4000, host });
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const shownHost = host.includes(":") ? `[${host}]` : host;
    return {
      app,
      url: `http://${shownHost}:${port}`,
      port,
      live,
      hub,
      built: live().built,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function makeLimiter(options: ServeOptions, redis: Redis | undefined): KeyedRateLimiter {
  const policy = {
    algorithm: "token-bucket" as const,
    ...(options.rateLimit ?? { rate: 200, intervalMs: 1_000, burst: 400 }),
  };
  if (redis === undefined) return new RateLimiter({ name: "serve.clients", ...policy });
  // Replicas given the same Redis share each client's budget; while Redis is unreachable each
  // replica falls back to a local bucket rather than refusing or admitting everything.
  return new RedisRateLimiter({
    name: "serve.clients",
    redis,
    whenUnavailable: "local",
    ...policy,
  });
}

async function servicesHealth(
  registry: RegistryApi,
  namespace: Namespace,
  names: readonly string[],
): Promise<HealthProbeResult> {
  const down: string[] = [];
  for (const name of names) {
    const s = registry.lookup<Registrable>(namespace, name);
    const h = s === undefined ? false : ((await s.health?.()) ?? true);
    const ok = typeof h === "boolean" ? h : h.status !== "unhealthy";
    if (!ok) down.push(name);
  }
  return down.length === 0
    ? { status: "healthy", details: { services: names } }
    : { status: "unhealthy", reason: `not running: ${down.join(", ")}` };
}

function watcherHealth(live: LiveIndexService): HealthProbeResult {
  const s = live.indexStatus();
  if (s.watcher === "running") return { status: "healthy" };
  return { status: "degraded", reason: s.error ?? `watcher ${s.watcher}` };
}

function cacheHealth(live: LiveIndexService): HealthProbeResult {
  const file = live.indexStatus().cacheFile;
  if (file === null) return { status: "healthy", details: { cache: "disabled" } };
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
    return { status: "healthy", details: { file } };
  } catch (error) {
    const s = live.indexStatus();
    // Before the first build the file may not exist yet: that is the index layer's business.
    if (s.phase !== "ready") return { status: "healthy", details: { file, state: "pending" } };
    return { status: "unhealthy", reason: `cache ${file}: ${(error as Error).message}` };
  }
}
