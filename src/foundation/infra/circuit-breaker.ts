/**
 * Circuit breaker: stops calling a failing dependency, fails fast while it is down, and probes
 * it carefully before trusting it again.
 *
 * Closed trips to open after N consecutive failures, or when the failure rate over a sliding
 * window reaches a threshold once a minimum number of calls was seen. Open becomes half-open
 * once the reset timeout has passed (evaluated lazily, so an idle breaker holds no timer).
 * Half-open admits at most `halfOpenMaxProbes` calls per episode; the first probe success closes
 * the breaker, the first probe failure reopens it.
 * @packageDocumentation
 */
import { z } from "zod";
import { systemClock, type TimerClock } from "../clock.js";
import { NEVER_ABORTED, runWithTimeout, type Work } from "../common/deadline.js";
import { Emitter, type Event } from "../common/emitter.js";
import {
  clockSchema,
  countSchema,
  fnSchema,
  positiveMsSchema,
  telemetrySchema,
} from "../common/schemas.js";
import type { ErrorCode } from "../errors/codes.js";
import { isElixirScopeError } from "../errors/error.js";
import { parseOptions } from "../options.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import { AbortedError, CircuitOpenError } from "./errors.js";
import { type ComponentHealth, emitTelemetry, type InfraComponent } from "./telemetry.js";

/** Why the breaker opened. */
export type OpenReason = "consecutive-failures" | "failure-rate" | "probe-failed" | "manual";

/** The breaker's state, as a discriminated union. */
export type CircuitState =
  | { readonly kind: "closed" }
  | {
      readonly kind: "open";
      readonly reason: OpenReason;
      readonly openedAt: number;
      /** Epoch ms when a probe will be admitted; `Infinity` while manually held open. */
      readonly retryAt: number;
    }
  | { readonly kind: "half-open"; readonly since: number; readonly admitted: number };

/** Fired on every state transition. */
export interface StateChangeEvent {
  readonly breaker: string;
  readonly from: CircuitState["kind"];
  readonly to: CircuitState["kind"];
  readonly reason: OpenReason | "probe-succeeded" | "reset-timeout" | "manual";
  readonly at: number;
}

/** Fired when a call is refused without running. */
export interface RejectionEvent {
  readonly breaker: string;
  readonly state: "open" | "half-open";
  readonly retryAt: number;
}

/** A snapshot of the breaker for dashboards and health. */
export interface CircuitBreakerStatus {
  readonly name: string;
  readonly state: CircuitState;
  readonly consecutiveFailures: number;
  readonly window: {
    readonly calls: number;
    readonly failures: number;
    readonly failureRate: number;
  };
  readonly totals: {
    readonly calls: number;
    readonly successes: number;
    readonly failures: number;
    readonly rejections: number;
  };
}

const NEUTRAL_CODES: ReadonlySet<ErrorCode> = new Set([
  "ABORTED",
  "RATE_LIMITED",
  "POOL_TIMEOUT",
  "POOL_DRAINING",
  "CIRCUIT_OPEN",
]);

/**
 * Default failure classification: everything the dependency threw counts, except errors that
 * say nothing about the dependency (the caller aborted, or local admission control refused).
 */
export function defaultIsFailure(error: unknown): boolean {
  return !(isElixirScopeError(error) && NEUTRAL_CODES.has(error.code));
}

const failureRateSchema = z.strictObject({
  /** Trip when failures / calls reaches this fraction (0 < threshold ≤ 1). */
  threshold: z.number().gt(0).lte(1),
  /** Length of the sliding window in ms. */
  windowMs: positiveMsSchema,
  /** No tripping on rate until the window holds at least this many calls. */
  minimumCalls: countSchema,
  /** Resolution of the window: it slides in `windowMs / buckets` steps (default 10). */
  buckets: countSchema.max(1000).optional(),
});
/** Failure-rate tripping over a sliding window. */
export type FailureRateOptions = z.input<typeof failureRateSchema>;

