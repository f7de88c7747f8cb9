/**
 * The parser fuzzer outside the test runner, for iterating on disagreements:
 *
 *   npx tsx tools/fuzz-report.ts [--elixir V] [--mutants N] [--seed S] [--examples K] [--json]
 *   npx tsx tools/fuzz-report.ts [--elixir V] --seed S --show INDEX   one mutant, both verdicts
 *
 * Same mutants, comparisons and report as test/ast/parser/fuzz.test.ts (defaults: 50,000
 * mutants, the test's seed, 30 examples). Exit code 0 when agreement >= 99.9% and there was no
 * crash or hang, 1 otherwise, 2 for bad arguments.
 */
import { parseArgs } from "node:util";
import {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  type ElixirVersion,
  tryParse,
} from "../src/ast/parser/index.js";
import { firstDifference, termToJson } from "../src/ast/term-json.js";
import { formatReport, loadSources, runFuzz } from "../test/ast/parser/support/fuzz.js";
import { makeMutant } from "../test/ast/parser/support/mutate.js";
import { OracleStream, parseOracleLine, skipReason } from "../test/ast/parser/support/oracle.js";

function positive(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
    process.stderr.write(`fuzz-report: --${name} must be an integer >= ${min}, got ${raw}\n`);
    process.exit(2);
  }
  return n;
}

let args: ReturnType<typeof parseCli>;
function parseCli() {
  return parseArgs({
    options: {
      elixir: { type: "string" },
      mutants: { type: "string" },
      seed: { type: "string" },
      examples: { type: "string" },
      show: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}
try {
  args = parseCli();
} catch (e) {
  process.stderr.write(`fuzz-report: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}
const v = args.values;
if (v.help) {
  process.stdout.write(
    "usage: npx tsx tools/fuzz-report.ts [--elixir V] [--mutants N] [--seed S] [--examples K] [--json]\n" +
      "       npx tsx tools/fuzz-report.ts [--elixir V] [--seed S] --show INDEX\n" +
      `  --elixir  ${ELIXIR_VERSIONS.join(" or ")} (default ${DEFAULT_ELIXIR_VERSION})\n`,
  );
  process.exit(0);
}
if (skipReason) {
  process.stderr.write(`fuzz-report: ${skipReason}\n`);
  process.exit(2);
}
const elixir = (v.elixir ?? DEFAULT_ELIXIR_VERSION) as ElixirVersion;
if (!ELIXIR_VERSIONS.includes(elixir)) {
  process.stderr.write(`fuzz-report: --elixir must be one of ${ELIXIR_VERSIONS.join(", ")}\n`);
  process.exit(2);
}
const seed = positive("seed", v.seed, 20240611, 0);
const files = loadSources();

if (v.show !== undefined) {
  const index = positive("show", v.show, 0, 0);
  const m = makeMutant(files, seed, index);
  const oracle = new OracleStream(elixir);
  const theirs = await oracle.send(String(index), Buffer.from(m.source, "utf8"));
  await oracle.close();
  const ours = tryParse(m.source, { elixir });
  const out = process.stdout;
  out.write(`mutant #${index} of seed ${seed} (mutant seed ${m.seed})\n`);
  out.write(`${m.file} lines ${m.firstLine}-${m.lastLine}: ${m.description}\n`);
  out.write(`----- mutated source -----\n${m.source}\n----- end -----\n`);
  out.write(`elixir: ${theirs.slice(0, 2000)}\n`);
  out.write(
    ours.ok
      ? `ours:   accepts (${ours.comments.length} comments)\n`
      : `ours:   rejects ${ours.error.line}:${ours.error.column}: ${ours.error.description}\n`,
  );
  const t = parseOracleLine(theirs);
  if (ours.ok && "ok" in t) {
    const diff =
      firstDifference(termToJson(ours.ast), t.ok, "ok") ??
      firstDifference(ours.comments, t.comments, "comments");
    out.write(`first difference (ours != elixir): ${diff ?? "none"}\n`);
  }
} else {
  const mutants = positive("mutants", v.mutants, 50_000);
  const report = await runFuzz({
    elixir,
    seed,
    mutants,
    files,
    examples: positive("examples", v.examples, 30, 0),
    onProgress: (done, total) => {
      if (!v.json) process.stderr.write(`\r${done}/${total}`);
    },
  });
  if (!v.json) process.stderr.write("\n");
  process.stdout.write(v.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  const failed = report.failures.length > 0 || report.agreed / report.total < 0.999;
  process.exitCode = failed ? 1 : 0;
}
