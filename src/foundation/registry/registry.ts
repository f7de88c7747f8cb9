import { randomUUID } from "node:crypto";
import { z } from "zod";
import { systemClock, type TimerClock } from "../clock.js";
import { settlesWithin } from "../common/deadline.js";
import { clockSchema, telemetrySchema } from "../common/schemas.js";
import { ElixirScopeError, isElixirScopeError } from "../errors/error.js";
import { parseOptions } from "../options.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import type {
  HealthOptions,
  HealthReport,
  Namespace,
  Registrable,
  RegistryApi,
  RegistryEntry,
  RegistryStats,
  WaitForOptions,
} from "./types.js";

export const DEFAULT_WAIT_TIMEOUT_MS = 5_000;
export const DEFAULT_HEALTH_TIMEOUT_MS = 5_000;

/** A fresh isolated namespace, `test:<uuid>`. */
export function createTestNamespace(label?: string): Namespace {
  return `test:${label ? `${label}:` : ""}${randomUUID()}`;
}

/**
 * True for a namespace the registry accepts: `"production"` or `test:<id>`. Any other string is
 * refused, so a typo cannot silently open a namespace of its own.
 */
export function isNamespace(value: unknown): value is Namespace {
  return value === "production" || (typeof value === "string" && /^test:.+/.test(value));
}

function checkNamespace(ns: unknown): asserts ns is Namespace {
  if (!isNamespace(ns)) {
    throw new ElixirScopeError(
      "REGISTRY_INVALID_NAMESPACE",
      `Invalid namespace ${JSON.stringify(ns)}: use "production" or "test:<id>"`,
      { context: { namespace: ns } },
    );
  }
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name.length === 0) {
    throw new ElixirScopeError("INVALID_ARGUMENT", `Service name must be a non-empty string`, {
      context: { name },
    });
  }
}

interface Waiter {
  resolve: (service: Registrable) => void;
}

const RegistryOptions = z.strictObject({
  /** Registration times are read, and `waitFor` and health timeouts scheduled, on this clock. */
  clock: clockSchema.optional(),
  telemetry: telemetrySchema.optional(),
});
export type RegistryOptions = z.input<typeof RegistryOptions>;

/**
 * Services by (namespace, name). Lookups are two Map reads plus a liveness check, so they stay
 * in the tens of nanoseconds; register and unregister emit telemetry, lookups only count.
 */
