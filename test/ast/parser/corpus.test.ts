/**
 * Differential test over the whole corpus: every file's AST and comment list must be exactly
 * what Elixir's own `Code.string_to_quoted_with_comments/2` gives (via tools/oracle/quoted.exs).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tryParse } from "../../../src/ast/parser/index.js";
import { firstDifference, termToJson } from "../../../src/ast/term-json.js";
import { oracleLine } from "../../../src/cli/commands/parse.js";
import {
  CORPUS,
  ELIXIR,
  hasCorpus,
  hasElixir,
  skipUnlessAvailable,
} from "../../support/prerequisites.js";
import {
  CORPUS_DIR,
  corpusFiles,
  oracleLinesForFiles,
  parseOracleLine,
  ROOT,
} from "./support/oracle.js";

/** The issue's corpus: Elixir 1.14's own source tree, as scripts/fetch-corpus.sh unpacks it. */
const EXPECTED_FILES = 536;

const skip = skipUnlessAvailable(ELIXIR, hasElixir()) || skipUnlessAvailable(CORPUS, hasCorpus());

describe.skipIf(skip)(`parser vs Elixir on ${CORPUS_DIR}`, () => {
  it("gives exactly Elixir's AST and comments for every corpus file", async () => {
    const files = corpusFiles();
    // Elixir works on the other core while we parse.
    const oracle = oracleLinesForFiles(files);
    const ours = files.map((file) => {
      const bytes = readFileSync(join(ROOT, file));
      try {
        const r = tryParse(bytes, { file });
        // Our result in the oracle's exact line format: equal lines need no decoding.
        return r.ok
          ? { ok: r.ast, comments: r.comments, line: oracleLine(file, r) }
          : { error: `${r.error.line}:${r.error.column ?? "?"}: ${r.error.message}` };
      } catch (e) {
        return { crash: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      }
    });
    const lines = await oracle;

    const differing: string[] = [];
    // Same terms, different text: the CLI's oracle-format printer (not the parser) is wrong.
    const misprinted: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const mine = ours[i];
      if ("line" in mine && mine.line === lines[i]) continue;
      const theirs = parseOracleLine(lines[i]);
      let why: string | null = null;
      if ("crash" in mine) why = `our parser threw a non-ParseError: ${mine.crash}`;
      else if ("error" in theirs) {
        why = `Elixir rejects (${theirs.error.line}:${theirs.error.column}: ${theirs.error.message})`;
        if ("ok" in mine) why += ", we accept";
      } else if ("error" in mine) why = `we reject (${mine.error}), Elixir accepts`;
      else {
        why =
          firstDifference(termToJson(mine.ok), theirs.ok, "ok") ??
          firstDifference(mine.comments, theirs.comments, "comments");
        if (why === null) misprinted.push(files[i]);
      }
      if (why !== null) differing.push(`${files[i]}: ${why}`);
    }

    const identical = files.length - differing.length;
    console.log(
      `corpus: ${identical}/${files.length} files identical to Elixir` +
        (differing.length ? `; first differences:\n  ${differing.join("\n  ")}` : ""),
    );
    expect(files.length, "corpus file count (is the corpus fully fetched?)").toBe(EXPECTED_FILES);
    expect(differing, "files whose AST or comments differ from Elixir's").toEqual([]);
    expect(misprinted, "files `elixirscope parse --format terms` prints unlike the oracle").toEqual(
      [],
    );
  }, 180_000);
});
