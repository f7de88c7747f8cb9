/**
 * Retry with capped exponential backoff and full jitter. Which failures are worth another try is
 * decided by the error: dependency failures and retryable Foundation errors are retried; a
 * refusal by local admission control (open circuit, rate limit, draining pool) or a caller abort
 * is not, since trying again at once cannot succeed.
 * @packageDocumentation
 */
import { z } from "zod";
import type { TimerClock } from "../clock.js";
import { sleep } from "../common/deadline.js";
import { countSchema, fnSchema, msSchema } from "../common/schemas.js";
import type { ErrorCode } from "../errors/codes.js";
import { isElixirScopeError } from "../errors/error.js";
import { RetriesExhaustedError } from "./errors.js";

export const retrySchema = z.strictObject({
  /** Total attempts, the first included (1 to 100). */
  attempts: countSchema.max(100),
  /** Delay before the first retry, in ms (default 100); doubles per retry. */
  baseDelayMs: msSchema.optional(),
  /** Ceiling of one delay, in ms (default 10 000). */
  maxDelayMs: msSchema.optional(),
  /** `"full"` draws each delay uniformly in [0, computed] (default) so callers spread out; `"none"` waits the computed delay. */
  jitter: z.enum(["full", "none"]).optional(),
  /** Which failures to retry (default: {@link defaultShouldRetry}). */
  retryOn: fnSchema<(error: unknown, attempt: number) => boolean>("retryOn").optional(),
  /** Source of randomness in [0, 1) for jitter (default Math.random). */
  random: fnSchema<() => number>("random").optional(),
});
/** Options of a retry policy. Unknown keys are rejected. */
export type RetryOptions = z.input<typeof retrySchema>;

const NOT_RETRIED: ReadonlySet<ErrorCode> = new Set([
  "CIRCUIT_OPEN",
  "RATE_LIMITED",
  "POOL_DRAINING",
  "ABORTED",
]);

/** Retries everything except non-retryable Foundation errors and local refusals. */
export function defaultShouldRetry(error: unknown): boolean {
  if (!isElixirScopeError(error)) return true;
  return error.retryable && !NOT_RETRIED.has(error.code);
}

/** The delay before retry number `retry` (1-based), in ms. */
export function backoffDelay(options: RetryOptions, retry: number): number {
  const base = options.baseDelayMs ?? 100;
  const max = options.maxDelayMs ?? 10_000;
  const computed = Math.min(max, base * 2 ** (retry - 1));
  return (options.jitter ?? "full") === "full"
    ? computed * (options.random ?? Math.random)()
    : computed;
}

/**
 * Runs `attempt` up to `options.attempts` times.
 * @throws RetriesExhaustedError (cause: the last failure) when every attempt failed with a
 *   retryable error; the error itself when it is not retryable; AbortedError on `signal`.
 */
export async function runWithRetry<T>(
  what: string,
  options: RetryOptions,
  clock: TimerClock,
  signal: AbortSignal | undefined,
  attempt: (n: number) => Promise<T>,
): Promise<T> {
  const shouldRetry = options.retryOn ?? defaultShouldRetry;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!shouldRetry(error, n)) throw error;
      if (n >= options.attempts) {
        if (options.attempts === 1) throw error;
        throw new RetriesExhaustedError(what, n, error);
      }
      await sleep(backoffDelay(options, n), clock, signal, what);
    }
  }
}
