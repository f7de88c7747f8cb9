/**
 * `npm run bench:search`: structural search and queries.
 *
 * 1. Whole-process cold search of Elixir's source tree (corpus/elixir): `elixirscope search`
 *    (compiled, `node dist/cli/main.js`) against `ast-grep run` (@ast-grep/cli, its built-in
 *    Elixir grammar) with equivalent patterns, alternating, in the same run; median wall time
 *    of `--rounds` runs each (default 3), and the ratio ast-grep / ours. Match counts are printed
 *    too: ours covers pipes and both `def` syntaxes, so counts may differ where the patterns do.
 * 2. Queries over a generated project (bench/gen-project.ts, `--modules N`, default 10000,
 *    about 100,000 functions): p50/p99/max per query kind (the issue's four examples, name and
 *    key lookups, scans), the result cache bypassed so that each run executes its plan.
 *
 * With GNU time at /usr/bin/time, each run's CPU time (user + system) is reported too, and the
 * ratio of CPU medians: the machine's load moves wall times, ast-grep's (on every core) more.
 *
 * There is no warm search figure: search does not cache parsed files (see docs/SEARCH.md).
 * Options: `--json`, `--rounds N`, `--modules N`, `--skip-corpus`, `--skip-query`, `--no-build`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeRoot } from "../src/ast/population/run.js";
import { parseQuery, QueryEngine } from "../src/ast/query/index.js";
import { generateProject } from "./gen-project.js";
import { jsonOutput } from "./lib/report.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CORPUS = join(ROOT, "corpus", "elixir");
const AST_GREP = join(ROOT, "node_modules", ".bin", "ast-grep");

/** Equivalent patterns: ours, then ast-grep's. */
const PAIRS: [string, string][] = [
  ["IO.inspect(...)", "IO.inspect($$$A)"],
  ["String.to_atom(_)", "String.to_atom($A)"],
  ["case _ do ... end", "case $X do $$$B end"],
  ["_a == _a", "$A == $A"],
];

interface Row {
  group: string;
  name: string;
  ms: number;
  note: string;
}

/** GNU time, to read a child's CPU time (user + system), which the machine's load barely moves. */
const GNU_TIME = "/usr/bin/time";

