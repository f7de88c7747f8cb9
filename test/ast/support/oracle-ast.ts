/**
 * Elixir's own parser as a test fixture: runs `tools/oracle/quoted.exs --stdin` once for many
 * sources and decodes each result into our AST, so extraction tests do not depend on the
 * TypeScript parser. Tests that need it skip (locally) or fail (in CI) when `elixir` is missing:
 * see test/support/prerequisites.ts.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Comment, Term } from "../../../src/ast/term.js";
import { type FileResultJson, termFromJson } from "../../../src/ast/term-json.js";

const ORACLE = fileURLToPath(new URL("../../../tools/oracle/quoted.exs", import.meta.url));

/** A parsed source: its AST and comments. */
export interface OracleAst {
  ast: Term;
  comments: Comment[];
}

/**
 * Parses every source in one oracle process. Throws when Elixir rejects one, naming it, because a
 * fixture that does not parse is a broken test rather than data.
 */
export function oracleParseMany(
  sources: Record<string, string | Uint8Array>,
): Record<string, OracleAst> {
  const chunks: Buffer[] = [];
  for (const [label, src] of Object.entries(sources)) {
    const bytes = typeof src === "string" ? Buffer.from(src, "utf8") : Buffer.from(src);
    chunks.push(Buffer.from(`${label}\n${bytes.length}\n`), bytes, Buffer.from("\n"));
  }
  const out = execFileSync("elixir", [ORACLE, "--stdin"], {
    input: Buffer.concat(chunks),
    maxBuffer: 1 << 30,
    encoding: "utf8",
  });
  const result: Record<string, OracleAst> = {};
  for (const line of out.split("\n")) {
    if (line === "") continue;
    const r = JSON.parse(line) as FileResultJson;
    if ("error" in r) throw new Error(`oracle rejected ${r.file}: ${JSON.stringify(r.error)}`);
    result[r.file] = { ast: termFromJson(r.ok), comments: r.comments };
  }
  return result;
}

/** Parses one source with the oracle. */
export function oracleParse(source: string): OracleAst {
  return oracleParseMany({ src: source }).src;
}

/** Parses files from disk (labels are the paths as given). */
export function oracleParseFiles(paths: string[]): Record<string, OracleAst> {
  const sources: Record<string, Uint8Array> = {};
  for (const p of paths) sources[p] = readFileSync(p);
  return oracleParseMany(sources);
}
