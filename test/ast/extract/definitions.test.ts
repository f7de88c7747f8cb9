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
