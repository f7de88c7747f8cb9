/**
 * The Elixir side of the differential tests: finding `elixir` and the corpus, and running
 * `tools/oracle/quoted.exs` either over files (one process) or as a long-lived stream of framed
 * sources (one process for thousands of mutants).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import type { ElixirVersion } from "../../../../src/ast/parser/index.js";
import type { FileResultJson } from "../../../../src/ast/term-json.js";
import {
  CORPUS,
  CORPUS_DIR,
  ELIXIR,
  ELIXIR_1_18_BIN,
  hasElixir as elixirRuns,
  hasCorpus,
  ROOT,
} from "../../../support/prerequisites.js";

export { CORPUS_DIR, ROOT };

/**
 * True when an `elixir` executable runs: for the benchmarks and tools/fuzz-report.ts. Tests skip
 * or fail through `skipUnlessAvailable` (test/support/prerequisites.ts) instead.
 */
export const hasElixir: boolean = elixirRuns();

/** Why the differential runs cannot run, or `null` (for tools/fuzz-report.ts). */
export const skipReason: string | null = !hasElixir
  ? `missing ${ELIXIR}`
  : !hasCorpus()
    ? `missing ${CORPUS}`
    : null;
/** The oracle script, as an absolute path. */
export const ORACLE = join(ROOT, "tools/oracle/quoted.exs");

/**
 * The `elixir` executable of each target: Debian's 1.14 on PATH, and the 1.18.4 that
 * scripts/build-oracles.sh builds outside the repository.
 */
export function elixirBin(version: ElixirVersion): string {
  return version === "1.14" ? "elixir" : ELIXIR_1_18_BIN;
}

/** Every `.ex`/`.exs` file under `root` (skipping `_build`), relative to `root`, sorted. */
export function sourceFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (name !== "_build") walk(p);
      } else if (name.endsWith(".ex") || name.endsWith(".exs")) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/** Every `.ex`/`.exs` file of the corpus, relative to the repository root, sorted. */
export function corpusFiles(): string[] {
  return sourceFiles(CORPUS_DIR).map((f) => relative(ROOT, join(CORPUS_DIR, f)));
}

/**
 * Runs the oracle over `files` (paths relative to the repository root) in one Elixir process and
 * returns its output lines, raw, in order (one per file, labelled with the path as given).
 * The sources go through `--stdin` framing, the same path the fuzzer streams mutants through.
 */
export async function oracleLinesForFiles(
  files: readonly string[],
  version: ElixirVersion = "1.14",
  root: string = ROOT,
): Promise<string[]> {
  const oracle = new OracleStream(version);
  try {
    return await Promise.all(
      files.map((file) => oracle.send(file, readFileSync(join(root, file)))),
    );
  } finally {
    await oracle.close();
  }
}

/**
 * One long-lived `quoted.exs --stdin` process. {@link OracleStream.send} frames a source and
 * resolves to its raw output line; results come back in order, so requests are pipelined while
 * the caller does other work (our parser on the other core).
 */
export class OracleStream {
  readonly #child;
  readonly #waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  #stderr = "";
  #closed: Error | null = null;

  /** Starts the oracle of `version` (default 1.14, the Elixir on PATH). */
  constructor(version: ElixirVersion = "1.14") {
    this.#child = spawn(elixirBin(version), [ORACLE, "--stdin"], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.#child.stderr.setEncoding("utf8").on("data", (s: string) => {
      this.#stderr += s;
    });
    // A mutant can be a megabyte-long AST line; readline handles any length.
    const rl = createInterface({ input: this.#child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    rl.on("line", (line) => {
      const w = this.#waiting.shift();
      if (w) w.resolve(line);
    });
    this.#child.on("close", (code) => {
      this.#closed = new Error(`oracle stream exited ${code}: ${this.#stderr.slice(0, 2000)}`);
      for (const w of this.#waiting.splice(0)) w.reject(this.#closed);
    });
    this.#child.stdin.on("error", () => {
      // EPIPE after the process died; the close handler reports it.
    });
  }

  /** Sends one source (its exact bytes) under `label`; resolves to the oracle's JSON line. */
  send(label: string, source: Uint8Array): Promise<string> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (label.includes("\n")) throw new Error("oracle labels cannot contain newlines");
    const p = new Promise<string>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#child.stdin.write(`${label}\n${source.byteLength}\n`);
    this.#child.stdin.write(source);
    this.#child.stdin.write("\n");
    return p;
  }

  /** Closes stdin and waits for the process to exit. */
  async close(): Promise<void> {
    if (this.#closed) return;
    const done = new Promise<void>((res) => this.#child.once("close", () => res()));
    this.#child.stdin.end();
    await done;
  }
}

/** Parses one oracle output line. */
export function parseOracleLine(line: string): FileResultJson {
  return JSON.parse(line) as FileResultJson;
}
