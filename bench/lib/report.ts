/**
 * Shared benchmark harness: a tight-loop timer (no per-iteration clock reads, so nanosecond-scale
 * operations are measured fairly) and one report printer. `--json` prints one JSON object per
 * line; otherwise an aligned table.
 */

export interface BenchResult {
  /** Group, e.g. "registry lookup". */
  group: string;
  /** Who was measured, e.g. "elixirscope" or "raw Map". */
  name: string;
  /** Operations per second (mean over the measured rounds). */
  opsPerSec: number;
  /** Mean cost of one operation, in ns. */
  nsPerOp: number;
  /** Relative standard deviation of the per-round cost, percent. */
  rmePct: number;
  /** Operations measured in total. */
  ops: number;
  /** Free-form notes (targets, ratios). */
  note?: string;
}

export interface MeasureOptions {
  /** Operations per round (each call to fn is `batch` operations). Default 1. */
  batch?: number;
  /** Minimum time per round, in ms. Default 50. */
  roundMs?: number;
  /** Rounds measured after warm-up. Default 10. */
  rounds?: number;
  /** Warm-up time in ms. Default 100. */
  warmupMs?: number;
}

type Fn = () => unknown;
type AsyncFn = () => Promise<unknown>;

function summarise(group: string, name: string, perOpNs: number[], ops: number): BenchResult {
  const mean = perOpNs.reduce((a, b) => a + b, 0) / perOpNs.length;
  const sd = Math.sqrt(perOpNs.reduce((a, b) => a + (b - mean) ** 2, 0) / perOpNs.length);
  return { group, name, nsPerOp: mean, opsPerSec: 1e9 / mean, rmePct: (sd / mean) * 100, ops };
}

/** Measures a synchronous operation in a tight loop. */
export function measureSync(
  group: string,
  name: string,
  fn: Fn,
  o: MeasureOptions = {},
): BenchResult {
  const batch = o.batch ?? 1;
  const roundMs = o.roundMs ?? 50;
  const rounds = o.rounds ?? 10;
  // Warm up and find how many iterations fill a round.
  let iters = 1;
  const warmEnd = performance.now() + (o.warmupMs ?? 100);
  while (performance.now() < warmEnd) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn();
    const dt = performance.now() - t0;
    if (dt < roundMs / 4) iters *= 2;
  }
  const perOp: number[] = [];
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn();
    const dt = performance.now() - t0;
    perOp.push((dt * 1e6) / (iters * batch));
    total += iters * batch;
    if (dt < roundMs / 2) iters *= 2;
  }
  return summarise(group, name, perOp, total);
}

/** Measures an async operation, awaited one at a time in a loop. */
export async function measureAsync(
  group: string,
  name: string,
  fn: AsyncFn,
  o: MeasureOptions = {},
): Promise<BenchResult> {
  const batch = o.batch ?? 1;
  const roundMs = o.roundMs ?? 50;
  const rounds = o.rounds ?? 10;
  let iters = 1;
  const warmEnd = performance.now() + (o.warmupMs ?? 100);
  while (performance.now() < warmEnd) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) await fn();
    const dt = performance.now() - t0;
    if (dt < roundMs / 4) iters *= 2;
  }
  const perOp: number[] = [];
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) await fn();
    const dt = performance.now() - t0;
    perOp.push((dt * 1e6) / (iters * batch));
    total += iters * batch;
    if (dt < roundMs / 2) iters *= 2;
  }
  return summarise(group, name, perOp, total);
}

export const jsonOutput = process.argv.includes("--json");

function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

function fmtOps(ops: number): string {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)} M/s`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(1)} k/s`;
  return `${ops.toFixed(0)} /s`;
}

/** Prints results: JSON lines with --json, else one aligned table. */
export function report(results: readonly BenchResult[], title?: string): void {
  if (jsonOutput) {
    for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const head = ["group", "name", "ops/s", "per op", "±%", "note"];
  const rows = results.map((r) => [
    r.group,
    r.name,
    fmtOps(r.opsPerSec),
    fmtNs(r.nsPerOp),
    r.rmePct.toFixed(1),
    r.note ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ");
  if (title) process.stdout.write(`\n${title}\n`);
  process.stdout.write(`${line(head)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

/** `a` relative to `b` as a ratio of throughputs (a.opsPerSec / b.opsPerSec). */
export function ratio(a: BenchResult, b: BenchResult): number {
  return a.opsPerSec / b.opsPerSec;
}
