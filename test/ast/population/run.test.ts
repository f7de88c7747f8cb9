import { appendFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FunctionInfo, ModuleInfo } from "../../../src/ast/model.js";
import {
  analyzeRoot,
  type RankedFunction,
  rankFunctions,
} from "../../../src/ast/population/run.js";
import { fn, mod } from "../repository/fixtures.js";
import { copyExample } from "./support.js";

/** A function with the given complexities; `heads` turns its clause into a bodiless head. */
function measured(m: string, name: string, cc: number, cog: number, heads = false): FunctionInfo {
  const f = fn(`lib/x.ex#${m}`, "lib/x.ex", name, 1);
  f.metrics = { ...f.metrics, cyclomatic: cc, cognitive: cog };
  f.clauses = f.clauses.map((c) => ({ ...c, head: heads }));
  return f;
}

describe("rankFunctions", () => {
  it("leaves out functions that are only bodiless heads, generated or without clauses", () => {
    const generated = { ...measured("M", "gen", 9, 9), generated: true };
    const noClauses = { ...measured("M", "dflt", 9, 9), clauses: [] };
    const m = mod("lib/x.ex", "M", () => [
      measured("M", "head_only", 9, 9, true),
      generated,
      noClauses,
      measured("M", "real", 2, 0),
    ]);
    expect(rankFunctions([m], 10).map((r) => r.name)).toEqual(["real"]);
  });

  it("gives the first `top` of the whole list sorted by complexity, then name", () => {
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const full = (ms: ModuleInfo[]): RankedFunction[] => rankFunctions(ms, Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 20 }),
        (specs, top) => {
          const modules = [0, 1, 2].map((k) =>
            mod("lib/x.ex", `M${k}`, () =>
              specs
                .filter((_, i) => i % 3 === k)
                .map(([cc, cog], i) => measured(`M${k}`, `f${i}`, cc, cog)),
            ),
          );
          const all = full(modules);
          for (let i = 1; i < all.length; i++) {
            const a = all[i - 1]!;
            const b = all[i]!;
            const order =
              b.metrics.cyclomatic - a.metrics.cyclomatic ||
              b.metrics.cognitive - a.metrics.cognitive ||
              cmp(a.module, b.module) ||
              cmp(a.name, b.name);
            expect(order).toBeLessThanOrEqual(0);
          }
          expect(rankFunctions(modules, top)).toEqual(all.slice(0, top));
        },
      ),
    );
  });
});

describe("analyzeRoot", () => {
  let root: string;
  beforeEach(() => {
    root = copyExample("es-run-");
  });
  afterEach(() => rmSync(dirname(root), { recursive: true, force: true }));

  it("reuses the stored project analysis only while no file changed", async () => {
    const first = await analyzeRoot(root);
    expect(first.summary.analysisFrom).toBe("computed");
    expect(first.ranking.length).toBeGreaterThan(10);

    const second = await analyzeRoot(root);
    expect(second.summary).toMatchObject({ analysisFrom: "cache", parsed: 0 });
    // Nothing was loaded from the cache to answer the run itself.
    expect(second.repository.deferredCount).toBe(second.files.length);
    expect(second.analysis).toEqual(first.analysis);
    expect(second.ranking).toEqual(first.ranking);
    expect(second.summary.modules).toBe(first.summary.modules);
    expect(second.summary.clauses).toBe(first.summary.clauses);
    // Lookups load the deferred files and see the same indexes.
    expect(second.repository.stats()).toEqual(first.repository.stats());
    expect(rankFunctions(second.repository.allModules(), 100)).toEqual(first.ranking);

    appendFileSync(
      join(root, "lib", "inventory.ex"),
      "\ndefmodule Added do\n  def f, do: Inventory.Catalog.fetch(1)\nend\n",
    );
    const third = await analyzeRoot(root);
    expect(third.summary).toMatchObject({ analysisFrom: "computed", parsed: 1 });
    expect(third.analysis.callGraph.nodes).toContain("Added.f/0");
  });

  it("keys the stored analysis by its options too", async () => {
    await analyzeRoot(root);
    const strict = await analyzeRoot(root, { analysis: { maxFunctionLines: 5 } });
    expect(strict.summary.analysisFrom).toBe("computed");
    const lenient = await analyzeRoot(root);
    expect(lenient.summary.analysisFrom).toBe("computed");
    expect(
      strict.analysis.findings.filter((f) => f.rule === "long-function").length,
    ).toBeGreaterThan(lenient.analysis.findings.filter((f) => f.rule === "long-function").length);
  });
});
