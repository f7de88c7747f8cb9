/**
 * Resilience infrastructure against the best npm peers, measured in the same run:
 * - breaker call overhead (closed, successful async call) vs cockatiel and opossum;
 * - rate-limit decision vs rate-limiter-flexible's RateLimiterMemory (and, when
 *   /usr/bin/redis-server exists, the Redis limiter vs RateLimiterRedis on a throwaway server);
 * - pool acquire + release vs generic-pool and tarn;
 * - latency recording vs hdr-histogram-js and a raw perf_hooks histogram.
 * `npm run bench:infra` prints a table; `-- --json` prints one JSON object per line.
 */
import { existsSync } from "node:fs";
import { createHistogram } from "node:perf_hooks";
import { ConsecutiveBreaker, circuitBreaker, handleAll } from "cockatiel";
import * as genericPool from "generic-pool";
import * as hdr from "hdr-histogram-js";
import { Redis } from "ioredis";
import Opossum from "opossum";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { Pool as TarnPool } from "tarn";
import {
  CircuitBreaker,
  ConnectionPool,
  LatencyHistogram,
  PerformanceMonitor,
  protect,
  RateLimiter,
  RedisRateLimiter,
} from "../src/foundation/index.js";
import { startRedisServer } from "../test/foundation/infra/redis-server.js";
import { type BenchResult, jsonOutput, measureAsync, measureSync, report } from "./lib/report.js";

const results: BenchResult[] = [];
const quick = process.env.BENCH_QUICK === "1";
const opts = quick
  ? { rounds: 4, roundMs: 30, warmupMs: 50 }
  : { rounds: 10, roundMs: 80, warmupMs: 200 };

/** Notes each row with its cost relative to the fastest peer of its group. */
function compare(group: BenchResult[], ours: string[]): void {
  const peers = group.filter((r) => !ours.includes(r.name) && !r.name.startsWith("baseline"));
  const fastestPeer = peers.reduce((a, b) => (a.nsPerOp <= b.nsPerOp ? a : b));
  for (const r of group) {
    if (r === fastestPeer) r.note = "fastest peer";
    else if (!r.name.startsWith("baseline"))
      r.note = `${(r.nsPerOp / fastestPeer.nsPerOp).toFixed(2)}× fastest peer`;
  }
  results.push(...group);
}

const work = () => Promise.resolve(1);

async function breakers(): Promise<void> {
  const g = "breaker call (closed, ok)";
  const ours = new CircuitBreaker({
    name: "bench",
    consecutiveFailures: 5,
    resetTimeoutMs: 30_000,
  });
  const cockatiel = circuitBreaker(handleAll, {
    halfOpenAfter: 30_000,
    breaker: new ConsecutiveBreaker(5),
  });
  // opossum's own timeout is switched off so that all three do the same work (no timer per call).
  const opossum = new Opossum(work, { timeout: false, resetTimeout: 30_000 });
  const rows = [
    await measureAsync(g, "baseline: await fn()", () => work(), opts),
    await measureAsync(g, "elixirscope", () => ours.execute(work), opts),
    await measureAsync(g, "cockatiel", () => cockatiel.execute(work), opts),
    await measureAsync(g, "opossum", () => opossum.fire(), opts),
  ];
  opossum.shutdown();
  compare(rows, ["elixirscope"]);

  const g2 = "protected call (breaker + 1 s timeout)";
  const guarded = protect(
    "bench",
    { circuitBreaker: { consecutiveFailures: 5 }, timeoutMs: 1000 },
    work,
  );
  const { timeout, TimeoutStrategy, wrap } = await import("cockatiel");
  const cockatielWrapped = wrap(
    timeout(1000, TimeoutStrategy.Cooperative),
    circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
  );
  const opossumTimed = new Opossum(work, { timeout: 1000, resetTimeout: 30_000 });
  const rows2 = [
    await measureAsync(g2, "elixirscope protect", () => guarded(), opts),
    await measureAsync(g2, "cockatiel wrap", () => cockatielWrapped.execute(work), opts),
    await measureAsync(g2, "opossum (timeout)", () => opossumTimed.fire(), opts),
  ];
  opossumTimed.shutdown();
  compare(rows2, ["elixirscope protect"]);
}

