import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServe } from "../../src/serve/start.js";
import { startServe } from "../../src/serve/start.js";
import { copyExample, rawGet, serveReady } from "./support.js";

let project: ReturnType<typeof copyExample>;
let server: RunningServe;
const SECRET = "outside-the-root-secret";

beforeAll(async () => {
  project = copyExample();
  const outside = join(project.root, "..", "secret.txt");
  writeFileSync(outside, SECRET);
  // Links inside the root that point out of it: a file (indexed, since discovery follows file
  // links) and a directory.
  symlinkSync(outside, join(project.root, "lib", "evil.ex"));
  symlinkSync("/", join(project.root, "lib", "up"));
  writeFileSync(join(project.root, ".env"), "TOKEN=do-not-serve");
  mkdirSync(join(project.root, ".git"), { recursive: true });
  writeFileSync(join(project.root, ".git", "config"), "[core]");
  server = await serveReady(project.root, {
    rateLimit: { rate: 100, intervalMs: 1_000, burst: 300 },
  });
});
afterAll(async () => {
  await server?.stop();
  project?.cleanup();
});

function expectProblem(r: { status: number; type: string; body: string }, status: number): void {
  expect(r.status).toBe(status);
  expect(r.type).toMatch(/^application\/problem\+json/);
  const p = JSON.parse(r.body) as { status: number; code: string };
  expect(p.status).toBe(status);
  expect(r.body).not.toContain(SECRET);
  expect(r.body).not.toContain("root:x:0");
}

describe("hostile requests", () => {
  it("refuses every traversal with a 4xx problem and never reads outside the root", async () => {
    const attempts: [string, number][] = [
      ["/api/files/../../etc/passwd", 403],
      ["/api/files/..%2F..%2F..%2Fetc%2Fpasswd", 403],
      ["/api/files/%2e%2e/%2e%2e/secret.txt", 403],
      ["/api/files/lib/..%2F..%2Fsecret.txt", 403],
      ["/api/files/%252e%252e%252fsecret.txt", 404],
      ["/api/files/%2Fetc%2Fpasswd", 403],
      ["/api/files//etc/passwd", 403],
      ["/api/files/..%5C..%5Csecret.txt", 403],
      ["/api/files/lib/evil.ex", 403],
      ["/api/files/lib/up/etc/passwd", 403],
      ["/api/files/.git/config", 403],
      ["/api/files/lib/%2Egit/config", 403],
      ["/api/files/.elixirscope/cache.sqlite", 403],
      ["/api/files/mix.exs%00.txt", 403],
      ["/api/files/.env", 404],
      ["/api/files/", 400],
    ];
    for (const [path, status] of attempts) {
      const r = await rawGet(server.port, path);
      expect({ path, status: r.status }).toEqual({ path, status });
      expectProblem(r, status);
    }
  });

  it("rejects malformed keys, bad query parameters and unknown routes with problems", async () => {
    const cases: [string, number][] = [
      ["/api/functions/not-a-key", 400],
      [`/api/functions/${"A".repeat(2000)}`, 400],
      ["/api/modules?limit=-1", 400],
      ["/api/modules?limit=abc", 400],
      ["/api/modules?bogus=1", 400],
      ["/api/findings?limit=100000", 400],
      ["/api/nothing", 404],
      ["/api/modules/%E0%A4%A", 400],
    ];
    for (const [path, status] of cases) {
      const r = await rawGet(server.port, path);
      expect({ path, status: r.status }).toEqual({ path, status });
      expectProblem(r, status);
    }
  });

  it("limits URL, header and body sizes", async () => {
    expectProblem(await rawGet(server.port, `/api/modules?prefix=${"x".repeat(10_000)}`), 413);
    const big = await rawGet(server.port, "/api/modules", { "x-big": "y".repeat(20_000) });
    expectProblem(big, 431);
    const post = async (body: string, type = "application/json") => {
      const r = await fetch(`${server.url}/api/search`, {
        method: "POST",
        headers: { "content-type": type },
        body,
      });
      return {
        status: r.status,
        type: String(r.headers.get("content-type")),
        body: await r.text(),
      };
    };
    expectProblem(await post("{".repeat(1_000_000)), 413);
    expectProblem(await post(JSON.stringify({ pattern: "x".repeat(5_000) })), 400);
    expectProblem(await post('{"pattern": "a(",'), 400);
    expectProblem(await post("{}"), 400);
    expectProblem(await post('{"pattern": 5}'), 400);
    expectProblem(await post('{"pattern": "a", "extra": 1}'), 400);
    expectProblem(await post("pattern=a", "application/x-www-form-urlencoded"), 415);
    expectProblem(await post(JSON.stringify({ pattern: "defmodule do end end" })), 400);
  });

  it("answers 1,000 concurrent requests with 200 or 429, each 429 a problem with Retry-After", async () => {
    const key = encodeURIComponent("Inventory.Pricing.discount_rate/4");
    const responses = await Promise.all(
      Array.from({ length: 1_000 }, () => fetch(`${server.url}/api/functions/${key}`)),
    );
    const statuses = new Map<number, number>();
    for (const r of responses) {
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 429) {
        expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(((await r.json()) as { code: string }).code).toBe("RATE_LIMITED");
      } else await r.arrayBuffer();
    }
    expect(Object.fromEntries(statuses)).toEqual({
      200: statuses.get(200),
      429: statuses.get(429),
    });
    expect(statuses.get(200)).toBeGreaterThanOrEqual(300);
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
  });

  it("answers no CORS preflight and sends no CORS headers", async () => {
    const r = await fetch(`${server.url}/api/modules`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    expect(r.status).toBeGreaterThanOrEqual(400);
  });
});

