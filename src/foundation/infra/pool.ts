/**
 * Connection pool for any resource a factory can create, validate and destroy.
 *
 * Waiters are served strictly first come, first served; every wait (acquire, create, destroy,
 * drain) has a timeout; a resource is validated before each borrow when the factory can
 * validate; a borrower that finds its resource broken calls {@link ConnectionPool.destroy} and
 * the pool replaces it; idle resources above `min` are evicted after `idleTimeoutMs`; `close`
 * drains. Timers exist only while there is something to time (a waiter, idle resources above
 * `min`), so a quiet pool holds none.
 * @packageDocumentation
 */
import { z } from "zod";
import { systemClock, type TimerClock, type TimerHandle } from "../clock.js";
import { Emitter, type Event } from "../common/emitter.js";
import { clockSchema, positiveMsSchema, signalSchema, telemetrySchema } from "../common/schemas.js";
import { parseOptions } from "../options.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import {
  AbortedError,
  PoolClosedError,
  PoolResourceError,
  PoolTimeoutError,
  TimeoutError,
} from "./errors.js";
import { type ComponentHealth, emitTelemetry, type InfraComponent } from "./telemetry.js";

/** How the pool makes, checks and disposes of resources. */
export interface PoolFactory<R> {
  /** Makes a resource; `signal` aborts when the create timeout passes or the pool closes. */
  create(signal: AbortSignal): R | Promise<R>;
  /** Disposes of a resource (errors are reported as events, never thrown at the caller). */
  destroy(resource: R): void | Promise<void>;
  /** Whether a resource is still usable; checked before every borrow when given. */
  validate?(resource: R): boolean | Promise<boolean>;
}

/** Options of {@link ConnectionPool}. Unknown keys are rejected. */
export interface ConnectionPoolOptions<R> {
  readonly name: string;
  readonly factory: PoolFactory<R>;
  /** Resources kept even when idle (default 0). */
  readonly min?: number;
  /** Upper bound on resources, idle + borrowed + being created (required). */
  readonly max: number;
  /** Default wait for a free resource in ms (default 30 000). */
  readonly acquireTimeoutMs?: number;
  /** Budget for one `factory.create` in ms (default 30 000). */
  readonly createTimeoutMs?: number;
  /** Budget for one `factory.destroy` in ms (default 5 000). */
  readonly destroyTimeoutMs?: number;
  /** Idle time after which a resource above `min` is destroyed, in ms (default 30 000). */
  readonly idleTimeoutMs?: number;
  /** How often idle resources are checked for eviction, in ms (default 1 000). */
  readonly reapIntervalMs?: number;
  readonly clock?: TimerClock;
  readonly telemetry?: TelemetryEmitter;
}

/** Counts describing the pool right now. */
export interface PoolStats {
  /** Every resource that exists or is being made: idle + borrowed + creating + validating. */
  readonly size: number;
  readonly idle: number;
  readonly borrowed: number;
  readonly creating: number;
  readonly validating: number;
  /** Acquires waiting for a resource. */
  readonly waiting: number;
  readonly min: number;
  readonly max: number;
}

/** Lifecycle events of pooled resources. */
export type PoolEvent =
  | { readonly type: "created"; readonly pool: string }
  | { readonly type: "destroyed"; readonly pool: string; readonly reason: DestroyReason }
  | { readonly type: "create-failed"; readonly pool: string; readonly error: unknown }
  | { readonly type: "destroy-failed"; readonly pool: string; readonly error: unknown }
  | { readonly type: "acquire-timeout"; readonly pool: string; readonly timeoutMs: number };

/** Why a resource was destroyed. */
export type DestroyReason = "broken" | "invalid" | "idle" | "closing" | "late-create";

/** What {@link ConnectionPool.close} did. */
export interface DrainReport {
  /** Borrowed resources still out when the drain timeout passed, destroyed anyway. */
  readonly forced: number;
}

