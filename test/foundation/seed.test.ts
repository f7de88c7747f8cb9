import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mulberry32, SEED_ENV, testSeed, withSeed } from "./seed.js";

describe("replayable randomized tests", () => {
  it("one seed gives one sequence, in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it(`takes the seed from ${SEED_ENV}, refusing a malformed one`, () => {
    expect(testSeed({ [SEED_ENV]: "12345" })).toBe(12345);
    expect(() => testSeed({ [SEED_ENV]: "abc" })).toThrow(RangeError);
    expect(() => testSeed({ [SEED_ENV]: "-1" })).toThrow(RangeError);
  });

  it("names the seed in a failure", async () => {
    const err = await withSeed(async () => {
      throw new Error("boom");
    }).catch((e: Error) => e);
    expect(err.message).toMatch(
      new RegExp(`boom\\n\\[seed \\d+ \\(replay with ${SEED_ENV}=\\d+\\)\\]`),
    );
  });

  it("the chaos and soak tests draw only from the seeded generator", () => {
    for (const file of ["./chaos/chaos.test.ts", "./infra/soak.test.ts"]) {
      const text = readFileSync(fileURLToPath(new URL(file, import.meta.url)), "utf8");
      expect(text).not.toContain("Math.random");
      expect(text).toContain("withSeed(");
    }
  });
});
