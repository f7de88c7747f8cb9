import { z } from "zod";
import { clockSchema, namespaceSchema } from "./common/schemas.js";
import { ConfigServer, type ConfigServerOptions } from "./config/config-server.js";
import { EventStore } from "./events/event-store.js";
import { parseOptions } from "./options.js";
import { Registry } from "./registry/registry.js";
import type { Namespace } from "./registry/types.js";
import { Supervisor } from "./supervisor/supervisor.js";
import { TelemetryServer } from "./telemetry/server.js";
import type { TelemetryEmitter } from "./telemetry/types.js";

/** Registry names of the core services in every Foundation namespace. */
export const CORE_SERVICES = {
  supervisor: "foundation",
  config: "config",
  telemetry: "telemetry",
  events: "event_store",
} as const;

const FoundationOptions = z.strictObject({
  namespace: namespaceSchema,
  registry: z.custom<Registry>((v) => v instanceof Registry).optional(),
  /** ConfigServer options (layers, schema...). Its `eventStore` section configures the EventStore. */
  config: z.record(z.string(), z.unknown()).optional(),
  clock: clockSchema.optional(),
  /** Restart intensity of the Foundation's supervisor (default: the config's `supervisor`). */
  maxRestarts: z.number().int().min(0).optional(),
  withinMs: z.number().positive().optional(),
});
export type FoundationOptions = z.input<typeof FoundationOptions>;

/**
 * A running Foundation: the core services under one supervisor in one namespace. The service
 * getters look the current instance up in the registry, so they stay right across restarts.
 */
export class Foundation {
  constructor(
    readonly namespace: Namespace,
    readonly registry: Registry,
    readonly supervisor: Supervisor,
  ) {}

  get config(): ConfigServer {
    return this.registry.get<ConfigServer>(this.namespace, CORE_SERVICES.config);
  }
  get events(): EventStore {
    return this.registry.get<EventStore>(this.namespace, CORE_SERVICES.events);
  }
  get telemetry(): TelemetryServer {
    return this.registry.get<TelemetryServer>(this.namespace, CORE_SERVICES.telemetry);
  }

  /** Stops the supervisor (services in reverse start order), then anything else in the namespace. */
  async stop(): Promise<void> {
    await this.supervisor.stop("shutdown");
    await this.registry.stopNamespace(this.namespace);
  }
}

/**
 * Starts the core services (config, telemetry, event store, in that order) under a supervisor
 * registered as "foundation" in `namespace`. The EventStore takes its settings from the config's
 * `eventStore` section.
 */
export async function startFoundation(options: FoundationOptions): Promise<Foundation> {
  const o = parseOptions(FoundationOptions, options, "startFoundation");
  const ns = o.namespace;
  const registry = o.registry ?? new Registry();
  const clock = o.clock;
  const common = { namespace: ns, registry, ...(clock ? { clock } : {}) };
  // Services report through whichever telemetry instance is current.
  const telemetry: TelemetryEmitter = {
    execute: (e, m, md) =>
      registry.lookup<TelemetryServer>(ns, CORE_SERVICES.telemetry)?.execute(e, m, md),
  };
  const configOptions = (o.config ?? {}) as ConfigServerOptions;
  const makeConfig = (callTimeoutMs?: number) =>
    new ConfigServer({
      ...configOptions,
      ...common,
      name: CORE_SERVICES.config,
      telemetry,
      ...(callTimeoutMs ? { callTimeoutMs } : {}),
    });
  // The layered settings are read up front (a config is validated when constructed): they
  // configure the supervisor and the other services. The first instance is the one started.
  const initial = makeConfig().initialConfig;
  const callTimeoutMs = initial.service.callTimeoutMs;
  let first: ConfigServer | undefined = makeConfig(callTimeoutMs);
  let lastSettings = initial.eventStore;
  const supervisor = new Supervisor({
    name: CORE_SERVICES.supervisor,
    ...common,
    maxRestarts: o.maxRestarts ?? initial.supervisor.maxRestarts,
    withinMs: o.withinMs ?? initial.supervisor.withinMs,
    telemetry,
    children: [
      {
        id: CORE_SERVICES.config,
        start: () => {
          const c = first ?? makeConfig(callTimeoutMs);
          first = undefined;
          return c.start();
        },
      },
      {
        id: CORE_SERVICES.telemetry,
        start: () =>
          new TelemetryServer({ ...common, name: CORE_SERVICES.telemetry, callTimeoutMs }).start(),
      },
      {
        id: CORE_SERVICES.events,
        start: () => {
          // Settings come from the current config; if the config service is itself restarting,
          // the last settings seen keep the event store from failing its restart on that alone.
          const current = registry.lookup<ConfigServer>(ns, CORE_SERVICES.config);
          if (current) lastSettings = current.get().eventStore;
          const es = lastSettings;
          return new EventStore({
            ...common,
            name: CORE_SERVICES.events,
            telemetry,
            callTimeoutMs,
            storage: es.storage,
            ...(es.storage === "sqlite" ? { path: es.path, synchronous: es.synchronous } : {}),
            maxDataBytes: es.maxDataBytes,
            retention: es.retention,
          }).start();
        },
      },
    ],
  });
  await supervisor.start();
  return new Foundation(ns, registry, supervisor);
}
