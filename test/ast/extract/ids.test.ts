/**
 * Property: IDs are deterministic, and a function's IDs and metrics do not change when other
 * functions are inserted into its file. Sources are generated with fast-check and parsed by
 * Elixir in one batch.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../../src/ast/extract/index.js";
import type { FileExtraction } from "../../../src/ast/model.js";
import { ELIXIR, hasElixir, skipUnlessAvailable } from "../../support/prerequisites.js";
import { oracleParseMany } from "../support/oracle-ast.js";

interface Fn {
  name: string;
  arity: number;
  body: string;
}

const bodies = [
  "x",
  "if x, do: 1, else: 2",
  "case x do\n      1 -> :a\n      _ -> :b\n    end",
  "Enum.map(x, &(&1 + 1))",
  "helper(x) |> String.trim()",
];
const fnArb = fc.record({
  name: fc.constantFrom("alpha", "beta", "gamma", "delta", "omega"),
  arity: fc.integer({ min: 1, max: 3 }),
  body: fc.constantFrom(...bodies),
});

function render(fns: Fn[]): string {
  const defs = fns.map((f) => {
    const params = Array.from({ length: f.arity }, (_, i) => (i === 0 ? "x" : `p${i}`)).join(", ");
    return `  def ${f.name}(${params}) do\n    ${f.body}\n  end\n`;
  });
  return `defmodule Gen do\n  defp helper(x), do: x\n\n${defs.join("\n")}end\n`;
}

/** Function ID to its clause IDs, call IDs and metrics (positions left out). */
function signature(e: FileExtraction, only: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of e.modules) {
    for (const f of m.functions) {
      if (!only.has(`${f.name}/${f.arity}`)) continue;
      out[f.id] = f.clauses.map((c) => ({
        id: c.id,
        calls: c.calls.map((x) => `${x.id} ${x.module}.${x.name}/${x.arity}`),
        // Positions left out: the line where the deepest nesting is reached moves with the code.
        metrics: { ...c.metrics, nestingLine: undefined },
      }));
    }
  }
  return out;
}

describe.skipIf(skipUnlessAvailable(ELIXIR, hasElixir()))(
  "deterministic, position-independent IDs",
  () => {
    it("keeps a function's IDs when other functions are inserted", () => {
      const cases = fc.sample(
        fc.record({
          base: fc.uniqueArray(fnArb, {
            minLength: 1,
            maxLength: 5,
            selector: (f) => `${f.name}/${f.arity}`,
          }),
          extra: fnArb.map((f) => ({ ...f, name: `${f.name}_extra` })),
          at: fc.nat(),
        }),
        { numRuns: 40, seed: 20240613 },
      );
      const sources: Record<string, string> = {};
      cases.forEach((c, i) => {
        const inserted: Fn[] = [...c.base];
        inserted.splice(c.at % (c.base.length + 1), 0, c.extra);
        sources[`base${i}`] = render(c.base);
        sources[`with${i}`] = render(inserted);
      });
      const parsed = oracleParseMany(sources);
      cases.forEach((c, i) => {
        const keys = new Set(c.base.map((f) => `${f.name}/${f.arity}`));
        const a = extractFile(parsed[`base${i}`].ast, parsed[`base${i}`].comments, "lib/gen.ex");
        const again = extractFile(
          parsed[`base${i}`].ast,
          parsed[`base${i}`].comments,
          "lib/gen.ex",
        );
        const b = extractFile(parsed[`with${i}`].ast, parsed[`with${i}`].comments, "lib/gen.ex");
        expect(again).toEqual(a);
        expect(signature(b, keys)).toEqual(signature(a, keys));
        expect(Object.keys(signature(a, keys))).toHaveLength(keys.size);
      });
    });
  },
);
