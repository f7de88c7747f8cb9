import { fork } from "node:child_process";
import { createServer, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisRateLimiter } from "../../../src/foundation/index.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let server: RedisServer;
const clients: Redis[] = [];

async function client(port = server.port): Promise<Redis> {
  const r = new Redis({
    port,
    host: "127.0.0.1",
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: () => 20,
  });
  r.on("error", () => {});
  clients.push(r);
  await r.connect();
  // connect() resolves before the ready check; without the offline queue, commands need "ready".
  if (r.status !== "ready") await new Promise((resolve) => r.once("ready", resolve));
  return r;
}

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server?.stop();
});

interface ChildReport {
  allowed: number;
  fallback: number;
  pid: number;
}

async function runInTwoProcesses(algorithm: string, attempts: number): Promise<ChildReport[]> {
  const script = fileURLToPath(new URL("./redis-limiter-child.ts", import.meta.url));
  const children = [0, 1].map(() =>
    fork(script, [String(server.port), algorithm, String(attempts)], {
      execArgv: ["--import", "tsx"],
      stdio: "inherit",
    }),
  );
  const ready = children.map(
    (c) => new Promise<void>((resolve) => c.once("message", () => resolve())),
  );
  await Promise.all(ready);
  const reports = children.map(
    (c) =>
      new Promise<ChildReport>((resolve, reject) => {
        c.once("message", (m) => resolve(m as ChildReport));
        c.once("exit", (code) => code !== 0 && reject(new Error(`child exited with ${code}`)));
      }),
  );
  for (const c of children) c.send("go");
  return Promise.all(reports);
}

