import { describe, expect, it } from "vitest";
import { ManualClock, systemClock } from "../../src/foundation/index.js";

describe("clocks", () => {
  it("the system clock is epoch ms and never goes back", () => {
    const a = systemClock.now();
    const b = systemClock.now();
    expect(b).toBeGreaterThanOrEqual(a);
    expect(Math.abs(a - Date.now())).toBeLessThan(1_000);
  });

  it("a manual clock fires due timers in order, each at its own time", () => {
    const clock = new ManualClock(0);
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(["b", clock.now()]), 20);
    clock.setTimeout(() => fired.push(["a", clock.now()]), 10);
    const c = clock.setTimeout(() => fired.push(["c", clock.now()]), 15);
    c.cancel();
    clock.advance(15);
    expect(fired).toEqual([["a", 10]]);
    clock.advance(100);
    expect(fired).toEqual([
      ["a", 10],
      ["b", 20],
    ]);
    expect(clock.now()).toBe(115);
    expect(clock.pendingTimers).toBe(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it("a manual clock refuses a start time that is not a finite number", () => {
    for (const bad of ["abc", Number.NaN, Number.POSITIVE_INFINITY, null]) {
      expect(() => new ManualClock(bad as number), String(bad)).toThrow(
        expect.objectContaining({
          code: "INVALID_ARGUMENT",
          message: expect.stringMatching(/startMs/),
        }),
      );
    }
    expect(new ManualClock().now()).toBe(1_700_000_000_000);
    expect(new ManualClock(-5.5).now()).toBe(-5.5);
  });
});
