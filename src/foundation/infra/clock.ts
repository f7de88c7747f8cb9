/**
 * Time source and timer scheduling for the resilience components. Every component takes one so
 * tests drive time with {@link ManualClock} instead of sleeping.
 * @packageDocumentation
 */

/** Opaque handle of a scheduled timer. */
export interface TimerHandle {
  /** Present on Node timers; a manual clock's handles are plain objects. */
  readonly unref?: () => unknown;
}

/** A source of the current time in Unix epoch milliseconds, plus one-shot timers. */
export interface InfraClock {
  /** Current time in ms (Unix epoch for the system clock; any monotonic origin is acceptable). */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; cancelling an already-fired or cancelled timer does nothing. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock. Timers are unref'd so that a breaker's reset timer or a pool's reaper never
 * keeps the process alive on its own.
 */
export const systemClock: InfraClock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

interface ManualTimer extends TimerHandle {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Timers fire in due order (ties in scheduling order)
 * during {@link ManualClock.advance}; microtasks queued by a timer run before the next one fires
 * when {@link ManualClock.advanceAsync} is used.
 */
export class ManualClock implements InfraClock {
  #now: number;
  #seq = 0;
  #timers: ManualTimer[] = [];

  /** @param startMs - initial time in ms (defaults to 0). */
  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = {
      id: this.#seq++,
      due: this.#now + Math.max(0, ms),
      fn,
      cancelled: false,
    };
    this.#timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = handle as ManualTimer;
    timer.cancelled = true;
    const i = this.#timers.indexOf(timer);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  /** Number of scheduled timers that have neither fired nor been cancelled. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing due timers synchronously. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (let t = this.#nextDue(target); t; t = this.#nextDue(target)) {
      this.#now = t.due;
      t.fn();
    }
    this.#now = target;
  }

  /** Like {@link advance} but lets promise callbacks settle after each timer and at the end. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushMicrotasks();
    for (let t = this.#nextDue(target); t; t = this.#nextDue(target)) {
      this.#now = t.due;
      t.fn();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  #nextDue(limit: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.#timers) {
      if (t.due <= limit && (!best || t.due < best.due || (t.due === best.due && t.id < best.id))) {
        best = t;
      }
    }
    if (best) this.#timers.splice(this.#timers.indexOf(best), 1);
    return best;
  }
}

/**
 * Resolves once every promise callback queued so far (and those they queue) has run: a
 * setImmediate callback only runs after the microtask queue is empty.
 */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
