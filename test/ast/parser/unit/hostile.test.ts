/** Hostile inputs: always an AST or a ParseError, never a raw exception or a stack overflow. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  MAX_DEPTH,
  ParseError,
  parse,
  tryParse,
} from "../../../../src/ast/parser/index.js";

function outcome(src: string | Uint8Array): "ok" | "error" {
  const r = tryParse(src);
  return r.ok ? "ok" : "error";
}

describe("hostile input", () => {
  const deep = 100_000;
  it.each([
    ["lists", "[".repeat(deep) + "]".repeat(deep)],
    ["parens", `${"(".repeat(deep)}1${")".repeat(deep)}`],
    ["calls", `${"f(".repeat(deep)}${")".repeat(deep)}`],
    ["fns", `${"fn -> ".repeat(deep)}1${" end".repeat(deep)}`],
    ["interpolations", `${'"#{'.repeat(deep)}1${'}"'.repeat(deep)}`],
    ["right-assoc operators", `${"a ++ ".repeat(deep)}a`],
    ["unary operators", `${"!".repeat(deep)}a`],
  ])("rejects %s nested 100,000 deep with a clear error", (_, src) => {
    const r = tryParse(src);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/nesting too deep/);
      // The position is the error's line and column, given once (in the prefix), not repeated.
      expect(r.error.description).not.toMatch(/\d+:\d+/);
      expect(r.error.message.match(/\d+:\d+/g)).toHaveLength(1);
    }
  });

  it(`accepts nesting up to the documented limit (${MAX_DEPTH} levels of lists)`, () => {
    const n = MAX_DEPTH - 10;
    expect(outcome("[".repeat(n) + "]".repeat(n))).toBe("ok");
  });

  it("handles long left-associative chains iteratively", () => {
    const src = Array.from({ length: 50_000 }, (_, i) => `a${i}`).join(" + ");
    expect(outcome(src)).toBe("ok");
  });

  it("rejects invalid UTF-8 and binary garbage with a ParseError", () => {
    expect(() => parse(new Uint8Array([0x61, 0x0a, 0xff]))).toThrow(ParseError);
    const g = new Uint8Array(10_000);
    for (let i = 0; i < g.length; i++) g[i] = (i * 7919) & 255;
    expect(outcome(g)).toBe("error");
  });

  it.each([['"abc'], ['"""\nabc'], ["~s(abc"], ['"#{abc'], ["'abc"], ["fn ->"]])(
    "rejects unterminated %j",
    (src) => {
      expect(outcome(src)).toBe("error");
    },
  );

  it("reports file, line and column in the message", () => {
    const r = tryParse("a = 1\nb = )", { file: "x.ex" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.file).toBe("x.ex");
      expect(r.error.line).toBe(2);
      expect(r.error.message).toMatch(/^x\.ex:2:5: /);
    }
  });

  it("rejects unknown options with a TypeError", () => {
    expect(() => parse("1", { bogus: 1 } as never)).toThrow(TypeError);
  });

  it("parses CRLF sources", () => {
    expect(outcome("a = 1\r\nb = 2\r\n")).toBe("ok");
  });
});

describe("the elixir option", () => {
  it("lists the supported versions and defaults to the newest", () => {
    expect(ELIXIR_VERSIONS).toEqual(["1.14", "1.18"]);
    expect(DEFAULT_ELIXIR_VERSION).toBe("1.18");
  });

  it("rejects an unknown version with a TypeError naming the option and the allowed values", () => {
    for (const bad of ["1.15", "", 1.18, null]) {
      expect(() => parse("1", { elixir: bad } as never)).toThrow(
        /parse option `elixir` must be one of "1\.14", "1\.18"/,
      );
    }
  });

  it("parses a multi-letter sigil under 1.18 only, with each version's own error", () => {
    expect(tryParse('~EXLA"x"', { elixir: "1.18" }).ok).toBe(true);
    const r = tryParse('~EXLA"x"', { elixir: "1.14" });
    expect(r.ok).toBe(false);
  });
});
