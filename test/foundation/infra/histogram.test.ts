import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../../src/foundation/index.js";

function exactPercentile(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

describe("LatencyHistogram", () => {
  it("answers percentiles within 0.1% (plus 1 µs) of the exact ones", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 500 }),
        (values) => {
          const h = new LatencyHistogram();
          for (const v of values) h.record(v);
          const sorted = values.map((v) => Math.round(v * 1000) / 1000).sort((a, b) => a - b);
          for (const p of [50, 90, 99, 100]) {
            const exact = exactPercentile(sorted, p);
            const got = h.percentile(p);
            if (Math.abs(got - exact) > exact * 0.001 + 0.001) return false;
          }
          const s = h.snapshot();
          return (
            s.count === values.length && s.max === sorted[sorted.length - 1] && s.min === sorted[0]
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("clamps absurd values, treats negatives as zero, merges and resets", () => {
    const a = new LatencyHistogram();
    a.record(-5);
    a.record(Number.NaN);
    a.record(1e12);
    expect(a.snapshot()).toMatchObject({ count: 3, min: 0 });
    expect(a.snapshot().max).toBeCloseTo(4294967.295, 3);
    const b = new LatencyHistogram();
    b.record(2);
    b.add(a);
    expect(b.count).toBe(4);
    b.reset();
    expect(b.snapshot()).toEqual({
      count: 0,
      min: 0,
      max: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p99: 0,
      p999: 0,
    });
  });
});