const optionsSchema = z
  .strictObject({
    name: z.string().min(1),
    factory: z.custom<PoolFactory<unknown>>(
      (v) =>
        typeof v === "object" &&
        v !== null &&
        typeof (v as PoolFactory<unknown>).create === "function" &&
        typeof (v as PoolFactory<unknown>).destroy === "function" &&
        ((v as PoolFactory<unknown>).validate === undefined ||
          typeof (v as PoolFactory<unknown>).validate === "function"),
      { message: "expected a factory with create(), destroy() and optionally validate()" },
    ),
    min: z.number().int().nonnegative().optional(),
    max: z.number().int().positive(),
    acquireTimeoutMs: positiveMsSchema.optional(),
    createTimeoutMs: positiveMsSchema.optional(),
    destroyTimeoutMs: positiveMsSchema.optional(),
    idleTimeoutMs: positiveMsSchema.optional(),
    reapIntervalMs: positiveMsSchema.optional(),
    clock: clockSchema.optional(),
    telemetry: telemetrySchema.optional(),
  })
  .refine((o) => (o.min ?? 0) <= o.max, { message: "min must not exceed max", path: ["min"] });

const acquireSchema = z.strictObject({
  /** Overrides the pool's `acquireTimeoutMs`. */
  timeoutMs: positiveMsSchema.optional(),
  signal: signalSchema.optional(),
});
/** Options of one acquire. Unknown keys are rejected. */
export type AcquireOptions = z.input<typeof acquireSchema>;

/** A cheap check of the common, valid case: only `timeoutMs` and `signal`, well typed. */
function isPlainAcquireOptions(o: AcquireOptions): boolean {
  if (typeof o !== "object" || o === null) return false;
  for (const k in o) if (k !== "timeoutMs" && k !== "signal") return false;
  return (
    (o.signal === undefined || o.signal instanceof AbortSignal) &&
    (o.timeoutMs === undefined ||
      (typeof o.timeoutMs === "number" && o.timeoutMs > 0 && Number.isFinite(o.timeoutMs)))
  );
}

interface Waiter<R> {
  done: boolean;
  resolve(resource: R): void;
  reject(error: unknown): void;
  timer: TimerHandle | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Idle<R> {
  readonly resource: R;
  readonly since: number;
}

/** A pool of resources; see the module comment for its guarantees. */
export class ConnectionPool<R> implements InfraComponent {
  readonly kind = "pool";
  readonly name: string;
  readonly #factory: PoolFactory<R>;
  readonly #min: number;
  readonly #max: number;
  readonly #acquireTimeoutMs: number;
  readonly #createTimeoutMs: number;
  readonly #destroyTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #reapIntervalMs: number;
  readonly #clock: TimerClock;
  readonly #telemetry: TelemetryEmitter | undefined;
  readonly #validate: ((resource: R) => boolean | Promise<boolean>) | undefined;

  /** Idle resources, most recently returned last (reused first, so the cold ones age out). */
  readonly #idle: Array<Idle<R>> = [];
  readonly #borrowed = new Set<R>();
  /** FIFO of waiters; finished ones are skipped lazily. */
  #waiters: Array<Waiter<R>> = [];
  #waitHead = 0;
  #waiting = 0;
  #creating = 0;
  #validating = 0;
  /** Destroys still running, awaited by close(). */
  readonly #destroying = new Set<Promise<void>>();
  readonly #createAborts = new Set<AbortController>();
  #reaper: TimerHandle | undefined;
  #closing = false;
  #closed = false;
  #drained: (() => void) | undefined;
  readonly #events = new Emitter<PoolEvent>("pool event");

  /** Resource lifecycle events (created, destroyed, failures, acquire timeouts). */
  readonly onEvent: Event<PoolEvent> = this.#events.event;

  /** @throws ElixirScopeError (UNKNOWN_OPTION / INVALID_ARGUMENT) on bad options. */
  constructor(options: ConnectionPoolOptions<R>) {
    const o = parseOptions(optionsSchema, options, "ConnectionPool");
    this.name = o.name;
    this.#factory = options.factory;
    this.#validate = options.factory.validate?.bind(options.factory);
    this.#min = o.min ?? 0;
    this.#max = o.max;
    this.#acquireTimeoutMs = o.acquireTimeoutMs ?? 30_000;
    this.#createTimeoutMs = o.createTimeoutMs ?? 30_000;
    this.#destroyTimeoutMs = o.destroyTimeoutMs ?? 5_000;
    this.#idleTimeoutMs = o.idleTimeoutMs ?? 30_000;
    this.#reapIntervalMs = o.reapIntervalMs ?? 1_000;
    this.#clock = o.clock ?? systemClock;
    this.#telemetry = o.telemetry;
    this.#ensureMin();
  }

  /** False once closed (the Registry then treats the holder as dead). */
  get alive(): boolean {
    return !this.#closed;
  }

