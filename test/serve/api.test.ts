import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServe } from "../../src/serve/start.js";
import { copyExample, serveReady, until } from "./support.js";

let project: ReturnType<typeof copyExample>;
let server: RunningServe;
const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

beforeAll(async () => {
  project = copyExample();
  server = await serveReady(project.root);
});
afterAll(async () => {
  await server?.stop();
  project?.cleanup();
});

describe("serve API", () => {
  it("is ready with every layer healthy", async () => {
    const r = await get("/health/ready");
    expect(r.status).toBe(200);
    const body = (await r.json()) as { status: string; layers: Record<string, { status: string }> };
    expect(body.status).toBe("ready");
    expect(Object.keys(body.layers).sort()).toEqual([
      "ast",
      "cache",
      "foundation",
      "index",
      "watcher",
    ]);
    expect((await get("/health/live")).status).toBe(200);
  });

  it("lists modules and answers one module with its functions and findings", async () => {
    const list = (await (await get("/api/modules?prefix=Inventory.P&limit=2")).json()) as {
      total: number;
      items: { name: string }[];
    };
    expect(list.items.map((m) => m.name)).toEqual(["Inventory.Pricing", "Inventory.PricingTest"]);
    expect(list.total).toBeGreaterThanOrEqual(2);
    const mod = (await (await get("/api/modules/Inventory.Pricing")).json()) as {
      file: string;
      functions: { key: string }[];
    };
    expect(mod.file).toBe("lib/inventory/pricing.ex");
    expect(mod.functions.map((f) => f.key)).toContain("Inventory.Pricing.discount_rate/4");
  });

  it("answers a function by its URL-encoded key, and by the plain one", async () => {
    const enc = await get(
      `/api/functions/${encodeURIComponent("Inventory.Pricing.discount_rate/4")}`,
    );
    expect(enc.status).toBe(200);
    const f = (await enc.json()) as Record<string, unknown>;
    expect(f).toMatchObject({
      key: "Inventory.Pricing.discount_rate/4",
      file: "lib/inventory/pricing.ex",
      range: { startLine: 65, endLine: 106 },
      metrics: { cyclomatic: 16 },
    });
    expect(Array.isArray(f.callers) && Array.isArray(f.callees) && Array.isArray(f.clauses)).toBe(
      true,
    );
    const plain = await get("/api/functions/Inventory.Pricing.discount_rate/4");
    expect(await plain.json()).toEqual(f);
  });

  it("serves findings, the module graph with cycles, the overview and source text", async () => {
    const findings = (await (await get("/api/findings?rule=dependency-cycle")).json()) as {
      total: number;
      byRule: Record<string, number>;
    };
    expect(findings.total).toBe(findings.byRule["dependency-cycle"]);
    const graph = (await (await get("/api/graph/modules")).json()) as {
      nodes: { id: string; cycle: number | null }[];
      edges: { cyclic: boolean }[];
      cycles: string[][];
    };
    expect(graph.cycles.length).toBeGreaterThan(0);
    expect(graph.nodes.filter((n) => n.cycle !== null).length).toBe(graph.cycles.flat().length);
    const ov = (await (await get("/api/overview")).json()) as { counts: { modules: number } };
    expect(ov.counts.modules).toBe(27);
    const src = await get("/api/files/lib/inventory/pricing.ex");
    expect(src.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await src.text()).toMatch(/^defmodule Inventory\.Pricing do/);
  });

  it("echoes x-request-id and puts it in problem documents as the correlation id", async () => {
    const r = await get("/api/modules/No.Such", { headers: { "x-request-id": "req-42" } });
    expect(r.status).toBe(404);
    expect(r.headers.get("x-request-id")).toBe("req-42");
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await r.json()).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
      correlationId: "req-42",
      instance: "/api/modules/No.Such",
    });
    const bad = await get("/api/modules", {
      headers: { "x-request-id": "bad id with spaces and ; semicolons" },
    });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("runs a structural search and links matches to their function", async () => {
    const post = (body: unknown) =>
      get("/api/search", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const r = (await (await post({ pattern: "Pricing.format_cents(_)" })).json()) as {
      total: number;
      matches: { file: string; module: string; function: string }[];
    };
    expect(r.total).toBeGreaterThan(0);
    expect(r.matches.map((m) => m.file)).toContain("lib/inventory/web/router.ex");
    const bad = await post({ pattern: "def (" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("runs a query over the live index and rejects a bad one with a positioned message", async () => {
    const post = (query: string) =>
      get("/api/query", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
    const r = (await (await post("functions where cyclomatic > 10")).json()) as {
      total: number;
      items: Record<string, unknown>[];
    };
    expect(r.total).toBeGreaterThan(0);
    expect(JSON.stringify(r.items)).toContain("discount_rate");
    const bad = await post("functions where");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("publishes an OpenAPI document listing every API route, and Prometheus metrics", async () => {
    const doc = (await (await get("/openapi.json")).json()) as { paths: Record<string, unknown> };
    for (const p of [
      "/health/live",
      "/health/ready",
      "/metrics",
      "/api/modules",
      "/api/modules/{name}",
      "/api/functions/{path}",
      "/api/findings",
      "/api/graph/modules",
      "/api/files/{path}",
      "/api/events",
      "/api/search",
      "/api/query",
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const text = await (await get("/metrics")).text();
    for (const m of [
      'elixirscope_http_request_duration_ms_bucket{le="+Inf",method="GET",route="/openapi.json",status="200"} 1',
      "# TYPE elixirscope_http_request_duration_ms histogram",
      "elixirscope_index_modules 27",
      "elixirscope_index_queue_depth 0",
      'elixirscope_event_loop_delay_ms{stat="p99"}',
    ]) {
      expect(text).toContain(m);
    }
  });

  it("follows an edit: new function queryable, callers updated, event streamed with a correlation id", async () => {
    const events = await fetch(`${server.url}/api/events`);
    const reader = events.body!.getReader();
    const file = join(project.root, "lib", "live_edit.ex");
    writeFileSync(
      file,
      "defmodule Inventory.LiveEdit do\n  def go(x), do: Inventory.Pricing.discount_rate(x, 1, 2, 3)\nend\n",
    );
    const f = await until(async () => {
      const r = await get(`/api/functions/${encodeURIComponent("Inventory.LiveEdit.go/1")}`);
      return r.status === 200 ? ((await r.json()) as { file: string }) : undefined;
    });
    expect(f.file).toBe("lib/live_edit.ex");
    const callee = (await (
      await get(`/api/functions/${encodeURIComponent("Inventory.Pricing.discount_rate/4")}`)
    ).json()) as { callers: { key: string }[] };
    expect(callee.callers.map((c) => c.key)).toContain("Inventory.LiveEdit.go/1");
    let seen = "";
    await until(async () => {
      const { value } = await reader.read();
      seen += new TextDecoder().decode(value);
      return seen.includes("lib/live_edit.ex") ? true : undefined;
    });
    expect(seen).toMatch(/event: index\.changed\ndata: \{"version":\d+/);
    expect(seen).toMatch(/"correlationId":"[0-9a-f-]{36}"/);
    await reader.cancel();
  });
});
