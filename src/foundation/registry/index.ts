export {
  createTestNamespace,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  isNamespace,
  Registry,
  type RegistryOptions,
} from "./registry.js";
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
} from "./types.js";
