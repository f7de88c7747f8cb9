/**
 * Atom length limit: Elixir's tokenizer rejects atoms longer than 255 ("atom length must be less
 * than system limit: NAME"), counting code points for atoms built from charlists (identifiers,
 * aliases, `:name`, `name:`, `foo."name"`) and UTF-8 bytes for those built from binaries
 * (`:"name"`, `:'name'`, `"name":`). Expected results come from the real Elixir 1.14.
 */
import { expect, it } from "vitest";
import { ParseError, parse } from "../../../../src/ast/parser/index.js";
import { type FileResultJson, firstDifference, termToJson } from "../../../../src/ast/term-json.js";
import {
  describeUnless,
  ELIXIR,
  hasElixir,
  skipUnlessAvailable,
} from "../../../support/prerequisites.js";
import { oracle } from "./oracle.js";

const a = (n: number) => "a".repeat(n);
const A = (n: number) => "A".repeat(n);
/** "é" is one code point and two UTF-8 bytes. */
const e = (n: number) => "é".repeat(n);

/** [label, source]: each 255 case is accepted, each 256 case rejected by Elixir. */
const CASES: [string, string][] = [
  ["identifier 255", `${a(255)} = 1`],
  ["identifier 256", `${a(256)} = 1`],
  ["identifier 100,000", `${a(100_000)} = 1`],
  ["identifier 256 on line 2", `x = 1\n  ${a(256)} = 1`],
  ["identifier 255 with ?", `${a(254)}? = 1`],
  ["identifier 256 with ?", `${a(255)}? = 1`],
  ["identifier 256 with @ (length first)", `${a(256)}@ = 1`],
  ["identifier 255 of é (510 bytes)", `${e(255)} = 1`],
  ["identifier 256 of é", `${e(256)} = 1`],
  ["paren call 256", `${a(256)}(1)`],
  ["do call 256", `x = ${a(256)} do\nend`],
  ["capture 256", `x = &${a(256)}/1`],
  ["in interpolation 256", `"#{${a(256)}}"`],
  ["atom 255", `x = :${a(255)}`],
  ["atom 256", `x = :${a(256)}`],
  ["atom 255 of é", `x = :${e(255)}`],
  ["atom 256 of é", `x = :${e(256)}`],
  ["quoted atom 255", `x = :"${a(255)}"`],
  ["quoted atom 256", `x = :"${a(256)}"`],
  ["quoted atom 255 bytes", `x = :"${e(127)}a"`],
  ["quoted atom 256 bytes (128 é)", `x = :"${e(128)}"`],
  ["single-quoted atom 256 bytes", `x = :'${e(128)}'`],
  ["quoted atom 255 after escape", `x = :"${a(254)}\\x41"`],
  ["quoted atom 256 after escape", `x = :"${a(255)}\\x41"`],
  ["quoted atom 256 spanning lines", `x = :"\n${a(256)}"`],
  ["interpolated quoted atom (no limit)", `x = :"${a(256)}#{1}"`],
  ["alias 255", `x = ${A(255)}`],
  ["alias 256", `x = ${A(256)}`],
  ["alias segment 256", `x = Foo.${A(256)}.Bar`],
  ["keyword 255", `f ${a(255)}: 1`],
  ["keyword 256", `f ${a(256)}: 1`],
  ["keyword 256 in a list", `[${a(256)}: 1]`],
  ["quoted keyword 255", `f "${a(255)}": 1`],
  ["dot call 255", `foo.${a(255)}`],
  ["dot call 256", `foo.${a(256)}`],
  ["dot paren call 256", `foo.${a(256)}()`],
  ["dot quoted call 256", `foo."${a(256)}"`],
  ["dot quoted call 128 é (256 bytes, 128 code points)", `foo."${e(128)}"`],
  ["before a terminator error", `${a(256)}\n)`],
  ["after a parser error (the tokenizer runs first)", `x = ,\n${a(256)}`],
];

function ours(src: string): FileResultJson {
  try {
    // Debian's Elixir (1.14) is the oracle here.
    const r = parse(src, { elixir: "1.14" });
    return { file: "", ok: termToJson(r.ast), comments: r.comments };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return { file: "", error: { line: err.line, column: err.column, message: err.description } };
  }
}

describeUnless(skipUnlessAvailable(ELIXIR, hasElixir()), "atom length limit vs Elixir 1.14", () => {
  const expected = oracle(CASES.map(([, src]) => src));
  CASES.forEach(([label, src], i) => {
    it(label, () => {
      const want = expected[i];
      const got = ours(src);
      if ("ok" in want) {
        expect("ok" in got, "error" in got ? got.error.message.slice(0, 120) : "").toBe(true);
        if ("ok" in got) expect(firstDifference(got.ok, want.ok)).toBeNull();
      } else {
        expect("error" in got ? got.error : "accepted").toEqual(want.error);
      }
    });
  });

  // Elixir 1.14's string_to_quoted crashes (CaseClauseError) on this tokenizer error instead of
  // returning it; we return what the tokenizer reported: line 1, column 3 (the quote).
  it("quoted keyword 256 bytes", () => {
    const src = `f "${e(128)}": 1`;
    const [want] = oracle([src]);
    expect("error" in want && want.error.message).toContain(
      "{:error, {1, 3, 'atom length must be less than system limit: '",
    );
    const got = ours(src);
    expect("error" in got ? got.error : "accepted").toEqual({
      line: 1,
      column: 3,
      message: `atom length must be less than system limit: ${e(128)}`,
    });
  });
});
