/**
 * Parsing keeps nothing alive once the result is dropped: the process-wide atom tables must not
 * hold slices of sources (V8 keeps a slice's whole parent string alive), or every file that
 * introduces a long atom, alias or keyword would stay in memory for the life of the process.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";
import { parse } from "../../../../src/ast/parser/index.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function parseMany(files: number, tag: string): number {
  // 1 MB per file that costs little to parse: what a leak would keep alive is the source.
  const filler = `# ${"c".repeat(1_000_000)}\n`;
  let nodes = 0;
  for (let i = 0; i < files; i++) {
    const unique = `${tag}_${i}_long_enough_to_be_sliced`;
    const src = `x = :atom_${unique}\nAlias${unique}.f(key_${unique}: 1)\n${filler}`;
    // Nothing of the result escapes this loop (an assertion library may keep its subject).
    if (parse(src).ast !== null) nodes++;
  }
  return nodes;
}

it("retains no source text after the AST is dropped", () => {
  parseMany(3, "warmup");
  gc();
  const before = process.memoryUsage().heapUsed;
  const files = 40;
  expect(parseMany(files, "measured")).toBe(files);
  gc();
  gc();
  const retainedMb = (process.memoryUsage().heapUsed - before) / 1e6;
  // Before the fix: about 1 MB per file (40 MB); now well under one file's worth.
  expect(retainedMb).toBeLessThan(5);
});
