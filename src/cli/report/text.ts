/**
 * The report of `elixirscope analyze` for people: counts, the most complex functions, behaviours
 * found, findings, dependency cycles and parse errors.
 * @packageDocumentation
 */
import { type AnalysisRun, RANKING_SIZE, rankFunctions } from "../../ast/population/run.js";
import { escapeControls } from "./escape.js";

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** How many of the most complex functions to list. Default 10. */
  top?: number;
  /** How many findings to list before summarising the rest. Default 50. */
  maxFindings?: number;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function lpad(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

function table(head: string[], rows: string[][], right: ReadonlySet<number>): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (right.has(i) ? lpad(c, widths[i]!) : pad(c, widths[i]!))).join("  ")}`.trimEnd();
  return [line(head), ...rows.map(line)];
}

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Renders the report as text (ends with a newline). Paths, names and messages come from the
 * analyzed tree: control characters in them are escaped, so each entry stays on its line.
 */
export function renderReport(run: AnalysisRun, options: ReportOptions = {}): string {
  const top = options.top ?? 10;
  const maxFindings = options.maxFindings ?? 50;
  const s = run.summary;
  const a = run.analysis;
  const out: string[] = [];
  out.push(`ElixirScope analysis of ${run.root}`);
  out.push("");
  const from = [`${s.parsed} parsed`, `${s.cached} from cache`];
  if (s.unchanged > 0) from.push(`${s.unchanged} unchanged`);
  out.push(`  files      ${s.files} (${from.join(", ")}; ${s.failed} failed to parse)`);
  out.push(`  modules    ${s.modules}`);
  out.push(`  functions  ${s.functions} (${s.clauses} clauses)`);
  out.push(`  calls      ${s.callEdges} edges between project functions`);
  out.push(
    `  time       ${ms(s.runMs)} (parse ${ms(s.parseMs)} on ${s.workers === 0 ? "the main thread" : plural(s.workers, "worker")}, analysis ${ms(s.analyzeMs)})`,
  );
  out.push(`  cache      ${s.cacheFile ?? "off"}`);

  // The stored ranking covers the usual `--top`; a longer list needs every module loaded.
  const complex =
    top <= RANKING_SIZE
      ? run.ranking.slice(0, top)
      : rankFunctions(run.repository.allModules(), top);
  out.push("", `Most complex functions (top ${complex.length})`);
  if (complex.length === 0) out.push("  none");
  else {
    out.push(
      ...table(
        ["cyclomatic", "cognitive", "nesting", "abc", "loc", "function", "location"],
        complex.map((fn) => [
          String(fn.metrics.cyclomatic),
          String(fn.metrics.cognitive),
          String(fn.metrics.nesting),
          fn.metrics.abc.toFixed(1),
          String(fn.metrics.loc),
          `${fn.module}.${fn.name}/${fn.arity}`,
          `${fn.file}:${fn.line}`,
        ]),
        new Set([0, 1, 2, 3, 4]),
      ),
    );
  }

  out.push("", `Behaviours and patterns (${a.patterns.length})`);
  if (a.patterns.length === 0) out.push("  none");
  else {
    const rows = [...a.patterns]
      .sort((x, y) =>
        x.pattern < y.pattern ? -1 : x.pattern > y.pattern ? 1 : x.module < y.module ? -1 : 1,
      )
      .map((p) => [
        p.pattern,
        p.module,
        p.evidence,
        p.missing.length > 0 ? `missing ${p.missing.join(", ")}` : "",
      ]);
    out.push(...table(["pattern", "module", "evidence", ""], rows, new Set()));
  }

  out.push("", `Findings (${a.findings.length})`);
  if (a.findings.length === 0) out.push("  none");
  const shown = a.findings.slice(0, maxFindings);
  for (const f of shown) {
    const what = f.function ? `${f.module}.${f.function}` : f.module;
    out.push(
      `  ${pad(f.severity, 7)}  ${pad(f.rule, 24)}  ${f.file}:${f.line}  ${what}: ${f.message}`,
    );
  }
  if (a.findings.length > shown.length) {
    out.push(`  ... and ${a.findings.length - shown.length} more (--json lists them all)`);
  }

  const cycles = a.moduleGraph.cycles;
  out.push("", `Dependency cycles (${cycles.length})`);
  if (cycles.length === 0) out.push("  none");
  for (const c of cycles)
    out.push(`  ${c.join(" -> ")}${c.length > 1 ? ` -> ${c[0]}` : " (self)"}`);

  const errors = run.files.filter((f) => f.error !== null);
  out.push("", `Parse errors (${errors.length})`);
  if (errors.length === 0) out.push("  none");
  for (const f of errors) {
    const e = f.error!;
    const where =
      e.line === null
        ? f.path
        : e.column === null
          ? `${f.path}:${e.line}`
          : `${f.path}:${e.line}:${e.column}`;
    out.push(`  ${where}  ${e.message.split("\n")[0]}`);
  }
  return `${out.map(escapeControls).join("\n")}\n`;
}
