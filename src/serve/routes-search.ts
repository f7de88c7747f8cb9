/**
 * `POST /api/search {pattern}`: structural search (src/ast/search) over the project's files.
 * Searching reads and parses every file, so it is the expensive route: it runs through the
 * SyncAPI's `search` dependency (deadline and breaker), at most {@link MAX_CONCURRENT_SEARCHES}
 * at a time, and returns at most `limit` matches.
 * @packageDocumentation
 */
import type { FastifyInstance } from "fastify";
import { PatternError, search } from "../ast/search/index.js";
import { ElixirScopeError } from "../foundation/index.js";
import { apiError } from "./problem.js";
import { readyRepository, type ServeContext } from "./server.js";

/** Searches running at once at most; more get 503 with a retry hint. */
export const MAX_CONCURRENT_SEARCHES = 2;
/** Deadline of one search, ms. */
export const SEARCH_DEADLINE_MS = 15_000;

const matchSchema = { type: "object", additionalProperties: true } as const;

/** Registers the search route. */
export function registerSearchRoutes(app: FastifyInstance, ctx: ServeContext): void {
  let running = 0;
  app.post<{ Body: { pattern: string; limit?: number } }>(
    "/api/search",
    {
      // The server coerces query strings ("5" to 5); a JSON body must have the right types as sent.
      preValidation: async (req) => {
        const body = req.body as Record<string, unknown> | null;
        if (body !== null && typeof body === "object" && typeof body.pattern !== "string") {
          throw apiError("INVALID_ARGUMENT", "body/pattern must be a string");
        }
        if (body?.limit !== undefined && typeof body.limit !== "number") {
          throw apiError("INVALID_ARGUMENT", "body/limit must be a number");
        }
      },
      schema: {
        summary: "Structural search with an Elixir pattern (_ , _name, ...)",
        tags: ["search"],
        body: {
          type: "object",
          required: ["pattern"],
          additionalProperties: false,
          properties: {
            pattern: { type: "string", minLength: 1, maxLength: 4096 },
            limit: { type: "integer", minimum: 1, maximum: 10_000, default: 1_000 },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              pattern: { type: "string" },
              files: { type: "integer" },
              total: { type: "integer" },
              truncated: { type: "boolean" },
              matches: { type: "array", items: matchSchema },
              errors: { type: "array", items: matchSchema },
            },
          },
        },
      },
    },
    async (req) => {
      readyRepository(ctx);
      if (running >= MAX_CONCURRENT_SEARCHES) {
        throw new ElixirScopeError("INDEX_NOT_READY", "too many searches running; retry", {
          retryAfterMs: 1_000,
        });
      }
      running++;
      try {
        const { pattern, limit = 1_000 } = req.body;
        const result = await ctx.sync.call("search", "search", () => runSearch(ctx, pattern), {
          deadlineMs: SEARCH_DEADLINE_MS,
        });
        return {
          pattern,
          files: result.files,
          total: result.matches.length,
          truncated: result.matches.length > limit,
          matches: result.matches.slice(0, limit),
          errors: result.errors.slice(0, 100),
        };
      } finally {
        running--;
      }
    },
  );
}

async function runSearch(ctx: ServeContext, pattern: string) {
  try {
    return await search(pattern, ["."], { cwd: ctx.realRoot, elixir: ctx.elixir });
  } catch (error) {
    if (error instanceof PatternError) {
      throw apiError("INVALID_ARGUMENT", error.message, {
        line: error.line,
        column: error.column,
      });
    }
    throw error;
  }
}
