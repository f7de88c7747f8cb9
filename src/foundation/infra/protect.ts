/**
 * Protected calls: one function that composes the resilience policies around a call to a
 * dependency, always in this order (outermost first):
 *
 * 1. **rate limit**: once per logical call; a denial fails at once with RateLimitedError (a retry
 *    would only spend more budget);
 * 2. **retry**: the remaining steps run once per attempt, with backoff between attempts;
 * 3. **circuit breaker**: every attempt is one breaker call, so the breaker sees each failure of
 *    the dependency; an open breaker fails at once with CircuitOpenError and ends the retries;
 * 4. **pool**: a resource is borrowed for the attempt and always given back (a pool timeout is a
 *    local shortage, which the breaker does not count against the dependency);
 * 5. **timeout**: the attempt itself gets `timeoutMs`; the function receives an AbortSignal that
 *    fires on the timeout or on the caller's signal.
 *
 * Every option object is validated when `protect` is called; unknown keys, an empty set of
 * protections and impossible values are errors there, never at call time.
 * @packageDocumentation
 */
import { z } from "zod";
import { systemClock, type TimerClock } from "../clock.js";
import { NEVER_ABORTED, raceTimeout } from "../common/deadline.js";
import {
  clockSchema,
  countSchema,
  positiveMsSchema,
  signalSchema,
  telemetrySchema,
} from "../common/schemas.js";
import { ElixirScopeError } from "../errors/error.js";
import { parseOptions } from "../options.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import { CircuitBreaker, type CircuitBreakerOptions } from "./circuit-breaker.js";
import { AbortedError, RateLimitedError } from "./errors.js";
import { ConnectionPool } from "./pool.js";
import type { RateDecision } from "./rate-limit-policy.js";
import type { KeyedRateLimiter } from "./rate-limiter.js";
import { type RetryOptions, retrySchema, runWithRetry } from "./retry.js";
import { emitTelemetry } from "./telemetry.js";

