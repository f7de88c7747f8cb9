/**
 * `npm run bench:analyze`: end-to-end analysis speed and memory, and repository lookups.
 *
 * Each analysis is the `elixirscope analyze` command, timed end to end (everything but Node's
 * start-up): the Foundation and its services, discovery, reading and hashing, parsing and
 * extraction, the cache, indexes, project analysis and the rendered report.
 *
 * 1. Elixir 1.14's `lib/` tree (corpus/elixir/lib), cold (no cache), next to Elixir's own parse
 *    of the same files in the same run (Code.string_to_quoted_with_comments with columns and
 *    token metadata, the AST we produce), sequential and on every scheduler.
 * 2. Whole processes on the same tree, in the same run: `node dist/cli/main.js analyze lib
 *    --json --no-cache` against Credo 1.7.19 (`MIX_ENV=prod mix credo`, only its five metric
 *    checks, each at max 0 so that every definition is measured), wall time from spawn to exit,
 *    median of `--rounds N` (default 1), and the ratio.
 * 3. A synthetic 40,000-module project (bench/gen-project.ts, about 3 million lines): a first run
 *    writing a fresh cache, then a second run on the unchanged project; time, peak RSS, warm/cold.
 * 3. Lookups in a repository holding 100,000 functions: p50/p99/max per lookup kind.
 *
 * Each analysis runs in a child process so that its peak memory is its own, on the compiled
 * package (the bench builds dist/ first). Options: `--json` (one JSON object per line),
 * `--modules N` (default 40000), `--skip-corpus`, `--skip-credo`, `--rounds N`, `--no-build` (use
 * dist/ as it is). The machine's load average is printed with each table: compare the ratios of
 * peers measured in the same run, not absolute times across runs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { FileExtraction, FunctionInfo, ModuleInfo } from "../src/ast/model.js";
import { discoverFiles } from "../src/ast/population/discover.js";
import { defaultWorkerCount } from "../src/ast/population/pool.js";
import { AstRepository } from "../src/ast/repository/repository.js";
import { CREDO_DIR, hasCredo } from "../test/support/prerequisites.js";
import { generateProject } from "./gen-project.js";
import { jsonOutput } from "./lib/report.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const CORPUS_LIB = join(here, "..", "corpus", "elixir", "lib");

/** One measured figure. */
interface Row {
  group: string;
  name: string;
  /** Wall time, ms (or the lookup latency for lookup rows). */
  ms: number;
  files?: number;
  modules?: number;
  functions?: number;
  peakRssMb?: number;
  mbPer1000Modules?: number;
  p50Us?: number;
  p99Us?: number;
  maxUs?: number;
  note?: string;
}

interface ChildResult {
  ms: number;
  files: number;
  modules: number;
  functions: number;
  parsed: number;
  cached: number;
  failed: number;
  workers: number;
  peakRssMb: number;
}

// ---------------------------------------------------------------------------------------------
// One analysis in a child process: the `elixirscope analyze` command itself, from the compiled
// package (dist/), in-process through runCli, its report collected rather than printed.

const DIST = join(here, "..", "dist");

const CHILD = `
const [root, cacheArg, commandsUrl, programUrl] = process.argv.slice(1);
await import(commandsUrl);
const { runCli } = await import(programUrl);
let out = "";
let err = "";
const t0 = performance.now();
const code = await runCli(
  ["analyze", root, ...(cacheArg === "off" ? ["--no-cache"] : ["--cache", cacheArg])],
  { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } },
);
const ms = performance.now() - t0;
if (code !== 0) throw new Error("analyze exited " + code + ": " + err);
const num = (re) => Number((out.match(re) ?? [])[1] ?? NaN);
const workers = /on the main thread/.test(out) ? 0 : num(/on (\\d+) workers?/);
process.stdout.write(JSON.stringify({
  ms,
  files: num(/files +(\\d+)/),
  modules: num(/modules +(\\d+)/),
  functions: num(/functions +(\\d+)/),
  parsed: num(/\\((\\d+) parsed/),
  cached: num(/(\\d+) from cache/),
  failed: num(/(\\d+) failed to parse/),
  workers,
  // maxRSS is in KiB and covers the whole process (main thread and workers) since it started.
  peakRssMb: process.resourceUsage().maxRSS / 1024,
}) + "\\n");
`;

