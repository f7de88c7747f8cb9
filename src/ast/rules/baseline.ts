/**
 * Baselines: the fingerprints of accepted findings, so that `check` fails only on new ones.
 * Written atomically (a temp file renamed over the old one), so a crash never leaves half a
 * baseline.
 * @packageDocumentation
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";

/** A finding as the baseline keeps it. */
export interface BaselineEntry {
  rule: string;
  file: string;
  fingerprint: string;
}

/** The baseline file's document. */
export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

/** The baseline of `findings`. */
export function makeBaseline(findings: readonly BaselineEntry[]): Baseline {
  return {
    version: 1,
    findings: findings.map((f) => ({ rule: f.rule, file: f.file, fingerprint: f.fingerprint })),
  };
}

/** Writes a baseline atomically. */
export function writeBaseline(path: string, findings: readonly BaselineEntry[]): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(makeBaseline(findings), null, 2)}\n`);
  renameSync(tmp, path);
}

/**
 * Reads a baseline.
 * @throws {Error} naming the file when it is missing or not a baseline.
 */
export function readBaseline(path: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`cannot read baseline ${path}: ${(e as Error).message}`);
  }
  const b = doc as Baseline;
  if (b === null || typeof b !== "object" || b.version !== 1 || !Array.isArray(b.findings)) {
    throw new Error(`${path} is not an elixirscope baseline (version 1)`);
  }
  for (const [i, f] of b.findings.entries()) {
    if (
      typeof f?.rule !== "string" ||
      typeof f.file !== "string" ||
      typeof f.fingerprint !== "string"
    ) {
      throw new Error(`${path}: findings[${i}] needs rule, file and fingerprint strings`);
    }
  }
  return b;
}

/** Findings not in the baseline (each baseline entry absorbs one finding with its fingerprint). */
export function newFindings<T extends BaselineEntry>(
  findings: readonly T[],
  baseline: Baseline,
): T[] {
  const left = new Map<string, number>();
  for (const f of baseline.findings) left.set(f.fingerprint, (left.get(f.fingerprint) ?? 0) + 1);
  return findings.filter((f) => {
    const n = left.get(f.fingerprint) ?? 0;
    if (n === 0) return true;
    left.set(f.fingerprint, n - 1);
    return false;
  });
}