function timed(cmd: string, args: string[]): { ms: number; cpuMs: number | null; out: string } {
  const withTime = existsSync(GNU_TIME);
  const cpuFile = join(tmpdir(), `es-bench-cpu-${process.pid}`);
  const [exe, argv] = withTime
    ? [GNU_TIME, ["-f", "%U %S", "-o", cpuFile, cmd, ...args]]
    : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(exe, argv, { cwd: ROOT, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  let cpuMs: number | null = null;
  if (withTime) {
    const [user, sys] = readFileSync(cpuFile, "utf8").trim().split(/\s+/).map(Number);
    cpuMs = (user + sys) * 1000;
    rmSync(cpuFile, { force: true });
  }
  return { ms, cpuMs, out: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function searchRows(rounds: number): Row[] {
  const rows: Row[] = [];
  for (const [ours, theirs] of PAIRS) {
    const a: number[] = [];
    const b: number[] = [];
    const cpuA: number[] = [];
    const cpuB: number[] = [];
    let ourCount = 0;
    let theirCount = 0;
    for (let i = 0; i < rounds; i++) {
      const r1 = timed(process.execPath, [
        join(ROOT, "dist/cli/main.js"),
        "search",
        ours,
        CORPUS,
        "--json",
      ]);
      a.push(r1.ms);
      if (r1.cpuMs !== null) cpuA.push(r1.cpuMs);
      ourCount = JSON.parse(r1.out).matches.length;
      const r2 = timed(AST_GREP, ["run", "-p", theirs, "-l", "elixir", CORPUS, "--json=compact"]);
      b.push(r2.ms);
      if (r2.cpuMs !== null) cpuB.push(r2.cpuMs);
      theirCount = JSON.parse(r2.out).length;
    }
    const ratio = median(b) / median(a);
    // CPU time: ours runs on one thread plus V8's compiler threads, ast-grep on every core, so
    // a loaded machine slows their wall time more than ours; the CPU ratio is the other view.
    const cpu = (xs: number[]) => (xs.length === 0 ? "" : `; CPU ${median(xs).toFixed(0)} ms`);
    const cpuRatio =
      cpuA.length === 0 ? "" : `, CPU ast-grep/ours ${(median(cpuB) / median(cpuA)).toFixed(2)}x`;
    rows.push({
      group: `cold search ${ours}`,
      name: "elixirscope",
      ms: median(a),
      note: `${ourCount} matches; ast-grep/ours ${ratio.toFixed(2)}x${cpuRatio}${cpu(cpuA)}`,
    });
    rows.push({
      group: `cold search ${ours}`,
      name: "ast-grep",
      ms: median(b),
      note: `${theirCount} matches (${theirs})${cpu(cpuB)}`,
    });
  }
  return rows;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function queryRows(modules: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "es-bench-query-"));
  try {
    const gen = generateProject(join(dir, "p"), { modules });
    const run = await analyzeRoot(gen.root, { cache: false });
    const engine = new QueryEngine({ repository: run.repository, analysis: run.analysis });
    const stats = run.repository.stats();
    const fnKeys = engine
      .run(parseQuery('functions where visibility = "public" limit 1000'))
      .items.map((r) => r as { key: string; name: string; module: string });
    const key = (i: number) => fnKeys[i % fnKeys.length];
    const domains = Math.max(1, Math.floor(modules / 100));
    const queries: [string, (i: number) => string][] = [
      // The issue's four examples, on the synthetic project's names.
      [
        'functions where cyclomatic > 3 and module ~ "Synth.DomainN.*" (prefix index)',
        (i) => `functions where cyclomatic > 3 and module ~ "Synth.Domain${i % domains}.*"`,
      ],
      ["callers of X depth 2 (call index)", (i) => `callers of ${key(i).key} depth 2`],
      [
        "modules implementing GenServer lacking handle_info/2 (index)",
        () => "modules implementing GenServer lacking handle_info/2",
      ],
      [
        "path from A to B (module graph)",
        (i) => `path from ${key(i).module} to ${key(i + 7).module}`,
      ],
      // Name lookups: a name every module shares (~10% of all functions), a page and all of it.
      [
        "functions where name = X limit 20 (index)",
        (i) => `functions where name = "${key(i).name}" limit 20`,
      ],
      [
        "functions where name = X, every row (index)",
        (i) => `functions where name = "${key(i).name}"`,
      ],
      ["functions where key = X (index)", (i) => `functions where key = "${key(i).key}"`],
      ["modules where name = X (index)", (i) => `modules where name = "${key(i).module}"`],
      [
        "modules lacking handle_info/2 limit 20 (bitsets)",
        () => "modules lacking handle_info/2 limit 20",
      ],
      [
        "modules implementing GenServer limit 20 (index)",
        () => "modules implementing GenServer limit 20",
      ],
      [
        "functions where cyclomatic > 5 limit 20 (scan)",
        () => "functions where cyclomatic > 5 limit 20",
      ],
      [
        "functions order by cyclomatic desc limit 10 (scan, top-k)",
        () => "functions order by cyclomatic desc limit 10",
      ],
    ];
    engine.run(parseQuery(`callers of ${fnKeys[0].key}`)); // builds the call index once
    const rows: Row[] = [];
    for (const [label, make] of queries) {
      const n = label.includes("scan") || label.includes("every row") ? 50 : 2000;
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const spec = parseQuery(make(i));
        const t0 = performance.now();
        engine.run(spec, { cache: false });
        times.push(performance.now() - t0);
      }
      times.sort((x, y) => x - y);
      const f = (x: number) => x.toFixed(3);
      rows.push({
        group: `query, ${stats.functions} functions`,
        name: label,
        ms: percentile(times, 99),
        note: `p50 ${f(percentile(times, 50))} ms, p99 ${f(percentile(times, 99))} ms, max ${f(times[times.length - 1])} ms, n=${n}`,
      });
    }
    const t0 = performance.now();
    const spec = parseQuery("functions where cyclomatic > 5 limit 20");
    engine.run(spec);
    const cachedMs = (() => {
      const t = performance.now();
      engine.run(spec);
      return performance.now() - t;
    })();
    rows.push({
      group: `query, ${stats.functions} functions`,
      name: "cached result",
      ms: cachedMs,
      note: `first run ${(performance.now() - t0 - cachedMs).toFixed(3)} ms`,
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(rows: readonly Row[], title: string): void {
  if (jsonOutput) {
    for (const r of rows) console.log(JSON.stringify(r));
    return;
  }
  console.log(`\n${title}`);
  const w = Math.max(...rows.map((r) => r.group.length + r.name.length + 3));
  for (const r of rows)
    console.log(
      `${`${r.group} | ${r.name}`.padEnd(w)}  ${r.ms.toFixed(3).padStart(10)} ms  ${r.note}`,
    );
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  if (!argv.includes("--no-build"))
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  if (!jsonOutput) console.log(`machine: ${execFileSync("uptime", { encoding: "utf8" }).trim()}`);
  if (!argv.includes("--skip-corpus")) {
    if (!existsSync(CORPUS)) throw new Error(`no corpus at ${CORPUS} (scripts/fetch-corpus.sh)`);
    if (!existsSync(AST_GREP)) throw new Error("@ast-grep/cli is not installed (npm install)");
    print(
      searchRows(Number(arg("--rounds") ?? 3)),
      "Cold whole-process search of corpus/elixir (median wall ms)",
    );
  }
  if (!argv.includes("--skip-query")) {
    print(await queryRows(Number(arg("--modules") ?? 10000)), "Queries (ms is p99)");
  }
}

await main(process.argv.slice(2));
