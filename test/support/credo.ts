/**
 * Credo 1.7.19 as a differential oracle for the five metric checks (cyclomatic and perceived
 * complexity, ABC size, nesting, function arity). {@link runCredo} runs the compiled Credo once
 * over a tree with every check at max 0, so that each definition Credo measures reports its
 * value; {@link compareWithCredo} lines those issues up with our analysis, definition by
 * definition (file and line; nesting by the line of its deepest construct, where Credo reports it).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { ClauseMetrics, FileExtraction } from "../../src/ast/model.js";
import { CREDO_DIR } from "./prerequisites.js";

/** One issue of Credo's `--format json` output (the fields we use). */
export interface CredoIssue {
  check: string;
  filename: string;
  line_no: number;
  message: string;
  trigger: string | null;
}

/** The five metrics, by the name of Credo's check. */
export type CredoMetric = "cyclomatic" | "perceived" | "abc" | "nesting" | "arity";

const CHECKS: Record<string, CredoMetric> = {
  "Credo.Check.Refactor.CyclomaticComplexity": "cyclomatic",
  "Credo.Check.Refactor.PerceivedComplexity": "perceived",
  "Credo.Check.Refactor.ABCSize": "abc",
  "Credo.Check.Refactor.Nesting": "nesting",
  "Credo.Check.Refactor.FunctionArity": "arity",
};

const CONFIG = `%{
  configs: [
    %{
      name: "default",
      files: %{included: ["**/*.{ex,exs}"], excluded: []},
      strict: true,
      checks: %{
        enabled: [
          {Credo.Check.Refactor.CyclomaticComplexity, [max_complexity: 0]},
          {Credo.Check.Refactor.PerceivedComplexity, [max_complexity: 0]},
          {Credo.Check.Refactor.ABCSize, [max_size: 0]},
          {Credo.Check.Refactor.Nesting, [max_nesting: 0]},
          {Credo.Check.Refactor.FunctionArity, [max_arity: 0]}
        ]
      }
    }
  ]
}
`;