  /**
   * Borrows a resource, waiting in line when none is free.
   * @throws PoolTimeoutError after the timeout; AbortedError when `signal` aborts;
   *   PoolClosedError once closing; PoolResourceError when creating one for this waiter failed.
   */
  acquire(options?: AcquireOptions): Promise<R> {
    if (options !== undefined && !isPlainAcquireOptions(options)) {
      // zod only on the unusual path, where it builds the error naming the bad option.
      try {
        parseOptions(acquireSchema, options, `ConnectionPool "${this.name}" acquire`);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.#closing) return Promise.reject(new PoolClosedError(this.name));
    const signal = options?.signal;
    if (signal?.aborted)
      return Promise.reject(new AbortedError(`pool "${this.name}" acquire`, signal.reason));
    // Fast path: nobody in line and a resource free that needs no validation.
    if (this.#waiting === 0 && this.#validate === undefined && this.#idle.length > 0) {
      const r = (this.#idle.pop() as Idle<R>).resource;
      this.#borrowed.add(r);
      return Promise.resolve(r);
    }
    const timeoutMs = options?.timeoutMs ?? this.#acquireTimeoutMs;
    return new Promise<R>((resolve, reject) => {
      const waiter: Waiter<R> = {
        done: false,
        resolve,
        reject,
        timer: undefined,
        signal,
        onAbort: undefined,
      };
      waiter.timer = this.#clock.setTimeout(() => {
        if (this.#finish(waiter)) {
          if (this.#events.hasListeners)
            this.#events.emit({ type: "acquire-timeout", pool: this.name, timeoutMs });
          emitTelemetry(
            this.#telemetry,
            this.kind,
            "acquire_timeout",
            { timeoutMs },
            { pool: this.name },
          );
          reject(new PoolTimeoutError(this.name, timeoutMs, this.#countStats()));
        }
      }, timeoutMs);
      if (signal) {
        waiter.onAbort = () => {
          if (this.#finish(waiter))
            reject(new AbortedError(`pool "${this.name}" acquire`, signal.reason));
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      this.#waiting++;
      this.#dispatch();
    });
  }

  /** Returns a borrowed resource to the pool. @throws Error when `resource` is not borrowed from it. */
  release(resource: R): void {
    if (!this.#borrowed.delete(resource)) {
      throw new Error(
        `ConnectionPool "${this.name}": release of a resource that is not borrowed from this pool`,
      );
    }
    if (this.#closing) {
      this.#destroy(resource, "closing");
      return;
    }
    this.#idle.push({ resource, since: this.#clock.now() });
    if (this.#waiting > 0) this.#dispatch();
    else this.#scheduleReap();
  }

  /**
   * Removes a borrowed resource that turned out broken and destroys it; the pool creates a
   * replacement if anyone waits or the pool is below `min`.
   * @throws Error when `resource` is not borrowed from this pool.
   */
  destroy(resource: R): void {
    if (!this.#borrowed.delete(resource)) {
      throw new Error(
        `ConnectionPool "${this.name}": destroy of a resource that is not borrowed from this pool`,
      );
    }
    this.#destroy(resource, this.#closing ? "closing" : "broken");
    this.#dispatch();
    this.#ensureMin();
  }

  /**
   * Borrows a resource for the duration of `fn` and always gives it back, even when `fn` throws.
   * `fn` receives the resource and the caller's signal (or a never-aborting one).
   */
  async withResource<T>(
    fn: (resource: R, signal: AbortSignal | undefined) => T | Promise<T>,
    options?: AcquireOptions,
  ): Promise<T> {
    const resource = await this.acquire(options);
    try {
      return await fn(resource, options?.signal);
    } finally {
      this.release(resource);
    }
  }

  /** Counts describing the pool right now. */
  stats(): PoolStats {
    return { ...this.#countStats(), min: this.#min, max: this.#max };
  }

  #countStats() {
    return {
      size: this.#size(),
      idle: this.#idle.length,
      borrowed: this.#borrowed.size,
      creating: this.#creating,
      validating: this.#validating,
      waiting: this.#waiting,
    };
  }

  #size(): number {
    return this.#idle.length + this.#borrowed.size + this.#creating + this.#validating;
  }

  /** Marks a waiter finished and unhooks its timer and signal; false if it already was. */
  #finish(waiter: Waiter<R>): boolean {
    if (waiter.done) return false;
    waiter.done = true;
    this.#waiting--;
    if (waiter.timer) waiter.timer.cancel();
    if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
    return true;
  }

  #nextWaiter(): Waiter<R> | undefined {
    while (this.#waitHead < this.#waiters.length) {
      const w = this.#waiters[this.#waitHead++];
      if (!w.done) {
        this.#compactWaiters();
        return w;
      }
    }
    this.#compactWaiters();
    return undefined;
  }

  #compactWaiters(): void {
    if (this.#waitHead === this.#waiters.length) {
      this.#waiters = [];
      this.#waitHead = 0;
    } else if (this.#waitHead > 1024 && this.#waitHead * 2 > this.#waiters.length) {
      this.#waiters = this.#waiters.slice(this.#waitHead);
      this.#waitHead = 0;
    }
  }

  /** Gives a ready resource to the longest waiter, or puts it back to idle if nobody waits. */
  #handOff(resource: R): void {
    if (this.#closing) {
      this.#destroy(resource, "closing");
      return;
    }
    const waiter = this.#nextWaiter();
    if (waiter) {
      this.#finish(waiter);
      this.#borrowed.add(resource);
      waiter.resolve(resource);
      return;
    }
    this.#idle.push({ resource, since: this.#clock.now() });
    this.#scheduleReap();
  }

  /**
   * Serves waiters: each one still in line without an earmarked resource (being validated or
   * created for it) gets an idle resource or, under `max`, a new one.
   */
  #dispatch(): void {
    while (!this.#closing && this.#waiting > this.#creating + this.#validating) {
      const idle = this.#idle.pop();
      if (idle) {
        if (this.#validate === undefined) this.#handOff(idle.resource);
        else this.#validateThenHandOff(idle.resource);
      } else if (this.#size() < this.#max) {
        this.#create(true);
      } else break;
    }
  }

  #validateThenHandOff(resource: R): void {
    this.#validating++;
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = (this.#validate as (r: R) => boolean | Promise<boolean>)(resource);
    } catch {
      verdict = false;
    }
    const settle = (ok: boolean): void => {
      this.#validating--;
      if (ok) this.#handOff(resource);
      else {
        this.#destroy(resource, "invalid");
        this.#dispatch();
        this.#ensureMin();
      }
    };
    if (typeof verdict === "boolean") settle(verdict);
    else
      verdict.then(
        (ok) => settle(ok === true),
        () => settle(false),
      );
  }

  /** Creates one resource, for the waiter at the head of the line or to reach `min`. */
  #create(forWaiter: boolean): void {
    this.#creating++;
    const abort = new AbortController();
    this.#createAborts.add(abort);
    let timedOut = false;
    const timer = this.#clock.setTimeout(() => {
      timedOut = true;
      abort.abort(new TimeoutError(`pool "${this.name}" create`, this.#createTimeoutMs));
      fail(abort.signal.reason);
    }, this.#createTimeoutMs);
    let finished = false;
    const done = (): boolean => {
      if (finished) return false;
      finished = true;
      timer.cancel();
      this.#createAborts.delete(abort);
      this.#creating--;
      return true;
    };
    const fail = (error: unknown): void => {
      if (!done()) return;
      if (this.#events.hasListeners)
        this.#events.emit({ type: "create-failed", pool: this.name, error });
      emitTelemetry(
        this.#telemetry,
        this.kind,
        "create_failed",
        {},
        { pool: this.name, error: String(error) },
      );
      // The waiter this resource was meant for learns why instead of waiting out its timeout.
      if (forWaiter) {
        const waiter = this.#nextWaiter();
        if (waiter && this.#finish(waiter))
          waiter.reject(new PoolResourceError(this.name, "create", error));
      }
      this.#maybeDrained();
    };
    const succeed = (resource: R): void => {
      if (!done()) {
        // Arrived after its timeout or after close: nobody is owed it.
        if (timedOut || this.#closing) this.#destroy(resource, "late-create");
        return;
      }
      if (this.#events.hasListeners) this.#events.emit({ type: "created", pool: this.name });
      this.#handOff(resource);
      this.#dispatch();
    };
    let made: R | Promise<R>;
    try {
      made = this.#factory.create(abort.signal);
    } catch (error) {
      fail(error);
      return;
    }
    Promise.resolve(made).then(succeed, fail);
  }

  #ensureMin(): void {
    while (!this.#closing && this.#size() < this.#min) this.#create(false);
  }

  #destroy(resource: R, reason: DestroyReason): void {
    let finished: Promise<void>;
    const timeoutMs = this.#destroyTimeoutMs;
    const attempt = new Promise<void>((resolve, reject) => {
      const timer = this.#clock.setTimeout(
        () => reject(new TimeoutError(`pool "${this.name}" destroy`, timeoutMs)),
        timeoutMs,
      );
      let result: void | Promise<void>;
      try {
        result = this.#factory.destroy(resource);
      } catch (error) {
        timer.cancel();
        reject(error);
        return;
      }
      Promise.resolve(result).then(
        () => {
          timer.cancel();
          resolve();
        },
        (error: unknown) => {
          timer.cancel();
          reject(error);
        },
      );
    });
    finished = attempt.then(
      () => {
        if (this.#events.hasListeners)
          this.#events.emit({ type: "destroyed", pool: this.name, reason });
      },
      (error: unknown) => {
        if (this.#events.hasListeners)
          this.#events.emit({ type: "destroy-failed", pool: this.name, error });
      },
    );
    finished = finished.finally(() => {
      this.#destroying.delete(finished);
      this.#maybeDrained();
    });
    this.#destroying.add(finished);
  }

  #scheduleReap(): void {
    if (this.#reaper || this.#closing || this.#idle.length === 0 || this.#size() <= this.#min)
      return;
    this.#reaper = this.#clock.setTimeout(
      () => {
        this.#reaper = undefined;
        this.#reap();
      },
      this.#reapIntervalMs,
      { background: true },
    ); // the idle sweep is housekeeping
  }

  /** Destroys resources idle for longer than `idleTimeoutMs` while above `min`, oldest first. */
  #reap(): void {
    const cutoff = this.#clock.now() - this.#idleTimeoutMs;
    let i = 0;
    while (i < this.#idle.length && this.#size() > this.#min) {
      if (this.#idle[i].since <= cutoff) {
        const [old] = this.#idle.splice(i, 1);
        this.#destroy(old.resource, "idle");
      } else i++;
    }
    this.#scheduleReap();
  }

  /**
   * Stops lending: waiters are refused with PoolClosedError, idle resources destroyed, and
   * borrowed ones destroyed as they come back. Resolves when everything is destroyed, or after
   * `timeoutMs` (default 30 000) by destroying what is still borrowed.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<DrainReport> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!this.#closing) {
      this.#closing = true;
      emitTelemetry(this.#telemetry, this.kind, "closing", this.#countStats(), { pool: this.name });
      if (this.#reaper) {
        this.#reaper.cancel();
        this.#reaper = undefined;
      }
      for (let w = this.#nextWaiter(); w; w = this.#nextWaiter()) {
        if (this.#finish(w)) w.reject(new PoolClosedError(this.name));
      }
      for (const a of this.#createAborts) a.abort(new PoolClosedError(this.name));
      for (const idle of this.#idle.splice(0)) this.#destroy(idle.resource, "closing");
    }
    let forced = 0;
    if (!this.#isDrained()) {
      const drained = new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
      let timer: TimerHandle | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = this.#clock.setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const outcome = await Promise.race([drained, timedOut]);
      timer?.cancel();
      if (outcome === "timeout") {
        forced = this.#borrowed.size;
        for (const r of [...this.#borrowed]) {
          this.#borrowed.delete(r);
          this.#destroy(r, "closing");
        }
      }
    }
    while (this.#destroying.size > 0) await Promise.all([...this.#destroying]);
    this.#closed = true;
    return { forced };
  }

  /** Same as {@link close}: the Registry stops services through `stop`. */
  async stop(_reason?: string, timeoutMs?: number): Promise<void> {
    await this.close(timeoutMs === undefined ? {} : { timeoutMs });
  }

  #isDrained(): boolean {
    return (
      this.#borrowed.size === 0 &&
      this.#creating === 0 &&
      this.#validating === 0 &&
      this.#idle.length === 0
    );
  }

  #maybeDrained(): void {
    if (this.#closing && this.#drained && this.#isDrained()) {
      const resolve = this.#drained;
      this.#drained = undefined;
      resolve();
    }
  }

  /** Unhealthy once closing; degraded while callers wait at full size; healthy otherwise. */
  health(): ComponentHealth {
    const details = this.stats() as unknown as Record<string, unknown>;
    if (this.#closing)
      return { status: "unhealthy", reason: `pool "${this.name}" is closed`, details };
    if (this.#waiting > 0 && this.#size() >= this.#max) {
      return {
        status: "degraded",
        reason: `pool "${this.name}" is saturated: ${this.#waiting} waiting`,
        details,
      };
    }
    return { status: "healthy", details };
  }
}
