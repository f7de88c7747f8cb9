/**
 * Operational routes: liveness, layered readiness, Prometheus metrics, the OpenAPI document, and
 * `/api/events`, the index changes as server-sent events (each stream an AsyncAPI subscription
 * with its own bounded buffer: a slow client lags and is told so, the index never waits).
 * @packageDocumentation
 */
import { once } from "node:events";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Delivery } from "../integration/async-api.js";
import type { IndexChange } from "./live-index.js";
import { PROMETHEUS_CONTENT_TYPE, type ServerMetrics } from "./metrics.js";
import type { OpenApiCollector } from "./openapi.js";
import { apiError } from "./problem.js";
import type { ServeContext, ServerLimits } from "./server.js";

/** Interval of SSE comments that keep idle streams open through proxies, ms. */
export const SSE_HEARTBEAT_MS = 15_000;

const layersSchema = { type: "object", additionalProperties: true } as const;

/** Registers the operational routes. */
export function registerSystemRoutes(
  app: FastifyInstance,
  ctx: ServeContext,
  metrics: ServerMetrics,
  openapi: OpenApiCollector,
  limits: ServerLimits,
): void {
  app.get(
    "/health/live",
    {
      schema: {
        summary: "Liveness: the process answers",
        tags: ["health"],
        response: { 200: { type: "object", properties: { status: { type: "string" } } } },
      },
    },
    () => ({ status: "alive" }),
  );

  app.get(
    "/health/ready",
    {
      schema: {
        summary: "Readiness per layer; 503 until the initial index is built or when a layer fails",
        tags: ["health"],
        response: {
          200: {
            type: "object",
            properties: { status: { type: "string" }, layers: layersSchema },
          },
          503: {
            type: "object",
            properties: { status: { type: "string" }, layers: layersSchema },
          },
        },
      },
    },
    async (_req, reply) => {
      const report = await ctx.health.readiness();
      // The index layer is only `degraded` while building (it is not failing), but nothing can
      // be answered before the initial index exists: not ready.
      const built = ctx.live().indexStatus().phase === "ready";
      const status = built ? report.status : "not_ready";
      return reply.code(status === "not_ready" ? 503 : 200).send({ ...report, status });
    },
  );

  app.get(
    "/metrics",
    {
      schema: {
        summary: "Prometheus metrics (text exposition format)",
        tags: ["health"],
        response: { 200: { type: "string", "x-content-type": "text/plain" } },
      },
    },
    async (_req, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(metrics.text()),
  );

  app.get(
    "/openapi.json",
    { schema: { summary: "This document", tags: ["meta"], response: { 200: layersSchema } } },
    () => openapi.document(),
  );

  app.get(
    "/api/events",
    {
      schema: {
        summary: "Index changes as server-sent events (event: index.changed, lagged)",
        tags: ["events"],
        response: { 200: { type: "string", "x-content-type": "text/event-stream" } },
      },
    },
    (req, reply) => {
      if (ctx.hub.subscribers >= limits.maxSubscribers) {
        throw apiError("INDEX_NOT_READY", "too many open event streams; retry later");
      }
      streamEvents(ctx, reply, String(req.id));
    },
  );
}

function frame(d: Delivery<IndexChange>): string {
  if (d.kind === "lagged")
    return `event: lagged\ndata: ${JSON.stringify({ dropped: d.dropped })}\n\n`;
  return `id: ${d.event.version}\nevent: index.changed\ndata: ${JSON.stringify(d.event)}\n\n`;
}

/** Pipes one subscription into the response until either side closes. */
function streamEvents(ctx: ServeContext, reply: FastifyReply, requestId: string): void {
  const sub = ctx.hub.subscribe({ bufferSize: 64, onOverflow: "lag" });
  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-request-id": requestId,
    "x-content-type-options": "nosniff",
  });
  // SSE streams outlive the request timeout by design; the heartbeat detects dead peers.
  res.socket?.setTimeout(0);
  const version = ctx.live().indexStatus().version;
  res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ version })}\n\n`);
  const heartbeat = setInterval(() => res.write(": ping\n\n"), SSE_HEARTBEAT_MS);
  heartbeat.unref();
  const end = () => {
    clearInterval(heartbeat);
    sub.close();
  };
  res.on("close", end);
  void (async () => {
    for await (const d of sub) {
      if (res.destroyed) break;
      if (!res.write(frame(d))) await Promise.race([once(res, "drain"), once(res, "close")]);
    }
    end();
    if (!res.destroyed) res.end();
  })().catch(end);
}
