/**
 * Rate-limit policies shared by the in-memory and the Redis limiter, so both backends enforce
 * the same rule with the same arithmetic.
 * @packageDocumentation
 */
import { z } from "zod";
import { countSchema, positiveMsSchema } from "../common/schemas.js";

/** Token bucket: `burst` tokens at most, refilled at `rate` tokens per `intervalMs`. */
export interface TokenBucketPolicy {
  readonly algorithm: "token-bucket";
  /** Tokens added per `intervalMs`. */
  readonly rate: number;
  /** Length of the refill interval in ms. */
  readonly intervalMs: number;
  /** Bucket capacity: the largest burst admitted at once. */
  readonly burst: number;
}

/** Sliding log: at most `limit` units in any window of `windowMs`. */
export interface SlidingWindowPolicy {
  readonly algorithm: "sliding-window";
  readonly limit: number;
  readonly windowMs: number;
}

/** Either rate-limit policy. */
export type RateLimitPolicy = TokenBucketPolicy | SlidingWindowPolicy;

/** The answer to one `consume`. */
export interface RateDecision {
  readonly allowed: boolean;
  /** Units still available right after this decision (whole units, rounded down). */
  readonly remaining: number;
  /** When denied, ms until the same request could be admitted; 0 when allowed. */
  readonly retryAfterMs: number;
  /** The policy's capacity (burst or window limit). */
  readonly limit: number;
  /**
   * Who decided, when it was not the limiter's own store: a Redis limiter whose backend is
   * unavailable answers from its configured fallback (`"fallback-allow"`, `"fallback-deny"` or
   * `"fallback-local"`).
   */
  readonly source?: "fallback-allow" | "fallback-deny" | "fallback-local";
}

export const tokenBucketShape = {
  algorithm: z.literal("token-bucket"),
  rate: z.number().finite().positive(),
  intervalMs: positiveMsSchema,
  burst: countSchema,
};

export const slidingWindowShape = {
  algorithm: z.literal("sliding-window"),
  limit: countSchema,
  windowMs: positiveMsSchema,
};

/** Capacity of a policy: the most units admitted at one instant. */
export function capacityOf(policy: RateLimitPolicy): number {
  return policy.algorithm === "token-bucket" ? policy.burst : policy.limit;
}

/** Validates a `cost` argument and names the limiter in the error. */
export function checkCost(limiter: string, policy: RateLimitPolicy, cost: number): void {
  if (!Number.isInteger(cost) || cost < 1) {
    throw new RangeError(`rate limiter "${limiter}": cost must be a positive integer, got ${cost}`);
  }
  const capacity = capacityOf(policy);
  if (cost > capacity) {
    throw new RangeError(
      `rate limiter "${limiter}": cost ${cost} exceeds the capacity ${capacity} and could never pass`,
    );
  }
}
