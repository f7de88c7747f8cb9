/**
 * L1 Foundation: OTP-style services for Node (registry, supervision, config, events, telemetry)
 * and resilience infrastructure. Usable on its own as `elixirscope/foundation`.
 *
 * This file is the public surface, listed name by name: helpers the components share stay
 * internal. `api/foundation.api.md` records the surface and a test fails when it changes
 * without the report being regenerated (`npm run api:report`).
 * @packageDocumentation
 */

// ---- time --------------------------------------------------------------------------------------
export {
  type Clock,
  MAX_TIMER_DELAY_MS,
  ManualClock,
  systemClock,
  type TimerClock,
  type TimerHandle,
  type TimerOptions,
} from "./clock.js";
export type { Work } from "./common/deadline.js";
export type { Disposable, Event } from "./common/emitter.js";
// ---- core services: config, events, telemetry, the Foundation ----------------------------------
export {
  CONFIG_UPDATED_EVENT,
  type ConfigChange,
  type ConfigEventSink,
  type ConfigListener,
  ConfigServer,
  type ConfigServerOptions,
} from "./config/config-server.js";
export {
  FOUNDATION_DEFAULTS,
  FOUNDATION_UPDATABLE_PATHS,
  type FoundationConfig,
  FoundationConfigSchema,
} from "./config/schema.js";
// ---- errors ------------------------------------------------------------------------------------
export {
  ERROR_CODES,
  type ErrorCategory,
  type ErrorCode,
  type ErrorCodeInfo,
  type ErrorSeverity,
} from "./errors/codes.js";
export {
  addBreadcrumb,
  type Breadcrumb,
  currentBreadcrumbs,
  currentCorrelationId,
  type ErrorContextOptions,
  MAX_BREADCRUMBS,
  withErrorContext,
} from "./errors/context.js";
export {
  ElixirScopeError,
  type ElixirScopeErrorOptions,
  isElixirScopeError,
  toElixirScopeError,
} from "./errors/error.js";
export { AbortedError, TimeoutError } from "./errors/timing.js";
export { EventStore, type EventStoreOptions, type PruneResult } from "./events/event-store.js";
export type { EventQuery, NewEvent, StoredEvent } from "./events/types.js";
export {
  CORE_SERVICES,
  Foundation,
  type FoundationOptions,
  startFoundation,
} from "./foundation.js";
// ---- resilience infrastructure -----------------------------------------------------------------
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitBreakerStatus,
  type CircuitState,
  type FailureRateOptions,
  type OpenReason,
  type RejectionEvent,
  type StateChangeEvent,
} from "./infra/circuit-breaker.js";
export {
  BackendUnavailableError,
  CircuitOpenError,
  HealthCheckTimeoutError,
  PoolClosedError,
  PoolResourceError,
  PoolTimeoutError,
  RateLimitedError,
  RetriesExhaustedError,
} from "./infra/errors.js";
export {
  type CheckFn,
  type CheckKind,
  type CheckResult,
  type HealthCheckDefinition,
  HealthChecker,
  type HealthCheckerOptions,
  type HealthSnapshot,
  healthToJSON,
  renderHealthText,
} from "./infra/health-check.js";
export { LatencyHistogram, type LatencySnapshot } from "./infra/histogram.js";
export { LruCache, type LruCacheOptions } from "./infra/lru-cache.js";
export {
  type CleanupAction,
  type LevelChange,
  MemoryManager,
  type MemoryManagerOptions,
  type MemorySample,
  type MemorySource,
  type PressureLevel,
} from "./infra/memory-manager.js";
export {
  type OperationRecorder,
  type PerformanceAlert,
  PerformanceMonitor,
  type PerformanceMonitorOptions,
  type PerformanceSnapshot,
  type Threshold,
  type WatchedMetric,
  type WindowStats,
} from "./infra/performance-monitor.js";
export {
  type AcquireOptions,
  ConnectionPool,
  type ConnectionPoolOptions,
  type DestroyReason,
  type DrainReport,
  type PoolEvent,
  type PoolFactory,
  type PoolStats,
} from "./infra/pool.js";
export {
  type CallOptions,
  type ProtectBreakerOptions,
  type ProtectedCall,
  type ProtectedContext,
  type ProtectOptions,
  type ProtectRateLimit,
  protect,
} from "./infra/protect.js";
export type {
  RateDecision,
  RateLimitPolicy,
  SlidingWindowPolicy,
  TokenBucketPolicy,
} from "./infra/rate-limit-policy.js";
export {
  type KeyedRateLimiter,
  RateLimiter,
  type RateLimiterOptions,
} from "./infra/rate-limiter.js";
export {
  RedisRateLimiter,
  type RedisRateLimiterOptions,
  type WhenUnavailable,
} from "./infra/redis-rate-limiter.js";
export type { RetryOptions } from "./infra/retry.js";
export type { ComponentHealth, InfraComponent } from "./infra/telemetry.js";
export { parseOptions } from "./options.js";
// ---- core: registry, services, supervisors -----------------------------------------------------
export {
  createTestNamespace,
  isNamespace,
  Registry,
  type RegistryOptions,
} from "./registry/registry.js";
export type {
  HealthOptions,
  HealthProbeResult,
  HealthReport,
  HealthStatus,
  Namespace,
  Registrable,
  RegistryApi,
  RegistryEntry,
  RegistryStats,
  WaitForOptions,
} from "./registry/types.js";
export { Service, type ServiceOptions } from "./service/service.js";
export type {
  ExitListener,
  ExitReason,
  ServiceStatus,
  Supervisable,
} from "./service/types.js";
export {
  type ChildInfo,
  type ChildSpec,
  type RestartType,
  type Strategy,
  Supervisor,
  type SupervisorOptions,
} from "./supervisor/supervisor.js";
export { HANDLER_FAILED_EVENT, TelemetryServer } from "./telemetry/server.js";
export type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  HistogramSnapshot,
  Labels,
  MetricOptions,
  MetricSnapshotEntry,
  TelemetryEmitter,
  TelemetryEventName,
  TelemetryHandler,
  TelemetryMeasurements,
  TelemetryMetadata,
  TelemetryService,
} from "./telemetry/types.js";
export {
  type IsolatedFoundation,
  type IsolatedFoundationOptions,
  startIsolatedFoundation,
} from "./testing/isolation.js";
