/**
 * Rate limiter whose budget lives in Redis, so several processes or machines share it. The
 * policies are the in-memory limiter's, run atomically as Lua scripts on the Redis server with
 * the server's clock (`TIME`), so client clock skew cannot widen the budget.
 *
 * Why our own scripts rather than rate-limiter-flexible's RateLimiterRedis: that limiter counts
 * fixed windows, which admits up to twice the limit across a window boundary; the property this
 * module promises (at most rate·t + burst units in any window of length t) needs a token bucket
 * or a sliding log, and those are short scripts.
 *
 * Needs Redis 7 or later (number arguments of `redis.call` converted exactly, which the bucket's
 * stored timestamps rely on).
 *
 * When Redis cannot answer (down, unreachable, or slower than `backendTimeoutMs`) the limiter
 * follows `whenUnavailable`, which must be chosen explicitly:
 * - `"local"`: decide from an in-memory limiter with the same policy in this process (the
 *   shared budget becomes one budget per process until Redis is back);
 * - `"allow"`: fail open, admit everything;
 * - `"deny"`: fail closed, refuse everything with retry-after = `backendRetryMs`.
 * After a failure Redis is left alone for `backendRetryMs` (an internal circuit breaker), so an
 * outage costs one failed round trip per interval rather than one per call.
 * @packageDocumentation
 */
import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { systemClock, type TimerClock } from "../clock.js";
import { clockSchema, countSchema, positiveMsSchema, telemetrySchema } from "../common/schemas.js";
import { isElixirScopeError } from "../errors/error.js";
import { parseOptions } from "../options.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { BackendUnavailableError, RateLimitedError } from "./errors.js";
import {
  capacityOf,
  checkCost,
  type RateDecision,
  type RateLimitPolicy,
  slidingWindowShape,
  tokenBucketShape,
} from "./rate-limit-policy.js";
import { type KeyedRateLimiter, RateLimiter } from "./rate-limiter.js";
import { Deadlines } from "./redis-deadlines.js";
import { type ComponentHealth, emitTelemetry } from "./telemetry.js";

/** What a Redis limiter does while Redis cannot answer. */
export type WhenUnavailable = "local" | "allow" | "deny";

/** Options of {@link RedisRateLimiter}. Unknown keys are rejected. */
export type RedisRateLimiterOptions = RateLimitPolicy & {
  readonly name: string;
  /** An ioredis client; `enableOfflineQueue: false` is recommended so an outage fails fast. */
  readonly redis: Redis;
  /** What to do while Redis cannot answer; no default, the choice is the caller's. */
  readonly whenUnavailable: WhenUnavailable;
  /** Prefix of the Redis keys (default `elixirscope:rl:<name>:`). Limiters sharing it share budgets. */
  readonly keyPrefix?: string;
  /** Budget for one Redis round trip in ms before it counts as unavailable (default 100). */
  readonly backendTimeoutMs?: number;
  /** How long to leave Redis alone after a failure, in ms (default 1000). */
  readonly backendRetryMs?: number;
  readonly clock?: TimerClock;
  readonly telemetry?: TelemetryEmitter;
};

// Both scripts take the server's time so that every client sees one clock. Redis truncates Lua
// numbers to integers in replies, so retry-after goes back as whole microseconds (rounded up,
// so waiting it out is always enough) and remaining as whole units; integer replies are also
// cheaper for the client to parse than strings.
//
// The bucket is one string key holding two packed doubles (tokens, last refill time in µs), read
// with GET and written with one SET PX: three Redis commands per call (TIME, GET, SET) instead of
// the four of a hash (TIME, HMGET, HSET, PEXPIRE), and `struct.pack` stores both numbers
// bit-exactly without formatting them (a string built with `..` would go through Lua's
// `tostring`, which keeps 14 digits: 0.1 ms of an epoch time). The time is whole µs from `TIME`,
// exact in a double. A single GCRA timestamp would be one number, but at rates above a few
// million per second its per-unit step falls below the double's resolution at epoch magnitude
// and admissions would stop counting; tokens kept apart from time stay exact at any rate.
//
// Replies: allowed -> remaining (an integer, the common case, no array to build or parse);
// denied -> {remaining, retry µs}. A denial writes nothing: the refill it would store is below
// `burst`, so the stored state already yields the same future. A clock that went back (a
// failover to a server with another clock) never moves the refill time back, so it cannot
// mint tokens. A key still in the earlier hash format (fields tokens, ts in ms) makes GET fail
// with WRONGTYPE; it is read once through HMGET and overwritten by the next admission, so the
// budget carries over exactly.
const TOKEN_BUCKET = `
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local perUs = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local tokens = burst
local ts = now
local v = redis.pcall('GET', KEYS[1])
if v then
  if type(v) == 'string' then
    tokens, ts = struct.unpack('dd', v)
  else
    local h = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
    if h[1] then
      tokens = tonumber(h[1])
      ts = tonumber(h[2]) * 1000
    end
  end
  if now > ts then
    tokens = tokens + (now - ts) * perUs
    if tokens > burst then tokens = burst end
    ts = now
  end
end
if tokens + 1e-9 >= cost then
  tokens = tokens - cost
  if tokens < 0 then tokens = 0 end
  redis.call('SET', KEYS[1], struct.pack('dd', tokens, ts), 'PX', ARGV[4])
  return math.floor(tokens)
end
return {math.floor(tokens), math.ceil((cost - tokens) / perUs)}
`;

