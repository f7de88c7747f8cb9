/**
 * How infrastructure components report: telemetry events through a sink that the Foundation's
 * TelemetryService satisfies, and a health report that the Registry can probe.
 * @packageDocumentation
 */
import { z } from "zod";
import { reportListenerError } from "./events.js";

/** Numeric measurements of one telemetry event (durations in ms). */
export type Measurements = Readonly<Record<string, number>>;
/** Descriptive metadata of one telemetry event. */
export type Metadata = Readonly<Record<string, unknown>>;

/** Where components send telemetry; the Foundation TelemetryService satisfies it. */
export interface TelemetrySink {
  execute(event: readonly string[], measurements: Measurements, metadata: Metadata): void;
}

/** Overall health of one component or of a whole system. */
export type HealthStatus = "healthy" | "degraded" | "unhealthy";

/** What a component says about itself when probed. */
export interface HealthReport {
  readonly status: HealthStatus;
  /** Why it is not healthy (empty when healthy). */
  readonly reasons: readonly string[];
  /** Component-specific numbers and state, JSON-serialisable. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** A component that can be registered as a named service and probed for health. */
export interface InfraComponent {
  /** The component's kind, e.g. `circuit_breaker`. */
  readonly kind: string;
  /** The name it is registered under. */
  readonly name: string;
  /** Current health, computed without side effects. */
  health(): HealthReport;
}

/** Prefix of every telemetry event emitted by the infrastructure. */
export const TELEMETRY_PREFIX = ["elixirscope", "infra"] as const;

export const telemetrySchema = z.custom<TelemetrySink>(
  (v) => typeof v === "object" && v !== null && typeof (v as TelemetrySink).execute === "function",
  { message: "expected a telemetry sink with execute(event, measurements, metadata)" },
);

/**
 * Sends one event under `elixirscope.infra.<kind>.<name…>`. A sink that throws is reported and
 * ignored: telemetry must never break the call it observes.
 */
export function emitTelemetry(
  sink: TelemetrySink | undefined,
  kind: string,
  event: string,
  measurements: Measurements,
  metadata: Metadata,
): void {
  if (!sink) return;
  try {
    sink.execute([...TELEMETRY_PREFIX, kind, event], measurements, metadata);
  } catch (error) {
    reportListenerError(`telemetry ${kind}.${event}`, error);
  }
}
