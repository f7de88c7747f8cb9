import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { discoverFiles } from "../../../src/ast/population/discover.js";
import { compileGlob, MAX_PATTERN_LENGTH } from "../../../src/ast/population/glob.js";
import { referenceRegex } from "./glob-reference.js";

const segment = fc
  .array(fc.constantFrom("a", "b", "*", "?", "[ab]", "[!a]", "\\*", "["), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.join(""));
const pattern = fc
  .tuple(
    fc.constantFrom("", "/", "!"),
    fc.array(fc.oneof(segment, fc.constant("**")), { minLength: 1, maxLength: 4 }),
    fc.constantFrom("", "/"),
  )
  .map(([lead, segs, tail]) => `${lead}${segs.join("/")}${tail}`);
const path = fc
  .array(fc.stringMatching(/^[ab*[]{1,3}$/), { minLength: 1, maxLength: 4 })
  .map((segs) => segs.join("/"));

describe("linear-time glob matching", () => {
  it("agrees with the regular-expression translation on every short pattern and path", () => {
    fc.assert(
      fc.property(pattern, path, (p, rel) => {
        const rule = compileGlob(p);
        const ref = referenceRegex(p);
        expect(rule === null).toBe(ref === null);
        if (rule === null || ref === null) return;
        expect({
          p,
          rel,
          negate: rule.negate,
          dirOnly: rule.dirOnly,
          hit: rule.matcher.test(rel),
        }).toEqual({
          p,
          rel,
          negate: ref.negate,
          dirOnly: ref.dirOnly,
          hit: ref.regex.test(rel),
        });
      }),
      { numRuns: 3000 },
    );
  });

  it("matches patterns that make a backtracking matcher run for minutes or overflow", () => {
    // Thirty "**/" then "x": the regular expression took 5.5 min on 1,333 paths.
    const stars = compileGlob(`${"**/".repeat(30)}x`)!;
    const deep = `${"d/".repeat(40)}y`;
    for (let i = 0; i < 1333; i++) expect(stars.matcher.test(`${deep}${i}`)).toBe(false);
    expect(stars.matcher.test("d/e/x")).toBe(true);
    // "*a" 10,000 times: the regular expression overflowed the stack when compiled.
    const many = compileGlob("*a".repeat(10_000))!;
    expect(many.matcher.test("a".repeat(200))).toBe(false);
    expect(compileGlob("*a".repeat(100))!.matcher.test("ba".repeat(100))).toBe(true);
  });

  it("refuses an include or exclude pattern over the length limit, naming it", () => {
    const long = "a".repeat(MAX_PATTERN_LENGTH + 1);
    expect(() => discoverFiles(".", { include: [long] })).toThrow(
      new RangeError(
        `discoverFiles: option "include": a pattern of ${MAX_PATTERN_LENGTH + 1} characters; at most ${MAX_PATTERN_LENGTH} are allowed`,
      ),
    );
  });
});
