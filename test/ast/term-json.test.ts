import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Atom, atom, Bin, Float, Node, type Term, Tuple } from "../../src/ast/term.js";
import {
  firstDifference,
  type TermJson,
  termFromJson,
  termToJson,
} from "../../src/ast/term-json.js";

const atomArb = fc
  .oneof(fc.constantFrom("true", "false", "nil", "ok", "Elixir.Foo", "line"), fc.string())
  .map(atom);
const termArb: fc.Arbitrary<Term> = fc.letrec<{ term: Term }>((tie) => ({
  term: fc.oneof(
    { depthSize: "small" },
    fc.integer(),
    fc
      .bigInt({ min: -(2n ** 80n), max: 2n ** 80n })
      .map((b) => (Number.isSafeInteger(Number(b)) && BigInt(Number(b)) === b ? Number(b) : b)),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => new Float(d)),
    fc.string(),
    atomArb,
    fc.uint8Array({ maxLength: 4 }).map((b) => new Bin(Uint8Array.from([0xff, ...b]))),
    fc.array(tie("term"), { maxLength: 3 }),
    fc.tuple(tie("term"), tie("term")).map(([a, b]) => new Tuple([a, b])),
    fc
      .tuple(
        fc.constantFrom("foo", "+", "__block__").map((n) => Atom.of(n)),
        fc.nat(),
        fc.nat(),
        fc.array(tie("term"), { maxLength: 2 }),
      )
      .map(
        ([f, line, column, args]) =>
          new Node(
            f,
            [
              [
                "closing",
                [
                  ["line", line],
                  ["column", column + 1],
                ],
              ],
              ["line", line],
              ["column", column],
            ],
            args,
          ),
      ),
  ),
})).term;

describe("canonical term JSON", () => {
  it("round-trips every term through JSON text", () => {
    fc.assert(
      fc.property(termArb, (t) => {
        const json = termToJson(t);
        const back = termToJson(termFromJson(JSON.parse(JSON.stringify(json)) as TermJson));
        expect(firstDifference(back, json)).toBeNull();
      }),
    );
  });

  it("encodes the documented forms", () => {
    expect(termToJson(2n ** 60n)).toEqual({ int: "1152921504606846976" });
    expect(termToJson(2n ** 53n)).toBe(2 ** 53);
    expect(termToJson(new Float(1))).toEqual({ float: 1 });
    expect(termToJson(null)).toEqual({ atom: "nil" });
    expect(termToJson(Atom.of("Elixir.Kernel"))).toEqual({ atom: "Elixir.Kernel" });
    expect(
      termToJson(
        new Node(
          Atom.of("x"),
          [
            ["line", 1],
            ["column", 2],
          ],
          null,
        ),
      ),
    ).toEqual({
      tuple: [
        { atom: "x" },
        [{ tuple: [{ atom: "line" }, 1] }, { tuple: [{ atom: "column" }, 2] }],
        { atom: "nil" },
      ],
    });
  });

  it("interns atoms and refuses to make Atom objects for true, false and nil", () => {
    expect(Atom.of("ok")).toBe(Atom.of("ok"));
    expect(() => Atom.of("nil")).toThrow(TypeError);
  });

  it("names the first differing path", () => {
    expect(firstDifference({ ok: [1, { tuple: [2] }] }, { ok: [1, { tuple: [3] }] })).toBe(
      "ok[1].tuple[0]: 2 != 3",
    );
  });
});
