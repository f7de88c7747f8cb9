/**
 * `POST /api/query {query}`: the query language (docs/QUERY.md) over the live index. One
 * QueryEngine is kept on the live repository and refreshed (its derived indexes and result cache
 * dropped) when the index or the project analysis moved on; it runs through the SyncAPI's `query`
 * dependency, with a deadline and a breaker.
 * @packageDocumentation
 */
import type { FastifyInstance } from "fastify";
import { parseQuery, QueryEngine, QueryError } from "../ast/query/index.js";
import { apiError } from "./problem.js";
import { readyRepository, type ServeContext } from "./server.js";

/** Deadline of one query, ms. */
export const QUERY_DEADLINE_MS = 5_000;

/** Registers the query route. */
export function registerQueryRoutes(app: FastifyInstance, ctx: ServeContext): void {
  let engine: QueryEngine | undefined;
  let seen = "";
  const current = (): QueryEngine => {
    const repository = readyRepository(ctx);
    const live = ctx.live();
    const s = live.indexStatus();
    const at = `${s.version}/${s.analysisVersion}`;
    const analysis = live.snapshot!.analysis;
    if (engine === undefined) engine = new QueryEngine({ repository, analysis });
    else if (at !== seen) engine.refresh({ analysis });
    seen = at;
    return engine;
  };
  app.post<{ Body: { query: string } }>(
    "/api/query",
    {
      preValidation: async (req) => {
        const body = req.body as Record<string, unknown> | null;
        if (body !== null && typeof body === "object" && typeof body.query !== "string") {
          throw apiError("INVALID_ARGUMENT", "body/query must be a string");
        }
      },
      schema: {
        summary: "Run a query (docs/QUERY.md), e.g. functions where cyclomatic > 10",
        tags: ["search"],
        body: {
          type: "object",
          required: ["query"],
          additionalProperties: false,
          properties: { query: { type: "string", minLength: 1, maxLength: 4096 } },
        },
        response: { 200: { type: "object", additionalProperties: true } },
      },
    },
    (req) =>
      ctx.sync.call(
        "query",
        "run",
        () => {
          try {
            return current().run(parseQuery(req.body.query));
          } catch (error) {
            if (error instanceof QueryError) throw apiError("INVALID_ARGUMENT", error.message);
            throw error;
          }
        },
        { deadlineMs: QUERY_DEADLINE_MS },
      ),
  );
}
