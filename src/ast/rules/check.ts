/**
 * `check`: every rule over every file of a project, plus the project-level analysis findings the
 * rules do not re-express, with inline suppressions applied and a stable fingerprint per finding
 * (for baselines).
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ClauseMetrics, Finding } from "../model.js";
import { type ElixirVersion, ParseError, parse } from "../parser/index.js";
import { type AnalyzeRootOptions, analyzeRoot } from "../population/run.js";
import type { AstRepository } from "../repository/repository.js";
import type { SearchError } from "../search/source.js";
import { applyRules, type MetricsLookup, type RuleFinding, suppress } from "./apply.js";
import { REEXPRESSED } from "./builtin.js";
import { builtinRules, loadRuleDir, mergeRules } from "./load.js";
import type { Rule, Severity } from "./rule.js";

/** A finding of `check`, with a fingerprint that survives edits elsewhere in the file. */
export interface CheckFinding extends RuleFinding {
  fingerprint: string;
}

/** Options of {@link check}. */
export interface CheckOptions {
  /** A directory of rule files, added to (and overriding) the built-in rules. */
  rules?: string;
  /** Include the built-in rules (default true). */
  builtin?: boolean;
  /** The analysis cache (as in {@link AnalyzeRootOptions}); `false` runs cold. */
  cache?: string | false;
  /**
   * The Elixir version whose syntax rule patterns and files are parsed as for the rules
   * (default 1.18). The analysis findings come from the population, which parses as its default.
   */
  elixir?: ElixirVersion;
}

/** What {@link check} found. Paths are relative to `root`. */
export interface CheckResult {
  root: string;
  findings: CheckFinding[];
  rules: Rule[];
  files: number;
  errors: SearchError[];
  suppressed: number;
}

/**
 * Metrics for `where` constraints: the function's (complexity the maximum over its clauses, loc
 * their sum, as the analysis reports them), at its first clause only, so that a rule reports a
 * function once, where the analysis would.
 */
function metricsLookup(repo: AstRepository): MetricsLookup {
  return (module, fn, line) => {
    const slash = fn.lastIndexOf("/");
    const refs = repo.functions(module, fn.slice(0, slash), Number(fn.slice(slash + 1)));
    for (const ref of refs)
      if (ref.function.line === line) return ref.function.metrics as ClauseMetrics;
    return null;
  };
}

function analysisFinding(f: Finding, source: string): RuleFinding {
  const lineText = source.split("\n")[f.line - 1] ?? "";
  return {
    rule: f.rule,
    severity: f.severity as Severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: lineText.length - lineText.trimStart().length + 1,
    endLine: f.line,
    endColumn: [...lineText].length + 1,
    module: f.module,
    function: f.function,
    docs: "docs/ANALYSIS.md",
  };
}

/** Fingerprints: rule, file, the trimmed text of the finding's line, and its occurrence. */
function fingerprint(findings: readonly RuleFinding[], source: string): CheckFinding[] {
  const lines = source.split("\n");
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const basis = `${f.rule}\0${f.file}\0${(lines[f.line - 1] ?? "").trim()}`;
    const n = seen.get(basis) ?? 0;
    seen.set(basis, n + 1);
    const fp = createHash("sha256").update(`${basis}\0${n}`).digest("hex").slice(0, 32);
    return { ...f, fingerprint: fp };
  });
}

function byPlace(a: RuleFinding, b: RuleFinding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

/**
 * Runs the rules (built-in, plus those in `options.rules`) and the project analysis over
 * `root`.
 * @throws {RuleError} for an invalid rule file.
 */
export async function check(root: string, options: CheckOptions = {}): Promise<CheckResult> {
  const rules = mergeRules(
    options.builtin === false ? [] : builtinRules(options.elixir),
    options.rules === undefined ? [] : loadRuleDir(options.rules, options.elixir),
  );
  // The analysis parses the files with the same Elixir syntax as the rules do.
  const analyzeOptions: AnalyzeRootOptions = {};
  if (options.cache !== undefined) analyzeOptions.cache = options.cache;
  if (options.elixir !== undefined) analyzeOptions.elixir = options.elixir;
  const run = await analyzeRoot(root, analyzeOptions);
  const metrics = metricsLookup(run.repository);
  const projectFindings = new Map<string, Finding[]>();
  for (const f of run.analysis.findings) {
    if (REEXPRESSED.has(f.rule) && options.builtin !== false) continue;
    const list = projectFindings.get(f.file);
    if (list === undefined) projectFindings.set(f.file, [f]);
    else list.push(f);
  }
  const findings: CheckFinding[] = [];
  const errors: SearchError[] = [];
  let suppressed = 0;
  for (const rec of run.files) {
    let source: string;
    try {
      source = readFileSync(join(run.root, rec.path), "utf8");
    } catch (e) {
      errors.push({
        file: rec.path,
        line: null,
        column: null,
        message: `cannot read: ${(e as Error).message}`,
      });
      continue;
    }
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(source, { file: rec.path, elixir: options.elixir });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      errors.push({ file: rec.path, line: e.line, column: e.column, message: e.description });
      continue;
    }
    const raw = applyRules(rules, rec.path, source, parsed.ast, metrics);
    for (const f of projectFindings.get(rec.path) ?? []) raw.push(analysisFinding(f, source));
    raw.sort(byPlace);
    const { kept, suppressed: n } = suppress(raw, parsed.comments);
    suppressed += n;
    findings.push(...fingerprint(kept, source));
  }
  findings.sort(byPlace);
  return { root: run.root, findings, rules, files: run.files.length, errors, suppressed };
}
