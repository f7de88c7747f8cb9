/**
 * How infrastructure components report: telemetry through the Foundation's TelemetryService
 * (any `TelemetryEmitter`), and a health answer the Registry's probe understands.
 * @packageDocumentation
 */

import { reportListenerError } from "../common/emitter.js";
import type { HealthStatus, Registrable } from "../registry/types.js";
import type {
  TelemetryEmitter,
  TelemetryMeasurements,
  TelemetryMetadata,
} from "../telemetry/types.js";

/** What a component says about itself when probed (a Registry `HealthProbeResult`). */
export interface ComponentHealth {
  readonly status: HealthStatus;
  /** Why it is not healthy; absent when healthy. */
  readonly reason?: string;
  /** Component-specific numbers and state, JSON-serialisable. */
  readonly details: Record<string, unknown>;
}

/**
 * A component that can be registered as a named service in the Foundation Registry
 * (`registry.register(namespace, component.name, component)`) and probed for health.
 */
export interface InfraComponent extends Registrable {
  /** The component's kind, e.g. `circuit_breaker`; also its telemetry event prefix. */
  readonly kind: string;
  /** The name it is registered under. */
  readonly name: string;
  /** Current health, computed without side effects. */
  health(): ComponentHealth;
}

/**
 * Sends `foundation.<kind>.<event>`. A telemetry backend that throws is reported and ignored:
 * observing a call must never break it.
 */
export function emitTelemetry(
  sink: TelemetryEmitter | undefined,
  kind: string,
  event: string,
  measurements: TelemetryMeasurements,
  metadata: TelemetryMetadata,
): void {
  if (!sink) return;
  try {
    sink.execute(`foundation.${kind}.${event}`, measurements, metadata);
  } catch (error) {
    reportListenerError(`telemetry ${kind}.${event}`, error);
  }
}
