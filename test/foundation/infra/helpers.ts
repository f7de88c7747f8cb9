import type { ManualClock } from "../../../src/foundation/index.js";

/** Resolves once every queued promise callback (and what they queue) has run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Advances a ManualClock in steps, letting promise callbacks settle between steps so work that
 * schedules a timer after an await is driven too.
 */
export async function advance(
  clock: ManualClock,
  ms: number,
  stepMs = Math.max(1, ms / 50),
): Promise<void> {
  await flush();
  let left = ms;
  while (left > 0) {
    const step = Math.min(stepMs, left);
    clock.advance(step);
    left -= step;
    await flush();
  }
}
