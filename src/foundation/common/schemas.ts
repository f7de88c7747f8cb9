/**
 * Zod schemas shared by the option validation of the whole Foundation, core and
 * infrastructure: one check per kind of injected dependency. Validation itself goes through
 * `parseOptions`, so unknown keys raise UNKNOWN_OPTION naming them.
 * @packageDocumentation
 */
import { z } from "zod";
import type { Clock, TimerClock } from "../clock.js";
import type { Namespace, RegistryApi } from "../registry/types.js";
import type { TelemetryEmitter } from "../telemetry/types.js";

/** A non-negative, finite number of milliseconds. */
export const msSchema = z.number().finite().nonnegative();
/** A strictly positive, finite number of milliseconds. */
export const positiveMsSchema = z.number().finite().positive();
/** A strictly positive number of milliseconds, or `Infinity` for "no limit". */
export const timeoutMsSchema = z.number().positive();
/** A positive integer count. */
export const countSchema = z.number().int().positive();

function hasMethods(v: unknown, ...names: string[]): boolean {
  if (typeof v !== "object" || v === null) return false;
  for (const n of names) if (typeof (v as Record<string, unknown>)[n] !== "function") return false;
  return true;
}

/** A clock with `now()` and `setTimeout()` (the Foundation's TimerClock). */
export const clockSchema = z.custom<TimerClock>((v) => hasMethods(v, "now", "setTimeout"), {
  message: "expected a clock with now() and setTimeout()",
});

/** A clock that only needs to tell the time. */
export const readClockSchema = z.custom<Clock>((v) => hasMethods(v, "now"), {
  message: "expected a clock with now()",
});

/** Where telemetry goes: anything with the TelemetryService's `execute`. */
export const telemetrySchema = z.custom<TelemetryEmitter>((v) => hasMethods(v, "execute"), {
  message: "expected a telemetry emitter with execute(event, measurements, metadata)",
});

/** A registry: anything with the Registry's `register` (the Registry, or a wrapper of it). */
export const registrySchema = z.custom<RegistryApi>((v) => hasMethods(v, "register"), {
  message: "expected a registry with register()",
});

/**
 * A registry namespace. Only its type is checked here: the registry itself refuses a string
 * that is not `"production"` or `test:<id>` (REGISTRY_INVALID_NAMESPACE) when it is used.
 */
export const namespaceSchema = z.custom<Namespace>((v) => typeof v === "string", {
  message: 'expected a namespace: "production" or "test:<id>"',
});

/** An AbortSignal (checked with instanceof, so the caller's own signal is kept). */
export const signalSchema = z.custom<AbortSignal>((v) => v instanceof AbortSignal, {
  message: "expected an AbortSignal",
});

/** Any function; zod's own function schema would wrap the value, this keeps the caller's. */
export function fnSchema<F>(what: string) {
  return z.custom<F>((v) => typeof v === "function", { message: `expected ${what} (a function)` });
}