/** Compiles src/ to dist/ so that the children run what the CLI runs. */
function build(): void {
  try {
    execFileSync(
      process.execPath,
      [
        join(here, "..", "node_modules", "typescript", "bin", "tsc"),
        "-p",
        join(here, "..", "tsconfig.build.json"),
      ],
      { stdio: "pipe" },
    );
  } catch (error) {
    // tsc still emits on type errors elsewhere; what matters is that the entry points exist.
    if (!existsSync(join(DIST, "ast", "population", "run.js"))) throw error;
    process.stderr.write("bench:analyze: tsc reported errors; running the emitted dist/ anyway\n");
  }
}

function runChild(root: string, cache: string | false): ChildResult {
  const args = [
    "--input-type=module",
    "-e",
    CHILD,
    root,
    cache === false ? "off" : cache,
    pathToFileURL(join(DIST, "cli", "commands", "index.js")).href,
    pathToFileURL(join(DIST, "cli", "program.js")).href,
  ];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`analysis child failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split("\n").pop()!;
  return JSON.parse(line) as ChildResult;
}

// ---------------------------------------------------------------------------------------------
// Elixir's own parse of the same files.

const ELIXIR_PARSE = `
[list] = System.argv()
files = list |> File.read!() |> String.split("\\n", trim: true)
opts = [columns: true, token_metadata: true, emit_warnings: false]
parse = fn f -> Code.string_to_quoted_with_comments(File.read!(f), opts) end
{seq, _} = :timer.tc(fn -> Enum.each(files, parse) end)
{par, _} = :timer.tc(fn ->
  files |> Task.async_stream(parse, ordered: false, timeout: :infinity) |> Stream.run()
end)
IO.puts("#{seq / 1000} #{par / 1000} #{System.schedulers_online()}")
`;

function elixirParse(
  root: string,
  files: readonly string[],
): { seqMs: number; parMs: number; wallMs: number; schedulers: number } {
  const dir = mkdtempSync(join(tmpdir(), "es-bench-"));
  try {
    const list = join(dir, "files.txt");
    writeFileSync(list, files.map((f) => join(root, f)).join("\n"));
    const t0 = performance.now();
    const out = execFileSync("elixir", ["-e", ELIXIR_PARSE, list], { encoding: "utf8" });
    const wallMs = performance.now() - t0;
    const [seq, par, sched] = out.trim().split(/\s+/).map(Number);
    return { seqMs: seq!, parMs: par!, wallMs, schedulers: sched! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Whole processes: our command against Credo's five metric checks, same tree, same run.

/** A Credo config enabling only the five metric checks, each at 0 so every definition reports. */
function credoConfig(dir: string): string {
  return `%{configs: [%{name: "default",
  files: %{included: [${JSON.stringify(`${dir}/`)}], excluded: []},
  checks: %{enabled: [
    {Credo.Check.Refactor.ABCSize, [max_size: 0]},
    {Credo.Check.Refactor.CyclomaticComplexity, [max_complexity: 0]},
    {Credo.Check.Refactor.PerceivedComplexity, [max_complexity: 0]},
    {Credo.Check.Refactor.Nesting, [max_nesting: 0]},
    {Credo.Check.Refactor.FunctionArity, [max_arity: 0]}
  ], disabled: []}}]}
`;
}

/**
 * Wall time of one whole process, spawn to exit, stdout discarded; with GNU time present, its
 * peak RSS and CPU seconds too.
 */
function timeProcess(
  cmd: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; okCodes?: readonly number[] } = {},
): { ms: number; peakRssMb?: number; cpuS?: number } {
  const gnuTime = existsSync("/usr/bin/time");
  const argv = gnuTime ? ["-f", "%M %U %S", cmd, ...args] : [...args];
  const t0 = performance.now();
  const r = spawnSync(gnuTime ? "/usr/bin/time" : cmd, argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t0;
  if (!(options.okCodes ?? [0]).includes(r.status ?? -1)) {
    throw new Error(`${cmd} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  }
  if (!gnuTime) return { ms };
  const [rssKb, user, sys] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return { ms, peakRssMb: rssKb! / 1024, cpuS: user! + sys! };
}

