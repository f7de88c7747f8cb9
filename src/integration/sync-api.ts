/**
 * The SyncAPI: request/response calls from an upper layer (the HTTP server) into the AST layer,
 * each under a deadline and through a circuit breaker of its own dependency, failing with typed
 * errors only.
 *
 * A dependency is a named part of the AST layer a call relies on (`repository`, `search`,
 * `source`): when one keeps failing or timing out its breaker opens and its calls fail fast with
 * `CIRCUIT_OPEN`, while calls to the other dependencies go on. Every failure reaches the caller
 * as an {@link ElixirScopeError}: `TIMEOUT` (the deadline passed), `CIRCUIT_OPEN`, an
 * ElixirScopeError the work threw itself (`NOT_FOUND`, `INVALID_ARGUMENT`...), or
 * `ANALYSIS_FAILED` wrapping anything else, so a caller maps errors by code alone.
 * @packageDocumentation
 */
import { z } from "zod";
// The Foundation's deadline race is internal to the package, not part of its public surface.
import { NEVER_ABORTED, runWithTimeout } from "../foundation/common/deadline.js";
import {
  addBreadcrumb,
  CircuitBreaker,
  type CircuitBreakerStatus,
  ElixirScopeError,
  isElixirScopeError,
  parseOptions,
  systemClock,
  type TelemetryEmitter,
  type TimerClock,
} from "../foundation/index.js";

/** Options of {@link SyncApi}. Unknown keys are errors. */
export interface SyncApiOptions {
  /** Deadline of a call when the call names none, in ms (default 2 000). */
  defaultDeadlineMs?: number;
  /** Failures in a row that open a dependency's breaker (default 5). */
  consecutiveFailures?: number;
  /** How long an open breaker refuses calls before probing, in ms (default 5 000). */
  resetTimeoutMs?: number;
  clock?: TimerClock;
  telemetry?: TelemetryEmitter;
}

const OptionsSchema = z.strictObject({
  defaultDeadlineMs: z.number().int().positive().optional(),
  consecutiveFailures: z.number().int().positive().optional(),
  resetTimeoutMs: z.number().int().positive().optional(),
  clock: z
    .custom<TimerClock>((v) => typeof (v as TimerClock)?.setTimeout === "function")
    .optional(),
  telemetry: z
    .custom<TelemetryEmitter>((v) => typeof (v as TelemetryEmitter)?.execute === "function")
    .optional(),
});

/** Errors that say nothing about the dependency's health: the caller asked for something absent or invalid. */
const CALLER_CODES = new Set(["NOT_FOUND", "INVALID_ARGUMENT", "FORBIDDEN", "ABORTED"]);

/** Request/response into the AST layer with a deadline and a breaker per dependency. */
export class SyncApi {
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #deadlineMs: number;
  readonly #failures: number;
  readonly #resetMs: number;
  readonly #clock: TimerClock;
  readonly #telemetry: TelemetryEmitter | undefined;

  constructor(options: SyncApiOptions = {}) {
    const o = parseOptions(OptionsSchema, options, "SyncApi");
    this.#deadlineMs = o.defaultDeadlineMs ?? 2_000;
    this.#failures = o.consecutiveFailures ?? 5;
    this.#resetMs = o.resetTimeoutMs ?? 5_000;
    this.#clock = o.clock ?? systemClock;
    this.#telemetry = o.telemetry;
  }

  #breaker(dependency: string): CircuitBreaker {
    let b = this.#breakers.get(dependency);
    if (b === undefined) {
      b = new CircuitBreaker({
        name: `sync-api.${dependency}`,
        consecutiveFailures: this.#failures,
        resetTimeoutMs: this.#resetMs,
        clock: this.#clock,
        isFailure: (e) => !(isElixirScopeError(e) && CALLER_CODES.has(e.code)),
        ...(this.#telemetry ? { telemetry: this.#telemetry } : {}),
      });
      this.#breakers.set(dependency, b);
    }
    return b;
  }

  /**
   * Runs `work` against `dependency` under a deadline (ms, default the API's). The work gets an
   * AbortSignal that aborts at the deadline; long loops should check it.
   * @throws ElixirScopeError: TIMEOUT, CIRCUIT_OPEN, the work's own ElixirScopeError, or
   *   ANALYSIS_FAILED wrapping any other error.
   */
  async call<T>(
    dependency: string,
    operation: string,
    work: (signal: AbortSignal) => T | PromiseLike<T>,
    options: { deadlineMs?: number } = {},
  ): Promise<T> {
    const deadline = options.deadlineMs ?? this.#deadlineMs;
    addBreadcrumb(`sync-api ${dependency}.${operation}`, { deadlineMs: deadline });
    const t0 = performance.now();
    try {
      // The deadline's signal is made only for work that takes one (it costs an AbortController).
      const run =
        work.length === 0 ? () => work(NEVER_ABORTED) : (signal: AbortSignal) => work(signal);
      return await this.#breaker(dependency).execute(() =>
        runWithTimeout(run, deadline, this.#clock, `${dependency}.${operation}`),
      );
    } catch (error) {
      if (isElixirScopeError(error)) throw error;
      throw new ElixirScopeError(
        "ANALYSIS_FAILED",
        `${dependency}.${operation} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, context: { dependency, operation } },
      );
    } finally {
      this.#telemetry?.execute(
        "elixirscope.sync_api.call",
        { durationMs: performance.now() - t0 },
        { dependency, operation },
      );
    }
  }

  /** The state of every dependency's breaker, for health and metrics. */
  breakers(): CircuitBreakerStatus[] {
    return [...this.#breakers.values()].map((b) => b.status());
  }
}
