import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/ast/parser/index.js";
import { compile, matchFile, PatternError, searchSource } from "../../../src/ast/search/index.js";
import { compilePattern } from "../../../src/ast/search/walk.js";
import { Atom, Node } from "../../../src/ast/term.js";

// The semantics are pinned on Elixir 1.14's AST, as the oracle (Debian's Elixir 1.14) checks them.
function find(pattern: string, source: string) {
  return matchFile(compile(pattern, "1.14"), "t.ex", source, parse(source, { elixir: "1.14" }).ast);
}
const at = (ms: { line: number; column: number }[]) => ms.map((m) => `${m.line}:${m.column}`);

describe("pattern semantics", () => {
  it("`def _(...) do ... end` finds both definition syntaxes", () => {
    const src =
      "defmodule M do\n  def f(x), do: x\n  def g(y) do\n    y\n  end\n  def h, do: 1\nend\n";
    const ms = find("def _(...) do ... end", src);
    expect(at(ms)).toEqual(["2:3", "3:3"]);
    expect(ms.map((m) => [m.module, m.function])).toEqual([
      ["M", "f/1"],
      ["M", "g/1"],
    ]);
    // A bare `_` head is any single node, so it takes every head, with or without arguments.
    expect(at(find("def _ do ... end", src))).toEqual(["2:3", "3:3", "6:3"]);
    expect(at(find("def _(_) do ... end", src))).toEqual(["2:3", "3:3"]);
  });

  it("a capture used twice requires equal subtrees, metadata and variable context aside", () => {
    const src = "a == a\nb == c\nf(x) == f( x )\nf(x) == f(y)\n";
    const ms = find("_a == _a", src);
    expect(at(ms)).toEqual(["1:3", "3:6"]);
    expect(ms[1].captures).toEqual({ a: "f(x)" });
  });

  it("`...` is zero or more in every sequence and any single node elsewhere", () => {
    const src = "foo()\nfoo(1)\nfoo(1, 2)\n[1, 2, 3]\n{1, 2, 3}\n%{a: 1, b: 2}\n";
    expect(at(find("foo(...)", src))).toEqual(["1:1", "2:1", "3:1"]);
    expect(at(find("foo(_, ...)", src))).toEqual(["2:1", "3:1"]);
    expect(at(find("foo(..., 2)", src))).toEqual(["3:1"]);
    expect(at(find("{1, ...}", src))).toEqual(["5:1"]);
    // A map node's column is its `{`, as in Elixir.
    expect(at(find("%{..., b: _}", src))).toEqual(["6:2"]);
    expect(at(find("foo(...) |> ...", "foo(1) |> bar()\n"))).toEqual(["1:8"]);
  });

  it("tuples of two and of more elements are one sequence", () => {
    const src = "x = {1, 2}\ny = {1, 2, 3}\n";
    expect(at(find("_ = {1, ...}", src))).toEqual(["1:3", "2:3"]);
    expect(at(find("_ = {_, _}", src))).toEqual(["1:3"]);
  });

  it("`_name(...)` matches any local call and captures its name", () => {
    const ms = find("_f(_x, _x)", "foo(a, a)\nbar(a, b)\nM.baz(a, a)\n");
    expect(at(ms)).toEqual(["1:1"]);
    expect(ms[0].captures).toEqual({ f: "foo", x: "a" });
  });

  it("block statements match a multi-statement body or a single statement", () => {
    const src = "def a do\n  log()\n  x\nend\ndef b do\n  log()\nend\ndef c do\n  x\nend\n";
    expect(at(find("def _ do log(); ... end", src))).toEqual(["1:1", "5:1"]);
  });

  it("plain variables match by name; special `__MODULE__` names are not captures", () => {
    const src = "x = 1\ny = 1\n__MODULE__.f()\nfoo.f()\n";
    expect(at(find("x = _", src))).toEqual(["1:3"]);
    // A remote call sits at its function name.
    expect(at(find("__MODULE__.f()", src))).toEqual(["3:12"]);
  });

  it("takes `...` as Elixir 1.16+ writes it, a call without arguments", () => {
    const ast = parse("foo(a, ...)").ast as Node & { args: Node[] };
    ast.args[1] = new Node(Atom.of("..."), [], []);
    const p = compilePattern("foo(a, ...)", ast, "1.18");
    const src = "foo(a)\nfoo(a, b, c)\nfoo(b)\n";
    expect(at(matchFile(p, "t.ex", src, parse(src).ast))).toEqual(["1:1", "2:1"]);
  });

  it("parses pattern and files with the chosen Elixir version", () => {
    const src = 'x = ~EXLA"y"\n';
    expect(searchSource(compile("x = _", "1.18"), "t.ex", src).ok).toBe(true);
    const old = searchSource(compile("x = _", "1.14"), "t.ex", src);
    expect(old.ok).toBe(false);
    expect(() => compile("x", "1.16" as "1.14")).toThrow(RangeError);
  });

  it("%_{...} finds every struct literal", () => {
    expect(at(find("%_{...}", "%A{}\n%B{a: 1}\n%{a: 1}\n"))).toEqual(["1:1", "2:1"]);
  });

  it("reports an exclusive end and captures as source text", () => {
    const [m] = find("IO.inspect(_v)", 'IO.inspect("hi")\n');
    expect([m.line, m.column, m.endLine, m.endColumn]).toEqual([1, 4, 1, 17]);
    expect(m.captures).toEqual({ v: '"hi"' });
  });

  it("names the position of a bad pattern and reports a file's parse error", () => {
    expect(() => compile("foo(")).toThrow(PatternError);
    expect(() => compile("  ")).toThrow(/empty/);
    const r = searchSource(compile("x", "1.14"), "bad.ex", "x = (\n");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ file: "bad.ex", line: 2, column: 1 });
    // A file without a name every match spells out is not parsed at all.
    expect(searchSource(compile("IO.inspect(_)"), "bad.ex", "x = (\n")).toEqual({
      ok: true,
      matches: [],
    });
    expect(compile("IO.inspect(_x) |> Enum.map(_)").prefilter.words.sort()).toEqual([
      "Enum",
      "IO",
      "inspect",
      "map",
      "|>",
    ]);
    expect(compile('"a#{_x}" <> ~r/b/').prefilter.words).toEqual(["<>"]);
  });

  it("every node matches `_` and `...`, and a node matches a pattern made from itself", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          "foo(a, [1, 2], %{k: v})",
          "case x do\n  1 -> :a\n  _ -> {:b, y}\nend",
          "a |> b(c)",
        ),
        (src) => {
          const ms = find("_", src);
          expect(find("...", src).length).toBe(ms.length);
          expect(find(src, src).length).toBeGreaterThanOrEqual(1);
        },
      ),
    );
  });
});

