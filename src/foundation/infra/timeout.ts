/**
 * Runs a function against a time budget and the caller's AbortSignal. The function receives a
 * signal that aborts when either runs out, so well-behaved work stops instead of leaking.
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
 * removed when the race settles.
 */
export function runWithTimeout<T>(
  fn: Work<T>,
  timeoutMs: number,
  clock: TimerClock,
  what: string,
  outer?: AbortSignal,
): Promise<T> {
  if (outer?.aborted) return Promise.reject(new AbortedError(what, outer.reason));
  return new Promise<T>((resolve, reject) => {
    const inner = new AbortController();
    let settled = false;
    const cleanup = (): void => {
      settled = true;
      timer.cancel();
      outer?.removeEventListener("abort", onOuterAbort);
    };
    const onOuterAbort = (): void => {
      if (settled) return;
      cleanup();
      inner.abort(outer?.reason);
      reject(new AbortedError(what, outer?.reason));
    };
    const timer = clock.setTimeout(() => {
      if (settled) return;
      cleanup();
      const error = new TimeoutError(what, timeoutMs);
      inner.abort(error);
      reject(error);
    }, timeoutMs);
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    let pending: T | PromiseLike<T>;
    try {
      pending = fn(inner.signal);
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
