/**
 * L1 Foundation: OTP-style services for Node (registry, supervision, config, events, telemetry)
 * and resilience infrastructure. Usable on its own as `elixirscope/foundation`.
 *
 * The core's names are exported explicitly so that they win over any same-named export of the
 * infrastructure entry point.
 * @packageDocumentation
 */

export {
  type Clock,
  MAX_TIMER_DELAY_MS,
  ManualClock,
  systemClock,
  type TimerClock,
  type TimerHandle,
  type TimerOptions,
} from "./clock.js";
export * from "./config/index.js";
export * from "./errors/index.js";
export * from "./events/index.js";
export {
  CORE_SERVICES,
  Foundation,
  type FoundationOptions,
  startFoundation,
} from "./foundation.js";
export * from "./infra/index.js";
export { parseOptions } from "./options.js";
export {
  createTestNamespace,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  type HealthOptions,
  type HealthProbeResult,
  type HealthReport,
  type HealthStatus,
  isNamespace,
  type Namespace,
  type Registrable,
  Registry,
  type RegistryApi,
  type RegistryEntry,
  type RegistryOptions,
  type RegistryStats,
  type WaitForOptions,
} from "./registry/index.js";
export * from "./service/index.js";
export * from "./supervisor/index.js";
export * from "./telemetry/index.js";
export * from "./testing/index.js";