describe("deep trees", () => {
  // The parser accepts thousands of nesting levels; walking, ranges, captures and capture
  // equality must not exhaust the stack on them (nor take quadratic time in the depth).
  const meta = (): [string, number][] => [
    ["line", 1],
    ["column", 1],
  ];
  function nest(depth: number, wrap: (t: Node) => Node): Node {
    let t = new Node(Atom.of("x"), meta(), null);
    for (let i = 0; i < depth; i++) t = wrap(t);
    return t;
  }
  const call = (t: Node) => new Node(Atom.of("foo"), meta(), [t]);
  const remote = (t: Node) =>
    new Node(new Node(Atom.of("."), meta(), [t, Atom.of("f")]), meta(), []);

  it("matches every level of a 2,500-deep call and remote-call chain", () => {
    const calls = nest(2500, call);
    expect(matchFile(compile("_"), "t.ex", "x\n", calls)).toHaveLength(2501);
    const captured = matchFile(compile("foo(foo(_x))"), "t.ex", "x\n", calls);
    expect(captured).toHaveLength(2499);
    expect(matchFile(compile("_.f()"), "t.ex", "x\n", nest(2500, remote))).toHaveLength(2500);
  });

  it("compares 2,500-deep captures for equality", () => {
    const left = nest(2500, call);
    const right = nest(2500, call);
    const eq = new Node(Atom.of("=="), meta(), [left, right]);
    expect(matchFile(compile("_a == _a"), "t.ex", "x\n", eq)).toHaveLength(1);
    const differs = new Node(Atom.of("=="), meta(), [left, nest(2499, call)]);
    expect(matchFile(compile("_a == _a"), "t.ex", "x\n", differs)).toHaveLength(0);
  });
});

describe("odd files", () => {
  it("reports binary, non-UTF-8 and NUL-laden files as errors, never crashing", () => {
    const p = compile("IO.inspect(_)");
    const bad = Buffer.concat([
      Buffer.from("IO.inspect(x)\n"),
      Buffer.from([0xff, 0xfe, 0x00, 0xc3]),
    ]);
    const r = searchSource(p, "bin.ex", bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ file: "bin.ex", line: 2 });
    const nul = searchSource(p, "nul.ex", Buffer.from("IO.inspect(x)\u0000\n"));
    expect(nul.ok === false || nul.matches.length === 1).toBe(true);
    // A huge one-line file is searched like any other.
    const huge = `x = [${"1, ".repeat(200_000)}IO.inspect(y)]\n`;
    const h = searchSource(p, "huge.ex", huge);
    expect(h.ok && h.matches.map((m) => m.column)).toEqual([600_009]);
  });
});