/** Runs Credo 1.7.19 over `tree` (absolute) with the five checks at max 0; its issues. */
export function runCredo(tree: string): CredoIssue[] {
  const dir = mkdtempSync(join(tmpdir(), "credo-oracle-"));
  try {
    const config = join(dir, "credo.exs");
    writeFileSync(config, CONFIG);
    const out = join(dir, "issues.json");
    // Output goes to a file: the JSON of a large tree is tens of megabytes.
    const r = spawnSync(
      "sh",
      [
        "-c",
        'mix credo --config-file "$1" --format json --strict --all "$2" > "$3"',
        "credo",
        config,
        tree,
        out,
      ],
      {
        cwd: CREDO_DIR,
        env: { ...process.env, MIX_ENV: "prod" },
        stdio: ["ignore", "ignore", "pipe"],
        timeout: 600_000,
      },
    );
    // Credo exits non-zero when it reports issues, which it always does here.
    const text = readFileSync(out, "utf8");
    if (text.trim() === "") {
      throw new Error(`mix credo gave no output (status ${r.status}): ${r.stderr?.toString()}`);
    }
    return (JSON.parse(text) as { issues: CredoIssue[] }).issues;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value in an issue's message (`... (ABC size is 7, max is 0).`, `... was 3).`). */
function issueValue(issue: CredoIssue): number {
  const m =
    /is (\d+), max is/.exec(issue.message) ?? /max depth is \d+, was (\d+)/.exec(issue.message);
  if (m === null) throw new Error(`unexpected Credo message: ${issue.message}`);
  return Number(m[1]);
}

/** Metric values at places: `file:line` to the sorted values found there, per metric. */
export type MetricTable = Record<CredoMetric, Map<string, number[]>>;

function emptyTable(): MetricTable {
  return {
    cyclomatic: new Map(),
    perceived: new Map(),
    abc: new Map(),
    nesting: new Map(),
    arity: new Map(),
  };
}

function add(table: MetricTable, metric: CredoMetric, key: string, value: number): void {
  const list = table[metric].get(key);
  if (list === undefined) table[metric].set(key, [value]);
  else list.push(value);
}

/** Credo's issues as a table; `root` makes file names relative, like our extraction's paths. */
export function credoTable(issues: readonly CredoIssue[], root: string): MetricTable {
  const table = emptyTable();
  for (const issue of issues) {
    const metric = CHECKS[issue.check];
    if (metric === undefined) continue;
    add(table, metric, `${relative(root, issue.filename)}:${issue.line_no}`, issueValue(issue));
  }
  return table;
}

/** What Credo measures of one of our definitions. */
interface Measured {
  file: string;
  line: number;
  kind: string;
  name: string;
  arity: number;
  bodiless: boolean;
  metrics: ClauseMetrics;
}

const CREDO_KINDS = new Set(["def", "defp", "defmacro"]);

/** Every `def`/`defp`/`defmacro` clause and definition of our extractions. */
function measured(files: readonly FileExtraction[]): Measured[] {
  const out: Measured[] = [];
  for (const f of files) {
    // `defimpl P, for: [A, B]` is one module per type from the same source: Credo sees it once.
    const impls = new Set<number>();
    for (const m of f.modules) {
      if (m.kind === "impl") {
        if (impls.has(m.line)) continue;
        impls.add(m.line);
      }
      for (const fn of m.functions) {
        for (const c of fn.clauses) {
          out.push({
            file: f.path,
            line: c.line,
            kind: fn.kind,
            name: fn.name,
            arity: fn.arity,
            bodiless: c.head === true,
            metrics: c.metrics,
          });
        }
      }
    }
    for (const d of f.definitions ?? []) {
      out.push({
        file: f.path,
        line: d.line,
        kind: d.kind,
        name: d.name,
        arity: d.arity,
        bodiless: d.head === true,
        metrics: d.metrics,
      });
    }
  }
  return out;
}

/**
 * Our analysis as the table Credo would report: every value above 0 (the configured max) at the
 * definition's line, nesting at the line of its deepest construct. Credo skips
 * `defmacro __using__/1` with a body for the three complexity checks.
 */
export function ourTable(files: readonly FileExtraction[]): { table: MetricTable; defs: number } {
  const table = emptyTable();
  let defs = 0;
  for (const d of measured(files)) {
    if (!CREDO_KINDS.has(d.kind)) continue;
    defs++;
    const key = `${d.file}:${d.line}`;
    const m = d.metrics;
    const using = d.kind === "defmacro" && d.name === "__using__" && !d.bodiless;
    if (!using) {
      add(table, "cyclomatic", key, m.cyclomatic);
      if (m.perceived > 0) add(table, "perceived", key, m.perceived);
      const abc = Math.round(Math.sqrt(m.abcA * m.abcA + m.abcB * m.abcB + m.abcC * m.abcC));
      if (abc > 0) add(table, "abc", key, abc);
    }
    if (m.nesting > 0) add(table, "nesting", `${d.file}:${m.nestingLine ?? d.line}`, m.nesting);
    if (m.arity > 0) add(table, "arity", key, m.arity);
  }
  return { table, defs };
}

/** One place where the two tables differ. */
export interface Disagreement {
  metric: CredoMetric;
  place: string;
  credo: number[];
  ours: number[];
}

/** Places and metrics where Credo and we report different values (as sorted multisets). */
export function compareTables(credo: MetricTable, ours: MetricTable): Disagreement[] {
  const out: Disagreement[] = [];
  for (const metric of Object.keys(credo) as CredoMetric[]) {
    const places = new Set([...credo[metric].keys(), ...ours[metric].keys()]);
    for (const place of places) {
      const a = [...(credo[metric].get(place) ?? [])].sort((x, y) => x - y);
      const b = [...(ours[metric].get(place) ?? [])].sort((x, y) => x - y);
      if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
        out.push({ metric, place, credo: a, ours: b });
      }
    }
  }
  return out.sort((x, y) => (x.place < y.place ? -1 : x.place > y.place ? 1 : 0));
}

/** Definitions compared (Credo's count: every cyclomatic issue is one definition). */
export function definitionsMeasured(credo: MetricTable): number {
  let n = 0;
  for (const values of credo.cyclomatic.values()) n += values.length;
  return n;
}
