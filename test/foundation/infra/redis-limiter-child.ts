/**
 * A separate OS process for the shared-budget test: builds its own RedisRateLimiter against the
 * port in argv, waits for "go" from the parent, consumes as fast as it can for a number of
 * attempts, and reports how many were admitted.
 */
import { Redis } from "ioredis";
import { RedisRateLimiter } from "../../../src/foundation/index.js";

const [port, algorithm, attemptsText] = process.argv.slice(2);
const redis = new Redis({
  port: Number(port),
  host: "127.0.0.1",
  enableOfflineQueue: false,
  lazyConnect: true,
});
await redis.connect();
if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
const policy =
  algorithm === "token-bucket"
    ? ({ algorithm: "token-bucket", rate: 1, intervalMs: 3_600_000, burst: 50 } as const)
    : ({ algorithm: "sliding-window", limit: 50, windowMs: 3_600_000 } as const);
const limiter = new RedisRateLimiter({
  name: `shared-${algorithm}`,
  redis,
  whenUnavailable: "deny",
  backendTimeoutMs: 2000,
  ...policy,
});

process.send?.({ ready: true, pid: process.pid });
process.once("message", async () => {
  let allowed = 0;
  let fallback = 0;
  for (let i = 0; i < Number(attemptsText); i++) {
    const d = await limiter.consume("tenant-1:search");
    if (d.allowed) allowed++;
    if (d.source) fallback++;
  }
  process.send?.({ allowed, fallback, pid: process.pid });
  redis.disconnect();
  process.disconnect?.();
});
