/**
 * Hostile inputs: 100,000-deep nesting, a 50 MB file, binary garbage, invalid UTF-8, a BOM, CRLF,
 * and every unterminated literal. Each must give Elixir's AST or a ParseError with a line: never
 * another exception, a RangeError or a hang. Every parse runs in a child process with a timeout
 * (support/hostile-child.ts), so a hang or a blown stack fails its test instead of the run.
 * Where `elixir` is installed, results are compared with the oracle.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ELIXIR, hasElixir, skipUnlessAvailable } from "../../support/prerequisites.js";
import { DEEP_CASES, SMALL_CASES } from "./support/hostile-cases.js";
import type { ChildResult } from "./support/hostile-child.js";
import { OracleStream, parseOracleLine, ROOT } from "./support/oracle.js";

const CHILD = fileURLToPath(new URL("./support/hostile-child.ts", import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), "elixirscope-hostile-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Whether to compare with the oracle: the tests run without `elixir` locally, just less. */
const withOracle = !skipUnlessAvailable(ELIXIR, hasElixir());

interface ChildRun {
  results: Map<string, ChildResult>;
  /** The case that started but never finished, if the child hung or died. */
  unfinished: string | null;
  timedOut: boolean;
  code: number | null;
  stderr: string;
}

/** Runs the child on `args`, killing it after `timeoutMs`. */
async function runChild(args: string[], timeoutMs: number, heapMb?: number): Promise<ChildRun> {
  const flags = ["--import", "tsx", "--expose-gc"];
  if (heapMb) flags.push(`--max-old-space-size=${heapMb}`);
  const child = spawn(process.execPath, [...flags, CHILD, outDir, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  const results = new Map<string, ChildResult>();
  let unfinished: string | null = null;
  for await (const line of createInterface({ input: child.stdout })) {
    const msg = JSON.parse(line) as ChildResult | { case: string; event: "start" };
    if (msg.event === "start") unfinished = msg.case;
    else {
      results.set(msg.case, msg);
      unfinished = null;
    }
  }
  const code: number | null = await new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res(child.exitCode);
    else child.once("close", (c) => res(c));
  });
  clearTimeout(timer);
  return { results, unfinished, timedOut, code, stderr: stderr.slice(0, 3000) };
}

/** Asserts that the child finished `name` with an AST or a ParseError that has a line. */
function expectSane(run: ChildRun, name: string): ChildResult {
  const r = run.results.get(name);
  if (!r) {
    const why = run.timedOut ? "timed out (hang)" : `exited ${run.code} before finishing`;
    expect.fail(`${name}: no result; the child ${why} during "${run.unfinished}"\n${run.stderr}`);
  }
  expect(r.outcome, `${name}: ${r.message ?? ""}`).not.toBe("crash");
  if (r.outcome === "error") {
    expect(Number.isInteger(r.line) && (r.line ?? 0) >= 1, `${name}: error line ${r.line}`).toBe(
      true,
    );
  }
  return r;
}

function toBytes(v: string | Uint8Array): Uint8Array {
  return typeof v === "string" ? Buffer.from(v, "utf8") : v;
}

/** Compares our line with the oracle's; `strict`: Elixir accepting means we must accept too. */
function expectLikeElixir(name: string, r: ChildResult, theirLine: string, strict: boolean): void {
  const theirs = parseOracleLine(theirLine);
  if ("error" in theirs) {
    expect(r.outcome, `${name}: Elixir rejects (${theirs.error.message}), we accept`).toBe("error");
    if (theirs.error.line !== null && theirs.error.line !== r.line) {
      console.log(`${name}: error line ${r.line}, Elixir's ${theirs.error.line}`);
    }
    return;
  }
  if (r.outcome === "error") {
    if (strict) expect.fail(`${name}: Elixir accepts, we reject: ${r.message}`);
    console.log(`${name}: Elixir accepts, we reject with a ParseError: ${r.message}`);
    return;
  }
  const ours = readFileSync(r.out!, "utf8");
  if (ours !== theirLine) {
    let where = "";
    for (let i = 0; i < Math.min(ours.length, theirLine.length); i++) {
      if (ours[i] !== theirLine[i]) {
        where = `at offset ${i}: ours …${ours.slice(Math.max(0, i - 80), i + 80)}… elixir …${theirLine.slice(Math.max(0, i - 80), i + 80)}…`;
        break;
      }
    }
    expect.fail(`${name}: AST differs from Elixir's ${where || "(length)"}`);
  }
}

describe("hostile inputs: 100,000-deep nesting", () => {
  it.each(Object.keys(DEEP_CASES))(
    "%s",
    async (name) => {
      const run = await runChild(["deep", name], 120_000);
      const r = expectSane(run, name);
      console.log(
        `${name}: ${r.outcome} in ${r.ms.toFixed(0)} ms${r.message ? ` (${r.message})` : ""}`,
      );
      if (r.outcome === "ok" && withOracle) {
        // Only an accepted parse needs Elixir's AST (several seconds and ~2 GB per case).
        const oracle = new OracleStream();
        const line = await oracle.send("c", toBytes(DEEP_CASES[name]()));
        await oracle.close();
        expectLikeElixir(name, r, line, false);
      }
    },
    300_000,
  );
});

describe("hostile inputs: garbage, encodings, line ends, unterminated literals", () => {
  const names = Object.keys(SMALL_CASES);
  let run: ChildRun;
  let oracle: string[] | null = null;
  beforeAll(async () => {
    const stream = withOracle ? new OracleStream() : null;
    const lines = stream
      ? Promise.all(names.map((n) => stream.send("c", toBytes(SMALL_CASES[n]()))))
      : null;
    run = await runChild(["small", ...names], 120_000);
    oracle = lines ? await lines : null;
    await stream?.close();
  }, 300_000);

  it.each(names.map((n, i) => [n, i] as const))("%s", (name, i) => {
    const r = expectSane(run, name);
    if (oracle) expectLikeElixir(name, r, oracle[i], true);
  });
});

describe("hostile inputs: a 50 MB file", () => {
  it("parses 5 MB and 50 MB of modules with roughly linear time and memory", async () => {
    const small = await runChild(["huge", String(5_000_000)], 120_000, 12_288);
    const big = await runChild(["huge", String(50_000_000)], 600_000, 12_288);
    const s = expectSane(small, "huge 5000000");
    const b = expectSane(big, "huge 50000000");
    const line = (r: ChildResult) =>
      `${(r.bytes! / 1e6).toFixed(1)} MB: ${r.ms.toFixed(0)} ms, retained ${r.retainedMB!.toFixed(0)} MB, peak +${r.peakMB!.toFixed(0)} MB, ${r.nodes} nodes`;
    console.log(`huge: ${line(s)}\nhuge: ${line(b)}`);
    expect(s.outcome).toBe("ok");
    expect(b.outcome).toBe("ok");
    // The same module n times: a __block__ of n copies with the same node count each.
    const perCopy = (s.nodes! - 1) / s.copies!;
    expect(Number.isInteger(perCopy), "5 MB node count is a whole number of modules").toBe(true);
    expect(b.nodes).toBe(b.copies! * perCopy + 1);
    // Ten times the input: linear is 10x; these loose bounds only catch superlinear growth.
    const size = b.bytes! / s.bytes!;
    expect(b.ms / s.ms, "time ratio 50 MB / 5 MB").toBeLessThan(size * 4);
    expect(b.retainedMB! / s.retainedMB!, "retained memory ratio").toBeLessThan(size * 1.5);
  }, 900_000);
});
