import type { z } from "zod";
import { ElixirScopeError } from "./errors/error.js";

/**
 * Validates an options object against a zod schema built with `z.strictObject` (or `.strict()`),
 * so a misspelled key is an error instead of a silently ignored default. Unknown keys raise
 * UNKNOWN_OPTION naming them; other problems raise INVALID_ARGUMENT naming the option path.
 *
 * @param where  who takes these options, for the message ("Registry", "EventStore.query").
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: string,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues;
  const unknown = issues.find((i) => i.code === "unrecognized_keys");
  if (unknown) {
    const keys = (unknown as { keys: string[] }).keys;
    const at = unknown.path.length ? ` in ${unknown.path.join(".")}` : "";
    throw new ElixirScopeError(
      "UNKNOWN_OPTION",
      `${where}: unknown option${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}${at}`,
      { context: { where, keys, path: unknown.path.map(String) } },
    );
  }
  const first = issues[0]!;
  const path = first.path.map(String).join(".") || "(options)";
  throw new ElixirScopeError("INVALID_ARGUMENT", `${where}: option ${path}: ${first.message}`, {
    context: {
      where,
      issues: issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
    },
  });
}
