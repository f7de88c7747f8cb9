/**
 * The differential mutation fuzzer, shared by test/ast/parser/fuzz.test.ts and
 * tools/fuzz-report.ts: builds seeded mutants of corpus files, parses each with Elixir (one
 * streaming oracle process of the target version) and with our parser (one worker thread,
 * watched for hangs), and compares accept/reject, the AST and comments where both accept, and
 * the error's line, column and message where both reject.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { ElixirVersion } from "../../../../src/ast/parser/index.js";
import { type FileResultJson, firstDifference } from "../../../../src/ast/term-json.js";
import type { OurOutcome, ParseJob, ParseJobResult } from "./fuzz-worker.js";
import {
  MUTATION_OPS,
  type Mutant,
  type MutationOp,
  makeMutant,
  type SourceFile,
} from "./mutate.js";
import { corpusFiles, OracleStream, parseOracleLine, ROOT } from "./oracle.js";

/** Why a mutant counts against agreement. */
export const DISAGREEMENT_KINDS = [
  "crash",
  "hang",
  "slow",
  "we-reject",
  "we-accept",
  "ast",
  "comments",
  "error-line",
  "error-column",
  "error-message",
] as const;

/** One kind of disagreement; `crash`, `hang` and `slow` are failures whatever the rate. */
export type DisagreementKind = (typeof DISAGREEMENT_KINDS)[number];

/** A mutant on which our parser and Elixir disagree. */
export interface Disagreement {
  kind: DisagreementKind;
  mutant: Omit<Mutant, "slice" | "source">;
  elixir: string;
  ours: string;
  ms: number;
}

/** Settings of one fuzz run. */
export interface FuzzConfig {
  /** The Elixir both parsers follow: our `elixir` option and the oracle run. */
  elixir: ElixirVersion;
  seed: number;
  mutants: number;
  files: readonly SourceFile[];
  /** A parse slower than this (ms) is a `slow` disagreement. Default 2000. */
  slowMs?: number;
  /** No answer from the worker for this long (ms) ends it as a `hang`. Default 15000. */
  hangMs?: number;
  /** How many disagreements to keep as examples. Default 10. */
  examples?: number;
  /** Called every 1000 mutants. */
  onProgress?: (done: number, total: number) => void;
}

/** The outcome of a fuzz run. */
export interface FuzzReport {
  elixir: ElixirVersion;
  seed: number;
  total: number;
  agreed: number;
  bothAccept: number;
  bothReject: number;
  /** Both reject but Elixir gives no line, so the error-line criterion does not apply. */
  elixirNoLine: number;
  kinds: Record<DisagreementKind, number>;
  byOp: Record<MutationOp, { total: number; disagreed: number }>;
  examples: Disagreement[];
  /** Every crash, hang and slow parse (up to 100). */
  failures: Disagreement[];
  maxParseMs: number;
  ourParseMs: number;
  elapsedMs: number;
}

/** Reads the corpus (or `paths`) as fuzzer sources. */
export function loadSources(paths: readonly string[] = corpusFiles()): SourceFile[] {
  return paths.map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") }));
}

const workerUrl = new URL("./fuzz-worker.ts", import.meta.url).href;

/**
 * Starts the parse worker. Its entry is TypeScript, so it registers tsx first (a worker does not
 * inherit the test runner's transform); resolves once the worker is listening.
 */
