/**
 * The two errors every wait of the Foundation can end with, core and infrastructure alike: the
 * time budget ran out, or the caller aborted.
 * @packageDocumentation
 */
import { ElixirScopeError } from "./error.js";

/** An operation took longer than its time budget. */
export class TimeoutError extends ElixirScopeError {
  constructor(what: string, timeoutMs: number) {
    super("TIMEOUT", `${what} timed out after ${timeoutMs} ms`, { context: { what, timeoutMs } });
  }
}

/** The caller aborted through its AbortSignal. */
export class AbortedError extends ElixirScopeError {
  constructor(what: string, reason?: unknown) {
    super(
      "ABORTED",
      `${what} was aborted${reason === undefined ? "" : `: ${describeError(reason)}`}`,
      {
        context: { what },
        cause: reason,
      },
    );
  }
}

/** A readable one-line description of any thrown value. */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
