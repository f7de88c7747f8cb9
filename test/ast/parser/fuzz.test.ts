/**
 * Seeded differential mutation fuzzer, once per Elixir version: mutants of corpus slices must get
 * the same verdict from our parser as from that Elixir (accept/reject; AST and comments when both
 * accept; error line, column and message when both reject) on at least 99.9% of mutants, and our parser must never throw anything but
 * ParseError nor hang. ELIXIRSCOPE_FUZZ_MUTANTS (default 10000) and ELIXIRSCOPE_FUZZ_SEED
 * (default 20240611) change the run; tools/fuzz-report.ts runs the same fuzzer for iterating.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ELIXIR_VERSIONS } from "../../../src/ast/parser/index.js";
import {
  CORPUS,
  ELIXIR,
  ELIXIR_1_18,
  hasCorpus,
  hasElixir,
  hasElixir118,
  skipUnlessAvailable,
} from "../../support/prerequisites.js";
import { type FuzzReport, formatReport, loadSources, runFuzz } from "./support/fuzz.js";
import { lexTokens, makeMutant, Rng, sliceLines } from "./support/mutate.js";

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
    throw new Error(`${name} must be an integer >= ${min}, got ${raw}`);
  }
  return n;
}

const MUTANTS = envInt("ELIXIRSCOPE_FUZZ_MUTANTS", 10_000, 1);
// Mutant seeds mix 32 bits of the run seed.
const SEED = envInt("ELIXIRSCOPE_FUZZ_SEED", 20240611, 0) >>> 0;
/**
 * The floor CI holds us to: issue 10's target, 99.9%. Measured with 10,000 mutants (line, column
 * and message compared): seeds 20240611 / 1 / 2 give 99.92 / 99.92 / 99.90% for 1.18 and
 * 99.96 / 99.96 / 99.95% for 1.14; the remaining classes are listed in docs/PARSER.md.
 */
const MIN_AGREEMENT = 0.999;

const SAMPLE = Array.from({ length: 200 }, (_, i) =>
  i % 10 === 0
    ? ""
    : i % 10 === 1
      ? `  def f${i}(x) do # c${i}`
      : `    x |> g("s${i}", 'c', :a) # é`,
).join("\n");

describe("mutation support", () => {
  it("builds the same mutants from the same seed, and different ones from another", () => {
    const files = [{ path: "sample.ex", text: SAMPLE }];
    const a = Array.from({ length: 50 }, (_, i) => makeMutant(files, 7, i));
    const b = Array.from({ length: 50 }, (_, i) => makeMutant(files, 7, i));
    const c = Array.from({ length: 50 }, (_, i) => makeMutant(files, 8, i));
    expect(a).toEqual(b);
    expect(a.map((m) => m.source)).not.toEqual(c.map((m) => m.source));
    expect(a.filter((m) => m.source !== m.slice).length).toBeGreaterThan(40);
  });

  it("slices whole lines of the file before mutating", () => {
    const lines = SAMPLE.split("\n");
    for (let seed = 1; seed < 200; seed++) {
      const s = sliceLines(SAMPLE, new Rng(seed));
      expect(s.slice).toBe(`${lines.slice(s.firstLine - 1, s.lastLine).join("\n")}\n`);
      expect(s.lastLine - s.firstLine + 1).toBeLessThanOrEqual(80);
      expect(s.lastLine - s.firstLine + 1).toBeGreaterThanOrEqual(1);
    }
  });

  it("splits every code point into exactly one token", () => {
    const cps = Array.from(`${SAMPLE}\n<<~ "unterminated \\" ~> 1.5e3 ?x 😀`);
    const tokens = lexTokens(cps);
    let at = 0;
    for (const t of tokens) {
      expect(t.start).toBe(at);
      expect(t.end).toBeGreaterThan(t.start);
      at = t.end;
    }
    expect(at).toBe(cps.length);
  });
});

const hasCorpusFiles = skipUnlessAvailable(CORPUS, hasCorpus());

for (const elixir of ELIXIR_VERSIONS) {
  const skip =
    hasCorpusFiles ||
    (elixir === "1.14"
      ? skipUnlessAvailable(ELIXIR, hasElixir())
      : skipUnlessAvailable(ELIXIR_1_18, hasElixir118()));
  describe.skipIf(skip)(`fuzzer vs Elixir ${elixir}: ${MUTANTS} mutants, seed ${SEED}`, () => {
    let report: FuzzReport;
    beforeAll(async () => {
      report = await runFuzz({ elixir, seed: SEED, mutants: MUTANTS, files: loadSources() });
      console.log(formatReport(report));
    }, 900_000);

    it("never throws anything but ParseError, never hangs, never takes seconds", () => {
      expect(report.total).toBe(MUTANTS);
      const failures = report.failures.map(
        (d) => `#${d.mutant.index} ${d.kind} ${d.mutant.file} ${d.mutant.description}: ${d.ours}`,
      );
      expect(failures).toEqual([]);
    });

    it(`agrees with Elixir on at least ${MIN_AGREEMENT * 100}% of mutants`, () => {
      expect(report.agreed / report.total).toBeGreaterThanOrEqual(MIN_AGREEMENT);
    });
  });
}
