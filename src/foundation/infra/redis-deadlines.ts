/**
 * Per-call deadlines for the Redis rate limiter, watched by one timer instead of one timer per
 * call. Every call has the same budget, so deadlines arrive in call order: the calls wait in a
 * FIFO list and a single timer is armed for the oldest unsettled one. A call settled by Redis is
 * unlinked at once when it is the oldest (the usual case), so the list stays short. Measured on
 * the limiter's hot path, a Node timer set and cleared per call plus the generic race around it
 * cost about 2 µs of client CPU per decision, more than the Lua script's own work.
 *
 * Semantics are those of a per-call timeout: a call not answered within `timeoutMs` rejects with
 * TimeoutError at its deadline (never earlier). On the real clock the timer keeps the process
 * alive only while some call is waiting, like the per-call timer it replaces.
 * @packageDocumentation
 */
import { type HeldTimer, startTimer, type TimerClock } from "../clock.js";
import { TimeoutError } from "./errors.js";

/** One call waiting for Redis; a class with prototype methods so no closure shares state. */
class Waiting<T> {
  next: Waiting<T> | undefined = undefined;
  done = false;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;
  constructor(
    readonly owner: Deadlines,
    readonly deadline: number,
  ) {}

  ok(value: T): void {
    if (this.done) return;
    this.done = true;
    this.resolve(value);
    this.owner.settled();
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.reject(error);
    this.owner.settled();
  }
}

function fire(d: Deadlines): void {
  d.expire();
}

/** Races promises against one fixed timeout with a single shared timer. */
export class Deadlines {
  #head: Waiting<unknown> | undefined = undefined;
  #tail: Waiting<unknown> | undefined = undefined;
  #timer: HeldTimer | undefined = undefined;
  #armed = false;

  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly clock: TimerClock,
  ) {}

  /** `pending`'s outcome, or TimeoutError if it has none within `timeoutMs`. */
  race<T>(pending: Promise<T>): Promise<T> {
    const w = new Waiting<T>(this, this.clock.now() + this.timeoutMs);
    const result = new Promise<T>((resolve, reject) => {
      w.resolve = resolve;
      w.reject = reject;
    });
    const entry = w as Waiting<unknown>;
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
    if (!this.#armed) this.#arm(this.timeoutMs);
    else if (this.#timer !== undefined && this.#head === entry) this.#timer.hold(true);
    pending.then(
      (value) => w.ok(value),
      (error: unknown) => w.fail(error),
    );
    return result;
  }

  /** Unlinks settled calls from the front; with none left waiting, lets the process exit. */
  settled(): void {
    let h = this.#head;
    while (h?.done) h = h.next;
    this.#head = h;
    if (h === undefined) {
      this.#tail = undefined;
      // Keep the armed timer (re-arming per call is the cost avoided) but stop it holding the
      // process open; it fires once, finds nothing and is not re-armed.
      this.#timer?.hold(false);
    }
  }

  /** Timer callback: rejects every call past its deadline, then re-arms for the oldest left. */
  expire(): void {
    this.#armed = false;
    this.#timer = undefined;
    const now = this.clock.now();
    let h = this.#head;
    while (h && (h.done || h.deadline <= now)) {
      const next = h.next;
      if (!h.done) {
        h.done = true;
        h.reject(new TimeoutError(this.what, this.timeoutMs));
      }
      h = next;
    }
    this.#head = h;
    if (h === undefined) this.#tail = undefined;
    // Timers may fire a fraction of a ms early on a fractional clock; never time out early.
    else this.#arm(Math.max(1, h.deadline - now));
  }

  #arm(delayMs: number): void {
    this.#armed = true;
    this.#timer = startTimer(this.clock, fire, this, delayMs);
  }
}
