/**
 * Worker thread of the fuzzer: runs our parser on each mutant it is sent, in order, and posts
 * one result per mutant. A separate thread (not process) so that a hang is detected by the main
 * thread's watchdog and ends the worker instead of the test run.
 */
import { parentPort } from "node:worker_threads";
import { type ElixirVersion, ParseError, parse } from "../../../../src/ast/parser/index.js";
import { fileResultLine } from "../../../../src/ast/term-json.js";

/** What the main thread sends: mutants to parse, in order. */
export interface ParseJob {
  id: number;
  source: string;
  elixir: ElixirVersion;
}

/** What our parser did with one mutant. */
export type OurOutcome =
  /** `line`: our result in the oracle's exact line format, labelled with the job id. */
  | { kind: "ok"; line: string }
  | { kind: "error"; line: number; column: number | null; message: string }
  | { kind: "crash"; detail: string }
  | { kind: "hang" };

/** One posted result; `ms` is the parse alone (not the encoding for comparison). */
export interface ParseJobResult {
  id: number;
  ms: number;
  outcome: OurOutcome;
}

/**
 * The parser reports an unexpected exception of its own (a bug, e.g. a TypeError) as a
 * ParseError whose message starts "internal parser error"; for the fuzzer that is a crash.
 */
export function isInternalError(e: ParseError): boolean {
  return e.message.includes("internal parser error");
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}\n${e.stack ?? ""}`.slice(0, 2000);
  return `non-Error thrown: ${String(e)}`.slice(0, 2000);
}

function run(job: ParseJob): ParseJobResult {
  const t0 = performance.now();
  let result: ReturnType<typeof parse>;
  try {
    result = parse(job.source, { elixir: job.elixir });
  } catch (e) {
    const ms = performance.now() - t0;
    if (!(e instanceof ParseError))
      return { id: job.id, ms, outcome: { kind: "crash", detail: describe(e) } };
    if (!Number.isInteger(e.line) || e.line < 1) {
      const detail = `ParseError without a valid line (line=${e.line}): ${e.message}`;
      return { id: job.id, ms, outcome: { kind: "crash", detail } };
    }
    return {
      id: job.id,
      ms,
      outcome: { kind: "error", line: e.line, column: e.column, message: e.description },
    };
  }
  const ms = performance.now() - t0;
  try {
    const line = fileResultLine(String(job.id), result);
    return { id: job.id, ms, outcome: { kind: "ok", line } };
  } catch (e) {
    return {
      id: job.id,
      ms,
      outcome: { kind: "crash", detail: `encoding our AST: ${describe(e)}` },
    };
  }
}

const port = parentPort;
if (port) {
  port.on("message", (jobs: ParseJob[]) => {
    for (const job of jobs) port.postMessage(run(job));
  });
  port.postMessage("ready");
}
