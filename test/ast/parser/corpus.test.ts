/**
 * Differential test over whole source trees, once per Elixir version: every file's AST and
 * comment list (or its error's line, column and message) must be exactly what that Elixir's
 * `Code.string_to_quoted_with_comments/2` gives (via tools/oracle/quoted.exs), and
 * `elixirscope parse --format terms` must print it byte for byte as the oracle does.
 * Elixir 1.14 checks its own source tree (corpus/elixir); Elixir 1.18.4 checks its own.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { type ElixirVersion, tryParse } from "../../../src/ast/parser/index.js";
import { fileResultLine, firstDifference, termToJson } from "../../../src/ast/term-json.js";
import {
  CORPUS,
  ELIXIR,
  ELIXIR_1_18,
  hasCorpus,
  hasElixir,
  hasElixir118,
  ORACLES_DIR,
  skipUnlessAvailable,
} from "../../support/prerequisites.js";
import {
  CORPUS_DIR,
  corpusFiles,
  oracleLinesForFiles,
  parseOracleLine,
  ROOT,
  sourceFiles,
} from "./support/oracle.js";

/** Compares our parse of every file of `root` with the oracle's lines; returns the differences. */
async function compareTree(files: string[], root: string, elixir: ElixirVersion) {
  // Elixir works on the other core while we parse.
  const oracle = oracleLinesForFiles(files, elixir, root);
  const ours = files.map((file) => {
    const bytes = readFileSync(join(root, file));
    try {
      const r = tryParse(bytes, { file, elixir });
      // Our result in the oracle's exact line format: equal lines need no decoding.
      return r.ok
        ? { ok: r.ast, comments: r.comments, line: fileResultLine(file, r) }
        : { error: r.error, line: fileResultLine(file, r.error) };
    } catch (e) {
      return { crash: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  });
  const lines = await oracle;
  const differing: string[] = [];
  // Same terms, different text: the term encoder (not the parser) is wrong.
  const misprinted: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const mine = ours[i];
    if ("line" in mine && mine.line === lines[i]) continue;
    const theirs = parseOracleLine(lines[i]);
    let why: string | null = null;
    if ("crash" in mine) why = `our parser threw a non-ParseError: ${mine.crash}`;
    else if ("error" in theirs) {
      why = `Elixir rejects (${theirs.error.line}:${theirs.error.column}: ${theirs.error.message})`;
      why += "ok" in mine ? ", we accept" : `, we reject (${mine.line})`;
    } else if ("error" in mine) why = `we reject (${mine.line}), Elixir accepts`;
    else {
      why =
        firstDifference(termToJson(mine.ok), theirs.ok, "ok") ??
        firstDifference(mine.comments, theirs.comments, "comments");
      if (why === null) misprinted.push(files[i]);
    }
    if (why !== null) differing.push(`${files[i]}: ${why}`);
  }
  console.log(
    `Elixir ${elixir}: ${files.length - differing.length}/${files.length} files identical` +
      (differing.length ? `; first differences:\n  ${differing.slice(0, 40).join("\n  ")}` : ""),
  );
  return { differing, misprinted };
}

const TREES: {
  elixir: ElixirVersion;
  root: string;
  files: number;
  skip: () => boolean;
}[] = [
  {
    // Elixir 1.14's own source tree, as scripts/fetch-corpus.sh unpacks it.
    elixir: "1.14",
    root: CORPUS_DIR,
    files: 536,
    skip: () =>
      skipUnlessAvailable(ELIXIR, hasElixir()) || skipUnlessAvailable(CORPUS, hasCorpus()),
  },
  {
    // Elixir 1.18.4's own source tree, as scripts/build-oracles.sh unpacks and builds it.
    elixir: "1.18",
    root: join(ORACLES_DIR, "elixir-1.18.4"),
    files: 555,
    skip: () => skipUnlessAvailable(ELIXIR_1_18, hasElixir118()),
  },
];

for (const tree of TREES) {
  describe.skipIf(tree.skip())(`parser vs Elixir ${tree.elixir} on ${tree.root}`, () => {
    it("gives exactly Elixir's AST and comments for every file of its source tree", async () => {
      const files =
        tree.elixir === "1.14"
          ? corpusFiles().map((f) => relative(CORPUS_DIR, join(ROOT, f)))
          : sourceFiles(tree.root);
      const { differing, misprinted } = await compareTree(files, tree.root, tree.elixir);
      expect(files.length, "file count (is the tree complete?)").toBe(tree.files);
      expect(differing, "files whose AST, comments or error differ from Elixir's").toEqual([]);
      expect(misprinted, "files the term encoder prints unlike the oracle").toEqual([]);
    }, 300_000);
  });
}
