/**
 * The HTTP server of `elixirscope serve` (fastify 5): request ids and correlation, bearer-token
 * authentication, rate limiting, size limits and slow-client timeouts, problem+json errors, the
 * OpenAPI document, and the routes (`routes-api.ts`, `routes-system.ts`, `routes-ui.ts`).
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import Fastify, { type FastifyInstance, type FastifyRequest, type RouteOptions } from "fastify";
import type { ElixirVersion } from "../ast/parser/index.js";
import type { AstRepository } from "../ast/repository/repository.js";
import {
  ElixirScopeError,
  type KeyedRateLimiter,
  RateLimitedError,
  withErrorContext,
} from "../foundation/index.js";
import type { EventHub } from "../integration/async-api.js";
import type { LayeredHealth } from "../integration/health.js";
import type { SyncApi } from "../integration/sync-api.js";
import type { IndexChange, LiveIndexService } from "./live-index.js";
import { type MetricsTelemetry, ServerMetrics } from "./metrics.js";
import { OpenApiCollector } from "./openapi.js";
import { apiError, ProblemSchema, problemOf, sendProblem } from "./problem.js";
import { registerApiRoutes } from "./routes-api.js";
import { registerQueryRoutes } from "./routes-query.js";
import { registerSearchRoutes } from "./routes-search.js";
import { registerSystemRoutes } from "./routes-system.js";
import { registerUiRoutes } from "./routes-ui.js";
import { tokenMatcher } from "./security.js";

/** Limits of the server; every size in bytes, every time in ms. */
export interface ServerLimits {
  /** Largest request body (default 64 KiB). */
  bodyBytes: number;
  /** Longest URL including the query (default 8 KiB). */
  urlBytes: number;
  /** Time a client has to send a whole request (default 10 000). */
  requestTimeoutMs: number;
  /** Idle time before a kept-alive connection is closed (default 5 000). */
  keepAliveTimeoutMs: number;
  /** Open /api/events streams at most (default 100). */
  maxSubscribers: number;
}

/** Defaults of {@link ServerLimits}. */
export const DEFAULT_LIMITS: ServerLimits = {
  bodyBytes: 64 * 1024,
  urlBytes: 8 * 1024,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxSubscribers: 100,
};

/** What the server serves from. */
export interface ServeContext {
  /** The live index (a getter, so that a restarted service is followed). */
  live: () => LiveIndexService;
  /** The project root's real path. */
  realRoot: string;
  /** The syntax that search patterns and files are parsed as (the index's). */
  elixir: ElixirVersion;
  hub: EventHub<IndexChange>;
  /** The Foundation's telemetry: `/metrics` is its Prometheus exporter. */
  telemetry: MetricsTelemetry;
  sync: SyncApi;
  health: LayeredHealth;
  limiter: KeyedRateLimiter;
  /** Required bearer token, if any. */
  token?: string;
  limits?: Partial<ServerLimits>;
  /** Directory of the built web UI; without one, `/` says how to build it. */
  uiDir?: string | null;
  /** Log requests (pino, to stderr) with their request id. */
  logger?: boolean;
}

/** The repository of a ready index, or INDEX_NOT_READY. */
export function readyRepository(ctx: ServeContext): AstRepository {
  const live = ctx.live();
  if (live.indexStatus().phase !== "ready" || live.snapshot === undefined) {
    throw new ElixirScopeError("INDEX_NOT_READY", "the index is still being built", {
      retryAfterMs: 1_000,
    });
  }
  return live.repository;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The route a request matched, for metrics and rate-limit keys (never the raw URL). */
function routeOf(req: FastifyRequest): string {
  return req.routeOptions.url ?? "unmatched";
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h === "string" && h.startsWith("Bearer ")) return h.slice(7);
  // EventSource cannot send headers: the UI passes the token as a query parameter there.
  const q = (req.query as Record<string, unknown> | undefined)?.access_token;
  return typeof q === "string" ? q : undefined;
}

/** Routes anyone may call: liveness and the UI's static files (they hold no project data). */
function isPublic(url: string): boolean {
  return url === "/health/live" || url === "/" || url.startsWith("/ui/");
}

