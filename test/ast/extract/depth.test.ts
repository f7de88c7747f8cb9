/**
 * Deep files: extraction and the term decoder run on explicit stacks, so a file nested as deeply
 * as the parser accepts (MAX_DEPTH levels) is extracted and decoded, never a stack overflow, and
 * the figures at that depth are the ones the shallow rules give.
 */
import { describe, expect, it } from "vitest";
import { extractFile } from "../../../src/ast/extract/index.js";
import type { FileExtraction } from "../../../src/ast/model.js";
import { MAX_DEPTH, tryParse } from "../../../src/ast/parser/index.js";
import type { Term } from "../../../src/ast/term.js";
import { termFromJson, termJsonText, termToJson } from "../../../src/ast/term-json.js";

/** Each nesting form, `n` levels deep, and how many parser levels one of them takes. */
const FORMS: Record<string, { levels: number; gen: (n: number) => string }> = {
  lists: { levels: 1, gen: (n) => `${"[".repeat(n)}1${"]".repeat(n)}` },
  tuples: { levels: 1, gen: (n) => `${"{".repeat(n)}1${"}".repeat(n)}` },
  maps: { levels: 1, gen: (n) => `${"%{a: ".repeat(n)}1${"}".repeat(n)}` },
  calls: { levels: 1, gen: (n) => `${"f(".repeat(n)}1${")".repeat(n)}` },
  "remote calls": { levels: 1, gen: (n) => `${"M.f(".repeat(n)}1${")".repeat(n)}` },
  "calls without parentheses": { levels: 1, gen: (n) => `${"f ".repeat(n)}1` },
  "binary operators": { levels: 1, gen: (n) => `${"a = ".repeat(n)}1` },
  "unary operators": { levels: 2, gen: (n) => `${"- ".repeat(n)}1` },
  captures: { levels: 2, gen: (n) => `${"& ".repeat(n)}1` },
  pipes: { levels: 1, gen: (n) => `a${" |> f()".repeat(n)}` },
  fns: { levels: 2, gen: (n) => `${"fn -> ".repeat(n)}1${" end".repeat(n)}` },
  "do-blocks": { levels: 2, gen: (n) => `${"if a do\n".repeat(n)}1\n${"end\n".repeat(n)}` },
  "case clauses": {
    levels: 2,
    gen: (n) => `${"case a do\nb ->\n".repeat(n)}1\n${"end\n".repeat(n)}`,
  },
  quotes: { levels: 2, gen: (n) => `${"quote do\n".repeat(n)}1\n${"end\n".repeat(n)}` },
};

/** Where a deep expression is put; each wrapper takes a few levels of its own. */
const WRAPPERS: Record<string, (body: string) => string> = {
  "a function body": (b) => `defmodule M do\n  def f(a, b) do\n${b}\n  end\nend\n`,
  "a quoted definition": (b) =>
    `defmodule M do\n  defmacro __using__(_) do\n    quote do\n      def g(a) do\n${b}\n      end\n    end\n  end\nend\n`,
  "a script's definition": (b) => `def h(a) do\n${b}\nend\n`,
  "the top level": (b) => b,
};

/** The deepest `n` of a form whose file still parses inside the wrappers. */
function deepest(levels: number): number {
  return Math.floor((MAX_DEPTH - 12) / levels);
}

function extract(src: string): { ast: Term; extraction: FileExtraction } {
  const r = tryParse(src);
  if (!r.ok) throw new Error(`does not parse: ${r.error.description}`);
  return { ast: r.ast, extraction: extractFile(r.ast, r.comments, "lib/deep.ex") };
}

describe(`extraction ${MAX_DEPTH} parser levels deep`, () => {
  for (const [where, wrap] of Object.entries(WRAPPERS)) {
    it.each(Object.keys(FORMS))(`%s in ${where}`, (name) => {
      const form = FORMS[name];
      const { extraction } = extract(wrap(form.gen(deepest(form.levels))));
      expect(extraction.path).toBe("lib/deep.ex");
      if (where === "a function body") {
        expect(extraction.modules[0].functions.map((f) => `${f.name}/${f.arity}`)).toContain("f/2");
      }
    });
  }

  it("measures nested ifs as the shallow rules do: nesting n, cyclomatic n + 1", () => {
    const n = deepest(2) - 4;
    for (const depth of [3, n]) {
      const body = `${"if a do\n".repeat(depth)}b\n${"end\n".repeat(depth)}`;
      const { extraction } = extract(`defmodule M do\n  def f(a, b) do\n${body}\n  end\nend\n`);
      const m = extraction.modules[0].functions[0].metrics;
      expect([m.nesting, m.nestingLine, m.cyclomatic]).toEqual([depth, depth + 2, depth + 1]);
      // Each `if` adds 1 plus the number of branching constructs around it.
      expect(m.cognitive).toBe((depth * (depth + 1)) / 2);
    }
  });

  it("collects every call of a deep chain in source order, piped ones too", () => {
    const n = deepest(1) - 6;
    const wrap = (body: string) => `defmodule M do\n  def f(a) do\n${body}\nend\nend\n`;
    const nested = extract(wrap(FORMS["remote calls"].gen(n))).extraction;
    const calls = nested.modules[0].functions[0].clauses[0].calls;
    expect(calls.length).toBe(n);
    expect(calls.every((c) => c.kind === "remote" && c.module === "M" && c.arity === 1)).toBe(true);
    // Outermost first: `M.f(M.f(...))` columns grow by the five characters of `M.f(`.
    expect(calls[1].column - calls[0].column).toBe(4);
    const piped = extract(wrap(FORMS.pipes.gen(n))).extraction;
    const pipes = piped.modules[0].functions[0].clauses[0].calls;
    expect(pipes.length).toBe(n);
    expect(pipes.every((c) => c.piped && c.arity === 1 && c.name === "f")).toBe(true);
    expect(pipes[0].column).toBeLessThan(pipes[1].column);
  });

  it("reads modules nested as deeply as the parser allows, outermost first", () => {
    const n = deepest(2);
    const heads = Array.from({ length: n }, (_, i) => `defmodule A${i} do\n`).join("");
    const src = `${heads}def f, do: 1\n${"end\n".repeat(n)}`;
    const { extraction } = extract(src);
    expect(extraction.modules.length).toBe(n);
    expect(extraction.modules[0].name).toBe("A0");
    expect(extraction.modules[2].name).toBe("A0.A1.A2");
    expect(extraction.modules[n - 1].functions.map((f) => f.name)).toEqual(["f"]);
    expect(extraction.modules[n - 1].line).toBe(n);
  });

  it("finds definitions inside quotes nested as deeply as the parser allows", () => {
    const n = deepest(2) - 2;
    const src = `${"quote do\n".repeat(n)}def f(x), do: x\n${"end\n".repeat(n)}`;
    const { extraction } = extract(src);
    expect((extraction.definitions ?? []).map((d) => `${d.context} ${d.name}/${d.arity}`)).toEqual([
      "quote f/1",
    ]);
  });
});

describe(`term JSON ${MAX_DEPTH} parser levels deep`, () => {
  it.each(Object.keys(FORMS))("%s: decodes to the same term", (name) => {
    const form = FORMS[name];
    const { ast } = extract(form.gen(deepest(form.levels)));
    expect(termJsonText(termFromJson(termToJson(ast)))).toBe(termJsonText(ast));
  });
});
