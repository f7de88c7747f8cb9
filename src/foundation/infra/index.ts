/**
 * Resilience infrastructure: circuit breaker, rate limiter, connection pool, health checks,
 * memory manager, performance monitor, protected calls. Built on the Foundation core's clock,
 * error catalogue, telemetry contract and registry.
 * @packageDocumentation
 */

export { NEVER_ABORTED, raceTimeout, runWithTimeout, type Work } from "../common/deadline.js";
export * from "../common/emitter.js";
export * from "./circuit-breaker.js";
export * from "./errors.js";
export * from "./health-check.js";
export * from "./histogram.js";
export * from "./lru-cache.js";
export * from "./memory-manager.js";
export * from "./performance-monitor.js";
export * from "./pool.js";
export * from "./protect.js";
export * from "./rate-limit-policy.js";
export * from "./rate-limiter.js";
export * from "./redis-rate-limiter.js";
export * from "./retry.js";
export * from "./telemetry.js";