async function startWorker(): Promise<Worker> {
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); });`;
  const worker = new Worker(boot, { eval: true });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (m === "ready") {
        worker.off("error", reject);
        worker.off("message", onMessage);
        resolve();
      }
    };
    worker.on("message", onMessage);
    worker.once("error", reject);
  });
  return worker;
}

/** Runs our parser on jobs in a worker, in order; a job with no answer for `hangMs` is a hang. */
class WatchedParser {
  #worker: Worker | null = null;
  readonly #pending = new Map<number, { job: ParseJob; resolve: (r: ParseJobResult) => void }>();
  #lastActivity = performance.now();
  #timer: NodeJS.Timeout | null = null;
  #restarting: Promise<void> | null = null;

  constructor(private readonly hangMs: number) {}

  async start(): Promise<void> {
    this.#attach(await startWorker());
    this.#timer = setInterval(() => this.#watch(), Math.min(500, this.hangMs / 4));
  }

  #attach(worker: Worker): void {
    this.#worker = worker;
    worker.on("message", (m: ParseJobResult | "ready") => {
      if (m === "ready") return;
      this.#lastActivity = performance.now();
      const p = this.#pending.get(m.id);
      if (p) {
        this.#pending.delete(m.id);
        p.resolve(m);
      }
    });
    worker.on("error", (e) => {
      // An uncaught error inside the worker (not the parser's throw, which is caught there).
      this.#failOldest({ kind: "crash", detail: `worker died: ${e.message}` }, 0);
    });
  }

  parse(jobs: ParseJob[]): Promise<ParseJobResult>[] {
    if (this.#pending.size === 0) this.#lastActivity = performance.now();
    const out = jobs.map(
      (job) =>
        new Promise<ParseJobResult>((resolve) => this.#pending.set(job.id, { job, resolve })),
    );
    if (!this.#restarting) this.#worker?.postMessage(jobs);
    return out;
  }

  #watch(): void {
    if (this.#restarting || this.#pending.size === 0) return;
    const idle = performance.now() - this.#lastActivity;
    if (idle > this.hangMs) this.#failOldest({ kind: "hang" }, idle);
  }

  /** Resolves the oldest pending job with `outcome`, restarts the worker, and resends the rest. */
  #failOldest(outcome: OurOutcome, ms: number): void {
    const first = this.#pending.entries().next();
    if (first.done || this.#restarting) return;
    const [id, p] = first.value;
    this.#pending.delete(id);
    p.resolve({ id, ms, outcome });
    const old = this.#worker;
    this.#worker = null;
    this.#restarting = (async () => {
      await old?.terminate();
      this.#attach(await startWorker());
      this.#lastActivity = performance.now();
      this.#restarting = null;
      const rest = [...this.#pending.values()].map((v) => v.job);
      if (rest.length) this.#worker?.postMessage(rest);
    })();
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#restarting;
    await this.#worker?.terminate();
  }
}

function elixirSummary(r: FileResultJson): string {
  return "ok" in r ? "accepts" : `rejects ${r.error.line}:${r.error.column}: ${r.error.message}`;
}

function ourSummary(o: OurOutcome): string {
  switch (o.kind) {
    case "ok":
      return "accepts";
    case "error":
      return `rejects ${o.line}:${o.column}: ${o.message}`;
    case "crash":
      return `CRASH ${o.detail}`;
    case "hang":
      return "HANG (no answer; worker terminated)";
  }
}

/** Compares one mutant's results; `null` when they agree on every applicable criterion. */
function compare(
  theirLine: string,
  ours: ParseJobResult,
  slowMs: number,
): { kind: DisagreementKind; elixir: string; ours: string } | "no-line" | null {
  const o = ours.outcome;
  // Identical lines (the common case) need no decoding: same AST, same comments.
  if (o.kind === "ok" && ours.ms <= slowMs && o.line === theirLine) return null;
  const theirs = parseOracleLine(theirLine);
  const elixir = elixirSummary(theirs);
  const mine = ourSummary(o);
  if (o.kind === "crash" || o.kind === "hang") return { kind: o.kind, elixir, ours: mine };
  if (ours.ms > slowMs) {
    return { kind: "slow", elixir, ours: `${mine} after ${ours.ms.toFixed(0)} ms` };
  }
  if ("ok" in theirs) {
    if (o.kind === "error") return { kind: "we-reject", elixir, ours: mine };
    const j = parseOracleLine(o.line);
    if (!("ok" in j)) throw new Error("our oracle line is not an accepted parse");
    const astDiff = firstDifference(j.ok, theirs.ok, "ok");
    if (astDiff) return { kind: "ast", elixir, ours: `differs at ${astDiff}` };
    const cDiff = firstDifference(j.comments, theirs.comments, "comments");
    if (cDiff) return { kind: "comments", elixir, ours: `differs at ${cDiff}` };
    // Same terms, different text: only float spelling can do that; not a parser difference.
    return null;
  }
  if (o.kind === "ok") return { kind: "we-accept", elixir, ours: mine };
  if (theirs.error.line === null) return "no-line";
  if (theirs.error.line !== o.line) return { kind: "error-line", elixir, ours: mine };
  if (theirs.error.column !== o.column) return { kind: "error-column", elixir, ours: mine };
  if (theirs.error.message !== o.message) return { kind: "error-message", elixir, ours: mine };
  return null;
}

/** Runs the fuzzer: `config.mutants` mutants, both parsers, every comparison. */
export async function runFuzz(config: FuzzConfig): Promise<FuzzReport> {
  const started = performance.now();
  const slowMs = config.slowMs ?? 2000;
  const keep = config.examples ?? 10;
  const report: FuzzReport = {
    elixir: config.elixir,
    seed: config.seed,
    total: 0,
    agreed: 0,
    bothAccept: 0,
    bothReject: 0,
    elixirNoLine: 0,
    kinds: Object.fromEntries(DISAGREEMENT_KINDS.map((k) => [k, 0])) as FuzzReport["kinds"],
    byOp: Object.fromEntries(
      MUTATION_OPS.map((op) => [op, { total: 0, disagreed: 0 }]),
    ) as FuzzReport["byOp"],
    examples: [],
    failures: [],
    maxParseMs: 0,
    ourParseMs: 0,
    elapsedMs: 0,
  };
  const oracle = new OracleStream(config.elixir);
  const ours = new WatchedParser(config.hangMs ?? 15_000);
  await ours.start();
  const BATCH = 100;
  // Mutants in flight on both sides; bounded so memory stays small at any mutant count.
  const inflight: Promise<void>[] = [];
  try {
    for (let base = 0; base < config.mutants; base += BATCH) {
      const batch: Mutant[] = [];
      for (let i = base; i < Math.min(config.mutants, base + BATCH); i++) {
        batch.push(makeMutant(config.files, config.seed, i));
      }
      const ourResults = ours.parse(
        batch.map((m) => ({ id: m.index, source: m.source, elixir: config.elixir })),
      );
      const work = batch.map(async (m, k) => {
        const line = await oracle.send(String(m.index), Buffer.from(m.source, "utf8"));
        const mine = await ourResults[k];
        const verdict = compare(line, mine, slowMs);
        report.total++;
        report.byOp[m.op].total++;
        report.maxParseMs = Math.max(report.maxParseMs, mine.ms);
        report.ourParseMs += mine.ms;
        if (verdict === null || verdict === "no-line") {
          report.agreed++;
          if (verdict === "no-line") report.elixirNoLine++;
          if (mine.outcome.kind === "ok") report.bothAccept++;
          else report.bothReject++;
          return;
        }
        report.kinds[verdict.kind]++;
        report.byOp[m.op].disagreed++;
        const { slice: _s, source: _src, ...mutant } = m;
        const d: Disagreement = { ...verdict, mutant, ms: mine.ms };
        if (report.examples.length < keep) report.examples.push(d);
        const hard = d.kind === "crash" || d.kind === "hang" || d.kind === "slow";
        if (hard && report.failures.length < 100) report.failures.push(d);
      });
      inflight.push(Promise.all(work).then(() => undefined));
      if (inflight.length >= 4) await inflight.shift();
      if (config.onProgress && (base + BATCH) % 1000 === 0) {
        config.onProgress(base + BATCH, config.mutants);
      }
    }
    await Promise.all(inflight);
  } finally {
    await ours.close();
    await oracle.close();
  }
  // Examples in mutant order, whatever order the batches completed in.
  report.examples.sort((a, b) => a.mutant.index - b.mutant.index);
  report.elapsedMs = performance.now() - started;
  return report;
}

function oneLine(s: string): string {
  const flat = s.replace(/\s*\n\s*/g, " ");
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/** The report as text: rate, counts per kind and per operator, and the first disagreements. */
export function formatReport(r: FuzzReport): string {
  const pct = r.total ? (100 * r.agreed) / r.total : 0;
  const kinds = DISAGREEMENT_KINDS.filter((k) => r.kinds[k] > 0)
    .map((k) => `${k} ${r.kinds[k]}`)
    .join(", ");
  const ops = MUTATION_OPS.map((op) => `${op} ${r.byOp[op].disagreed}/${r.byOp[op].total}`).join(
    ", ",
  );
  const lines = [
    `fuzz: elixir=${r.elixir} seed=${r.seed} mutants=${r.total} agreement=${pct.toFixed(3)}% (${r.agreed}/${r.total}) in ${(r.elapsedMs / 1000).toFixed(1)} s`,
    `  agreeing: both accept ${r.bothAccept}, both reject ${r.bothReject} (Elixir gave no line for ${r.elixirNoLine})`,
    `  disagreements: ${kinds || "none"}`,
    `  disagreements per operator: ${ops}`,
    `  our parse time: total ${r.ourParseMs.toFixed(0)} ms, slowest mutant ${r.maxParseMs.toFixed(1)} ms`,
  ];
  if (r.examples.length) lines.push(`  first ${r.examples.length} disagreeing mutants:`);
  for (const d of r.examples) {
    const m = d.mutant;
    lines.push(
      `  #${m.index} (mutant seed ${m.seed}) [${d.kind}] ${m.file}:${m.firstLine}-${m.lastLine} ${m.description}`,
      `      elixir: ${oneLine(d.elixir)}`,
      `      ours:   ${oneLine(d.ours)}`,
    );
  }
  return lines.join("\n");
}
