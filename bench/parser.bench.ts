/**
 * Parser benchmark (`npm run bench:parser [-- --json] [-- --passes N]`): parses the whole corpus
 * with (a) our parser, (b) Elixir's own parser (tools/oracle/bench.exs, one long-lived VM),
 * (c) tree-sitter-elixir's native binding (to its concrete tree). Each side reads every file into
 * memory first, runs `--warmup W` untimed passes (default 1), then reports the fastest of N timed
 * passes (default 3), reading excluded, and its peak memory; ours and tree-sitter run in separate
 * child processes so that their peaks stay apart. Every side gets the same warm-up: a JIT (V8's,
 * the BEAM's) compiles hot code during its first pass, and without it "best of 3" would be the
 * best of 2 for a JIT that compiles lazily. The first (warm-up) pass is printed too: it is what a
 * one-shot command pays. Elixir's script collects its process's garbage before each timed pass;
 * ours does not force V8's (see runChild).
 * Ours also reports, from one more untimed pass, the heap it allocates and keeps per source byte.
 * The issues' targets: ours >= 5x Elixir (issue 10, with the default 1.18 target), and faster
 * than tree-sitter.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GCProfiler } from "node:v8";
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
  /** The untimed warm-up passes, in ms (the first is the cold pass). */
  warmupMs: number[];
  bestMs: number;
  /** Peak resident memory of the measuring process (VmHWM), in MB. */
  peakRssMb: number | null;
  /** Elixir only: the largest :erlang.memory(:total) seen, in MB. */
  peakVmTotalMb?: number;
  /** Ours only: what one pass over the corpus allocates and keeps (see {@link measureMemory}). */
  memory?: MemoryResult;
}

