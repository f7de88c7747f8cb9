/**
 * In-memory rate limiter: token bucket or sliding log, per key (e.g. `${client}:${operation}`).
 * Decisions are synchronous; idle keys are swept lazily so memory follows the active key set.
 * @packageDocumentation
 */
import { z } from "zod";
import { systemClock, type TimerClock } from "../clock.js";
import { clockSchema, telemetrySchema } from "../common/schemas.js";
import { parseOptions } from "../options.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import { RateLimitedError } from "./errors.js";
import {
  capacityOf,
  checkCost,
  type RateDecision,
  type RateLimitPolicy,
  slidingWindowShape,
  tokenBucketShape,
} from "./rate-limit-policy.js";
import { type ComponentHealth, emitTelemetry, type InfraComponent } from "./telemetry.js";

/** What {@link RateLimiter} and the Redis limiter have in common. */
export interface KeyedRateLimiter extends InfraComponent {
  readonly policy: RateLimitPolicy;
  /** Takes `cost` units (default 1) from `key`'s budget if available. */
  consume(key: string, cost?: number): RateDecision | Promise<RateDecision>;
}

/** Options of {@link RateLimiter}: a policy plus a name. Unknown keys are rejected. */
export type RateLimiterOptions = RateLimitPolicy & {
  readonly name: string;
  readonly clock?: TimerClock;
  readonly telemetry?: TelemetryEmitter;
};

const common = {
  name: z.string().min(1),
  clock: clockSchema.optional(),
  telemetry: telemetrySchema.optional(),
};
const optionsSchema = z.discriminatedUnion("algorithm", [
  z.strictObject({ ...tokenBucketShape, ...common }),
  z.strictObject({ ...slidingWindowShape, ...common }),
]);

class Bucket {
  constructor(
    public tokens: number,
    public ts: number,
  ) {}
}

/** Timestamps of admitted units, oldest first, in a queue that compacts itself. */
class Log {
  times: number[] = [];
  head = 0;
  get size(): number {
    return this.times.length - this.head;
  }
  dropUpTo(cutoff: number): void {
    const t = this.times;
    while (this.head < t.length && t[this.head] <= cutoff) this.head++;
    if (this.head > 64 && this.head * 2 > t.length) {
      this.times = t.slice(this.head);
      this.head = 0;
    }
  }
}

/** Runs a keyed policy in process memory. */
export class RateLimiter implements KeyedRateLimiter {
  readonly kind = "rate_limiter";
  readonly name: string;
  /** An in-memory limiter has no lifecycle. */
  readonly alive = true;
  readonly policy: RateLimitPolicy;
  readonly #clock: TimerClock;
  readonly #telemetry: TelemetryEmitter | undefined;
  readonly #capacity: number;
  /** Tokens per ms (token bucket). */
  readonly #perMs: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #logs = new Map<string, Log>();
  /** Time after which an untouched key's state equals a fresh one and can be dropped. */
  readonly #idleMs: number;
  #nextSweep = 0;
  #allowed = 0;
  #denied = 0;

  /** @throws InvalidOptionsError on unknown or invalid options. */
  constructor(options: RateLimiterOptions) {
    const o = parseOptions(optionsSchema, options, "RateLimiter");
    this.name = o.name;
    this.#clock = o.clock ?? systemClock;
    this.#telemetry = o.telemetry;
    this.policy =
      o.algorithm === "token-bucket"
        ? { algorithm: o.algorithm, rate: o.rate, intervalMs: o.intervalMs, burst: o.burst }
        : { algorithm: o.algorithm, limit: o.limit, windowMs: o.windowMs };
    this.#capacity = capacityOf(this.policy);
    this.#perMs = o.algorithm === "token-bucket" ? o.rate / o.intervalMs : 0;
    this.#idleMs = o.algorithm === "token-bucket" ? o.burst / this.#perMs : o.windowMs;
  }

