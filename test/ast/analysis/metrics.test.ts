/**
 * Metrics on hand-computed fixtures: each clause of test/fixtures/elixir/metrics.ex is preceded
 * by a comment explaining its numbers and an `# expect:` line this test checks.
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { extractFile } from "../../../src/ast/extract/index.js";
import type { ClauseInfo } from "../../../src/ast/model.js";
import {
  describeUnless,
  ELIXIR,
  hasElixir,
  skipUnlessAvailable,
} from "../../support/prerequisites.js";
import { oracleParse } from "../support/oracle-ast.js";

const FIXTURE = "test/fixtures/elixir/metrics.ex";

describeUnless(
  skipUnlessAvailable(ELIXIR, hasElixir()),
  "Credo-compatible metrics on hand-computed fixtures",
  () => {
    const { ast, comments } = oracleParse(readFileSync(FIXTURE, "utf8"));
    const file = extractFile(ast, comments, "metrics.ex");
    const mod = file.modules[0];
    const clauses: { fn: string; clause: ClauseInfo }[] = mod.functions.flatMap((f) =>
      f.clauses.map((clause) => ({ fn: `${f.name}/${f.arity}`, clause })),
    );
    clauses.sort((a, b) => a.clause.line - b.clause.line);
    const expects = comments.filter((c) => c.text.startsWith("# expect:"));

    it("has one expectation per clause", () => {
      expect(expects.length).toBe(clauses.length);
      expect(clauses.length).toBeGreaterThanOrEqual(13);
    });

    for (let i = 0; i < expects.length; i++) {
      const e = expects[i];
      it(`clause after line ${e.line}: ${e.text.slice(10)}`, () => {
        const c = clauses[i];
        // The expectation belongs to the first clause after it.
        expect(c.clause.line).toBeGreaterThan(e.line);
        if (i > 0) expect(clauses[i - 1].clause.line).toBeLessThan(e.line);
        const want: Record<string, number> = {};
        for (const kv of e.text.slice(9).trim().split(/\s+/)) {
          const [k, v] = kv.split("=");
          want[k] = Number(v);
        }
        const m = c.clause.metrics;
        const got: Record<string, number> = {
          cyclomatic: m.cyclomatic,
          perceived: m.perceived,
          abc: m.abc,
          a: m.abcA,
          b: m.abcB,
          c: m.abcC,
          nesting: m.nesting,
          cognitive: m.cognitive,
          arity: m.arity,
        };
        const picked = Object.fromEntries(Object.keys(want).map((k) => [k, got[k]]));
        expect({ fn: c.fn, ...picked }).toEqual({ fn: c.fn, ...want });
      });
    }

    it("aggregates a multi-clause function as the maximum per metric and the sum of lines", () => {
      const f = mod.functions.find((x) => x.name === "count_down" && x.arity === 1);
      expect(f?.clauses.length).toBe(2);
      expect(f?.metrics.abc).toBe(3);
      expect(f?.metrics.cognitive).toBe(1);
      expect(f?.metrics.loc).toBe(2);
    });

    it("counts lines of code from the clause's first to last line", () => {
      const f = mod.functions.find((x) => x.name === "with_case");
      expect(f?.clauses[0].metrics.loc).toBe(7);
    });
  },
);
