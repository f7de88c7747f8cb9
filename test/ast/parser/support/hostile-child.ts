/**
 * Child process of test/ast/parser/hostile.test.ts, so that a hang or a blown stack in the
 * parser fails one test (the parent's timeout) instead of the whole run:
 *
 *   node --import tsx --expose-gc hostile-child.ts OUT_DIR deep|small NAME...
 *   node --import tsx --expose-gc hostile-child.ts OUT_DIR huge BYTES
 *
 * Prints one JSON line `{"case", "event": "start"}` before each parse (so the parent knows which
 * case hung) and one {@link ChildResult} line after it. For deep and small cases our result in
 * the oracle's line format (label "c") goes to `OUT_DIR/<n>.json`, for the parent to compare.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ParseError, parse } from "../../../../src/ast/parser/index.js";
import { countNodes } from "../../../../src/ast/term.js";
import { fileResultLine } from "../../../../src/ast/term-json.js";
import { isInternalError } from "./fuzz-worker.js";
import { DEEP_CASES, modulesOfSize, SMALL_CASES } from "./hostile-cases.js";

/** What the child reports for one case. */
export interface ChildResult {
  case: string;
  event: "done";
  outcome: "ok" | "error" | "crash";
  line?: number;
  column?: number | null;
  message?: string;
  ms: number;
  nodes?: number;
  /** Where our oracle-format line was written (deep and small cases). */
  out?: string;
  /** huge: module copies in the input, input bytes, retained and peak memory deltas (MB). */
  copies?: number;
  bytes?: number;
  retainedMB?: number;
  peakMB?: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function vmKb(field: "VmHWM" | "VmRSS"): number {
  const m = readFileSync("/proc/self/status", "utf8").match(new RegExp(`${field}:\\s+(\\d+)`));
  return m ? Number(m[1]) : 0;
}

function retained(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const emit = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

function runOne(
  name: string,
  source: string | Uint8Array,
  out: string | null,
): { result: ChildResult; ast?: unknown } {
  emit({ case: name, event: "start" });
  const t0 = performance.now();
  try {
    // The parent compares with Debian's Elixir (1.14).
    const r = parse(source, { elixir: "1.14" });
    const ms = performance.now() - t0;
    if (out !== null) writeFileSync(out, fileResultLine("c", r));
    return {
      result: {
        case: name,
        event: "done",
        outcome: "ok",
        ms,
        nodes: countNodes(r.ast),
        ...(out ? { out } : {}),
      },
      ast: r,
    };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof ParseError && !isInternalError(e)) {
      const { line, column, message } = e;
      return { result: { case: name, event: "done", outcome: "error", ms, line, column, message } };
    }
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { result: { case: name, event: "done", outcome: "crash", ms, message } };
  }
}

let keepAlive: unknown = null;
const [outDir, kind, ...names] = process.argv.slice(2);
if (kind === "huge") {
  const size = Number(names[0]);
  const { text, copies } = modulesOfSize(size);
  const bytes = Buffer.from(text, "utf8");
  gc();
  const before = retained();
  // Reset the peak RSS (Linux: writing 5 to clear_refs) so the peak is the parse's own.
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // Not Linux, or not allowed: the peak then includes building the input.
  }
  const rssBefore = vmKb("VmRSS");
  const { result, ast } = runOne(`huge ${size}`, bytes, null);
  // A module-level root keeps the AST alive while the retained memory is measured.
  keepAlive = ast;
  gc();
  const kept = retained() - before;
  const peak = vmKb("VmHWM") - rssBefore;
  emit({
    ...result,
    copies,
    bytes: bytes.byteLength,
    retainedMB: kept / 2 ** 20,
    peakMB: peak / 1024,
    retainedObject: keepAlive !== null,
  });
} else {
  const table: Record<string, () => string | Uint8Array> =
    kind === "deep" ? DEEP_CASES : SMALL_CASES;
  names.forEach((name, i) => {
    const build = table[name];
    if (!build) throw new Error(`unknown ${kind} case: ${name}`);
    emit(runOne(name, build(), join(outDir, `${i}.json`)).result);
  });
}
