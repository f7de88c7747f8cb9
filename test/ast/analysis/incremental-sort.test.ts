import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runSteps, sortSteps } from "../../../src/ast/analysis/incremental-sort.js";

interface Item {
  key: number;
  at: number;
}
const byKey = (a: Item, b: Item) => a.key - b.key;

describe("sortSteps", () => {
  it("equals the built-in stable sort, ties in input order, across run boundaries", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer(),
        (length, keys, seed) => {
          let x = seed | 0;
          const items: Item[] = Array.from({ length }, (_, at) => {
            x = (Math.imul(x, 1_103_515_245) + 12_345) | 0;
            return { key: Math.abs(x) % keys, at };
          });
          const expected = [...items].sort(byKey);
          expect(runSteps(sortSteps(items, byKey))).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("yields in bounded steps and leaves its input alone", () => {
    const items = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_003);
    const before = items.slice();
    const steps = sortSteps(items, (a, b) => a - b);
    let yields = 0;
    let step = steps.next();
    while (step.done !== true) {
      yields++;
      step = steps.next();
    }
    // 25 runs of 4,096, then about 5 levels of 100,000 merged 32,768 at a time.
    expect(yields).toBeGreaterThan(25 + 10);
    expect(step.value).toEqual([...before].sort((a, b) => a - b));
    expect(items).toEqual(before);
  });
});