/** Builds the server (not listening yet). */
export async function createServer(ctx: ServeContext): Promise<FastifyInstance> {
  const limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  const app = Fastify({
    logger: ctx.logger === true ? { level: "info" } : false,
    bodyLimit: limits.bodyBytes,
    routerOptions: { maxParamLength: limits.urlBytes },
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    return503OnClosing: true,
    // Event streams never go idle: close them rather than wait for them on shutdown.
    forceCloseConnections: true,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    clientErrorHandler: (error, socket) => writeClientError(error, socket),
    // A URL that does not decode, or a bad Content-Type, is a problem document like the rest.
    frameworkErrors: (error, req, reply) => sendProblem(reply, problemOf(error, req)),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: false } },
  });
  const metrics = new ServerMetrics(ctx.telemetry, {
    index: () => {
      const live = ctx.live();
      const s = live.indexStatus();
      const stats = s.phase === "ready" ? live.repository.stats() : undefined;
      return {
        status: s,
        files: stats?.files ?? 0,
        modules: stats?.modules ?? 0,
        functions: stats?.functions ?? 0,
      };
    },
    subscribers: () => ctx.hub.subscribers,
    breakers: () => ctx.sync.breakers(),
  });
  app.addHook("onClose", async () => metrics.close());
  app.addHook("preClose", async () => ctx.hub.closeAll());
  app.addSchema(ProblemSchema);
  const openapi = new OpenApiCollector();
  app.addHook("onRoute", (route: RouteOptions) => {
    openapi.add(route);
    const handler = route.handler;
    const operation = `${String(route.method)} ${route.url}`;
    // Every handler runs in an error context carrying the request id: errors, breadcrumbs,
    // events and SyncAPI calls made while answering all see it as their correlation id.
    route.handler = function correlated(req, reply) {
      return withErrorContext({ correlationId: String(req.id), operation }, () =>
        handler.call(this, req, reply),
      );
    };
  });
  installHooks(app, ctx, limits, metrics);
  registerSystemRoutes(app, ctx, metrics, openapi, limits);
  registerApiRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerQueryRoutes(app, ctx);
  await registerUiRoutes(app, ctx.uiDir ?? null);
  return app;
}

/**
 * Answers what Node's HTTP parser rejects before any route runs (malformed request line, headers
 * too large, a client too slow to send its request) with a problem document, then closes.
 */
function writeClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, title, code, detail] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "PAYLOAD_TOO_LARGE", "headers too large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "TIMEOUT", "the request was not received in time"]
        : [400, "Bad Request", "INVALID_ARGUMENT", "malformed HTTP request"];
  const type = `https://elixirscope.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`;
  const body = JSON.stringify({ type, title, status, detail, code });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\n` +
      "Content-Type: application/problem+json; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function installHooks(
  app: FastifyInstance,
  ctx: ServeContext,
  limits: ServerLimits,
  metrics: ServerMetrics,
): void {
  const matches = ctx.token === undefined ? undefined : tokenMatcher(ctx.token);
  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", String(req.id));
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    if (req.url.length > limits.urlBytes) {
      throw apiError("PAYLOAD_TOO_LARGE", `URL longer than ${limits.urlBytes} bytes`);
    }
    const route = routeOf(req);
    if (matches !== undefined && !isPublic(route) && !matches(bearer(req))) {
      reply.header("www-authenticate", 'Bearer realm="elixirscope"');
      throw apiError("UNAUTHORIZED", "a valid bearer token is required");
    }
    if (route.startsWith("/health/")) return;
    const decision = await ctx.limiter.consume(`${req.ip}`);
    if (!decision.allowed) {
      metrics.throttled(route);
      throw new RateLimitedError(ctx.limiter.name, req.ip, decision.retryAfterMs, 0);
    }
  });
  app.addHook("onResponse", async (req, reply) => {
    metrics.request(
      { method: req.method, route: routeOf(req), status: String(reply.statusCode) },
      reply.elapsedTime,
    );
  });
  app.setErrorHandler((error, req, reply) => {
    const problem = problemOf(error, req);
    if (problem.status >= 500) req.log.error({ err: error }, "request failed");
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      reply,
      problemOf(apiError("NOT_FOUND", `no route ${req.method} ${req.url.split("?")[0]}`), req),
    ),
  );
}
