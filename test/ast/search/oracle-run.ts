/**
 * Runs the search oracle (tools/oracle/search.exs, on Elixir's own AST) and our matcher over the
 * same files and patterns, and returns both as sorted `index\tfile\tline\tcolumn` lines.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "../../../src/ast/parser/index.js";
import { compile, matchFile, type SearchFile } from "../../../src/ast/search/index.js";
import { passes } from "../../../src/ast/search/prefilter.js";
import { ROOT } from "../../support/prerequisites.js";

/** The oracle's matches, one line per match. */
export function oracleMatches(patterns: readonly string[], files: readonly SearchFile[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "es-search-oracle-"));
  try {
    const pf = join(dir, "patterns");
    const ff = join(dir, "files");
    writeFileSync(pf, patterns.join("\n%%\n"));
    writeFileSync(ff, `${files.map((f) => f.file).join("\n")}\n`);
    const r = spawnSync("elixir", [join(ROOT, "tools/oracle/search.exs"), pf, ff], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      timeout: 600_000,
    });
    if (r.status !== 0) throw new Error(`search oracle failed: ${r.stderr}`);
    return r.stdout
      .split("\n")
      .filter((l) => l !== "")
      .sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Our matches (parse each file once, run every pattern whose prefilter the file passes, so the
 * prefilter is held to the oracle too), in the oracle's line format.
 */
export function ourMatches(patterns: readonly string[], files: readonly SearchFile[]): string[] {
  // The oracle is Debian's Elixir 1.14, so both sides parse as 1.14.
  const compiled = patterns.map((p) => compile(p, "1.14"));
  const out: string[] = [];
  for (const f of files) {
    const source = readFileSync(f.path, "utf8");
    let ast: ReturnType<typeof parse>["ast"];
    try {
      ast = parse(source, { elixir: "1.14" }).ast;
    } catch {
      continue;
    }
    compiled.forEach((p, i) => {
      if (!passes(p.prefilter, source)) return;
      for (const m of matchFile(p, f.file, source, ast)) {
        out.push(`${i}\t${m.file}\t${m.line}\t${m.column}`);
      }
    });
  }
  return out.sort();
}
