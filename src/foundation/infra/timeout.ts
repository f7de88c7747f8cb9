/**
 * Runs a function against a time budget and the caller's AbortSignal. The function can get a
 * signal that aborts when either runs out, so well-behaved work stops instead of leaking.
 *
 * The AbortController behind that signal is made only when the function asks for it: creating
 * one costs more than the rest of the race, and most hot-path functions never look at it.
 * @packageDocumentation
 */
import type { TimerClock } from "../clock.js";
import { AbortedError, TimeoutError } from "./errors.js";

/** A signal that never aborts, shared so that the no-signal path allocates nothing. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** Work that honours an AbortSignal. */
export type Work<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/**
 * Resolves with `fn`'s result, or rejects with {@link TimeoutError} after `timeoutMs`, or with
 * {@link AbortedError} as soon as `outer` aborts. The timer and the abort listener are always
 * removed when the race settles. A function declared without parameters gets no signal made.
 */
export function runWithTimeout<T>(
  fn: Work<T>,
  timeoutMs: number,
  clock: TimerClock,
  what: string,
  outer?: AbortSignal,
): Promise<T> {
  return raceTimeout(
    fn.length === 0 ? () => fn(NEVER_ABORTED) : (signal) => fn(signal()),
    timeoutMs,
    clock,
    what,
    outer,
  );
}

/**
 * Like {@link runWithTimeout}, but `fn` receives a function returning the signal, which creates
 * the AbortController on first call.
 */
export function raceTimeout<T>(
  fn: (signal: () => AbortSignal) => T | PromiseLike<T>,
  timeoutMs: number,
  clock: TimerClock,
  what: string,
  outer?: AbortSignal,
): Promise<T> {
  if (outer?.aborted) return Promise.reject(new AbortedError(what, outer.reason));
  return new Promise<T>((resolve, reject) => {
    let inner: AbortController | undefined;
    let settled = false;
    const getSignal = (): AbortSignal => {
      if (!inner) {
        inner = new AbortController();
        if (settled) inner.abort(new TimeoutError(what, timeoutMs));
      }
      return inner.signal;
    };
    const cleanup = (): void => {
      settled = true;
      timer.cancel();
      if (outer) outer.removeEventListener("abort", onOuterAbort);
    };
    const onOuterAbort = (): void => {
      if (settled) return;
      cleanup();
      inner?.abort(outer?.reason);
      reject(new AbortedError(what, outer?.reason));
    };
    const timer = clock.setTimeout(() => {
      if (settled) return;
      cleanup();
      const error = new TimeoutError(what, timeoutMs);
      inner?.abort(error);
      reject(error);
    }, timeoutMs);
    if (outer) outer.addEventListener("abort", onOuterAbort, { once: true });
    let pending: T | PromiseLike<T>;
    try {
      pending = fn(getSignal);
    } catch (error) {
      cleanup();
      reject(error);
      return;
    }
    Promise.resolve(pending).then(
      (value) => {
        if (settled) return;
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        cleanup();
        reject(error);
      },
    );
  });
}
