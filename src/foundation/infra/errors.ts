/**
 * Typed errors of the resilience infrastructure. Each carries a stable code, a category, a
 * severity, whether a retry can help and after how long, and structured context.
 * @packageDocumentation
 */

/** Stable codes of the errors raised by the resilience infrastructure. */
export type InfraErrorCode =
  | "INFRA_CIRCUIT_OPEN"
  | "INFRA_RATE_LIMITED"
  | "INFRA_POOL_TIMEOUT"
  | "INFRA_POOL_CLOSED"
  | "INFRA_POOL_RESOURCE"
  | "INFRA_TIMEOUT"
  | "INFRA_RETRIES_EXHAUSTED"
  | "INFRA_ABORTED"
  | "INFRA_INVALID_OPTIONS"
  | "INFRA_BACKEND_UNAVAILABLE";

/** Broad kind of failure, for routing and dashboards. */
export type InfraErrorCategory = "resilience" | "configuration" | "external";

/** How bad the failure is for the caller. */
export type InfraErrorSeverity = "low" | "medium" | "high" | "critical";

/** Fields every infrastructure error is built from. */
export interface InfraErrorInit {
  readonly code: InfraErrorCode;
  readonly message: string;
  readonly category?: InfraErrorCategory;
  readonly severity?: InfraErrorSeverity;
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly correlationId?: string;
  readonly cause?: unknown;
}

/** Base of every error thrown by `src/foundation/infra`. */
export class InfraError extends Error {
  readonly code: InfraErrorCode;
  readonly category: InfraErrorCategory;
  readonly severity: InfraErrorSeverity;
  /** Whether the same call may succeed if tried again. */
  readonly retryable: boolean;
  /** When retrying makes sense, the earliest useful delay in ms. */
  readonly retryAfterMs: number | undefined;
  readonly context: Readonly<Record<string, unknown>>;
  readonly correlationId: string | undefined;

  constructor(init: InfraErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.category = init.category ?? "resilience";
    this.severity = init.severity ?? "medium";
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.context = init.context ?? {};
    this.correlationId = init.correlationId;
  }

  /** A plain object for logs and JSON responses. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      category: this.category,
      severity: this.severity,
      message: this.message,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      context: this.context,
      correlationId: this.correlationId,
    };
  }
}

/** A call rejected without running because the circuit breaker is open. */
export class CircuitOpenError extends InfraError {
  /** Epoch ms at which the breaker will admit a probe call. */
  readonly retryAt: number;
  constructor(breaker: string, retryAt: number, now: number) {
    const retryAfterMs = Math.max(0, retryAt - now);
    super({
      code: "INFRA_CIRCUIT_OPEN",
      message: `circuit breaker "${breaker}" is open; it will try again in ${retryAfterMs} ms`,
      retryable: true,
      retryAfterMs,
      context: { breaker, retryAt },
    });
    this.retryAt = retryAt;
  }
}

/** A call refused by a rate limiter. */
export class RateLimitedError extends InfraError {
  constructor(limiter: string, key: string, retryAfterMs: number, remaining: number) {
    super({
      code: "INFRA_RATE_LIMITED",
      message: `rate limit "${limiter}" exceeded for key "${key}"; retry in ${Math.ceil(retryAfterMs)} ms`,
      severity: "low",
      retryable: Number.isFinite(retryAfterMs),
      retryAfterMs,
      context: { limiter, key, remaining },
    });
  }
}

/** No pooled resource became free within the acquire timeout. */
export class PoolTimeoutError extends InfraError {
  constructor(pool: string, timeoutMs: number, stats: Readonly<Record<string, number>>) {
    super({
      code: "INFRA_POOL_TIMEOUT",
      message: `pool "${pool}" had no free resource within ${timeoutMs} ms`,
      retryable: true,
      context: { pool, timeoutMs, ...stats },
    });
  }
}

/** The pool is draining or closed and hands out nothing more. */
export class PoolClosedError extends InfraError {
  constructor(pool: string) {
    super({ code: "INFRA_POOL_CLOSED", message: `pool "${pool}" is closed`, context: { pool } });
  }
}

/** An operation took longer than its time budget. */
export class TimeoutError extends InfraError {
  constructor(what: string, timeoutMs: number) {
    super({
      code: "INFRA_TIMEOUT",
      message: `${what} timed out after ${timeoutMs} ms`,
      retryable: true,
      context: { what, timeoutMs },
    });
  }
}

/** Every attempt allowed by a retry policy failed; `cause` is the last failure. */
export class RetriesExhaustedError extends InfraError {
  readonly attempts: number;
  constructor(what: string, attempts: number, lastError: unknown) {
    super({
      code: "INFRA_RETRIES_EXHAUSTED",
      message: `${what} failed after ${attempts} attempts: ${describe(lastError)}`,
      severity: "high",
      context: { what, attempts },
      cause: lastError,
    });
    this.attempts = attempts;
  }
}

/** The caller aborted through its AbortSignal. */
export class AbortedError extends InfraError {
  constructor(what: string, reason?: unknown) {
    super({
      code: "INFRA_ABORTED",
      message: `${what} was aborted${reason === undefined ? "" : `: ${describe(reason)}`}`,
      severity: "low",
      context: { what },
      cause: reason,
    });
  }
}

/** Options that fail validation: unknown keys, wrong types, impossible combinations. */
export class InvalidOptionsError extends InfraError {
  constructor(where: string, problems: readonly string[]) {
    super({
      code: "INFRA_INVALID_OPTIONS",
      category: "configuration",
      severity: "high",
      message: `invalid ${where}: ${problems.join("; ")}`,
      context: { where, problems },
    });
  }
}

/** A shared backend (Redis) could not answer. */
export class BackendUnavailableError extends InfraError {
  constructor(backend: string, cause: unknown) {
    super({
      code: "INFRA_BACKEND_UNAVAILABLE",
      category: "external",
      severity: "high",
      message: `${backend} is unavailable: ${describe(cause)}`,
      retryable: true,
      context: { backend },
      cause,
    });
  }
}

/** A readable one-line description of any thrown value. */
export function describe(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
