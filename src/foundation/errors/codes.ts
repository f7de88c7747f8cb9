/**
 * The one catalogue of error codes for the whole project. Every `ElixirScopeError` carries one of
 * these codes; its category, default severity and retryability come from here. Codes are stable
 * strings (never numbers, so two layers cannot clash on a range), and every code is documented in
 * docs/FOUNDATION.md (a test checks both directions).
 */

export type ErrorCategory =
  | "general"
  | "config"
  | "registry"
  | "service"
  | "supervisor"
  | "event_store"
  | "telemetry"
  | "resilience"
  | "parser"
  | "analysis"
  | "api";

export type ErrorSeverity = "low" | "medium" | "high" | "critical";

export interface ErrorCodeInfo {
  readonly category: ErrorCategory;
  readonly severity: ErrorSeverity;
  /** Whether retrying the same operation later can succeed. */
  readonly retryable: boolean;
  /** One sentence: what went wrong, for people reading logs and docs. */
  readonly description: string;
}

function entry(
  category: ErrorCategory,
  severity: ErrorSeverity,
  retryable: boolean,
  description: string,
): ErrorCodeInfo {
  return { category, severity, retryable, description };
}

export const ERROR_CODES = {
  // general
  INTERNAL_ERROR: entry("general", "high", false, "An unexpected failure inside ElixirScope."),
  INVALID_ARGUMENT: entry("general", "medium", false, "An argument or option has a wrong value."),
  UNKNOWN_OPTION: entry(
    "general",
    "medium",
    false,
    "An options object has a key that is not recognised.",
  ),
  TIMEOUT: entry("general", "medium", true, "An operation did not finish within its timeout."),
  ABORTED: entry("general", "low", false, "An operation was cancelled through its AbortSignal."),
  NOT_SUPPORTED: entry(
    "general",
    "medium",
    false,
    "The operation is not supported in this configuration.",
  ),

  // registry
  REGISTRY_NAME_TAKEN: entry(
    "registry",
    "medium",
    false,
    "A live service already holds this name in this namespace.",
  ),
  SERVICE_NOT_FOUND: entry(
    "registry",
    "medium",
    true,
    "No service is registered under this name in this namespace.",
  ),
  REGISTRY_INVALID_NAMESPACE: entry(
    "registry",
    "medium",
    false,
    "A namespace is neither `production` nor `test:<id>`.",
  ),
  HEALTH_CHECK_FAILED: entry(
    "registry",
    "high",
    true,
    "A service's health probe reported it unhealthy or threw.",
  ),

  // service
  SERVICE_NOT_RUNNING: entry(
    "service",
    "high",
    true,
    "The service is stopped, crashed or not yet started, or start() was called on an instance that already ran.",
  ),
  SERVICE_CRASHED: entry(
    "service",
    "high",
    true,
    "The service crashed while handling the message, or before it could reply.",
  ),
  SERVICE_START_FAILED: entry(
    "service",
    "high",
    true,
    "The service's init failed, so it did not start.",
  ),
  CALL_TIMEOUT: entry(
    "service",
    "medium",
    true,
    "A call to a service got no reply within its timeout.",
  ),

  // supervisor
  SUPERVISOR_INTENSITY_EXCEEDED: entry(
    "supervisor",
    "critical",
    false,
    "Children restarted more often than the restart intensity allows; the supervisor gave up.",
  ),
  CHILD_START_FAILED: entry("supervisor", "high", true, "A child of a supervisor failed to start."),
  CHILD_ALREADY_EXISTS: entry(
    "supervisor",
    "medium",
    false,
    "A child with this id is already in the supervisor.",
  ),
  CHILD_NOT_FOUND: entry(
    "supervisor",
    "medium",
    false,
    "No child with this id is in the supervisor.",
  ),
  SUPERVISOR_NOT_RUNNING: entry(
    "supervisor",
    "high",
    false,
    "The supervisor is stopped or stopping, or was stopped while starting its children.",
  ),

  // config
  CONFIG_INVALID: entry("config", "high", false, "The configuration does not match its schema."),
  CONFIG_PATH_NOT_FOUND: entry(
    "config",
    "low",
    false,
    "No configuration value exists at this path.",
  ),
  CONFIG_PATH_NOT_UPDATABLE: entry(
    "config",
    "medium",
    false,
    "This configuration path is not declared updatable at run time.",
  ),
  CONFIG_UNSAFE_PATH: entry(
    "config",
    "high",
    false,
    "A configuration path is too deep or names a forbidden key (`__proto__`, `constructor`, `prototype`).",
  ),
  CONFIG_UNSAFE_VALUE: entry(
    "config",
    "high",
    false,
    "A configuration value holds a function, is too large, is nested too deeply, or cannot be read as plain data (a throwing getter, a Proxy).",
  ),
  CONFIG_FILE_UNREADABLE: entry(
    "config",
    "high",
    false,
    "The configuration file could not be read or is not valid JSON.",
  ),
  CONFIG_UNKNOWN_ENV: entry(
    "config",
    "medium",
    false,
    "An environment variable with the config prefix names no configuration path.",
  ),

  // event store
  EVENT_INVALID: entry(
    "event_store",
    "medium",
    false,
    "An event lacks a required field or a field has the wrong type.",
  ),
  EVENT_TOO_LARGE: entry(
    "event_store",
    "medium",
    false,
    "An event's serialized data is over the size limit.",
  ),
  EVENT_NOT_FOUND: entry("event_store", "low", false, "No event has this id."),
  EVENT_QUERY_INVALID: entry(
    "event_store",
    "medium",
    false,
    "An event query has an unknown key or a wrong value.",
  ),
  EVENT_STORE_FAILURE: entry(
    "event_store",
    "high",
    true,
    "The event storage (SQLite) failed to read or write.",
  ),

  // telemetry
  METRIC_INVALID: entry(
    "telemetry",
    "medium",
    false,
    "A metric or label name breaks the Prometheus naming rules, or a value is not a finite number.",
  ),
  METRIC_CONFLICT: entry(
    "telemetry",
    "medium",
    false,
    "A metric name is already used with another type or other label names.",
  ),
  TELEMETRY_HANDLER_EXISTS: entry(
    "telemetry",
    "low",
    false,
    "A telemetry handler with this id is already attached.",
  ),

  // resilience infrastructure (circuit breaker, rate limiter, pool, health, memory, protect)
  CIRCUIT_OPEN: entry(
    "resilience",
    "medium",
    true,
    "The circuit breaker is open and rejected the call; retryAfterMs says when it will probe again.",
  ),
  RATE_LIMITED: entry(
    "resilience",
    "low",
    true,
    "The rate limiter denied the request; retryAfterMs says when budget returns.",
  ),
  RATE_LIMITER_BACKEND_UNAVAILABLE: entry(
    "resilience",
    "high",
    true,
    "The shared rate-limiter backend (Redis) could not be reached.",
  ),
  POOL_TIMEOUT: entry(
    "resilience",
    "medium",
    true,
    "No pooled resource became free within the acquire timeout.",
  ),
  POOL_DRAINING: entry(
    "resilience",
    "medium",
    false,
    "The pool is draining or closed and hands out no more resources.",
  ),
  POOL_RESOURCE_FAILED: entry(
    "resilience",
    "high",
    true,
    "Creating or validating a pooled resource failed.",
  ),
  RETRIES_EXHAUSTED: entry(
    "resilience",
    "high",
    false,
    "Every retry attempt failed; the cause is the last failure.",
  ),
  HEALTH_CHECK_TIMEOUT: entry(
    "resilience",
    "medium",
    true,
    "A health check did not answer within its timeout.",
  ),
  MEMORY_PRESSURE: entry(
    "resilience",
    "high",
    true,
    "Memory pressure is critical and the operation was refused.",
  ),

  // L2 (parser, analysis)
  PARSE_ERROR: entry(
    "parser",
    "medium",
    false,
    "Source text is not valid Elixir; the context names file, line and column.",
  ),
  ANALYSIS_FAILED: entry("analysis", "high", false, "Analysing a parsed module or project failed."),

  // HTTP API (elixirscope serve)
  NOT_FOUND: entry(
    "api",
    "low",
    false,
    "The requested module, function, file or route does not exist.",
  ),
  UNAUTHORIZED: entry(
    "api",
    "medium",
    false,
    "The request lacks the bearer token the server requires.",
  ),
  FORBIDDEN: entry(
    "api",
    "medium",
    false,
    "The request asks for something the server never serves.",
  ),
  PAYLOAD_TOO_LARGE: entry(
    "api",
    "low",
    false,
    "The request body or query is over the size limit.",
  ),
  INDEX_NOT_READY: entry(
    "api",
    "medium",
    true,
    "The index is still being built; retry after it is ready.",
  ),
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
