/**
 * Injectable time. Every Foundation component that reads the time takes a `Clock`, so tests drive
 * time with a `ManualClock` instead of sleeping.
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

/** A clock that can also schedule callbacks (in ms), so timers follow a fake clock in tests. */
export interface TimerClock extends Clock {
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
}

/**
 * The real clock: `performance.timeOrigin + performance.now()`, so it is epoch-based like
 * `Date.now()` but monotonic (never jumps back when the wall clock is adjusted) and fractional.
 */
export const systemClock: TimerClock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout(fn, delayMs) {
    const t = setTimeout(fn, delayMs);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

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

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer: ManualTimer = {
      at: this.#now + Math.max(0, delayMs),
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
