/**
 * Runs the Elixir oracle (`tools/oracle/quoted.exs --stdin`) on snippets, for fixture tests whose
 * expected values come from the real Elixir. Returns null when `elixir` is not on PATH.
 */
import { execFileSync } from "node:child_process";
import type { ElixirVersion } from "../../../../src/ast/parser/index.js";
import type { FileResultJson } from "../../../../src/ast/term-json.js";
import { elixirBin } from "../support/oracle.js";

/** The oracle's results for `snippets`, in order, from one run of `version`'s Elixir. */
export function oracle(snippets: string[], version: ElixirVersion = "1.14"): FileResultJson[] {
  const chunks: Buffer[] = [];
  snippets.forEach((code, i) => {
    const b = Buffer.from(code);
    chunks.push(Buffer.from(`${i}\n${b.length}\n`), b, Buffer.from("\n"));
  });
  const out = execFileSync(elixirBin(version), ["tools/oracle/quoted.exs", "--stdin"], {
    input: Buffer.concat(chunks),
    maxBuffer: 1 << 28,
  });
  return out
    .toString("utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as FileResultJson);
}
