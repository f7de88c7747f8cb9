/**
 * Typed errors of the resilience infrastructure. Each is an {@link ElixirScopeError} with a code
 * from the project catalogue, so it carries category, severity, retryability, retry-after,
 * context and the async correlation id like every other error of the project; the subclasses
 * add `instanceof` checks and typed fields.
 * @packageDocumentation
 */
import { ElixirScopeError } from "../errors/error.js";
import { describeError } from "../errors/timing.js";

export { AbortedError, describeError, TimeoutError } from "../errors/timing.js";

/** A call rejected without running because the circuit breaker is open or probing. */
export class CircuitOpenError extends ElixirScopeError {
  /** Epoch ms at which the breaker will admit a probe call (`Infinity` while held open by hand). */
  readonly retryAt: number;
  constructor(breaker: string, state: "open" | "half-open", retryAt: number, now: number) {
    const retryAfterMs = Math.max(0, retryAt - now);
    const when =
      state === "half-open"
        ? "its probe calls are in flight; try again shortly"
        : Number.isFinite(retryAt)
          ? `it will try again in ${Math.ceil(retryAfterMs)} ms`
          : "it is held open until closed by hand";
    super("CIRCUIT_OPEN", `Circuit breaker "${breaker}" is ${state}; ${when}`, {
      retryAfterMs,
      retryable: Number.isFinite(retryAt),
      context: { breaker, state, retryAt },
    });
    this.retryAt = retryAt;
  }
}

/** A call refused by a rate limiter. */
export class RateLimitedError extends ElixirScopeError {
  constructor(limiter: string, key: string, retryAfterMs: number, remaining: number) {
    super(
      "RATE_LIMITED",
      `Rate limit "${limiter}" exceeded for key "${key}"; retry in ${Math.ceil(retryAfterMs)} ms`,
      { retryAfterMs, context: { limiter, key, remaining } },
    );
  }
}

/** No pooled resource became free within the acquire timeout. */
export class PoolTimeoutError extends ElixirScopeError {
  constructor(pool: string, timeoutMs: number, stats: Readonly<Record<string, number>>) {
    super("POOL_TIMEOUT", `Pool "${pool}" had no free resource within ${timeoutMs} ms`, {
      context: { pool, timeoutMs, ...stats },
    });
  }
}

/** The pool is draining or closed and hands out nothing more. */
export class PoolClosedError extends ElixirScopeError {
  constructor(pool: string) {
    super("POOL_DRAINING", `Pool "${pool}" is draining or closed`, { context: { pool } });
  }
}

/** Creating a pooled resource failed or timed out. */
export class PoolResourceError extends ElixirScopeError {
  constructor(pool: string, what: string, cause: unknown) {
    super("POOL_RESOURCE_FAILED", `Pool "${pool}": ${what} failed: ${describeError(cause)}`, {
      context: { pool, what },
      cause,
    });
  }
}

/** Every attempt allowed by a retry policy failed; `cause` is the last failure. */
export class RetriesExhaustedError extends ElixirScopeError {
  readonly attempts: number;
  constructor(what: string, attempts: number, lastError: unknown) {
    super(
      "RETRIES_EXHAUSTED",
      `${what} failed after ${attempts} attempts: ${describeError(lastError)}`,
      {
        context: { what, attempts },
        cause: lastError,
      },
    );
    this.attempts = attempts;
  }
}

/** The shared rate-limit backend (Redis) could not answer. */
export class BackendUnavailableError extends ElixirScopeError {
  constructor(backend: string, cause: unknown) {
    super(
      "RATE_LIMITER_BACKEND_UNAVAILABLE",
      `${backend} is unavailable: ${describeError(cause)}`,
      {
        context: { backend },
        cause,
      },
    );
  }
}

/** A health check that did not answer within its timeout. */
export class HealthCheckTimeoutError extends ElixirScopeError {
  constructor(check: string, timeoutMs: number) {
    super("HEALTH_CHECK_TIMEOUT", `Health check "${check}" did not answer within ${timeoutMs} ms`, {
      context: { check, timeoutMs },
    });
  }
}