/** What the protected function receives on each attempt. */
export interface ProtectedContext<R> {
  /** Aborts on the attempt's timeout or the caller's signal. */
  readonly signal: AbortSignal;
  /** The borrowed pool resource (`undefined` without a pool). */
  readonly resource: R;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

/**
 * The context handed to the function under a timeout. A class with a prototype getter (an
 * object literal with a getter is several times slower to create), so the AbortController
 * behind `signal` is only made if the function reads it.
 */
class AttemptContext<R> implements ProtectedContext<R> {
  readonly #signal: () => AbortSignal;
  constructor(
    signal: () => AbortSignal,
    readonly resource: R,
    readonly attempt: number,
  ) {
    this.#signal = signal;
  }
  get signal(): AbortSignal {
    return this.#signal();
  }
}

/** Rate limiting of a protected call. */
export interface ProtectRateLimit {
  readonly limiter: KeyedRateLimiter;
  /** Budget key when the call gives none (default: the protected call's name). */
  readonly key?: string;
  /** Units per call (default 1). */
  readonly cost?: number;
}

/** Breaker options without the name, which the protected call supplies. */
export type ProtectBreakerOptions = Omit<CircuitBreakerOptions, "name" | "clock" | "telemetry">;

/** The protections of one call; at least one is required. */
export interface ProtectOptions<R = undefined> {
  readonly rateLimit?: ProtectRateLimit;
  /** A shared breaker instance, or options for one owned by this protected call. */
  readonly circuitBreaker?: CircuitBreaker | ProtectBreakerOptions;
  readonly pool?: ConnectionPool<R>;
  /** Budget of one attempt in ms. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  readonly clock?: TimerClock;
  readonly telemetry?: TelemetryEmitter;
}

/** A protected function; call it, or inspect the policies it owns. */
export interface ProtectedCall<T> {
  (options?: CallOptions): Promise<T>;
  readonly protectedName: string;
  /** The breaker guarding the call, if any (shared or owned). */
  readonly breaker: CircuitBreaker | undefined;
}

const limiterSchema = z.custom<KeyedRateLimiter>(
  (v) =>
    typeof v === "object" && v !== null && typeof (v as KeyedRateLimiter).consume === "function",
  { message: "expected a rate limiter (RateLimiter or RedisRateLimiter)" },
);
const optionsSchema = z
  .strictObject({
    rateLimit: z
      .strictObject({
        limiter: limiterSchema,
        key: z.string().min(1).optional(),
        cost: countSchema.optional(),
      })
      .optional(),
    circuitBreaker: z
      .union([z.instanceof(CircuitBreaker), z.record(z.string(), z.unknown())])
      .optional(),
    pool: z.instanceof(ConnectionPool, { message: "expected a ConnectionPool" }).optional(),
    timeoutMs: positiveMsSchema.optional(),
    retry: retrySchema.optional(),
    clock: clockSchema.optional(),
    telemetry: telemetrySchema.optional(),
  })
  .refine(
    (o) =>
      o.rateLimit !== undefined ||
      o.circuitBreaker !== undefined ||
      o.pool !== undefined ||
      o.timeoutMs !== undefined ||
      o.retry !== undefined,
    {
      message:
        "no protection given: set at least one of rateLimit, circuitBreaker, pool, timeoutMs, retry",
    },
  );
const callSchema = z.strictObject({
  signal: signalSchema.optional(),
  /** Rate-limit key for this call, e.g. `${client}:${operation}`. */
  key: z.string().min(1).optional(),
});
/** Per-call options. Unknown keys are rejected. */
export type CallOptions = z.input<typeof callSchema>;

/** A cheap per-call check of the common, valid case: only `signal` and `key`, well typed. */
function isPlainCallOptions(o: CallOptions): boolean {
  if (typeof o !== "object" || o === null) return false;
  for (const k in o) if (k !== "signal" && k !== "key") return false;
  return (
    (o.signal === undefined || o.signal instanceof AbortSignal) &&
    (o.key === undefined || (typeof o.key === "string" && o.key.length > 0))
  );
}

/** One attempt of the call: what the layers below the retry compose into. */
type Attempt<T> = (signal: AbortSignal | undefined, attempt: number) => Promise<T>;
/** The attempt with its pooled resource. */
type WithResource<T, R> = (
  resource: R,
  signal: AbortSignal | undefined,
  attempt: number,
) => Promise<T>;
/** A whole protected call, given its signal and rate-limit key. */
type Whole<T> = (signal: AbortSignal | undefined, key: string | undefined) => Promise<T>;

/**
 * Innermost layer: runs `fn`, under `timeoutMs` when given. Plain functions returning promises
 * rather than nested async functions: each async layer would cost a promise per call.
 */
function callLayer<T, R>(
  fn: (ctx: ProtectedContext<R>) => T | Promise<T>,
  timeoutMs: number | undefined,
  clock: TimerClock,
  what: string,
): WithResource<T, R> {
  if (timeoutMs !== undefined) {
    return (resource, signal, attempt) =>
      raceTimeout(
        (s) => fn(new AttemptContext(s, resource, attempt)),
        timeoutMs,
        clock,
        what,
        signal,
      );
  }
  return (resource, signal, attempt) => {
    try {
      return Promise.resolve(fn({ signal: signal ?? NEVER_ABORTED, resource, attempt }));
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/** Borrows a resource for the attempt and always gives it back. */
function poolLayer<T, R>(
  pool: ConnectionPool<R> | undefined,
  next: WithResource<T, R>,
): Attempt<T> {
  if (!pool) return (signal, attempt) => next(undefined as R, signal, attempt);
  return (signal, attempt) =>
    pool.withResource(
      (resource) => next(resource, signal, attempt),
      signal ? { signal } : undefined,
    );
}

/** One breaker call per attempt, so the breaker sees each failure of the dependency. */
function breakerLayer<T>(breaker: CircuitBreaker | undefined, next: Attempt<T>): Attempt<T> {
  if (!breaker) return next;
  // The breaker passes the caller's signal through (or its never-aborted stand-in).
  return (signal, attempt) =>
    breaker.execute(
      (s) => next(s === NEVER_ABORTED ? undefined : s, attempt),
      signal,
    ) as Promise<T>;
}

/** Runs the attempt once, or under the retry policy with backoff on the clock. */
function retryLayer<T>(
  retry: RetryOptions | undefined,
  clock: TimerClock,
  what: string,
  next: Attempt<T>,
): (signal: AbortSignal | undefined) => Promise<T> {
  if (!retry) return (signal) => next(signal, 1);
  return (signal) => runWithRetry(what, retry, clock, signal, (n) => next(signal, n));
}

/** Once per logical call: a denial fails at once (a retry would only spend more budget). */
function rateLimitLayer<T>(
  rateLimit: ProtectRateLimit | undefined,
  name: string,
  next: (signal: AbortSignal | undefined) => Promise<T>,
): Whole<T> {
  if (!rateLimit) return (signal) => next(signal);
  const { limiter, cost = 1 } = rateLimit;
  return async (signal, key) => {
    const k = key ?? rateLimit.key ?? name;
    const pending = limiter.consume(k, cost);
    const d: RateDecision = pending instanceof Promise ? await pending : pending;
    if (!d.allowed) throw new RateLimitedError(limiter.name, k, d.retryAfterMs, d.remaining);
    return next(signal);
  };
}

/** Outermost: `foundation.protect.stop` / `.exception` with the call's duration. */
function telemetryLayer<T>(
  telemetry: TelemetryEmitter | undefined,
  name: string,
  next: Whole<T>,
): Whole<T> {
  if (!telemetry) return next;
  return async (signal, key) => {
    const started = performance.now();
    try {
      const result = await next(signal, key);
      emitTelemetry(
        telemetry,
        "protect",
        "stop",
        { durationMs: performance.now() - started },
        { name },
      );
      return result;
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      emitTelemetry(
        telemetry,
        "protect",
        "exception",
        { durationMs: performance.now() - started },
        { name, code },
      );
      throw error;
    }
  };
}

/** Checks protect's arguments and options; returns the parsed options. */
function parseProtect<R>(name: string, options: ProtectOptions<R>, fn: unknown) {
  if (typeof name !== "string" || name.length === 0) {
    throw new ElixirScopeError("INVALID_ARGUMENT", "protect: name must be a non-empty string", {
      context: { name },
    });
  }
  if (typeof fn !== "function") {
    throw new ElixirScopeError("INVALID_ARGUMENT", `protect "${name}": fn must be a function`, {
      context: { name },
    });
  }
  const o = parseOptions(optionsSchema, options, `protect "${name}"`);
  if (o.circuitBreaker !== undefined && !(o.circuitBreaker instanceof CircuitBreaker)) {
    const owned = Object.keys(o.circuitBreaker).filter(
      (k) => k === "name" || k === "clock" || k === "telemetry",
    );
    if (owned.length > 0) {
      throw new ElixirScopeError(
        "UNKNOWN_OPTION",
        `protect "${name}": circuitBreaker.${owned[0]} is set by protect itself (pass a CircuitBreaker instance to choose it)`,
        { context: { name, keys: owned } },
      );
    }
  }
  return o;
}

/**
 * Wraps `fn` in the given protections (see the module comment for their order). Each
 * protection is one layer chosen here, once; a call runs only the layers configured.
 * @throws ElixirScopeError (UNKNOWN_OPTION / INVALID_ARGUMENT) at setup on bad options.
 */
export function protect<T, R = undefined>(
  name: string,
  options: ProtectOptions<R>,
  fn: (ctx: ProtectedContext<R>) => T | Promise<T>,
): ProtectedCall<T> {
  const o = parseProtect(name, options, fn);
  const clock = o.clock ?? systemClock;
  const telemetry = o.telemetry;
  const breaker =
    o.circuitBreaker === undefined || o.circuitBreaker instanceof CircuitBreaker
      ? o.circuitBreaker
      : new CircuitBreaker({
          ...(o.circuitBreaker as ProtectBreakerOptions),
          name,
          clock,
          telemetry,
        });
  const what = `protected call "${name}"`;
  const attempt = breakerLayer(
    breaker,
    poolLayer(options.pool, callLayer(fn, o.timeoutMs, clock, what)),
  );
  const whole = telemetryLayer(
    telemetry,
    name,
    rateLimitLayer(o.rateLimit, name, retryLayer(o.retry, clock, what, attempt)),
  );
  // Without rate limit, retry or telemetry a call is exactly one attempt: skip the outer layers.
  const direct = !o.rateLimit && !o.retry && !telemetry;

  const call = (callOptions?: CallOptions): Promise<T> => {
    if (callOptions !== undefined && !isPlainCallOptions(callOptions)) {
      // Only the slow path pays for zod: it builds the error that names the bad key.
      try {
        parseOptions(callSchema, callOptions, `${what} call`);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const signal = callOptions?.signal;
    if (signal?.aborted) return Promise.reject(new AbortedError(what, signal.reason));
    return direct ? attempt(signal, 1) : whole(signal, callOptions?.key);
  };
  return Object.assign(call, { protectedName: name, breaker });
}
