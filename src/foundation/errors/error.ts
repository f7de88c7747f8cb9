import { ERROR_CODES, type ErrorCategory, type ErrorCode, type ErrorSeverity } from "./codes.js";
import {
  type Breadcrumb,
  currentBreadcrumbs,
  currentCorrelationId,
  currentOperationPath,
} from "./context.js";

const BRAND = Symbol.for("elixirscope.error");

export interface ElixirScopeErrorOptions {
  /** Structured details: what, where (file, line, option, service, namespace...). */
  context?: Record<string, unknown>;
  cause?: unknown;
  /** Defaults to the current error context's correlation id. */
  correlationId?: string;
  /** Overrides the catalogue's severity for this occurrence. */
  severity?: ErrorSeverity;
  /** Overrides the catalogue's retryability for this occurrence. */
  retryable?: boolean;
  /** When a retry may succeed, in ms from now (rate limited, circuit open). */
  retryAfterMs?: number;
}

const OPTION_KEYS: ReadonlySet<string> = new Set<keyof ElixirScopeErrorOptions>([
  "context",
  "cause",
  "correlationId",
  "severity",
  "retryable",
  "retryAfterMs",
]);

/**
 * The strict-options rule without zod (`parseOptions` builds on this class, and errors are made on
 * hot paths): only the object's own keys are looked at, so a valid call costs one set lookup each.
 */
function unknownOptionKeys(options: ElixirScopeErrorOptions): string[] | undefined {
  let unknown: string[] | undefined;
  for (const key in options) {
    if (OPTION_KEYS.has(key) || !Object.hasOwn(options, key)) continue;
    unknown ??= [];
    unknown.push(key);
  }
  return unknown;
}

/**
 * The one error type of the project. Its code comes from the catalogue ({@link ERROR_CODES}),
 * which also gives its category, default severity and retryability. It captures the async error
 * context (correlation id, breadcrumbs, operation path) at construction.
 */
export class ElixirScopeError extends Error {
  override readonly name = "ElixirScopeError";
  readonly code: ErrorCode;
  readonly category: ErrorCategory;
  readonly severity: ErrorSeverity;
  readonly context: Readonly<Record<string, unknown>>;
  readonly correlationId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** Epoch ms. */
  readonly timestamp: number;
  readonly breadcrumbs: readonly Breadcrumb[];
  readonly operationPath: readonly string[];

  constructor(code: ErrorCode, message: string, options: ElixirScopeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const unknown = unknownOptionKeys(options);
    if (unknown) {
      // Same code and wording as parseOptions; these options are all valid, so this cannot recurse.
      throw new ElixirScopeError(
        "UNKNOWN_OPTION",
        `ElixirScopeError: unknown option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}`,
        { context: { where: "ElixirScopeError", keys: unknown, path: [] } },
      );
    }
    const info = ERROR_CODES[code] ?? ERROR_CODES.INTERNAL_ERROR;
    this.code = code;
    this.category = info.category;
    this.severity = options.severity ?? info.severity;
    this.retryable = options.retryable ?? info.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.context = options.context ?? {};
    this.correlationId = options.correlationId ?? currentCorrelationId();
    this.timestamp = Date.now();
    this.breadcrumbs = currentBreadcrumbs();
    this.operationPath = currentOperationPath();
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** A plain object for logs and JSON (the cause is summarised, not serialised whole). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      category: this.category,
      severity: this.severity,
      message: this.message,
      context: this.context,
      correlationId: this.correlationId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      timestamp: this.timestamp,
      operationPath: this.operationPath,
      breadcrumbs: this.breadcrumbs,
      cause: summariseCause(this.cause),
    };
  }

  override toString(): string {
    const where = this.operationPath.length ? ` (in ${this.operationPath.join(" > ")})` : "";
    return `${this.name} [${this.code}]: ${this.message}${where}`;
  }
}

function summariseCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (isElixirScopeError(cause)) return cause.toJSON();
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  return String(cause);
}

/**
 * True for an ElixirScopeError, even one from another copy of the package (the brand is a
 * registered symbol, so it works where `instanceof` does not). With `code`, also checks the code.
 */
export function isElixirScopeError(value: unknown, code?: ErrorCode): value is ElixirScopeError {
  if (typeof value !== "object" || value === null) return false;
  if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (value as ElixirScopeError).code === code;
}

/**
 * Wraps any thrown value: an ElixirScopeError is returned as is (unless `force` is set); anything
 * else becomes a new error with `code` and the original as `cause`.
 */
export function toElixirScopeError(
  value: unknown,
  code: ErrorCode = "INTERNAL_ERROR",
  message?: string,
  options: ElixirScopeErrorOptions = {},
): ElixirScopeError {
  if (isElixirScopeError(value)) return value;
  const text = message ?? (value instanceof Error ? value.message : String(value));
  return new ElixirScopeError(code, text, { ...options, cause: value });
}