describe("slow clients", () => {
  it("drops a client that sends its request too slowly", async () => {
    const p = copyExample();
    const s = await serveReady(p.root, { limits: { requestTimeoutMs: 400 } });
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(s.port, "127.0.0.1", () => {
        socket.write("GET /api/modules HTTP/1.1\r\nHost: x\r\n");
      });
      let got = "";
      socket.on("data", (d) => {
        got += d.toString();
      });
      socket.on("close", () => resolve(got));
      socket.on("error", reject);
    });
    // Node checks request timeouts on a coarse interval: anything well under a minute is a cut.
    expect(Date.now() - started).toBeLessThan(40_000);
    if (reply !== "") expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`${s.url}/health/live`)).status).toBe(200);
    await s.stop();
    p.cleanup();
  });
});

describe("authentication and binding", () => {
  it("requires the bearer token when one is set, compared exactly", async () => {
    const p = copyExample();
    const token = "a-long-enough-token-1234";
    const s = await serveReady(p.root, { token });
    try {
      const none = await rawGet(s.port, "/api/modules");
      expectProblem(none, 401);
      expect(JSON.parse(none.body).code).toBe("UNAUTHORIZED");
      expectProblem(
        await rawGet(s.port, "/api/modules", { authorization: `Bearer ${token}x` }),
        401,
      );
      expectProblem(await rawGet(s.port, "/metrics", { authorization: "Bearer " }), 401);
      expect(
        (await rawGet(s.port, "/api/modules", { authorization: `Bearer ${token}` })).status,
      ).toBe(200);
      expect((await rawGet(s.port, `/api/events?access_token=${token}x`)).status).toBe(401);
      expect((await rawGet(s.port, "/health/live")).status).toBe(200);
    } finally {
      await s.stop();
      p.cleanup();
    }
  });

  it("refuses a non-loopback host without --token or --insecure", async () => {
    await expect(startServe({ root: ".", host: "0.0.0.0", port: 0 })).rejects.toThrow(
      /--host 0\.0\.0\.0 .*--token.*--insecure/,
    );
  });
});
