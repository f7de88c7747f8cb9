/**
 * Option validation shared by every component: unknown keys and wrong types are errors that
 * name the component and the offending path, never silently defaulted.
 * @packageDocumentation
 */
import { z } from "zod";
import { InvalidOptionsError } from "./errors.js";

/**
 * Validates `input` against a strict zod schema and returns the parsed value.
 * @param where - what is being configured, e.g. `CircuitBreaker "db" options`.
 * @throws InvalidOptionsError listing every problem with its path.
 */
export function parseOptions<S extends z.ZodType>(
  where: string,
  schema: S,
  input: unknown,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join(".") : "(root)";
    return `${path}: ${issue.message}`;
  });
  throw new InvalidOptionsError(where, problems);
}

/** A non-negative, finite number of milliseconds. */
export const msSchema = z.number().finite().nonnegative();
/** A strictly positive, finite number of milliseconds. */
export const positiveMsSchema = z.number().finite().positive();
/** A positive integer count. */
export const countSchema = z.number().int().positive();

/** Something that exposes a `now()` in ms and one-shot timers (see InfraClock). */
export const clockSchema = z.custom<import("./clock.js").InfraClock>(
  (v) =>
    typeof v === "object" &&
    v !== null &&
    typeof (v as { now?: unknown }).now === "function" &&
    typeof (v as { setTimeout?: unknown }).setTimeout === "function" &&
    typeof (v as { clearTimeout?: unknown }).clearTimeout === "function",
  { message: "expected a clock with now(), setTimeout() and clearTimeout()" },
);

/** Any function (zod's function schemas wrap the value; this keeps the caller's function). */
export function fnSchema<F extends (...args: never[]) => unknown>(what: string) {
  return z.custom<F>((v) => typeof v === "function", { message: `expected ${what} (a function)` });
}

/** An AbortSignal. */
export const signalSchema = z.custom<AbortSignal>((v) => v instanceof AbortSignal, {
  message: "expected an AbortSignal",
});
