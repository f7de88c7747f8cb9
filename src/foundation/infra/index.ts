/**
 * Resilience infrastructure: circuit breaker, rate limiter, connection pool, health checks,
 * memory manager, performance monitor, protected calls.
 * @packageDocumentation
 */
export * from "./circuit-breaker.js";
export * from "./clock.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./telemetry.js";
export { NEVER_ABORTED, runWithTimeout, type Work } from "./timeout.js";