/** Heap use of one untimed pass of our parser, per byte of source parsed. */
interface MemoryResult {
  /** Bytes allocated on the JS heap during the pass, per source byte. */
  allocatedPerByte: number;
  /** Heap bytes still held by every file's AST and comments after the pass, per source byte. */
  retainedPerByte: number;
  /** Largest heap use during the pass over the heap use before it, in MB. */
  peakHeapMb: number;
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
const warmup = Number(argValue("--warmup") ?? 1);
if (!Number.isSafeInteger(warmup) || warmup < 0) {
  process.stderr.write("parser.bench: --warmup must be a non-negative integer\n");
  process.exit(2);
}
for (const a of process.argv.slice(2)) {
  if (a.startsWith("--") && !["--json", "--passes", "--warmup", "--child"].includes(a)) {
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

/**
 * One extra, untimed pass that keeps every result, under V8's GC profiler: allocation is the sum
 * of heap growth between collections (used before each GC minus used after the previous one,
 * plus the growth after the last), retention is the heap after a full GC with all results alive
 * minus the heap before the pass. Needs `--expose-gc`.
 */
function measureMemory(
  parseKeep: (bytes: Uint8Array) => unknown,
  inputs: Uint8Array[],
): MemoryResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("parser.bench: the child needs --expose-gc");
  gc();
  const before = process.memoryUsage().heapUsed;
  const profiler = new GCProfiler();
  profiler.start();
  const kept = inputs.map(parseKeep);
  const end = process.memoryUsage().heapUsed;
  const stats = profiler.stop().statistics;
  let allocated = 0;
  let last = before;
  let peak = before;
  for (const g of stats) {
    const used = g.beforeGC.heapStatistics.usedHeapSize;
    allocated += Math.max(0, used - last);
    peak = Math.max(peak, used);
    last = g.afterGC.heapStatistics.usedHeapSize;
  }
  allocated += Math.max(0, end - last);
  peak = Math.max(peak, end);
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  const bytes = inputs.reduce((n, b) => n + b.byteLength, 0);
  if (kept.length !== inputs.length) throw new Error("unreachable");
  return {
    allocatedPerByte: allocated / bytes,
    retainedPerByte: retained / bytes,
    peakHeapMb: (peak - before) / MB,
  };
}

/** Child side: read every file, then time `passes` passes of `parseOne` over them. */
async function runChild(which: string, files: string[]): Promise<void> {
  let parseOne: (bytes: Uint8Array, text: string) => boolean;
  let parseKeep: ((bytes: Uint8Array) => unknown) | null = null;
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
    parseKeep = (bytes) => {
      try {
        return parse(bytes);
      } catch (e) {
        if (e instanceof ParseError) return e;
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
  // No forced GC between passes: a full collection makes V8 shrink its young generation, and the
  // next pass then runs up to 2x slower while it grows back (measured on this corpus).
  const warmupMs: number[] = [];
  const passesMs: number[] = [];
  let errors = 0;
  for (let p = 0; p < warmup + passes; p++) {
    errors = 0;
    const t0 = performance.now();
    for (const { bytes, text } of inputs) if (!parseOne(bytes, text)) errors++;
    (p < warmup ? warmupMs : passesMs).push(performance.now() - t0);
  }
  const result: SideResult = {
    files: files.length,
    bytes: inputs.reduce((s, i) => s + i.bytes.byteLength, 0),
    errors,
    passesMs,
    warmupMs,
    bestMs: Math.min(...passesMs),
    peakRssMb: vmHwmMb(),
  };
  // After the timed passes, so that their peak RSS is not this pass's (which keeps everything).
  if (parseKeep !== null) {
    result.memory = measureMemory(
      parseKeep,
      inputs.map((i) => i.bytes),
    );
  }
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
  const args = [
    "--expose-gc",
    "--import",
    "tsx",
    SELF,
    "--child",
    which,
    "--passes",
    String(passes),
    "--warmup",
    String(warmup),
  ];
  const out = await collect(process.execPath, args);
  return JSON.parse(out) as SideResult;
}

async function measureElixir(files: string[]): Promise<SideResult> {
  const out = await collect("elixir", [
    "tools/oracle/bench.exs",
    "--passes",
    String(passes),
    "--warmup",
    String(warmup),
    ...files,
  ]);
  const j = JSON.parse(out) as {
    files: number;
    bytes: number;
    errors: number;
    passes_ms: number[];
    warmup_ms: number[];
    best_ms: number;
    peak_total_bytes: number;
    vm_hwm_kb: number | null;
  };
  return {
    files: j.files,
    bytes: j.bytes,
    errors: j.errors,
    passesMs: j.passes_ms,
    warmupMs: j.warmup_ms,
    bestMs: j.best_ms,
    peakRssMb: j.vm_hwm_kb === null ? null : j.vm_hwm_kb / 1024,
    peakVmTotalMb: j.peak_total_bytes / 2 ** 20,
  };
}

/** A parser's row: one op is one pass over the corpus; extra fields carry MB/s and memory. */
interface ParserBenchResult extends BenchResult {
  mbPerSec: number;
  bestMs: number;
  /** The first untimed pass (cold for a JIT), in ms; null without warm-up. */
  firstPassMs: number | null;
  peakRssMb: number | null;
  errors: number;
  /** Ours only: allocated and retained heap bytes per source byte, peak heap growth (MB). */
  allocatedBytesPerSourceByte?: number;
  retainedBytesPerSourceByte?: number;
  peakHeapMb?: number;
}

function row(name: string, r: SideResult, note: string): ParserBenchResult {
  const mean = r.passesMs.reduce((a, b) => a + b, 0) / r.passesMs.length;
  const sd = Math.sqrt(r.passesMs.reduce((a, b) => a + (b - mean) ** 2, 0) / r.passesMs.length);
  const mbPerSec = r.bytes / MB / (r.bestMs / 1000);
  const peak = r.peakRssMb === null ? "?" : `${r.peakRssMb.toFixed(0)} MB`;
  const first = r.warmupMs.length > 0 ? r.warmupMs[0] : null;
  const firstNote = first === null ? "" : `, first (warm-up) pass ${first.toFixed(0)} ms`;
  const vm = r.peakVmTotalMb === undefined ? "" : ` (VM total ${r.peakVmTotalMb.toFixed(0)} MB)`;
  const m = r.memory;
  const mem =
    m === undefined
      ? ""
      : `, allocates ${m.allocatedPerByte.toFixed(0)} B/B, keeps ${m.retainedPerByte.toFixed(0)} B/B (AST + comments), peak heap +${m.peakHeapMb.toFixed(0)} MB`;
  return {
    group: `parse corpus: ${r.files} files, ${(r.bytes / MB).toFixed(2)} MB, best of ${passes} after ${warmup} warm-up`,
    name,
    opsPerSec: 1000 / r.bestMs,
    nsPerOp: r.bestMs * 1e6,
    rmePct: (sd / mean) * 100,
    ops: r.passesMs.length,
    note: `${mbPerSec.toFixed(2)} MB/s${firstNote}, peak RSS ${peak}${vm}${mem}, ${r.errors} rejected${note}`,
    mbPerSec,
    bestMs: r.bestMs,
    firstPassMs: first,
    peakRssMb: r.peakRssMb,
    errors: r.errors,
    ...(m === undefined
      ? {}
      : {
          allocatedBytesPerSourceByte: m.allocatedPerByte,
          retainedBytesPerSourceByte: m.retainedPerByte,
          peakHeapMb: m.peakHeapMb,
        }),
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
    `; ${vsElixir.toFixed(2)}x Elixir (target >= 5x), ${vsTs.toFixed(2)}x tree-sitter (target > 1x)`,
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
