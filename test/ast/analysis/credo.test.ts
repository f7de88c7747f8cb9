/**
 * Differential test against Credo 1.7.19: its five metric checks at max 0 report the value of
 * every definition they measure; ours must agree on at least 99.9% of them, per metric, on
 * Elixir 1.14's `lib/` tree and on `examples/`. Credo runs once per tree; the disagreements are
 * printed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../../src/ast/extract/index.js";
import type { FileExtraction } from "../../../src/ast/model.js";
import { tryParse } from "../../../src/ast/parser/index.js";
import {
  type CredoMetric,
  compareTables,
  credoTable,
  definitionsMeasured,
  ourTable,
  runCredo,
} from "../../support/credo.js";
import {
  CORPUS,
  CORPUS_DIR,
  CREDO,
  hasCorpus,
  hasCredo,
  ROOT,
  skipUnlessAvailable,
} from "../../support/prerequisites.js";

const AGREEMENT = 0.999;
const METRICS: CredoMetric[] = ["cyclomatic", "perceived", "abc", "nesting", "arity"];

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.name.endsWith(".ex") || e.name.endsWith(".exs")) out.push(p);
  }
  return out;
}

/** Our extraction of every file of `root` that parses (Credo skips the others too). */
function analyze(root: string): FileExtraction[] {
  const out: FileExtraction[] = [];
  for (const path of sources(root).sort()) {
    const parsed = tryParse(readFileSync(path), { file: path });
    if (parsed.ok) out.push(extractFile(parsed.ast, parsed.comments, relative(root, path)));
  }
  return out;
}

const skip = skipUnlessAvailable(CREDO, hasCredo()) || skipUnlessAvailable(CORPUS, hasCorpus());

describe.skipIf(skip)("Credo 1.7.19 agreement, per definition", () => {
  const trees = [
    { name: "Elixir 1.14 lib/", root: join(CORPUS_DIR, "lib") },
    { name: "examples/", root: join(ROOT, "examples") },
  ];
  for (const tree of trees) {
    it(`agrees on at least ${AGREEMENT * 100}% of definitions for every metric on ${tree.name}`, () => {
      const credo = credoTable(runCredo(tree.root), tree.root);
      const ours = ourTable(analyze(tree.root));
      const defs = definitionsMeasured(credo);
      const disagreements = compareTables(credo, ours.table);
      const perMetric = Object.fromEntries(
        METRICS.map((m) => [m, disagreements.filter((d) => d.metric === m).length]),
      );
      console.log(
        `${tree.name}: ${defs} definitions measured by Credo (${ours.defs} by us); ` +
          `disagreements per metric ${JSON.stringify(perMetric)}`,
      );
      for (const d of disagreements) {
        console.log(
          `  ${d.metric} ${d.place}: Credo ${d.credo.join(",")} ours ${d.ours.join(",")}`,
        );
      }
      // A run that measures nothing must not pass: Credo sees about as many definitions as we do.
      expect(defs).toBeGreaterThan(0);
      expect(defs).toBeGreaterThanOrEqual(ours.defs * 0.95);
      for (const m of METRICS) {
        expect({ metric: m, agreement: 1 - perMetric[m] / defs }).toEqual({
          metric: m,
          agreement: expect.toSatisfy((a: number) => a >= AGREEMENT),
        });
      }
    }, 900_000);
  }
});
