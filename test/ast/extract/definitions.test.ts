/**
 * Definitions that are not functions of a named module (`files[].definitions[]`): each context
 * Credo measures, with its metrics, and none for the functions modules already hold.
 */
import { describe, expect, it } from "vitest";
import { extractFile } from "../../../src/ast/extract/index.js";
import type { DefinitionInfo } from "../../../src/ast/model.js";
import { parse } from "../../../src/ast/parser/index.js";

function definitions(source: string, path = "lib/a.ex"): DefinitionInfo[] {
  const { ast, comments } = parse(source);
  return extractFile(ast, comments, path).definitions ?? [];
}

const summary = (d: DefinitionInfo) =>
  `${d.context} ${d.kind} ${d.name}/${d.arity} @${d.line}${d.head ? " head" : ""}`;

describe("definitions outside named modules", () => {
  it("reports defs inside quote, in computed modules, with computed names and in scripts", () => {
    const src = [
      "defmodule Lib do",
      "  defmacro __using__(_opts) do",
      "    quote do",
      "      def helper(x) when is_integer(x), do: x + 1",
      "      def change(data, changes \\\\ %{})",
      "    end",
      "  end",
      "  for name <- [:a, :b] do",
      "    def unquote(name)(x), do: x",
      "  end",
      "end",
      "for mod <- [A, B] do",
      "  defmodule mod do",
      "    def run(a, b), do: if(a, do: b)",
      "  end",
      "end",
      "def top(x), do: x",
    ].join("\n");
    const found = definitions(src);
    expect(found.map(summary)).toEqual([
      "quote def helper/1 @4",
      "quote def change/2 @5 head",
      "computed-name def unquote(name)/1 @9",
      "computed-module def run/2 @14",
      "script def top/1 @17",
    ]);
    const run = found[3].metrics;
    expect([run.cyclomatic, run.abcC, run.nesting, run.nestingLine, run.arity]).toEqual([
      2, 1, 1, 14, 2,
    ]);
    // A guarded head hides its parameters from ABC (Credo's get_parameters): `x + 1` is B=2.
    expect(found[0].metrics.abcB).toBe(2);
  });

  it("reports nothing for functions of named modules, nested modules and impls included", () => {
    const src = [
      "defmodule A do",
      "  def f(a, b \\\\ 1)",
      "  def f(a, b), do: a + b",
      "  defmodule B, do: def(g, do: 1)",
      "  defimpl String.Chars do",
      '    def to_string(_), do: "a"',
      "  end",
      "end",
    ].join("\n");
    expect(definitions(src)).toEqual([]);
  });
});

describe("module-body calls", () => {
  it("counts each call of nested module-level blocks once (tests in describes)", () => {
    const src = [
      "defmodule ATest do",
      "  use ExUnit.Case",
      '  describe "outer" do',
      "    @tag :slow",
      '    test "a" do',
      "      assert Enum.sum([1]) == 1",
      "    end",
      "    if true do",
      "      def helper(x), do: List.first(x)",
      "      IO.puts(:hi)",
      "    end",
      "  end",
      '  @limit String.length("ab")',
      "end",
    ].join("\n");
    const { ast, comments } = parse(src);
    const m = extractFile(ast, comments, "test/a_test.exs").modules[0];
    const seen = (m.bodyCalls ?? []).map((c) => `${c.module ?? ""}.${c.name}/${c.arity}@${c.line}`);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(
      expect.arrayContaining(["Enum.sum/1@6", "IO.puts/1@10", "String.length/1@13"]),
    );
    // The definition inside the module-level `if` is still the module's function.
    expect(m.functions.map((f) => `${f.name}/${f.arity}`)).toContain("helper/1");
  });
});

describe("a function defined by def in one branch and defdelegate in the other", () => {
  it("keeps the written clauses and the delegation target, without a head for the delegation", () => {
    const src = [
      "defmodule UI do",
      "  if Mix.env() == :test do",
      "    def puts(_), do: nil",
      "  else",
      "    defdelegate puts(v), to: Shell",
      "  end",
      "  defdelegate warn(v), to: Shell",
      "end",
    ].join("\n");
    const { ast, comments } = parse(src);
    const fns = extractFile(ast, comments, "lib/ui.ex").modules[0].functions;
    const puts = fns.find((f) => f.name === "puts")!;
    expect(puts.kind).toBe("def");
    expect(puts.clauses.map((c) => [c.line, c.head])).toEqual([[3, false]]);
    expect(puts.delegateTo).toEqual({ module: "Shell", name: "puts" });
    expect(puts.endLine).toBe(5);
    // A function that only delegates keeps its one bodiless clause.
    const warn = fns.find((f) => f.name === "warn")!;
    expect(warn.kind).toBe("defdelegate");
    expect(warn.clauses.map((c) => [c.line, c.head])).toEqual([[7, true]]);
  });
});