const optionsSchema = z.strictObject({
  /** Name used in errors, events, telemetry and the registry. */
  name: z.string().min(1),
  /** Trip after this many failures in a row (default 5). */
  consecutiveFailures: countSchema.optional(),
  /** Also trip on failure rate over a sliding window (off by default). */
  failureRate: failureRateSchema.optional(),
  /** How long to stay open before probing, in ms (default 30 000). */
  resetTimeoutMs: positiveMsSchema.optional(),
  /** Probe calls admitted per half-open episode (default 1). */
  halfOpenMaxProbes: countSchema.optional(),
  /** Per-call time budget in ms; a call that exceeds it fails with TimeoutError (none by default). */
  timeoutMs: positiveMsSchema.optional(),
  /** Which thrown errors count as failures (default: all except caller aborts, rate limiting and pool timeouts). */
  isFailure: fnSchema<(error: unknown) => boolean>("isFailure").optional(),
  /** Which successful results count as failures (default: none), e.g. an HTTP 503 response. */
  isResultFailure: fnSchema<(result: never) => boolean>("isResultFailure").optional(),
  clock: clockSchema.optional(),
  telemetry: telemetrySchema.optional(),
});

/**
 * Options of {@link CircuitBreaker}, from its schema; `isResultFailure` is typed by the result
 * type `R` the schema cannot know. Unknown keys are rejected.
 */
export type CircuitBreakerOptions<R = unknown> = Omit<
  z.input<typeof optionsSchema>,
  "isResultFailure"
> & {
  /** Which successful results count as failures (default: none), e.g. an HTTP 503 response. */
  readonly isResultFailure?: (result: R) => boolean;
};

const CLOSED: CircuitState = { kind: "closed" };

/** A circuit breaker policy; see the module comment for the state machine. */
export class CircuitBreaker<R = unknown> implements InfraComponent {
  readonly kind = "circuit_breaker";
  readonly name: string;
  /** A breaker has no lifecycle: it stays usable while registered. */
  readonly alive = true;
  readonly #threshold: number;
  readonly #resetTimeoutMs: number;
  readonly #maxProbes: number;
  readonly #timeoutMs: number | undefined;
  readonly #isFailure: (error: unknown) => boolean;
  readonly #isResultFailure: ((result: R) => boolean) | undefined;
  readonly #clock: TimerClock;
  readonly #telemetry: TelemetryEmitter | undefined;
  readonly #rate: FailureRateOptions | undefined;
  /** How calls are named in timeout and abort errors (built once, not per call). */
  readonly #what: string;
  // Sliding window as a ring of buckets: epochs say which slice of time each bucket holds.
  readonly #bucketMs: number;
  readonly #bucketEpoch: Float64Array;
  readonly #bucketCalls: Float64Array;
  readonly #bucketFailures: Float64Array;

  #state: CircuitState = CLOSED;
  /** Bumped on every transition; outcomes of calls admitted under an older generation are ignored. */
  #generation = 0;
  #consecutive = 0;
  #calls = 0;
  #successes = 0;
  #failures = 0;
  #rejections = 0;
  readonly #stateChange = new Emitter<StateChangeEvent>("circuit breaker state change");
  readonly #rejected = new Emitter<RejectionEvent>("circuit breaker rejection");

  /** Fired on every state transition. */
  readonly onStateChange: Event<StateChangeEvent> = this.#stateChange.event;
  /** Fired when a call is refused without running. */
  readonly onRejected: Event<RejectionEvent> = this.#rejected.event;

  /** @throws InvalidOptionsError on unknown or invalid options. */
  constructor(options: CircuitBreakerOptions<R>) {
    const o = parseOptions(optionsSchema, options, "CircuitBreaker");
    this.name = o.name;
    this.#threshold = o.consecutiveFailures ?? 5;
    this.#resetTimeoutMs = o.resetTimeoutMs ?? 30_000;
    this.#maxProbes = o.halfOpenMaxProbes ?? 1;
    this.#timeoutMs = o.timeoutMs;
    this.#isFailure = o.isFailure ?? defaultIsFailure;
    this.#isResultFailure = o.isResultFailure as ((result: R) => boolean) | undefined;
    this.#clock = o.clock ?? systemClock;
    this.#telemetry = o.telemetry;
    this.#rate = o.failureRate;
    this.#what = `circuit breaker "${o.name}" call`;
    const buckets = o.failureRate ? (o.failureRate.buckets ?? 10) : 0;
    this.#bucketMs = o.failureRate ? o.failureRate.windowMs / buckets : 1;
    this.#bucketEpoch = new Float64Array(buckets).fill(-1);
    this.#bucketCalls = new Float64Array(buckets);
    this.#bucketFailures = new Float64Array(buckets);
  }