describe("RedisRateLimiter against a real redis-server", () => {
  it("two OS processes share one sliding-window budget", async () => {
    const reports = await runInTwoProcesses("sliding-window", 200);
    expect(new Set(reports.map((r) => r.pid)).size).toBe(2);
    expect(reports.every((r) => r.pid !== process.pid)).toBe(true);
    expect(reports.map((r) => r.fallback)).toEqual([0, 0]);
    expect(reports[0].allowed + reports[1].allowed).toBe(50);
  });

  it("two OS processes share one token-bucket budget", async () => {
    const reports = await runInTwoProcesses("token-bucket", 200);
    expect(reports.map((r) => r.fallback)).toEqual([0, 0]);
    expect(reports[0].allowed + reports[1].allowed).toBe(50);
  });

  it("answers remaining and retry-after from the server's clock", async () => {
    const limiter = new RedisRateLimiter({
      name: "ra",
      redis: await client(),
      whenUnavailable: "deny",
      backendTimeoutMs: 5000,
      algorithm: "sliding-window",
      limit: 2,
      windowMs: 10_000,
    });
    const first = await limiter.consume("k");
    expect(limiter.health().reason).toBeUndefined();
    expect(first).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0, limit: 2 });
    expect(await limiter.consume("k")).toMatchObject({ allowed: true, remaining: 0 });
    const denied = await limiter.consume("k");
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterMs).toBeGreaterThan(9_000);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(10_000);
    expect(denied.source).toBeUndefined();
    await expect(limiter.take("k")).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("token bucket: remaining, retry-after and cost from the server's clock", async () => {
    const limiter = new RedisRateLimiter({
      name: "tb",
      redis: await client(),
      whenUnavailable: "deny",
      backendTimeoutMs: 5000,
      algorithm: "token-bucket",
      rate: 1,
      intervalMs: 3_600_000,
      burst: 3,
    });
    expect(await limiter.consume("k")).toEqual({
      allowed: true,
      remaining: 2,
      retryAfterMs: 0,
      limit: 3,
    });
    expect(await limiter.consume("k", 2)).toMatchObject({ allowed: true, remaining: 0 });
    const denied = await limiter.consume("k", 2);
    expect(denied).toMatchObject({ allowed: false, remaining: 0, limit: 3 });
    // Two tokens at one per hour, less the few ms since the bucket was drained.
    expect(denied.retryAfterMs).toBeGreaterThan(7_190_000);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(7_200_000);
  });

  it("token bucket stays exact at rates above the resolution of an epoch time", async () => {
    // 1e9 units per second is one per ns, far below a double's step at epoch µs (0.25 µs):
    // a single-timestamp (GCRA) state would stop counting here. With a burst of 1e15 the refill
    // between two calls (a few thousand units) is visible but small against the burst.
    const redis = await client();
    const limiter = new RedisRateLimiter({
      name: "fast",
      redis,
      whenUnavailable: "deny",
      backendTimeoutMs: 5000,
      algorithm: "token-bucket",
      rate: 1e9,
      intervalMs: 1000,
      burst: 1e15,
    });
    const first = await limiter.consume("k", 1e14);
    expect(first).toMatchObject({ allowed: true, remaining: 9e14 });
    const second = await limiter.consume("k", 1e14);
    expect(second.allowed).toBe(true);
    expect(second.remaining).toBeGreaterThanOrEqual(8e14);
    expect(second.remaining).toBeLessThan(8e14 + 1e9); // under a second of refill
  });

  it("never admits more than rate·t + burst over a run (server time)", async () => {
    const redis = await client();
    const policies = [
      { rate: 3, intervalMs: 1000, burst: 2 },
      { rate: 50, intervalMs: 100, burst: 7 },
      { rate: 1, intervalMs: 7, burst: 1 },
    ];
    for (const [n, p] of policies.entries()) {
      const limiter = new RedisRateLimiter({
        name: `bound-${n}`,
        redis,
        whenUnavailable: "deny",
        backendTimeoutMs: 5000,
        algorithm: "token-bucket",
        ...p,
      });
      const [s0, u0] = await redis.time();
      let admitted = 0;
      for (let i = 0; i < 300; i++) {
        const d = await limiter.consume("k");
        expect(d.source).toBeUndefined();
        if (d.allowed) admitted++;
      }
      const [s1, u1] = await redis.time();
      const elapsedMs = (Number(s1) - Number(s0)) * 1000 + (Number(u1) - Number(u0)) / 1000;
      expect(admitted).toBeLessThanOrEqual(
        Math.floor((p.rate * elapsedMs) / p.intervalMs) + p.burst,
      );
      expect(admitted).toBeGreaterThanOrEqual(p.burst);
    }
  });

  it("carries a bucket stored in the earlier hash format over exactly", async () => {
    const redis = await client();
    const limiter = new RedisRateLimiter({
      name: "legacy",
      redis,
      whenUnavailable: "deny",
      backendTimeoutMs: 5000,
      algorithm: "token-bucket",
      rate: 1,
      intervalMs: 3_600_000,
      burst: 10,
    });
    const [sec, usec] = await redis.time();
    const nowMs = Number(sec) * 1000 + Number(usec) / 1000;
    await redis.hset("elixirscope:rl:legacy:k", "tokens", 1.5, "ts", nowMs);
    await redis.pexpire("elixirscope:rl:legacy:k", 60_000);
    expect(await limiter.consume("k")).toMatchObject({ allowed: true, remaining: 0 });
    expect(await redis.type("elixirscope:rl:legacy:k")).toBe("string");
    const denied = await limiter.consume("k");
    expect(denied).toMatchObject({ allowed: false, remaining: 0 });
    expect(denied.source).toBeUndefined();
  });

  it("a Redis that does not answer within backendTimeoutMs counts as unavailable", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    // Accepts the connection and reads, never answers (ioredis does not wait for a reply
    // before sending, so the call is on the wire or queued and simply gets no answer).
    const redis = new Redis({ port, host: "127.0.0.1", enableReadyCheck: false });
    redis.on("error", () => {});
    clients.push(redis);
    try {
      const limiter = new RedisRateLimiter({
        name: "silent",
        redis,
        whenUnavailable: "deny",
        backendTimeoutMs: 50,
        backendRetryMs: 10_000,
        algorithm: "token-bucket",
        rate: 1,
        intervalMs: 1000,
        burst: 5,
      });
      const started = performance.now();
      const calls = await Promise.all([limiter.consume("a"), limiter.consume("b")]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(49);
      expect(calls.map((d) => d.source)).toEqual(["fallback-deny", "fallback-deny"]);
      expect(limiter.health().reason).toMatch(/timed out after 50 ms/);
    } finally {
      redis.disconnect();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("when Redis goes away: local fallback, fail open and fail closed, then recovery", async () => {
    const own = await startRedisServer();
    try {
      const make = async (whenUnavailable: "local" | "allow" | "deny") =>
        new RedisRateLimiter({
          name: `outage-${whenUnavailable}`,
          redis: await client(own.port),
          whenUnavailable,
          backendRetryMs: 50,
          backendTimeoutMs: 200,
          algorithm: "token-bucket",
          rate: 1,
          intervalMs: 3_600_000,
          burst: 3,
        });
      const local = await make("local");
      const open = await make("allow");
      const closed = await make("deny");
      for (const l of [local, open, closed]) {
        expect(await l.consume("k")).toMatchObject({ allowed: true });
        expect(l.health().status).toBe("healthy");
      }
      await own.stop();

      // Local fallback: a fresh in-process bucket with the same policy (3), then denials.
      const localDecisions = [];
      for (let i = 0; i < 4; i++) localDecisions.push(await local.consume("k"));
      expect(localDecisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      expect(localDecisions.every((d) => d.source === "fallback-local")).toBe(true);
      expect(local.health()).toMatchObject({ status: "degraded" });
      expect(local.health().reason).toMatch(/Redis unavailable/);

      for (let i = 0; i < 5; i++)
        expect(await open.consume("k")).toMatchObject({ allowed: true, source: "fallback-allow" });
      expect(await closed.consume("k")).toMatchObject({
        allowed: false,
        retryAfterMs: 50,
        source: "fallback-deny",
      });

      // Redis comes back on the same port: after backendRetryMs the shared budget is used again.
      const again = await startRedisServer(own.port);
      try {
        await new Promise((r) => setTimeout(r, 200));
        let recovered = false;
        for (let i = 0; i < 50 && !recovered; i++) {
          const d = await closed.consume("k2");
          recovered = d.source === undefined && d.allowed;
          if (!recovered) await new Promise((r) => setTimeout(r, 60));
        }
        expect(recovered).toBe(true);
        expect(closed.health().status).toBe("healthy");
      } finally {
        await again.stop();
      }
    } finally {
      await own.stop();
    }
  });

  it("rejects a missing Redis-down choice", async () => {
    const redis = await client();
    expect(
      () =>
        new RedisRateLimiter({
          name: "x",
          redis,
          algorithm: "sliding-window",
          limit: 1,
          windowMs: 1,
        } as never),
    ).toThrow(/whenUnavailable/);
  });
});