export class Registry implements RegistryApi {
  #spaces = new Map<Namespace, Map<string, RegistryEntry>>();
  #waiters = new Map<string, Set<Waiter>>();
  #seq = 0;
  #clock: TimerClock;
  #telemetry: TelemetryEmitter | undefined;
  #stats = {
    registrations: 0,
    unregistrations: 0,
    lookups: 0,
    misses: 0,
    deadReplaced: 0,
  };

  constructor(options: RegistryOptions = {}) {
    const o = parseOptions(RegistryOptions, options, "Registry");
    this.#clock = o.clock ?? systemClock;
    this.#telemetry = o.telemetry;
  }

  register<T extends Registrable>(namespace: Namespace, name: string, service: T): void {
    checkNamespace(namespace);
    checkName(name);
    let space = this.#spaces.get(namespace);
    if (!space) {
      space = new Map();
      this.#spaces.set(namespace, space);
    }
    const held = space.get(name);
    if (held) {
      if (held.service === service) return;
      if (held.service.alive) {
        throw new ElixirScopeError(
          "REGISTRY_NAME_TAKEN",
          `Service "${name}" is already registered in namespace "${namespace}" (held since ${new Date(held.registeredAt).toISOString()} by ${describe(held.service)})`,
          { context: { namespace, name, holder: describe(held.service) } },
        );
      }
      this.#stats.deadReplaced++;
    }
    space.set(name, {
      namespace,
      name,
      service,
      registeredAt: this.#clock.now(),
      seq: this.#seq++,
    });
    this.#stats.registrations++;
    this.#telemetry?.execute("foundation.registry.register", { count: 1 }, { namespace, name });
    const key = waiterKey(namespace, name);
    const waiters = this.#waiters.get(key);
    if (waiters) {
      this.#waiters.delete(key);
      for (const w of waiters) w.resolve(service);
    }
  }

  lookup<T extends Registrable = Registrable>(namespace: Namespace, name: string): T | undefined {
    this.#stats.lookups++;
    const entry = this.#spaces.get(namespace)?.get(name);
    if (entry?.service.alive) return entry.service as T;
    this.#stats.misses++;
    return undefined;
  }

  get<T extends Registrable = Registrable>(namespace: Namespace, name: string): T {
    const found = this.lookup<T>(namespace, name);
    if (found) return found;
    checkNamespace(namespace);
    throw new ElixirScopeError(
      "SERVICE_NOT_FOUND",
      `No live service "${name}" in namespace "${namespace}"`,
      { context: { namespace, name } },
    );
  }

  unregister(namespace: Namespace, name: string, service?: Registrable): boolean {
    const space = this.#spaces.get(namespace);
    const entry = space?.get(name);
    if (!space || !entry) return false;
    if (service && entry.service !== service) return false;
    space.delete(name);
    if (space.size === 0) this.#spaces.delete(namespace);
    this.#stats.unregistrations++;
    this.#telemetry?.execute("foundation.registry.unregister", { count: 1 }, { namespace, name });
    return true;
  }

  list(namespace: Namespace): RegistryEntry[] {
    const space = this.#spaces.get(namespace);
    if (!space) return [];
    return [...space.values()].filter((e) => e.service.alive).sort((a, b) => a.seq - b.seq);
  }

  count(namespace?: Namespace): number {
    if (namespace !== undefined) return this.list(namespace).length;
    let n = 0;
    for (const ns of this.#spaces.keys()) n += this.list(ns).length;
    return n;
  }

  namespaces(): Namespace[] {
    return [...this.#spaces.keys()];
  }

  stats(): RegistryStats {
    const byNamespace: Record<string, number> = {};
    let services = 0;
    for (const ns of this.#spaces.keys()) {
      const n = this.list(ns).length;
      byNamespace[ns] = n;
      services += n;
    }
    return { namespaces: this.#spaces.size, services, byNamespace, ...this.#stats };
  }

  waitFor<T extends Registrable = Registrable>(
    namespace: Namespace,
    name: string,
    options: WaitForOptions = {},
  ): Promise<T> {
    checkNamespace(namespace);
    checkName(name);
    const found = this.lookup<T>(namespace, name);
    if (found) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    const signal = options.signal;
    if (signal?.aborted) {
      return Promise.reject(
        new ElixirScopeError("ABORTED", `waitFor "${name}" in "${namespace}" was aborted`, {
          context: { namespace, name },
          cause: signal.reason,
        }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const key = waiterKey(namespace, name);
      let set = this.#waiters.get(key);
      if (!set) {
        set = new Set();
        this.#waiters.set(key, set);
      }
      const cleanup = () => {
        timer.cancel();
        signal?.removeEventListener("abort", onAbort);
        const s = this.#waiters.get(key);
        s?.delete(waiter);
        if (s?.size === 0) this.#waiters.delete(key);
      };
      const waiter: Waiter = {
        resolve: (service) => {
          cleanup();
          resolve(service as T);
        },
      };
      const onAbort = () => {
        cleanup();
        reject(
          new ElixirScopeError("ABORTED", `waitFor "${name}" in "${namespace}" was aborted`, {
            context: { namespace, name },
            cause: signal?.reason,
          }),
        );
      };
      const timer = this.#clock.setTimeout(() => {
        cleanup();
        reject(
          new ElixirScopeError(
            "TIMEOUT",
            `Service "${name}" did not appear in namespace "${namespace}" within ${timeoutMs} ms`,
            { context: { namespace, name, timeoutMs } },
          ),
        );
      }, timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      set.add(waiter);
    });
  }

  async health(
    namespace: Namespace,
    name: string,
    options: HealthOptions = {},
  ): Promise<HealthReport> {
    const started = performance.now();
    const report = (
      status: HealthReport["status"],
      reason?: string,
      details?: Record<string, unknown>,
    ) => {
      const r: HealthReport = { namespace, name, status, durationMs: performance.now() - started };
      if (reason !== undefined) r.reason = reason;
      if (details !== undefined) r.details = details;
      return r;
    };
    const entry = this.#spaces.get(namespace)?.get(name);
    if (!entry) return report("unhealthy", "not registered");
    if (!entry.service.alive) return report("unhealthy", "not alive");
    const probe =
      options.probe ?? (entry.service.health ? () => entry.service.health!() : undefined);
    if (!probe) return report("healthy", "alive (no health probe)");
    const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
    try {
      const probed = Promise.resolve().then(() => probe(entry.service));
      if (!(await settlesWithin(probed, timeoutMs, this.#clock)))
        return report("unhealthy", `health probe timed out after ${timeoutMs} ms`);
      const result = await probed;
      if (result === true) return report("healthy");
      if (result === false) return report("unhealthy", "health probe answered false");
      return report(result.status, result.reason, result.details);
    } catch (err) {
      const msg = isElixirScopeError(err) || err instanceof Error ? err.message : String(err);
      return report("unhealthy", `health probe threw: ${msg}`);
    }
  }

  async stopNamespace(namespace: Namespace, options: { timeoutMs?: number } = {}): Promise<void> {
    checkNamespace(namespace);
    const space = this.#spaces.get(namespace);
    if (!space) return;
    const entries = [...space.values()].sort((a, b) => b.seq - a.seq);
    const failures: unknown[] = [];
    for (const e of entries) {
      if (e.service.alive && e.service.stop) {
        try {
          await e.service.stop("shutdown", options.timeoutMs);
        } catch (err) {
          failures.push(err);
        }
      }
      if (space.get(e.name) === e) space.delete(e.name);
    }
    if (space.size === 0) this.#spaces.delete(namespace);
    if (failures.length) {
      throw new ElixirScopeError(
        "INTERNAL_ERROR",
        `${failures.length} service(s) failed to stop in namespace "${namespace}"`,
        { context: { namespace }, cause: failures[0] },
      );
    }
  }
}

function waiterKey(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

function describe(service: Registrable): string {
  const ctor = (service as object).constructor?.name;
  const id = (service as { id?: unknown }).id;
  return `${ctor ?? "service"}${id !== undefined ? `#${String(id)}` : ""}`;
}
