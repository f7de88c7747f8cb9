import { appendFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyzeRoot, rankFunctions } from "../../../src/ast/population/run.js";
import { copyExample } from "./support.js";

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