  /** Current state (an open breaker whose reset timeout passed reports half-open). */
  get state(): CircuitState {
    this.#maybeHalfOpen(this.#clock.now());
    return this.#state;
  }

  /**
   * Runs `fn` through the breaker. `fn` receives an AbortSignal that aborts on the caller's
   * signal or on the per-call timeout.
   * @throws CircuitOpenError when refused; AbortedError when `signal` is already aborted;
   *   TimeoutError when the per-call timeout passes; otherwise whatever `fn` throws.
   */
  execute<T extends R>(fn: Work<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted)
      return Promise.reject(new AbortedError(`circuit breaker "${this.name}" call`, signal.reason));
    if (this.#state.kind !== "closed") {
      const refusal = this.#admit();
      if (refusal) return Promise.reject(refusal);
    }
    this.#calls++;
    const generation = this.#generation;
    // Without a deadline and a signal nothing can cut the call short: the cheap path. Otherwise
    // the race settles the caller's promise at once on timeout or abort (ABORTED).
    if (this.#timeoutMs === undefined && signal === undefined) {
      return this.#run(fn, NEVER_ABORTED, generation);
    }
    return this.#runTimed(fn, signal, generation);
  }

  async #run<T extends R>(fn: Work<T>, signal: AbortSignal, generation: number): Promise<T> {
    let result: T;
    try {
      result = await fn(signal);
    } catch (error) {
      this.#onError(error, generation);
      throw error;
    }
    this.#onResult(result, generation);
    return result;
  }

  #runTimed<T extends R>(
    fn: Work<T>,
    signal: AbortSignal | undefined,
    generation: number,
  ): Promise<T> {
    return runWithTimeout(fn, this.#timeoutMs, this.#clock, this.#what, signal).then(
      (result) => {
        this.#onResult(result, generation);
        return result;
      },
      (error: unknown) => {
        this.#onError(error, generation);
        throw error;
      },
    );
  }

  /** Returns the refusal for a call arriving while not closed, or undefined to admit it. */
  #admit(): CircuitOpenError | undefined {
    const now = this.#clock.now();
    this.#maybeHalfOpen(now);
    const state = this.#state;
    if (state.kind === "half-open") {
      if (state.admitted < this.#maxProbes) {
        this.#state = { kind: "half-open", since: state.since, admitted: state.admitted + 1 };
        return undefined;
      }
      return this.#refuse("half-open", now, now);
    }
    if (state.kind === "open") return this.#refuse("open", state.retryAt, now);
    return undefined;
  }

  #refuse(state: "open" | "half-open", retryAt: number, now: number): CircuitOpenError {
    this.#rejections++;
    if (this.#rejected.hasListeners) this.#rejected.emit({ breaker: this.name, state, retryAt });
    return new CircuitOpenError(this.name, state, retryAt, now);
  }

  #maybeHalfOpen(now: number): void {
    const state = this.#state;
    if (state.kind === "open" && now >= state.retryAt) {
      this.#transition({ kind: "half-open", since: now, admitted: 0 }, "reset-timeout", now);
    }
  }

  #onResult(result: R, generation: number): void {
    if (this.#isResultFailure?.(result)) this.#onFailure(generation);
    else this.#onSuccess(generation);
  }

  #onError(error: unknown, generation: number): void {
    let counts: boolean;
    try {
      counts = this.#isFailure(error);
    } catch {
      counts = true;
    }
    if (counts) this.#onFailure(generation);
    else if (generation === this.#generation && this.#state.kind === "half-open") {
      // A neutral outcome says nothing about the dependency: give the probe slot back.
      const s = this.#state;
      this.#state = { kind: "half-open", since: s.since, admitted: Math.max(0, s.admitted - 1) };
    }
  }

  #onSuccess(generation: number): void {
    this.#successes++;
    if (generation !== this.#generation) return;
    if (this.#state.kind === "half-open") {
      this.#transition(CLOSED, "probe-succeeded", this.#clock.now());
      return;
    }
    this.#consecutive = 0;
    if (this.#rate) this.#record(false, this.#clock.now());
  }

  #onFailure(generation: number): void {
    this.#failures++;
    if (generation !== this.#generation) return;
    const now = this.#clock.now();
    const state = this.#state;
    if (state.kind === "half-open") {
      this.#openAt("probe-failed", now);
      return;
    }
    if (state.kind !== "closed") return;
    this.#consecutive++;
    if (this.#consecutive >= this.#threshold) {
      this.#openAt("consecutive-failures", now);
      return;
    }
    if (this.#rate) {
      this.#record(true, now);
      const { calls, failures } = this.#windowTotals(now);
      if (calls >= this.#rate.minimumCalls && failures / calls >= this.#rate.threshold) {
        this.#openAt("failure-rate", now);
      }
    }
  }

  #record(failed: boolean, now: number): void {
    const epoch = Math.floor(now / this.#bucketMs);
    const i = epoch % this.#bucketEpoch.length;
    if (this.#bucketEpoch[i] !== epoch) {
      this.#bucketEpoch[i] = epoch;
      this.#bucketCalls[i] = 0;
      this.#bucketFailures[i] = 0;
    }
    this.#bucketCalls[i]++;
    if (failed) this.#bucketFailures[i]++;
  }

  #windowTotals(now: number): { calls: number; failures: number } {
    const current = Math.floor(now / this.#bucketMs);
    const oldest = current - this.#bucketEpoch.length + 1;
    let calls = 0;
    let failures = 0;
    for (let i = 0; i < this.#bucketEpoch.length; i++) {
      const e = this.#bucketEpoch[i];
      if (e >= oldest && e <= current) {
        calls += this.#bucketCalls[i];
        failures += this.#bucketFailures[i];
      }
    }
    return { calls, failures };
  }

  #openAt(reason: OpenReason, now: number, retryAt = now + this.#resetTimeoutMs): void {
    this.#transition({ kind: "open", reason, openedAt: now, retryAt }, reason, now);
  }

  #transition(next: CircuitState, reason: StateChangeEvent["reason"], now: number): void {
    const from = this.#state.kind;
    this.#state = next;
    this.#generation++;
    if (next.kind === "closed") {
      this.#consecutive = 0;
      this.#bucketEpoch.fill(-1);
    }
    if (from === next.kind && next.kind !== "open") return;
    const event: StateChangeEvent = { breaker: this.name, from, to: next.kind, reason, at: now };
    this.#stateChange.emit(event);
    emitTelemetry(this.#telemetry, this.kind, "state_change", { at: now }, { ...event });
  }

  /**
   * Opens the breaker by hand. With `holdMs` it probes again after that long; without, it stays
   * open until {@link close} or {@link reset}.
   */
  open(holdMs?: number): void {
    if (holdMs !== undefined && !(holdMs >= 0 && Number.isFinite(holdMs))) {
      throw new RangeError(
        `CircuitBreaker "${this.name}" open(holdMs): expected a finite ms ≥ 0, got ${holdMs}`,
      );
    }
    const now = this.#clock.now();
    this.#openAt("manual", now, holdMs === undefined ? Number.POSITIVE_INFINITY : now + holdMs);
  }

  /** Closes the breaker by hand, keeping its lifetime totals. */
  close(): void {
    if (this.#state.kind !== "closed") this.#transition(CLOSED, "manual", this.#clock.now());
  }

  /** Closes the breaker and forgets every count, as if newly built. */
  reset(): void {
    this.close();
    this.#calls = this.#successes = this.#failures = this.#rejections = 0;
  }

  /** A snapshot of state and counters. */
  status(): CircuitBreakerStatus {
    const now = this.#clock.now();
    this.#maybeHalfOpen(now);
    const w = this.#rate ? this.#windowTotals(now) : { calls: 0, failures: 0 };
    return {
      name: this.name,
      state: this.#state,
      consecutiveFailures: this.#consecutive,
      window: { ...w, failureRate: w.calls === 0 ? 0 : w.failures / w.calls },
      totals: {
        calls: this.#calls,
        successes: this.#successes,
        failures: this.#failures,
        rejections: this.#rejections,
      },
    };
  }

  /** Closed is healthy, half-open degraded, open unhealthy. */
  health(): ComponentHealth {
    const s = this.status();
    const state = s.state;
    if (state.kind === "closed") return { status: "healthy", details: { ...s } };
    if (state.kind === "half-open") {
      return {
        status: "degraded",
        reason: `breaker "${this.name}" is probing (half-open)`,
        details: { ...s },
      };
    }
    return {
      status: "unhealthy",
      reason: `breaker "${this.name}" is open (${state.reason})`,
      details: { ...s },
    };
  }
}
