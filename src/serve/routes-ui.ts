/**
 * The web UI: static files built at package build time (`npm run build:ui`, esbuild) into
 * `dist/ui/`, read once at start and served from memory: `/` is the page, `/ui/<file>` its
 * assets. Only the files found at start are served, so no request path reaches the file system.
 * The page gets a strict Content-Security-Policy: scripts, styles and connections from this
 * origin only, no inline code, no framing.
 * @packageDocumentation
 */
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import { apiError } from "./problem.js";

/** The UI's Content-Security-Policy. */
export const UI_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Registers `/` and `/ui/*` from `dir` (or a page saying the UI was not built). */
export async function registerUiRoutes(app: FastifyInstance, dir: string | null): Promise<void> {
  const files = new Map<string, { type: string; body: Buffer }>();
  if (dir !== null) {
    for (const name of readdirSync(dir)) {
      const type = TYPES[extname(name)];
      if (type !== undefined) files.set(name, { type, body: readFileSync(join(dir, name)) });
    }
  }
  const hidden = { schema: { hide: true } };
  app.get("/", hidden, (_req, reply) => {
    const page = files.get("index.html");
    reply.header("content-security-policy", UI_CSP).header("x-frame-options", "DENY");
    if (page === undefined) {
      return reply
        .type("text/plain; charset=utf-8")
        .send("The web UI is not built: run `npm run build` in the ElixirScope package.\n");
    }
    return reply.type(page.type).send(page.body);
  });
  app.get<{ Params: { "*": string } }>("/ui/*", hidden, (req, reply) => {
    const f = files.get(req.params["*"]);
    if (f === undefined || req.params["*"] === "index.html") {
      throw apiError("NOT_FOUND", `no UI file ${req.params["*"].slice(0, 200)}`);
    }
    return reply
      .header("content-security-policy", UI_CSP)
      .header("cache-control", "no-cache")
      .type(f.type)
      .send(f.body);
  });
}
