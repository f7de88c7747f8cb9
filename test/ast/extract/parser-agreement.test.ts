/**
 * Extraction does not depend on which parser produced the AST: on the standard library, our
 * TypeScript parser and Elixir's own give identical extractions.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../../src/ast/extract/index.js";
import { parse } from "../../../src/ast/parser/index.js";
import { CORPUS, ELIXIR, hasElixir, skipUnlessAvailable } from "../../support/prerequisites.js";
import { oracleParseFiles } from "../support/oracle-ast.js";

const LIB = "corpus/elixir/lib/elixir/lib";

function listEx(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listEx(p));
    else if (name.endsWith(".ex")) out.push(p);
  }
  return out.sort();
}

const skip =
  skipUnlessAvailable(CORPUS, existsSync(LIB)) || skipUnlessAvailable(ELIXIR, hasElixir());

describe.skipIf(skip)("extraction from our parser equals extraction from Elixir's", () => {
  it("gives the same FileExtraction for every standard library file", () => {
    const files = listEx(LIB);
    const oracle = oracleParseFiles(files);
    const differing: string[] = [];
    for (const f of files) {
      // The oracle is Debian's Elixir 1.14, so our parser targets 1.14 here.
      const ours = parse(readFileSync(f), { file: f, elixir: "1.14" });
      const a = extractFile(ours.ast, ours.comments, f);
      const b = extractFile(oracle[f].ast, oracle[f].comments, f);
      if (JSON.stringify(a) !== JSON.stringify(b)) differing.push(f);
    }
    expect(differing).toEqual([]);
  });
});
