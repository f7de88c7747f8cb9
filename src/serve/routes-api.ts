/**
 * The `/api` routes over the live index. Every lookup goes through the SyncAPI (deadline and a
 * breaker per dependency: `repository` for index lookups, `source` for file reads), and every
 * route declares JSON schemas for its input and output.
 * @packageDocumentation
 */
import { readFileSync, statSync } from "node:fs";
import { relative } from "node:path";
import type { FastifyInstance } from "fastify";
import { apiError } from "./problem.js";
import { confinePath } from "./security.js";
import { readyRepository, type ServeContext } from "./server.js";
import {
  findingsView,
  functionDetail,
  listModules,
  moduleDetail,
  moduleGraphView,
  overview,
} from "./views.js";

/** Largest source file `/api/files` serves, in bytes. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

const anyObject = { type: "object", additionalProperties: true } as const;
const anyArray = { type: "array", items: anyObject } as const;
const page = {
  limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
  offset: { type: "integer", minimum: 0, maximum: 1_000_000, default: 0 },
} as const;

/** Registers the API routes. */
export function registerApiRoutes(app: FastifyInstance, ctx: ServeContext): void {
  const lookup = <T>(operation: string, work: () => T): Promise<T> =>
    ctx.sync.call("repository", operation, work, { deadlineMs: 2_000 });
  const snapshot = () => {
    readyRepository(ctx);
    return ctx.live().snapshot!;
  };

  app.get(
    "/api/overview",
    {
      schema: {
        summary: "Counts, the most complex functions, findings by rule",
        tags: ["index"],
        response: { 200: anyObject },
      },
    },
    () =>
      lookup("overview", () =>
        overview(readyRepository(ctx), snapshot(), ctx.live().indexStatus().version),
      ),
  );

  app.get<{ Querystring: { prefix?: string; limit: number; offset: number } }>(
    "/api/modules",
    {
      schema: {
        summary: "Modules, sorted by name, optionally by name prefix",
        tags: ["index"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { prefix: { type: "string", maxLength: 256 }, ...page },
        },
        response: {
          200: {
            type: "object",
            required: ["total", "items"],
            properties: { total: { type: "integer" }, items: anyArray },
          },
        },
      },
    },
    (req) => lookup("modules", () => listModules(readyRepository(ctx), req.query)),
  );

  app.get<{ Params: { name: string } }>(
    "/api/modules/:name",
    {
      schema: {
        summary: "One module: functions, behaviours, metrics, dependencies, findings",
        tags: ["index"],
        params: {
          type: "object",
          required: ["name"],
          properties: { name: { type: "string", minLength: 1, maxLength: 512 } },
        },
        response: { 200: anyObject },
      },
    },
    (req) =>
      lookup("module", () => moduleDetail(readyRepository(ctx), snapshot(), req.params.name)),
  );

  app.get<{ Params: { "*": string } }>(
    "/api/functions/*",
    {
      schema: {
        summary: "One function by key Module.name/arity (URL-encoded)",
        description:
          "Clauses, metrics, callers and callees (by key) and the source range. The slash before the arity may be encoded (%2F) or not.",
        tags: ["index"],
        params: {
          type: "object",
          properties: { "*": { type: "string", minLength: 1, maxLength: 1024 } },
        },
        response: { 200: anyObject },
      },
    },
    (req) => lookup("function", () => functionDetail(readyRepository(ctx), req.params["*"])),
  );

  app.get<{ Querystring: { rule?: string; module?: string; limit: number; offset: number } }>(
    "/api/findings",
    {
      schema: {
        summary: "Findings of the last project analysis, with counts by rule",
        tags: ["analysis"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            rule: { type: "string", maxLength: 64 },
            module: { type: "string", maxLength: 512 },
            ...page,
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              version: { type: "integer" },
              total: { type: "integer" },
              byRule: { type: "object", additionalProperties: { type: "integer" } },
              items: anyArray,
            },
          },
        },
      },
    },
    (req) => lookup("findings", () => findingsView(snapshot(), req.query)),
  );

  app.get(
    "/api/graph/modules",
    {
      schema: {
        summary: "The module dependency graph, with its cycles",
        tags: ["analysis"],
        response: {
          200: {
            type: "object",
            properties: {
              version: { type: "integer" },
              nodes: anyArray,
              edges: anyArray,
              cycles: { type: "array", items: { type: "array", items: { type: "string" } } },
            },
          },
        },
      },
    },
    () => lookup("graph", () => moduleGraphView(snapshot(), readyRepository(ctx))),
  );

  app.get<{ Params: { "*": string } }>(
    "/api/files/*",
    {
      schema: {
        summary: "The source text of an indexed file, by path relative to the root",
        tags: ["source"],
        params: {
          type: "object",
          properties: { "*": { type: "string", maxLength: 4096 } },
        },
        response: {
          200: { type: "string", description: "source text", "x-content-type": "text/plain" },
        },
      },
    },
    async (req, reply) => {
      const text = await ctx.sync.call("source", "read", () => readSource(ctx, req.params["*"]));
      return reply.type("text/plain; charset=utf-8").send(text);
    },
  );
}

/** Reads an indexed source file after the confinement checks (see security.ts). */
function readSource(ctx: ServeContext, requested: string): string {
  const repo = readyRepository(ctx);
  const real = confinePath(ctx.realRoot, requested);
  const rel = relative(ctx.realRoot, real).split("\\").join("/");
  // Only files the index holds: a secret next to the sources (.env, keys) is never served.
  if (repo.hashOf(rel) === undefined && repo.hashOf(requested) === undefined) {
    throw apiError("NOT_FOUND", `${requested} is not an indexed source file`);
  }
  if (statSync(real).size > MAX_FILE_BYTES) {
    throw apiError("PAYLOAD_TOO_LARGE", `${requested} is over ${MAX_FILE_BYTES} bytes`);
  }
  return readFileSync(real, "utf8");
}
