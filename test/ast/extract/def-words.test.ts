/**
 * The definition-word bound that lets extraction skip its whole-file walk: never below the
 * number of definition nodes, and extraction gives the same result with or without the source.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countDefinitionWords } from "../../../src/ast/extract/def-words.js";
import { extractFile } from "../../../src/ast/extract/index.js";
import { tryParse } from "../../../src/ast/parser/index.js";
import { discoverFiles } from "../../../src/ast/population/discover.js";
import { DEF_KINDS } from "../../../src/ast/syntax/ast-util.js";
import { Atom, Node, type Term, Tuple } from "../../../src/ast/term.js";
import { hasCorpus } from "../../support/prerequisites.js";

/** Definition nodes of an AST (a name among DEF_KINDS as the form), counted by a walk. */
function definitionNodes(ast: Term): number {
  let n = 0;
  const stack: Term[] = [ast];
  while (stack.length > 0) {
    const t = stack.pop() as Term;
    if (Array.isArray(t)) stack.push(...t);
    else if (t instanceof Tuple) stack.push(...t.items);
    else if (t instanceof Node) {
      if (t.form instanceof Atom && DEF_KINDS.has(t.form.name) && Array.isArray(t.args)) n++;
      stack.push(t.form);
      if (Array.isArray(t.args)) stack.push(...t.args);
    }
  }
  return n;
}

describe("countDefinitionWords", () => {
  it("counts whole definition words, in any context, and nothing else", () => {
    const cases: [string, number][] = [
      ["def f, do: 1", 1],
      ["defp f(x), do: x\ndefmacro m, do: 1\ndefmacrop n, do: 2", 3],
      ["defguard g(x) when x > 0\ndefguardp h(x) when x", 2],
      ["defmodule A do\nend\ndefstruct a: 1\ndefdelegate f, to: B\ndefimpl P", 0],
      ["undef(x); my_def(x); def? x; defp! y; xdef", 0],
      ['!def x\n&def/2\nKernel.def(f)\n:def\n"def"\n# def\ndef: 1', 7],
    ];
    for (const [src, n] of cases) expect([src, countDefinitionWords(src)]).toEqual([src, n]);
  });

  it("reads bytes as it reads text", () => {
    const src = "défp x; def f(é), do: 1 # defmacro\nßdef";
    expect(countDefinitionWords(Buffer.from(src))).toBe(countDefinitionWords(src));
  });

  it("is never below the definition nodes of a file that parses", () => {
    const piece = fc.constantFrom(
      "def f(x), do: x",
      "defp g, do: 1",
      "quote do def h, do: 2 end",
      "!def(x)",
      "x = [def: 1]",
      '"#{def(y)}"',
      "defmodule M do defmacro m(a), do: a end",
      "Kernel.def(z)",
      "f(defguard(q))",
      "end",
      "(",
      ")",
      "\n",
      " ",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const src = pieces.join(" ");
        const r = tryParse(src);
        if (r.ok) expect(countDefinitionWords(src)).toBeGreaterThanOrEqual(definitionNodes(r.ast));
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(!hasCorpus())("extraction with the source", () => {
  it("gives exactly the extraction without it, on every file of Elixir's lib/", () => {
    const root = join(import.meta.dirname, "../../../corpus/elixir/lib");
    const { files } = discoverFiles(root);
    let bounded = 0;
    for (const path of files) {
      const source = readFileSync(join(root, path));
      const r = tryParse(source);
      if (!r.ok) continue;
      const without = extractFile(r.ast, r.comments, path);
      const withSource = extractFile(r.ast, r.comments, path, source);
      expect(withSource).toEqual(without);
      if (countDefinitionWords(source) <= definitionNodes(r.ast)) bounded++;
    }
    // The bound is tight on most files: their whole-file walk is skipped.
    expect(bounded).toBeGreaterThan(files.length / 2);
  });
});
