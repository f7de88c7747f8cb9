/**
 * The prefilter must never drop a file that holds a match: checked against the unfiltered
 * search (parse + match every file) on patterns cut from the corpus and on generated spellings
 * of remote calls (gaps, comments, continuations and quoted names between the tokens).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "../../../src/ast/parser/index.js";
import { compile, matchFile, searchFiles } from "../../../src/ast/search/index.js";
import { passes } from "../../../src/ast/search/prefilter.js";
import { sourceSlice } from "../../../src/ast/search/range.js";
import { Node, type Term, Tuple } from "../../../src/ast/term.js";
import {
  CORPUS,
  CORPUS_DIR,
  hasCorpus,
  ROOT,
  skipUnlessAvailable,
} from "../../support/prerequisites.js";

/** Matches without the prefilter: every file parsed and matched. */
function unfiltered(pattern: string, source: string): number {
  const p = compile(pattern, "1.14");
  return matchFile(p, "t.ex", source, parse(source, { elixir: "1.14" }).ast).length;
}

describe("prefilter requirements", () => {
  it("keeps every spelling of a remote call between its tokens", () => {
    const gap = fc.constantFrom("", " ", "\n  ", "\\\n", " # note\n  ", "\t", "\n # a\n # b\n");
    const name = fc.constantFrom("inspect", '"inspect"', "'inspect'");
    fc.assert(
      fc.property(gap, gap, gap, gap, name, (g1, g2, g3, g4, n) => {
        const src = `x =\n  Mod${g1}.${g2}IO${g3}.${g4}${n}(y)\n`;
        let found: number;
        try {
          found = unfiltered("Mod.IO.inspect(_)", src);
        } catch {
          return; // a spelling Elixir rejects holds no match
        }
        if (found > 0) {
          const p = compile("Mod.IO.inspect(_)", "1.14").prefilter;
          expect(passes(p, src)).toBe(true);
          expect(passes(p, Buffer.from(src))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("requires the alias before the dot, the name after it, and literal operators", () => {
    const p = compile("IO.inspect(_) == _", "1.14").prefilter;
    expect(p.words.sort()).toEqual(["==", "IO", "inspect"]);
    expect(passes(p, "IO.puts(x) == inspect(y)")).toBe(false);
    expect(passes(p, "IO .\n  inspect(x) == y")).toBe(true);
    expect(passes(p, "IO.inspect(x) != y")).toBe(false);
    // `_.name`: any target, but the name follows a dot.
    const any = compile("_.inspect(_)", "1.14").prefilter;
    expect(passes(any, "inspect(x)")).toBe(false);
    expect(passes(any, "Kernel.inspect(x)")).toBe(true);
    // Synthesized text requires nothing: ranges with steps, interpolation, atom targets.
    expect(compile("_ .. _ // _", "1.14").prefilter.words).toEqual([]);
    expect(compile(":ets.new(_, _)", "1.14").prefilter.sequences).toEqual([]);
  });

  it("stays linear on long runs of comment characters and gaps", () => {
    const p = compile("IO.inspect(_)", "1.14").prefilter;
    const hostile = `IO.${"#".repeat(200_000)} inspect ${" ".repeat(200_000)}`;
    const t0 = performance.now();
    expect(passes(p, hostile)).toBe(false);
    // Generous bound: a backtracking blow-up would take minutes, not a second.
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

/** Every node with a line in a term. */
function nodes(t: Term, out: Node[]): Node[] {
  if (t instanceof Node) {
    out.push(t);
    nodes(t.form, out);
    if (Array.isArray(t.args)) for (const a of t.args) nodes(a, out);
  } else if (Array.isArray(t)) for (const a of t) nodes(a, out);
  else if (t instanceof Tuple) for (const a of t.items) nodes(a, out);
  return out;
}

const skip = skipUnlessAvailable(CORPUS, hasCorpus());

describe.skipIf(skip)("prefilter on the corpus", () => {
  it("never drops a file that the unfiltered search finds a match in", () => {
    const all = searchFiles([CORPUS_DIR], ROOT);
    const sample = all.filter((_, i) => i % 20 === 0);
    const files = sample.map((f) => {
      const text = readFileSync(f.path, "utf8");
      return { text, ast: parse(text, { elixir: "1.14" }).ast, nodes: [] as Node[] };
    });
    for (const f of files)
      f.nodes = nodes(f.ast, []).filter(
        (n) => sourceSlice(n, { source: f.text, starts: null }) !== null,
      );
    let matched = 0;
    const hole = fc.constantFrom(null, "_", "_x", "...");
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), hole, (fi, ni, wi, h) => {
        const f = files[fi % files.length];
        if (f.nodes.length === 0) return;
        const node = f.nodes[ni % f.nodes.length];
        let pattern = sourceSlice(node, { source: f.text, starts: null }) ?? "";
        if (pattern.length > 400) return;
        // Punch a hole: one identifier of the pattern becomes a wildcard, capture or `...`.
        const ids = [...pattern.matchAll(/\b[a-z][A-Za-z0-9_]*\b/g)];
        if (h !== null && ids.length > 0) {
          const m = ids[wi % ids.length];
          pattern = pattern.slice(0, m.index) + h + pattern.slice((m.index ?? 0) + m[0].length);
        }
        let compiled: ReturnType<typeof compile>;
        try {
          compiled = compile(pattern, "1.14");
        } catch {
          return; // the cut or the hole made it invalid
        }
        for (const g of files) {
          if (matchFile(compiled, "t.ex", g.text, g.ast).length > 0) {
            matched++;
            expect(passes(compiled.prefilter, g.text), `${pattern} in a sampled file`).toBe(true);
          }
        }
      }),
      { numRuns: 80 },
    );
    // The property held on real matches, not vacuously.
    expect(matched).toBeGreaterThan(40);
  }, 300_000);
});
