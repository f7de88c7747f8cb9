import { describe, expect, it } from "vitest";
import { parse } from "../../../src/ast/parser/index.js";
import { applyRules, parseRules, RuleError, suppress } from "../../../src/ast/rules/index.js";

const SOURCE = `defmodule App.Web do
  def a(x) do
    IO.inspect(x)
    test "t" do
      IO.inspect(:in_test)
    end
  end

  defp b(y), do: IO.inspect(y, label: "b")
end
`;

function run(yaml: string, metrics: (fn: string) => number | null = () => null) {
  const rules = parseRules(yaml, "r.yml");
  const { ast } = parse(SOURCE);
  return applyRules(rules, "a.ex", SOURCE, ast, (_m, fn) => {
    const loc = metrics(fn);
    return loc === null
      ? null
      : ({
          loc,
          cyclomatic: 1,
          perceived: 1,
          abc: 1,
          abcA: 0,
          abcB: 0,
          abcC: 0,
          nesting: 0,
          arity: 1,
          cognitive: 0,
        } as never);
  }).map((f) => `${f.rule}@${f.line}:${f.message}`);
}

describe("rules", () => {
  it("not-inside a pattern and function kinds", () => {
    const yaml = `id: r\nmessage: "inspect {{v}}"\npattern: IO.inspect(_v, ...)\nnot-inside: test _ do ... end\n`;
    expect(run(yaml)).toEqual(["r@3:inspect x", "r@9:inspect y"]);
    const onlyPrivate = `${yaml}inside:\n  function-kind: defp\n`;
    expect(run(onlyPrivate)).toEqual(["r@9:inspect y"]);
    const otherModule = `${yaml}inside:\n  module: "Other.*"\n`;
    expect(run(otherModule)).toEqual([]);
  });

  it("all: every pattern on the same node; any: one of them", () => {
    const all = `id: r\nmessage: m\nall:\n  - IO.inspect(...)\n  - "IO.inspect(_, label: _)"\n`;
    expect(run(all)).toEqual(["r@9:m"]);
    const any = `id: r\nmessage: m\nany:\n  - IO.inspect(:in_test)\n  - "IO.inspect(_, label: _)"\n`;
    expect(run(any)).toEqual(["r@5:m", "r@9:m"]);
  });

  it("where on captures and on the enclosing function's metrics", () => {
    const cap = `id: r\nmessage: m\npattern: IO.inspect(_v, ...)\nwhere:\n  v:\n    not-matches: "^:"\n`;
    expect(run(cap)).toEqual(["r@3:m", "r@9:m"]);
    const metric = `id: r\nmessage: "{{f}}"\npattern: def _f(...) do ... end\nwhere:\n  loc: "> 3"\n`;
    expect(run(metric, (fn) => (fn === "a/1" ? 6 : 1))).toEqual(["r@2:a"]);
  });

  it("names the file, rule and field of a bad rule, and the position of bad YAML", () => {
    expect(() => parseRules("id: r\nmessage: m\n", "x.yml")).toThrow(
      /x\.yml: rule r: exactly one of pattern, any, all/,
    );
    expect(() => parseRules("id: r\nmessage: m\npattern: x\nseverity: high\n", "x.yml")).toThrow(
      /severity must be one of error, warning, info/,
    );
    expect(() =>
      parseRules("id: r\nmessage: m\npattern: x\nwhere:\n  loc: lots\n", "x.yml"),
    ).toThrow(/where\.loc must be a comparison/);
    expect(() => parseRules("id: R_1\nmessage: m\npattern: x\n", "x.yml")).toThrow(/kebab-case/);
    expect(() => parseRules("id: r\nbogus: 1\n", "x.yml")).toThrow(/unknown key "bogus"/);
    expect(() => parseRules("id: r\nmessage: m\npattern:\n  f(a: 1)\n", "x.yml")).toThrow(
      /x\.yml: rule r\.pattern must be a pattern string \(quote/,
    );
    expect(() => parseRules("id: [\n", "x.yml")).toThrow(RuleError);
    expect(() => parseRules("id: [\n", "x.yml")).toThrow(/^x\.yml:\d+:\d+: /);
  });

  it("suppresses the next line for listed rules or all", () => {
    const comments = parse(
      "# elixirscope:disable-next-line a, b\nx\n# elixirscope:disable-next-line\ny\n",
    ).comments;
    const findings = [
      { rule: "a", line: 2 },
      { rule: "c", line: 2 },
      { rule: "z", line: 4 },
    ];
    expect(suppress(findings, comments)).toEqual({ kept: [{ rule: "c", line: 2 }], suppressed: 2 });
  });
});