async function limiters(): Promise<void> {
  const g = "rate-limit decision (memory, 1000 keys)";
  const keys = Array.from({ length: 1000 }, (_, i) => `client-${i}:search`);
  const ours = new RateLimiter({
    name: "b",
    algorithm: "token-bucket",
    rate: 1e9,
    intervalMs: 1000,
    burst: 1e9,
  });
  const window = new RateLimiter({
    name: "w",
    algorithm: "sliding-window",
    limit: 1e9,
    windowMs: 1,
  });
  const rlf = new RateLimiterMemory({ points: 1e9, duration: 1 });
  let i = 0;
  const rows = [
    measureSync(g, "elixirscope token bucket", () => ours.consume(keys[i++ % 1000]), opts),
    measureSync(g, "elixirscope sliding log", () => window.consume(keys[i++ % 1000]), opts),
    await measureAsync(
      g,
      "elixirscope token bucket (awaited)",
      async () => ours.consume(keys[i++ % 1000]),
      opts,
    ),
    await measureAsync(
      g,
      "rate-limiter-flexible Memory",
      () => rlf.consume(keys[i++ % 1000]),
      opts,
    ),
  ];
  compare(rows, [
    "elixirscope token bucket",
    "elixirscope sliding log",
    "elixirscope token bucket (awaited)",
  ]);

  if (!existsSync("/usr/bin/redis-server")) return;
  const server = await startRedisServer();
  const redis = new Redis({ port: server.port, host: "127.0.0.1", lazyConnect: true });
  await redis.connect();
  try {
    const g2 = "rate-limit decision (Redis, loopback)";
    const oursRedis = new RedisRateLimiter({
      name: "bench",
      redis,
      whenUnavailable: "deny",
      backendTimeoutMs: 1000,
      algorithm: "token-bucket",
      rate: 1e9,
      intervalMs: 1000,
      burst: 1e9,
    });
    const rlfRedis = new RateLimiterRedis({
      storeClient: redis,
      points: 1e9,
      duration: 60,
      keyPrefix: "rlfbench",
    });
    // A loopback round trip is noisy (the server shares the machine) and order-sensitive: both
    // run on the same ioredis client, both are warmed up (script loaded, keys created), then
    // measured in pairs whose order alternates; each row keeps its median round, and the note
    // gives the median of the per-pair cost ratios, which cancels drift in machine load.
    const measureOurs = () =>
      measureAsync(
        g2,
        "elixirscope Redis token bucket",
        () => oursRedis.consume(keys[i++ % 1000]),
        opts,
      );
    const measurePeer = () =>
      measureAsync(
        g2,
        "rate-limiter-flexible Redis",
        () => rlfRedis.consume(keys[i++ % 1000]),
        opts,
      );
    for (let k = 0; k < 2000; k++) {
      await oursRedis.consume(keys[k % 1000]);
      await rlfRedis.consume(keys[k % 1000]);
    }
    const pairs = quick ? 3 : 7;
    const oursRuns: BenchResult[] = [];
    const peerRuns: BenchResult[] = [];
    for (let r = 0; r < pairs; r++) {
      if (r % 2 === 0) {
        oursRuns.push(await measureOurs());
        peerRuns.push(await measurePeer());
      } else {
        peerRuns.push(await measurePeer());
        oursRuns.push(await measureOurs());
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1] as number;
    const medianRun = (runs: BenchResult[]) => {
      const m = median(runs.map((r) => r.nsPerOp));
      return runs.find((r) => r.nsPerOp === m) as BenchResult;
    };
    const ratio = median(oursRuns.map((o, k) => o.nsPerOp / (peerRuns[k] as BenchResult).nsPerOp));
    const ours = medianRun(oursRuns);
    const peer = medianRun(peerRuns);
    results.push(
      { ...ours, note: `${ratio.toFixed(2)}× fastest peer (median of ${pairs} pairs)` },
      { ...peer, note: "fastest peer" },
    );
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

async function pools(): Promise<void> {
  const g = "pool acquire + release";
  let n = 0;
  const create = () => ({ id: n++ });
  const ours = new ConnectionPool({
    name: "b",
    factory: { create, destroy: () => {} },
    min: 10,
    max: 10,
  });
  const gp = genericPool.createPool(
    { create: async () => create(), destroy: async () => {} },
    { min: 10, max: 10 },
  );
  const tarn = new TarnPool({
    create: (cb: (err: Error | null, r: { id: number }) => void) => cb(null, create()),
    destroy: () => {},
    min: 10,
    max: 10,
  });
  // Warm every pool to its size before measuring.
  const warm = async (acquire: () => Promise<unknown>, release: (r: never) => unknown) => {
    const rs = await Promise.all(Array.from({ length: 10 }, acquire));
    for (const r of rs) await release(r as never);
  };
  await warm(
    () => ours.acquire(),
    (r) => ours.release(r),
  );
  await warm(
    () => gp.acquire(),
    (r) => gp.release(r),
  );
  await warm(
    () => tarn.acquire().promise,
    (r) => tarn.release(r),
  );
  const rows = [
    await measureAsync(g, "elixirscope", async () => ours.release(await ours.acquire()), opts),
    await measureAsync(g, "generic-pool", async () => gp.release(await gp.acquire()), opts),
    await measureAsync(g, "tarn", async () => tarn.release(await tarn.acquire().promise), opts),
  ];
  await ours.close();
  await gp.drain();
  await gp.clear();
  await tarn.destroy();
  compare(rows, ["elixirscope"]);
}

function histograms(): void {
  const g = "latency record (1 value)";
  const batch = 1000;
  const ms = Array.from({ length: batch }, () => Math.random() ** 3 * 200);
  const micros = ms.map((v) => Math.max(1, Math.round(v * 1000)));
  const ours = new LatencyHistogram();
  const monitor = new PerformanceMonitor({ name: "b", eventLoop: false }).operation("op");
  const hdrJs = hdr.build({ numberOfSignificantValueDigits: 3, useWebAssembly: false });
  const perf = createHistogram();
  const o = { ...opts, batch };
  const rows = [
    measureSync(
      g,
      "elixirscope LatencyHistogram (ms in)",
      () => {
        for (let i = 0; i < batch; i++) ours.record(ms[i]);
      },
      o,
    ),
    measureSync(
      g,
      "elixirscope PerformanceMonitor op",
      () => {
        for (let i = 0; i < batch; i++) monitor.record(ms[i], true);
      },
      o,
    ),
    measureSync(
      g,
      "hdr-histogram-js (µs in)",
      () => {
        for (let i = 0; i < batch; i++) hdrJs.recordValue(micros[i]);
      },
      o,
    ),
    measureSync(
      g,
      "perf_hooks createHistogram (µs in)",
      () => {
        for (let i = 0; i < batch; i++) perf.record(micros[i]);
      },
      o,
    ),
  ];
  compare(rows, ["elixirscope LatencyHistogram (ms in)", "elixirscope PerformanceMonitor op"]);
}

await breakers();
await limiters();
await pools();
histograms();
report(results, jsonOutput ? undefined : "Resilience infrastructure vs npm peers (same run)");
process.exit(0);
