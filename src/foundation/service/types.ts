import type { ElixirScopeError } from "../errors/error.js";
import type { Registrable } from "../registry/types.js";

/**
 * Why a service or supervisor exited.
 * - `normal`: it was asked to stop (`stop()`).
 * - `shutdown`: its supervisor or namespace stopped it.
 * - `crash`: a handler, init or terminate threw; `error` says what (with the original as cause).
 * - `killed`: `kill()` ended it at once, without waiting for the handler in flight.
 */
export type ExitReason =
  | { readonly kind: "normal" }
  | { readonly kind: "shutdown" }
  | { readonly kind: "crash"; readonly error: ElixirScopeError }
  | { readonly kind: "killed"; readonly why?: string };

export const NORMAL: ExitReason = Object.freeze({ kind: "normal" });
export const SHUTDOWN: ExitReason = Object.freeze({ kind: "shutdown" });

/** Exits that a `transient` child is restarted after. */
export function isAbnormal(reason: ExitReason): boolean {
  return reason.kind === "crash" || reason.kind === "killed";
}

export type ExitListener = (reason: ExitReason) => void;

/**
 * What a supervisor can supervise: a started service or supervisor. It reports its exit once,
 * can be asked to stop within a timeout, and can be killed when it does not.
 */
export interface Supervisable extends Registrable {
  onExit(listener: ExitListener): () => void;
  stop(reason?: "normal" | "shutdown", timeoutMs?: number): Promise<void>;
  kill(why?: string): void;
}

export type ServiceStatus = "new" | "starting" | "running" | "stopping" | "stopped" | "crashed";