const SLIDING_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local limit = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local used = redis.call('ZCARD', KEYS[1])
if used + cost <= limit then
  for i = 1, cost do
    redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. i)
  end
  redis.call('PEXPIRE', KEYS[1], math.ceil(windowMs) + 1000)
  return limit - used - cost
end
local k = used + cost - limit
local oldest = redis.call('ZRANGE', KEYS[1], k - 1, k - 1, 'WITHSCORES')
return {limit - used, math.ceil((tonumber(oldest[2]) + windowMs - now) * 1000)}
`;

const sha1 = (text: string): string => createHash("sha1").update(text).digest("hex");
const SCRIPTS = {
  "token-bucket": { lua: TOKEN_BUCKET, sha: sha1(TOKEN_BUCKET) },
  "sliding-window": { lua: SLIDING_WINDOW, sha: sha1(SLIDING_WINDOW) },
} as const;

const redisSchema = z.custom<Redis>(
  (v) =>
    typeof v === "object" &&
    v !== null &&
    typeof (v as Redis).evalsha === "function" &&
    typeof (v as Redis).eval === "function",
  { message: "expected an ioredis client" },
);
const common = {
  name: z.string().min(1),
  redis: redisSchema,
  whenUnavailable: z.enum(["local", "allow", "deny"]),
  keyPrefix: z.string().optional(),
  backendTimeoutMs: positiveMsSchema.optional(),
  backendRetryMs: positiveMsSchema.optional(),
  clock: clockSchema.optional(),
  telemetry: telemetrySchema.optional(),
};
const optionsSchema = z.discriminatedUnion("algorithm", [
  z.strictObject({ ...tokenBucketShape, ...common }),
  z.strictObject({ ...slidingWindowShape, ...common, limit: countSchema.max(100_000) }),
]);

/** A keyed rate limiter sharing its budget through Redis. */
export class RedisRateLimiter implements KeyedRateLimiter {
  readonly kind = "rate_limiter";
  readonly name: string;
  readonly alive = true;
  readonly policy: RateLimitPolicy;
  readonly whenUnavailable: WhenUnavailable;
  readonly #redis: Redis;
  readonly #prefix: string;
  /** Script arguments fixed by the policy, formatted once (ioredis would stringify per call). */
  readonly #arg1: string;
  readonly #arg2: string;
  /** The bucket's key TTL in ms (unused by the sliding window, whose 4th argument is a member). */
  readonly #ttlArg: string;
  readonly #limit: number;
  readonly #script: { readonly lua: string; readonly sha: string };
  readonly #backend: CircuitBreaker<RateDecision>;
  readonly #deadlines: Deadlines;
  readonly #local: RateLimiter | undefined;
  readonly #retryMs: number;
  readonly #telemetry: TelemetryEmitter | undefined;
  /** Unique per instance, so sliding-log members from two processes never collide. */
  readonly #memberPrefix = randomUUID();
  #seq = 0;
  #lastError: string | undefined;
  #fallbackDecisions = 0;

  /** @throws ElixirScopeError (UNKNOWN_OPTION / INVALID_ARGUMENT) on bad options. */
  constructor(options: RedisRateLimiterOptions) {
    const o = parseOptions(optionsSchema, options, "RedisRateLimiter");
    this.name = o.name;
    this.#redis = o.redis;
    this.whenUnavailable = o.whenUnavailable;
    this.#prefix = o.keyPrefix ?? `elixirscope:rl:${o.name}:`;
    this.#retryMs = o.backendRetryMs ?? 1000;
    this.#telemetry = o.telemetry;
    const clock = o.clock ?? systemClock;
    this.policy =
      o.algorithm === "token-bucket"
        ? { algorithm: o.algorithm, rate: o.rate, intervalMs: o.intervalMs, burst: o.burst }
        : { algorithm: o.algorithm, limit: o.limit, windowMs: o.windowMs };
    // String(x) is the shortest text that parses back to the same double, so the script's
    // tonumber sees exactly these values. The bucket refills per µs (the script's time unit); its
    // key lives until it would be full again (then it equals a fresh key) plus a second.
    const perMs = o.algorithm === "token-bucket" ? o.rate / o.intervalMs : 0;
    this.#arg1 = String(o.algorithm === "token-bucket" ? perMs / 1000 : o.limit);
    this.#arg2 = String(o.algorithm === "token-bucket" ? o.burst : o.windowMs);
    this.#ttlArg = o.algorithm === "token-bucket" ? String(Math.ceil(o.burst / perMs) + 1000) : "";
    this.#limit = capacityOf(this.policy);
    this.#script = SCRIPTS[o.algorithm];
    this.#backend = new CircuitBreaker<RateDecision>({
      name: `${o.name}.redis`,
      consecutiveFailures: 1,
      resetTimeoutMs: this.#retryMs,
      clock,
    });
    // The breaker runs without its own per-call timer: the Redis call races backendTimeoutMs
    // through one shared timer (see redis-deadlines.ts); a TimeoutError still counts as a failure.
    this.#deadlines = new Deadlines(
      `circuit breaker "${o.name}.redis" call`,
      o.backendTimeoutMs ?? 100,
      clock,
    );
    this.#backend.onStateChange((e) => {
      emitTelemetry(
        this.#telemetry,
        this.kind,
        e.to === "closed" ? "backend_recovered" : "backend_unavailable",
        {},
        {
          limiter: this.name,
          from: e.from,
          to: e.to,
          error: this.#lastError,
        },
      );
    });
    this.#local =
      o.whenUnavailable === "local"
        ? new RateLimiter({ name: `${o.name}.local`, clock, ...this.policy })
        : undefined;
  }

  /**
   * Takes `cost` units from `key`'s shared budget. Never rejects because of Redis: while Redis
   * cannot answer, the decision comes from `whenUnavailable` and carries a `source`.
   * @throws RangeError when `cost` is not a positive integer or exceeds the capacity.
   */
  consume(key: string, cost = 1): Promise<RateDecision> {
    if (cost !== 1) {
      try {
        checkCost(this.name, this.policy, cost);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    // Promise chains rather than async functions with try/await: each async layer adds a
    // promise and a microtask hop, which on this path cost as much as the script's own work.
    return this.#backend
      .execute(() => this.#deadlines.race(this.#eval(key, cost)))
      .then(undefined, (error: unknown) => {
        if (error instanceof RangeError) throw error;
        return this.#fallback(key, cost, error);
      });
  }

  /** Like {@link consume}, but rejects with {@link RateLimitedError} when denied. */
  async take(key: string, cost = 1): Promise<RateDecision> {
    const d = await this.consume(key, cost);
    if (!d.allowed) throw new RateLimitedError(this.name, key, d.retryAfterMs, d.remaining);
    return d;
  }

  #eval(key: string, cost: number): Promise<RateDecision> {
    const redisKey = this.#prefix + key;
    const costArg = cost === 1 ? "1" : String(cost);
    const last =
      this.policy.algorithm === "token-bucket"
        ? this.#ttlArg
        : `${this.#memberPrefix}:${this.#seq++}`;
    // Arguments passed one by one rather than spread from a fresh array: nothing is allocated
    // here beyond the key, and the script is sent by SHA (loaded on the first NOSCRIPT).
    return this.#redis
      .evalsha(this.#script.sha, 1, redisKey, this.#arg1, this.#arg2, costArg, last)
      .then(this.#decide, (error: unknown) => {
        if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
        return this.#redis
          .eval(this.#script.lua, 1, redisKey, this.#arg1, this.#arg2, costArg, last)
          .then(this.#decide);
      });
  }

  /** An admission answers a bare integer (remaining); a denial {remaining, retry µs}. */
  readonly #decide = (reply: unknown): RateDecision => {
    if (typeof reply === "number") {
      return { allowed: true, remaining: reply, retryAfterMs: 0, limit: this.#limit };
    }
    const denied = reply as [number, number];
    return {
      allowed: false,
      remaining: denied[0],
      retryAfterMs: denied[1] / 1000,
      limit: this.#limit,
    };
  };

  #fallback(key: string, cost: number, error: unknown): RateDecision {
    this.#fallbackDecisions++;
    // A CircuitOpenError only says Redis is being left alone; keep the original failure's text.
    if (!isElixirScopeError(error, "CIRCUIT_OPEN")) {
      this.#lastError = new BackendUnavailableError(
        `Redis for rate limiter "${this.name}"`,
        error,
      ).message;
    }
    const limit = capacityOf(this.policy);
    if (this.#local) return { ...this.#local.consume(key, cost), source: "fallback-local" };
    if (this.whenUnavailable === "allow") {
      return {
        allowed: true,
        remaining: limit - cost,
        retryAfterMs: 0,
        limit,
        source: "fallback-allow",
      };
    }
    return {
      allowed: false,
      remaining: 0,
      retryAfterMs: this.#retryMs,
      limit,
      source: "fallback-deny",
    };
  }

  /** Healthy while Redis answers; degraded (with the fallback named) while it does not. */
  health(): ComponentHealth {
    const state = this.#backend.state.kind;
    const details = {
      policy: this.policy,
      whenUnavailable: this.whenUnavailable,
      backend: state === "closed" ? "up" : "unavailable",
      fallbackDecisions: this.#fallbackDecisions,
      lastError: this.#lastError,
    };
    if (state === "closed") return { status: "healthy", details };
    return {
      status: "degraded",
      reason: `Redis unavailable (${this.#lastError ?? "unknown error"}); deciding with "${this.whenUnavailable}"`,
      details,
    };
  }
}
