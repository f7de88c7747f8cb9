/**
 * Injectable time. Every Foundation component that reads the time or waits takes a `Clock`, so
 * tests drive time with a `ManualClock` instead of sleeping. This file is the only place in the
 * Foundation that touches Node's timers (a test checks it).
 *
 * Unit: milliseconds, as Unix epoch ms (fractional allowed).
 */

import { ElixirScopeError } from "./errors/error.js";

/** A source of the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** A handle returned by {@link TimerClock.setTimeout}. */
export interface TimerHandle {
  cancel(): void;
}

/** How a timer relates to the process's lifetime. */
export interface TimerOptions {
  /**
   * Background housekeeping (a sweep, a window rotation): the timer does not keep the process
   * alive. Default false: a wait that someone awaits keeps the process alive until it fires.
   */
  readonly background?: boolean;
}

/** A clock that can also schedule callbacks (in ms), so timers follow a fake clock in tests. */
export interface TimerClock extends Clock {
  /**
   * Calls `fn` once after `delayMs`. Any delay is honoured, including ones above Node's 2^31−1 ms
   * timer limit; `Infinity` never fires.
   */
  setTimeout(fn: () => void, delayMs: number, options?: TimerOptions): TimerHandle;
}

/** The longest delay one Node timer can hold (2^31−1 ms, about 24.8 days); longer waits chain. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * A timer on Node's clock. Delays longer than one Node timer can hold are chained in steps of
 * {@link MAX_TIMER_DELAY_MS}; Node would otherwise fire them after 1 ms with a
 * TimeoutOverflowWarning. The callback runs with `self` as its argument, so hot paths can
 * schedule a prototype method without allocating a closure.
 */
class SystemTimer<S> implements TimerHandle {
  #node: NodeJS.Timeout | undefined;
  #remaining: number;
  #background: boolean;
  readonly #fn: (self: S) => void;
  readonly #self: S;

  constructor(fn: (self: S) => void, self: S, delayMs: number, background: boolean) {
    this.#fn = fn;
    this.#self = self;
    this.#background = background;
    // NaN and negative delays fire at once, as Node's own timers do.
    this.#remaining = Math.max(0, delayMs) || 0;
    this.#arm();
  }

  #arm(): void {
    if (this.#remaining === Number.POSITIVE_INFINITY) return;
    const step = Math.min(this.#remaining, MAX_TIMER_DELAY_MS);
    this.#remaining -= step;
    this.#node = setTimeout(fireSystemTimer, step, this);
    if (this.#background) this.#node.unref();
  }

  /** @internal Node's callback: the next link of a chain, or the user's function. */
  fire(): void {
    this.#node = undefined;
    if (this.#remaining > 0) this.#arm();
    else this.#fn(this.#self);
  }

  cancel(): void {
    if (this.#node !== undefined) clearTimeout(this.#node);
    this.#node = undefined;
    this.#remaining = 0;
  }

  /** Switches between keeping the process alive (`true`) and background (`false`). */
  hold(keepAlive: boolean): void {
    this.#background = !keepAlive;
    if (keepAlive) this.#node?.ref();
    else this.#node?.unref();
  }
}

function fireSystemTimer(timer: { fire(): void }): void {
  timer.fire();
}

function callFn(fn: () => void): void {
  fn();
}

/**
 * The real clock: `performance.timeOrigin + performance.now()`, so it is epoch-based like
 * `Date.now()` but monotonic (never jumps back when the wall clock is adjusted) and fractional.
 * Its timers keep the process alive unless scheduled as background.
 */
export const systemClock: TimerClock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (fn, delayMs, options) =>
    new SystemTimer(callFn, fn, delayMs, options?.background === true),
};

/** A timer started by {@link startTimer}: cancel it, or change whether it holds the process. */
export interface HeldTimer extends TimerHandle {
  hold(keepAlive: boolean): void;
}

const NO_HOLD = (): void => {};

/**
 * Schedules `fn(self)` after `delayMs` on `clock`. On the system clock this allocates no closure
 * (the hot paths of timeouts use it); on any other clock it goes through `clock.setTimeout`.
 * @internal Not part of the public surface.
 */
export function startTimer<S>(
  clock: TimerClock,
  fn: (self: S) => void,
  self: S,
  delayMs: number,
  options?: TimerOptions,
): HeldTimer {
  const background = options?.background === true;
  if (clock === systemClock) return new SystemTimer(fn, self, delayMs, background);
  const handle = clock.setTimeout(() => fn(self), delayMs, options);
  return { cancel: () => handle.cancel(), hold: NO_HOLD };
}
interface ManualTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. `advance(ms)` runs due timers in time order, setting
 * `now()` to each timer's due time as it fires.
 */
export class ManualClock implements TimerClock {
  #now: number;
  #seq = 0;
  #timers: ManualTimer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    if (!Number.isFinite(startMs)) {
      const got = typeof startMs === "string" ? JSON.stringify(startMs) : String(startMs);
      throw new ElixirScopeError(
        "INVALID_ARGUMENT",
        `ManualClock: option startMs: expected a finite number of epoch ms, got ${got}`,
        { context: { where: "ManualClock", option: "startMs", value: got } },
      );
    }
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Schedules `fn` at `now() + delayMs` (options have no effect: nothing holds a process). */
  setTimeout(fn: () => void, delayMs: number, _options?: TimerOptions): TimerHandle {
    const timer: ManualTimer = {
      at: this.#now + (Math.max(0, delayMs) || 0),
      seq: this.#seq++,
      fn,
      cancelled: false,
    };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Timers scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    const target = this.#now + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const t of this.#timers) {
        if (t.cancelled || t.at > target) continue;
        if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t;
      }
      if (!next) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    this.#now = target;
  }

  /** Sets the time (forward only), firing due timers. */
  set(ms: number): void {
    this.advance(Math.max(0, ms - this.#now));
  }
}