function median<T>(xs: T[], by: (x: T) => number): T {
  return [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;
}

function credoRows(rounds: number): Row[] {
  const dir = mkdtempSync(join(tmpdir(), "es-bench-credo-"));
  try {
    const config = join(dir, "credo.exs");
    writeFileSync(config, credoConfig(CORPUS_LIB));
    const ours: ReturnType<typeof timeProcess>[] = [];
    const credo: ReturnType<typeof timeProcess>[] = [];
    for (let i = 0; i < rounds; i++) {
      ours.push(
        timeProcess(process.execPath, [
          join(DIST, "cli", "main.js"),
          "analyze",
          CORPUS_LIB,
          "--json",
          "--no-cache",
        ]),
      );
      // Credo exits non-zero when it reports issues, which at max 0 it always does.
      credo.push(
        timeProcess(
          "mix",
          ["credo", "--config-file", config, "--format", "json", "--strict", "--all-priorities"],
          {
            cwd: CREDO_DIR,
            env: { MIX_ENV: "prod" },
            okCodes: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30],
          },
        ),
      );
    }
    const o = median(ours, (x) => x.ms);
    const c = median(credo, (x) => x.ms);
    const cpu = (x: { cpuS?: number }) =>
      x.cpuS === undefined ? "" : `, CPU ${x.cpuS.toFixed(1)} s`;
    return [
      {
        group: "whole process, elixir lib/",
        name: "elixirscope analyze --json --no-cache",
        ms: o.ms,
        ...(o.peakRssMb === undefined ? {} : { peakRssMb: o.peakRssMb }),
        note: `${(c.ms / o.ms).toFixed(1)}x faster than Credo (target >= 10x, goal 20x)${cpu(o)}`,
      },
      {
        group: "whole process, elixir lib/",
        name: "Credo 1.7.19, five metric checks",
        ms: c.ms,
        ...(c.peakRssMb === undefined ? {} : { peakRssMb: c.peakRssMb }),
        note: `mix credo, MIX_ENV=prod${cpu(c)}`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Lookups with 100,000 functions.

const METRICS = {
  cyclomatic: 1,
  perceived: 1,
  abc: 1,
  abcA: 0,
  abcB: 1,
  abcC: 0,
  nesting: 0,
  arity: 1,
  cognitive: 0,
  loc: 3,
};

function syntheticRepository(functionCount: number): {
  repo: AstRepository;
  modules: string[];
  names: string[];
} {
  const repo = new AstRepository();
  const perModule = 10;
  const perFile = 5;
  const moduleCount = functionCount / perModule;
  const modules: string[] = [];
  const names: string[] = [];
  for (let n = 0; n < 200; n++) names.push(`fun_${n}`);
  const behaviours = ["GenServer", "Supervisor", "Plug", "Ecto.Schema", "My.Behaviour"];
  for (let f = 0; f < moduleCount / perFile; f++) {
    const path = `lib/gen/f${f}.ex`;
    const mods: ModuleInfo[] = [];
    for (let m = 0; m < perFile; m++) {
      const mi = f * perFile + m;
      const name = `Gen.M${mi}`;
      modules.push(name);
      const id = `${path}#${name}`;
      const functions: FunctionInfo[] = [];
      for (let k = 0; k < perModule; k++) {
        const fname = names[(mi * 7 + k * 13) % names.length]!;
        const arity = k % 4;
        const target = `Gen.M${(mi * 31 + k) % moduleCount}`;
        functions.push({
          id: `${id}.${fname}/${arity}`,
          name: fname,
          arity,
          kind: k % 3 === 0 ? "defp" : "def",
          visibility: k % 3 === 0 ? "private" : "public",
          line: 2 + k * 4,
          endLine: 4 + k * 4,
          generated: false,
          generatedBy: null,
          defaultOf: null,
          doc: "none",
          hasSpec: false,
          impl: null,
          delegateTo: null,
          clauses: [
            {
              id: `${id}.${fname}/${arity}:0`,
              file: path,
              line: 2 + k * 4,
              endLine: 4 + k * 4,
              column: 3,
              arity,
              guards: [],
              head: false,
              metrics: { ...METRICS, arity },
              calls: [0, 1, 2].map((c) => ({
                id: `${id}.${fname}/${arity}:0@${c}`,
                kind: "remote" as const,
                module: c === 2 ? "Enum" : target,
                name: c === 2 ? "map" : names[(mi + c * 17) % names.length]!,
                arity: c === 2 ? 2 : c % 4,
                line: 3 + k * 4,
                column: 5,
                piped: false,
                capture: false,
              })),
            },
          ],
          metrics: { ...METRICS, arity },
        });
      }
      mods.push({
        id,
        name,
        kind: "module",
        file: path,
        line: 1,
        endLine: 60,
        parent: null,
        moduledoc: "none",
        behaviours: [behaviours[mi % behaviours.length]!],
        uses: [],
        imports: [],
        aliases: [],
        requires: [],
        attributes: [],
        types: [],
        specs: [],
        callbacks: [],
        impl: null,
        structFields: null,
        exception: false,
        functions,
        dependencies: [],
        metrics: {
          functionCount: perModule,
          clauseCount: perModule,
          cyclomaticSum: perModule,
          cyclomaticMax: 1,
          cyclomaticMean: 1,
          perceivedMax: 1,
          abcMax: 1,
          nestingMax: 0,
          cognitiveMax: 0,
          cognitiveSum: 0,
          loc: 60,
        },
      });
    }
    const extraction: FileExtraction = { path, modules: mods, commentCount: 0, lastLine: 60 };
    repo.setFile({ path, hash: String(f), extraction, error: null });
  }
  return { repo, modules, names };
}

function lookupRows(): Row[] {
  const FUNCTIONS = 100_000;
  const t0 = performance.now();
  const { repo, modules, names } = syntheticRepository(FUNCTIONS);
  const buildMs = performance.now() - t0;
  const stats = repo.stats();
  const N = 20_000;
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const kinds: [string, (i: number) => unknown][] = [
    ["module(name)", () => repo.module(modules[rnd(modules.length)]!)],
    [
      "functions(mod, name, arity)",
      () => repo.functions(modules[rnd(modules.length)]!, names[rnd(names.length)]!, rnd(4)),
    ],
    ["functionsNamed(name)", () => repo.functionsNamed(names[rnd(names.length)]!)],
    ["functionsNamed(name, arity)", () => repo.functionsNamed(names[rnd(names.length)]!, rnd(4))],
    ["modulesInFile(path)", () => repo.modulesInFile(`lib/gen/f${rnd(modules.length / 5)}.ex`)],
    ["modulesWithBehaviour(b)", () => repo.modulesWithBehaviour("GenServer")],
    [
      "callers(key)",
      () => repo.callers(`Gen.M${rnd(modules.length)}.${names[rnd(names.length)]}/${rnd(4)}`),
    ],
    [
      "callees(key)",
      () => {
        const fns = repo.functionsNamed(names[rnd(names.length)]!);
        return repo.callees(fns[rnd(fns.length)]!.key);
      },
    ],
    ["callers(Enum.map/2) [20k callers]", () => repo.callers("Enum.map/2")],
  ];
  const rows: Row[] = [
    {
      group: "repository",
      name: `build ${stats.functions} functions`,
      ms: buildMs,
      functions: stats.functions,
      modules: stats.modules,
      note: `${stats.callEdges} call edges`,
    },
  ];
  const samples = new Float64Array(N);
  for (const [name, fn] of kinds) {
    for (let i = 0; i < 2_000; i++) fn(i); // warm-up
    for (let i = 0; i < N; i++) {
      const s = performance.now();
      fn(i);
      samples[i] = performance.now() - s;
    }
    samples.sort();
    const p99 = samples[Math.floor(N * 0.99)]! * 1000;
    rows.push({
      group: "lookup (100k functions)",
      name,
      ms: samples[Math.floor(N * 0.99)]!,
      functions: stats.functions,
      p50Us: samples[Math.floor(N * 0.5)]! * 1000,
      p99Us: p99,
      maxUs: samples[N - 1]! * 1000,
      note: p99 < 1000 ? "p99 < 1 ms: ok" : "p99 >= 1 ms: MISSED",
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? "" : n.toFixed(digits);
}

function print(rows: readonly Row[], title: string): void {
  if (jsonOutput) {
    for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const head = [
    "group",
    "name",
    "time ms",
    "files",
    "modules",
    "peak RSS MB",
    "MB/1k mod",
    "p50 µs",
    "p99 µs",
    "max µs",
    "note",
  ];
  const body = rows.map((r) => [
    r.group,
    r.name,
    r.p99Us === undefined ? fmt(r.ms, 0) : "",
    fmt(r.files),
    fmt(r.modules),
    fmt(r.peakRssMb),
    fmt(r.mbPer1000Modules, 1),
    fmt(r.p50Us, 2),
    fmt(r.p99Us, 2),
    fmt(r.maxUs, 1),
    r.note ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 9 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  process.stdout.write(
    `\n${title}\n${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`,
  );
  for (const b of body) process.stdout.write(`${line(b)}\n`);
}

async function main(argv: string[]): Promise<void> {
  if (!argv.includes("--no-build")) build();
  const modulesAt = argv.indexOf("--modules");
  const moduleCount = modulesAt === -1 ? 40_000 : Number(argv[modulesAt + 1]);
  const roundsAt = argv.indexOf("--rounds");
  const rounds = roundsAt === -1 ? 1 : Number(argv[roundsAt + 1]);
  const cores = defaultWorkerCount();
  const load = () =>
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`;

  if (!argv.includes("--skip-corpus")) {
    const files = discoverFiles(CORPUS_LIB).files;
    const ours = runChild(CORPUS_LIB, false);
    const ex = elixirParse(CORPUS_LIB, files);
    print(
      [
        {
          group: "elixir lib/ (cold)",
          name: "elixirscope analyze",
          ms: ours.ms,
          files: ours.files,
          modules: ours.modules,
          peakRssMb: ours.peakRssMb,
          note: `${ours.workers} workers, ${ours.failed} parse errors; ${(ours.ms / ex.parMs).toFixed(2)}x Elixir's parallel parse`,
        },
        {
          group: "elixir lib/ (cold)",
          name: "Elixir parse, 1 scheduler",
          ms: ex.seqMs,
          files: files.length,
        },
        {
          group: "elixir lib/ (cold)",
          name: `Elixir parse, ${ex.schedulers} schedulers`,
          ms: ex.parMs,
          files: files.length,
          note: `elixir process wall ${ex.wallMs.toFixed(0)} ms incl. VM boot and both runs`,
        },
      ],
      `Elixir 1.14 lib/ tree, ${cores} cores, ${load()}`,
    );
    if (!argv.includes("--skip-credo")) {
      if (hasCredo())
        print(credoRows(rounds), `Whole process against Credo, ${cores} cores, ${load()}`);
      else
        process.stderr.write(
          `bench:analyze: Credo not built at ${CREDO_DIR}; skipping the ratio\n`,
        );
    }
  }

  // A directory of its own: two benches at once must not rewrite each other's project mid-run.
  const root = join(mkdtempSync(join(tmpdir(), "es-bench-synth-")), `synth-${moduleCount}`);
  const gen = generateProject(root, { modules: moduleCount });
  const cacheFile = join(root, ".elixirscope", "cache.sqlite");
  const cold = runChild(root, cacheFile);
  const warm = runChild(root, cacheFile);
  const per1k = (mb: number) => mb / (cold.modules / 1000);
  print(
    [
      {
        group: `synthetic ${moduleCount} modules`,
        name: "first run (writes cache)",
        ms: cold.ms,
        files: cold.files,
        modules: cold.modules,
        peakRssMb: cold.peakRssMb,
        mbPer1000Modules: per1k(cold.peakRssMb),
        note: `${(gen.lines / 1e6).toFixed(2)}M lines, ${(gen.bytes / 1e6).toFixed(1)} MB, parsed ${cold.parsed}, ${cold.workers} workers; target < 20000 ms, peak RSS < 2048 MB`,
      },
      {
        group: `synthetic ${moduleCount} modules`,
        name: "second run (unchanged)",
        ms: warm.ms,
        files: warm.files,
        modules: warm.modules,
        peakRssMb: warm.peakRssMb,
        mbPer1000Modules: per1k(warm.peakRssMb),
        note: `parsed ${warm.parsed}, cached ${warm.cached}; ${((warm.ms / cold.ms) * 100).toFixed(1)}% of first (target < 10%)`,
      },
    ],
    `Synthetic project (bench/gen-project.ts), ${cores} cores, ${load()}`,
  );
  rmSync(dirname(root), { recursive: true, force: true });

  print(lookupRows(), "Repository lookups, 100,000 functions (target p99 < 1 ms)");
}

await main(process.argv.slice(2));
