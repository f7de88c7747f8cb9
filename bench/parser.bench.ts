/**
 * Parser benchmark (`npm run bench:parser [-- --json] [-- --passes N]`): parses the whole corpus
 * with (a) our parser, (b) Elixir's own parser (tools/oracle/bench.exs, one long-lived VM),
 * (c) tree-sitter-elixir's native binding (to its concrete tree). Each side reads every file into
 * memory first and reports the fastest of N passes (default 3), reading excluded, and its peak
 * memory; ours and tree-sitter run in separate child processes so that their peaks stay apart.
 * The targets: ours >= 3x Elixir, and faster than tree-sitter.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusFiles, hasElixir } from "../test/ast/parser/support/oracle.js";
import { type BenchResult, jsonOutput, report } from "./lib/report.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const MB = 1e6;

/** What each side measures. */
interface SideResult {
  files: number;
  bytes: number;
  errors: number;
  passesMs: number[];
  bestMs: number;
  /** Peak resident memory of the measuring process (VmHWM), in MB. */
  peakRssMb: number | null;
  /** Elixir only: the largest :erlang.memory(:total) seen, in MB. */
  peakVmTotalMb?: number;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const passes = Number(argValue("--passes") ?? 3);
if (!Number.isSafeInteger(passes) || passes < 1) {
  process.stderr.write("parser.bench: --passes must be a positive integer\n");
  process.exit(2);
}
for (const a of process.argv.slice(2)) {
  if (a.startsWith("--") && !["--json", "--passes", "--child"].includes(a)) {
    process.stderr.write(`parser.bench: unknown option ${a}\n`);
    process.exit(2);
  }
}

function vmHwmMb(): number | null {
  try {
    const m = readFileSync("/proc/self/status", "utf8").match(/VmHWM:\s+(\d+)/);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Child side: read every file, then time `passes` passes of `parseOne` over them. */
async function runChild(which: string, files: string[]): Promise<void> {
  let parseOne: (bytes: Uint8Array, text: string) => boolean;
  if (which === "ours") {
    // The compiled build, as users run it: under tsx every cross-module constant becomes a getter
    // call, which costs the parser a factor of 3 or more and would measure tsx, not us.
    const { ParseError, parse } = (await import(
      "../dist/ast/parser/index.js" as string
    )) as typeof import("../src/ast/parser/index.js");
    parseOne = (bytes) => {
      try {
        parse(bytes);
        return true;
      } catch (e) {
        if (e instanceof ParseError) return false;
        throw e;
      }
    };
  } else if (which === "tree-sitter") {
    const { default: Parser } = await import("tree-sitter");
    const { default: Elixir } = await import("tree-sitter-elixir");
    const parser = new Parser();
    parser.setLanguage(Elixir as Parameters<typeof parser.setLanguage>[0]);
    // The binding reads the string in chunks of bufferSize; one chunk per file is fastest.
    parseOne = (_bytes, text) => {
      const tree = parser.parse(text, undefined, { bufferSize: text.length * 4 + 1 });
      return !tree.rootNode.hasError;
    };
  } else throw new Error(`unknown child ${which}`);

  const inputs = files.map((f) => {
    const bytes = readFileSync(join(ROOT, f));
    return { bytes: new Uint8Array(bytes), text: bytes.toString("utf8") };
  });
  const passesMs: number[] = [];
  let errors = 0;
  for (let p = 0; p < passes; p++) {
    errors = 0;
    const t0 = performance.now();
    for (const { bytes, text } of inputs) if (!parseOne(bytes, text)) errors++;
    passesMs.push(performance.now() - t0);
  }
  const result: SideResult = {
    files: files.length,
    bytes: inputs.reduce((s, i) => s + i.bytes.byteLength, 0),
    errors,
    passesMs,
    bestMs: Math.min(...passesMs),
    peakRssMb: vmHwmMb(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function collect(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args[0]} exited ${code}`)),
    );
  });
}

/** Runs one side in a child process of this script (which re-reads the same corpus list). */
async function measure(which: "ours" | "tree-sitter"): Promise<SideResult> {
  const args = ["--import", "tsx", SELF, "--child", which, "--passes", String(passes)];
  const out = await collect(process.execPath, args);
  return JSON.parse(out) as SideResult;
}

async function measureElixir(files: string[]): Promise<SideResult> {
  const out = await collect("elixir", [
    "tools/oracle/bench.exs",
    "--passes",
    String(passes),
    ...files,
  ]);
  const j = JSON.parse(out) as {
    files: number;
    bytes: number;
    errors: number;
    passes_ms: number[];
    best_ms: number;
    peak_total_bytes: number;
    vm_hwm_kb: number | null;
  };
  return {
    files: j.files,
    bytes: j.bytes,
    errors: j.errors,
    passesMs: j.passes_ms,
    bestMs: j.best_ms,
    peakRssMb: j.vm_hwm_kb === null ? null : j.vm_hwm_kb / 1024,
    peakVmTotalMb: j.peak_total_bytes / 2 ** 20,
  };
}

/** A parser's row: one op is one pass over the corpus; extra fields carry MB/s and memory. */
interface ParserBenchResult extends BenchResult {
  mbPerSec: number;
  bestMs: number;
  peakRssMb: number | null;
  errors: number;
}

function row(name: string, r: SideResult, note: string): ParserBenchResult {
  const mean = r.passesMs.reduce((a, b) => a + b, 0) / r.passesMs.length;
  const sd = Math.sqrt(r.passesMs.reduce((a, b) => a + (b - mean) ** 2, 0) / r.passesMs.length);
  const mbPerSec = r.bytes / MB / (r.bestMs / 1000);
  const peak = r.peakRssMb === null ? "?" : `${r.peakRssMb.toFixed(0)} MB`;
  const vm = r.peakVmTotalMb === undefined ? "" : ` (VM total ${r.peakVmTotalMb.toFixed(0)} MB)`;
  return {
    group: `parse corpus: ${r.files} files, ${(r.bytes / MB).toFixed(2)} MB, best of ${passes}`,
    name,
    opsPerSec: 1000 / r.bestMs,
    nsPerOp: r.bestMs * 1e6,
    rmePct: (sd / mean) * 100,
    ops: r.passesMs.length,
    note: `${mbPerSec.toFixed(2)} MB/s, peak RSS ${peak}${vm}, ${r.errors} rejected${note}`,
    mbPerSec,
    bestMs: r.bestMs,
    peakRssMb: r.peakRssMb,
    errors: r.errors,
  };
}

const child = argValue("--child");
if (child !== undefined) {
  await runChild(child, corpusFiles());
} else {
  const files = corpusFiles();
  if (files.length === 0) {
    process.stderr.write("parser.bench: corpus/elixir is missing (run scripts/fetch-corpus.sh)\n");
    process.exit(1);
  }
  if (!hasElixir) {
    process.stderr.write("parser.bench: `elixir` is not installed\n");
    process.exit(1);
  }
  // One at a time: each side gets the machine to itself.
  const ours = await measure("ours");
  const elixir = await measureElixir(files);
  const ts = await measure("tree-sitter");
  const vsElixir = elixir.bestMs / ours.bestMs;
  const vsTs = ts.bestMs / ours.bestMs;
  const oursRow = row(
    "elixirscope",
    ours,
    `; ${vsElixir.toFixed(2)}x Elixir (target >= 3x), ${vsTs.toFixed(2)}x tree-sitter (target > 1x)`,
  );
  const results = [
    { ...oursRow, speedupVsElixir: vsElixir, speedupVsTreeSitter: vsTs },
    row("elixir (Code.string_to_quoted_with_comments)", elixir, ""),
    row("tree-sitter-elixir (native)", ts, ""),
  ];
  if (!jsonOutput)
    process.stdout.write(
      "ours and tree-sitter parse from memory in child processes; Elixir in one VM\n",
    );
  report(results, "Parser throughput");
}
