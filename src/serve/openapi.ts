/**
 * The OpenAPI 3.1 document at `/openapi.json`, collected from the routes' own JSON schemas as
 * they are registered, so that the document cannot drift from what the server validates.
 * @packageDocumentation
 */
import type { RouteOptions } from "fastify";
import { VERSION } from "../version.js";
import { ProblemSchema } from "./problem.js";

type Json = Record<string, unknown>;

declare module "fastify" {
  /** The OpenAPI fields our routes put next to their JSON schemas. */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    /** Leave the route out of the document (the UI's static files). */
    hide?: boolean;
  }
}

/** Collects routes into an OpenAPI document. */
export class OpenApiCollector {
  readonly #paths: Record<string, Record<string, Json>> = {};

  /** Adds a route (called from fastify's onRoute hook). Routes with `hide` are left out. */
  add(route: RouteOptions): void {
    const schema = (route.schema ?? {}) as Json & { hide?: boolean };
    if (schema.hide === true) return;
    const path = route.url.replace(/:([A-Za-z_]+)/g, "{$1}").replace(/\*$/, "{path}");
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === "HEAD") continue;
      this.#paths[path] ??= {};
      this.#paths[path][m.toLowerCase()] = this.#operation(route, schema, path);
    }
  }

  #operation(route: RouteOptions, schema: Json, path: string): Json {
    const parameters: Json[] = [];
    for (const [where, key] of [
      ["path", "params"],
      ["query", "querystring"],
    ] as const) {
      const s = schema[key] as { properties?: Json; required?: string[] } | undefined;
      for (const [name, p] of Object.entries(s?.properties ?? {})) {
        parameters.push({
          name: where === "path" && name === "*" ? "path" : name,
          in: where,
          required: where === "path" || (s?.required ?? []).includes(name),
          schema: p,
        });
      }
    }
    if (path.endsWith("{path}") && !parameters.some((p) => p.name === "path")) {
      parameters.push({ name: "path", in: "path", required: true, schema: { type: "string" } });
    }
    const responses: Json = {};
    for (const [status, body] of Object.entries((schema.response ?? {}) as Json)) {
      const type = (body as Json)["x-content-type"] ?? "application/json";
      responses[status] = {
        description: String((body as Json).description ?? status),
        content: { [String(type)]: { schema: body } },
      };
    }
    responses.default = {
      description: "An error, as a problem document",
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    };
    return {
      summary: String(schema.summary ?? ""),
      ...(schema.description ? { description: schema.description } : {}),
      tags: schema.tags ?? [],
      parameters,
      ...(schema.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schema.body } },
            },
          }
        : {}),
      responses,
      "x-route": route.url,
    };
  }

  /** The document. */
  document(): Json {
    const { $id: _id, ...problem } = ProblemSchema;
    return {
      openapi: "3.1.0",
      info: {
        title: "ElixirScope serve API",
        version: VERSION,
        description:
          "A live index of an Elixir project. Errors are application/problem+json with an ElixirScope error code.",
      },
      components: {
        schemas: { Problem: problem },
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
      security: [{ bearer: [] }, {}],
      paths: this.#paths,
    };
  }
}