  /**
   * Takes `cost` units from `key`'s budget if they are available.
   * @throws RangeError when `cost` is not a positive integer or exceeds the capacity.
   */
  consume(key: string, cost = 1): RateDecision {
    if (cost !== 1) checkCost(this.name, this.policy, cost);
    const now = this.#clock.now();
    if (now >= this.#nextSweep) this.#sweep(now);
    const d = this.#perMs > 0 ? this.#bucket(key, cost, now) : this.#window(key, cost, now);
    if (d.allowed) this.#allowed++;
    else {
      this.#denied++;
      if (this.#telemetry) {
        emitTelemetry(
          this.#telemetry,
          this.kind,
          "denied",
          { retryAfterMs: d.retryAfterMs, cost },
          { limiter: this.name, key },
        );
      }
    }
    return d;
  }

  /** Like {@link consume}, but throws {@link RateLimitedError} when denied. */
  take(key: string, cost = 1): RateDecision {
    const d = this.consume(key, cost);
    if (!d.allowed) throw new RateLimitedError(this.name, key, d.retryAfterMs, d.remaining);
    return d;
  }

  #bucket(key: string, cost: number, now: number): RateDecision {
    let b = this.#buckets.get(key);
    if (b === undefined) {
      b = new Bucket(this.#capacity, now);
      this.#buckets.set(key, b);
    } else if (now > b.ts) {
      const t = b.tokens + (now - b.ts) * this.#perMs;
      b.tokens = Math.min(t, this.#capacity);
      b.ts = now;
    }
    // The epsilon absorbs float drift of the refill: after waiting the retry-after we returned,
    // the request must pass even if the sum lands a hair under `cost`.
    if (b.tokens + 1e-9 >= cost) {
      b.tokens = Math.max(0, b.tokens - cost);
      return {
        allowed: true,
        remaining: Math.floor(b.tokens),
        retryAfterMs: 0,
        limit: this.#capacity,
      };
    }
    return {
      allowed: false,
      remaining: Math.floor(b.tokens),
      retryAfterMs: (cost - b.tokens) / this.#perMs,
      limit: this.#capacity,
    };
  }

  #window(key: string, cost: number, now: number): RateDecision {
    const windowMs = this.#idleMs;
    let log = this.#logs.get(key);
    if (log === undefined) {
      log = new Log();
      this.#logs.set(key, log);
    } else log.dropUpTo(now - windowMs);
    const used = log.size;
    if (used + cost <= this.#capacity) {
      for (let i = 0; i < cost; i++) log.times.push(now);
      return {
        allowed: true,
        remaining: this.#capacity - used - cost,
        retryAfterMs: 0,
        limit: this.#capacity,
      };
    }
    // The request fits once the (used + cost - capacity) oldest units have left the window.
    const oldestNeeded = log.times[log.head + used + cost - this.#capacity - 1];
    return {
      allowed: false,
      remaining: this.#capacity - used,
      retryAfterMs: oldestNeeded + windowMs - now,
      limit: this.#capacity,
    };
  }

  /** Drops keys whose state is indistinguishable from a fresh key's. */
  #sweep(now: number): void {
    this.#nextSweep = now + Math.max(this.#idleMs, 1000);
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.ts) * this.#perMs >= this.#capacity) this.#buckets.delete(key);
    }
    for (const [key, log] of this.#logs) {
      log.dropUpTo(now - this.#idleMs);
      if (log.size === 0) this.#logs.delete(key);
    }
  }

  /** Forgets `key`'s usage (or every key's). */
  reset(key?: string): void {
    if (key === undefined) {
      this.#buckets.clear();
      this.#logs.clear();
    } else {
      this.#buckets.delete(key);
      this.#logs.delete(key);
    }
  }

  /** Number of keys currently holding state. */
  get trackedKeys(): number {
    return this.#buckets.size + this.#logs.size;
  }

  /** Always healthy: an in-memory limiter has no dependency. Details carry counters. */
  health(): ComponentHealth {
    return {
      status: "healthy",
      details: {
        policy: this.policy,
        trackedKeys: this.trackedKeys,
        allowed: this.#allowed,
        denied: this.#denied,
      },
    };
  }
}
