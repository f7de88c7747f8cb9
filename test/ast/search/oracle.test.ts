/**
 * Differential test: our structural search against tools/oracle/search.exs, which applies the
 * same pattern semantics to Elixir 1.14's own AST. Every (pattern, file, line, column) must agree
 * over the whole corpus.
 */
import { describe, expect, it } from "vitest";
import { compile, type SearchMatch, search, searchFiles } from "../../../src/ast/search/index.js";
import { searchOnWorkers } from "../../../src/ast/search/threads.js";
import {
  CORPUS,
  CORPUS_DIR,
  ELIXIR,
  hasCorpus,
  hasElixir,
  ROOT,
  skipUnlessAvailable,
} from "../../support/prerequisites.js";
import { ORACLE_PATTERNS } from "./oracle-patterns.js";
import { oracleMatches, ourMatches } from "./oracle-run.js";

const skip = skipUnlessAvailable(ELIXIR, hasElixir()) || skipUnlessAvailable(CORPUS, hasCorpus());

describe.skipIf(skip)("search agrees with the Elixir oracle on the corpus", () => {
  it("finds exactly the oracle's matches for every pattern", () => {
    const files = searchFiles([CORPUS_DIR], ROOT);
    expect(files.length).toBeGreaterThan(500);
    expect(ORACLE_PATTERNS.length).toBeGreaterThanOrEqual(15);
    const theirs = oracleMatches(ORACLE_PATTERNS, files);
    const ours = ourMatches(ORACLE_PATTERNS, files);
    // Every pattern finds something, so none agrees trivially.
    const used = new Set(theirs.map((l) => l.split("\t")[0]));
    expect(used.size).toBe(ORACLE_PATTERNS.length);
    expect(ours.length).toBe(theirs.length);
    expect(ours).toEqual(theirs);
  }, 600_000);

  it("search() on worker threads returns the same matches as the oracle", async () => {
    // Patterns whose name prefilter skips files, and two that must parse every file.
    const patterns = [
      "def _(...) do ... end",
      "_a == _a",
      "IO.inspect(...)",
      "_ |> Enum.map(_)",
      "x = _",
      "quote do ... end",
      "raise ArgumentError, ...",
      "@doc false",
    ];
    const files = searchFiles([CORPUS_DIR], ROOT);
    const theirs = oracleMatches(patterns, files);
    for (const [i, pattern] of patterns.entries()) {
      let matches: SearchMatch[] = [];
      if (i % 2 === 0) {
        // Two workers, with the prefilter on this thread.
        const result = await search(pattern, [CORPUS_DIR], {
          cwd: ROOT,
          workers: 2,
          elixir: "1.14",
        });
        expect(result.files).toBe(files.length);
        matches = result.matches;
      } else {
        // The split an automatic search makes on 4 cores or more: this thread and a worker
        // taking batches from one queue (every file, no prefilter).
        await searchOnWorkers(
          compile(pattern, "1.14"),
          files,
          1,
          (_f, o) => {
            if (o.ok) matches.push(...o.matches);
          },
          true,
        );
      }
      const got = matches.map((m) => `${i}\t${m.file}\t${m.line}\t${m.column}`).sort();
      expect(got).toEqual(theirs.filter((l) => l.startsWith(`${i}\t`)));
    }
  }, 600_000);
});
