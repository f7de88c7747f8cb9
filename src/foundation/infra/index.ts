/**
 * Resilience infrastructure: circuit breaker, rate limiter, connection pool, health checks,
 * memory manager, performance monitor, protected calls.
 * @packageDocumentation
 */
export {};
