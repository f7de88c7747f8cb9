/**
 * Zod schemas shared by the components' option validation. Validation itself goes through the
 * Foundation's `parseOptions`, so unknown keys raise UNKNOWN_OPTION naming them.
 * @packageDocumentation
 */
import { z } from "zod";
import type { TimerClock } from "../clock.js";
import type { TelemetryEmitter } from "../telemetry/types.js";

/** A non-negative, finite number of milliseconds. */
export const msSchema = z.number().finite().nonnegative();
/** A strictly positive, finite number of milliseconds. */
export const positiveMsSchema = z.number().finite().positive();
/** A positive integer count. */
export const countSchema = z.number().int().positive();

/** A clock with `now()` and `setTimeout()` (the Foundation's TimerClock). */
export const clockSchema = z.custom<TimerClock>(
  (v) =>
    typeof v === "object" &&
    v !== null &&
    typeof (v as TimerClock).now === "function" &&
    typeof (v as TimerClock).setTimeout === "function",
  { message: "expected a clock with now() and setTimeout()" },
);

/** Where telemetry goes: anything with the TelemetryService's `execute`. */
export const telemetrySchema = z.custom<TelemetryEmitter>(
  (v) =>
    typeof v === "object" && v !== null && typeof (v as TelemetryEmitter).execute === "function",
  { message: "expected a telemetry emitter with execute(event, measurements, metadata)" },
);

/** Any function; zod's own function schema would wrap the value, this keeps the caller's. */
export function fnSchema<F>(what: string) {
  return z.custom<F>((v) => typeof v === "function", { message: `expected ${what} (a function)` });
}
