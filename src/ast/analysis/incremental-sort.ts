/**
 * A stable sort in steps, for assembling a large project analysis without holding the event loop:
 * `Array.prototype.sort` of a few hundred thousand call edges is one call of a second or more.
 * Runs of {@link RUN} elements are sorted with the built-in sort (stable), then merged bottom-up;
 * the generator yields after each run and every {@link MERGE_STEP} merged elements. Ties keep
 * their input order (the left run wins), so the result equals `[...items].sort(compare)`.
 * @packageDocumentation
 */

/** Elements sorted per step with the built-in sort. */
const RUN = 4_096;
/** Elements merged per step. */
const MERGE_STEP = 32_768;

/** `[...items].sort(compare)`, yielding between bounded steps (see the module comment). */
export function* sortSteps<T>(
  items: readonly T[],
  compare: (a: T, b: T) => number,
): Generator<void, T[], undefined> {
  let src = items.slice();
  for (let i = 0; i < src.length; i += RUN) {
    const run = src.slice(i, i + RUN).sort(compare);
    for (let j = 0; j < run.length; j++) src[i + j] = run[j] as T;
    yield;
  }
  let dst = new Array<T>(src.length);
  let budget = MERGE_STEP;
  for (let width = RUN; width < src.length; width *= 2) {
    for (let lo = 0; lo < src.length; lo += 2 * width) {
      const mid = Math.min(lo + width, src.length);
      const hi = Math.min(lo + 2 * width, src.length);
      let a = lo;
      let b = mid;
      for (let k = lo; k < hi; k++) {
        const takeLeft = a < mid && (b >= hi || compare(src[b] as T, src[a] as T) >= 0);
        dst[k] = (takeLeft ? src[a++] : src[b++]) as T;
        if (--budget === 0) {
          budget = MERGE_STEP;
          yield;
        }
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** Runs a stepped computation to its end in one go (for callers that need the result now). */
export function runSteps<R>(steps: Generator<void, R, undefined>): R {
  let step = steps.next();
  while (step.done !== true) step = steps.next();
  return step.value;
}
