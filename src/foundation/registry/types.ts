/**
 * The registry contract: services found by (namespace, name).
 *
 * Namespaces are `production` or an isolated `test:<id>` namespace (one per test, created on
 * demand by registering into it). Every API takes the namespace explicitly, so no public API is
 * limited to production.
 */

export type Namespace = "production" | `test:${string}`;

export type HealthStatus = "healthy" | "degraded" | "unhealthy";

/** What a health probe may answer: a boolean, or a status with a reason and details. */
export type HealthProbeResult =
  | boolean
  | { status: HealthStatus; reason?: string; details?: Record<string, unknown> };

export interface HealthReport {
  namespace: Namespace;
  name: string;
  status: HealthStatus;
  reason?: string;
  details?: Record<string, unknown>;
  /** How long the probe took, in ms. */
  durationMs: number;
}

/**
 * Anything that can be registered. A holder whose `alive` is false is dead and is replaced by the
 * next `register` of its name. `stop` is used by `stopNamespace`; `health` is the default probe.
 */
export interface Registrable {
  readonly alive: boolean;
  stop?(reason?: string, timeoutMs?: number): Promise<void>;
  health?(): HealthProbeResult | Promise<HealthProbeResult>;
}

export interface RegistryEntry<T extends Registrable = Registrable> {
  namespace: Namespace;
  name: string;
  service: T;
  /** Epoch ms. */
  registeredAt: number;
  /** Registration order within the registry, used for reverse-order shutdown. */
  seq: number;
}

export interface RegistryStats {
  namespaces: number;
  services: number;
  byNamespace: Record<string, number>;
  registrations: number;
  unregistrations: number;
  lookups: number;
  misses: number;
  deadReplaced: number;
}

export interface WaitForOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HealthOptions {
  timeoutMs?: number;
  /** A probe to use instead of the service's own `health()`. */
  probe?: (service: Registrable) => HealthProbeResult | Promise<HealthProbeResult>;
}

export interface RegistryApi {
  register<T extends Registrable>(namespace: Namespace, name: string, service: T): void;
  /** The live holder, or undefined. */
  lookup<T extends Registrable = Registrable>(namespace: Namespace, name: string): T | undefined;
  /** The live holder, or throws SERVICE_NOT_FOUND. */
  get<T extends Registrable = Registrable>(namespace: Namespace, name: string): T;
  /** Removes the entry; with `service`, only if that service is still the holder. */
  unregister(namespace: Namespace, name: string, service?: Registrable): boolean;
  list(namespace: Namespace): RegistryEntry[];
  count(namespace?: Namespace): number;
  namespaces(): Namespace[];
  stats(): RegistryStats;
  waitFor<T extends Registrable = Registrable>(
    namespace: Namespace,
    name: string,
    options?: WaitForOptions,
  ): Promise<T>;
  health(namespace: Namespace, name: string, options?: HealthOptions): Promise<HealthReport>;
  /** Stops every service of the namespace in reverse registration order, then drops it. */
  stopNamespace(namespace: Namespace, options?: { timeoutMs?: number }): Promise<void>;
}
