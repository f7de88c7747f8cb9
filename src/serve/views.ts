/**
 * The API's answers, built from the live index: plain JSON views over the repository (always the
 * last committed state) and the project snapshot (with the version it was computed at).
 * @packageDocumentation
 */
import type { Finding, FunctionInfo, ModuleInfo } from "../ast/model.js";
import type { AstRepository, CallRef } from "../ast/repository/repository.js";
import { functionJson, moduleJson } from "../cli/report/json.js";
import type { ProjectSnapshot } from "./live-index.js";
import { apiError } from "./problem.js";

/** A module in a list. */
export interface ModuleSummary {
  name: string;
  kind: string;
  file: string;
  line: number;
  functions: number;
  behaviours: string[];
  cyclomaticMax: number;
}

function summary(m: ModuleInfo): ModuleSummary {
  return {
    name: m.name,
    kind: m.kind,
    file: m.file,
    line: m.line,
    functions: m.functions.length,
    behaviours: m.behaviours,
    cyclomaticMax: m.metrics.cyclomaticMax,
  };
}

/** Modules whose name starts with `prefix` (all when empty), sorted by name, paged. */
export function listModules(
  repo: AstRepository,
  q: { prefix?: string; limit: number; offset: number },
): { total: number; items: ModuleSummary[] } {
  const prefix = q.prefix ?? "";
  const names = [...repo.moduleNames()].filter((n) => n.startsWith(prefix)).sort();
  const items = names.slice(q.offset, q.offset + q.limit).map((n) => summary(repo.module(n)!));
  return { total: names.length, items };
}

/** A call edge with where the other end is defined, when the index knows it. */
export interface CallView {
  key: string;
  count: number;
  file: string | null;
  line: number | null;
}

function callViews(repo: AstRepository, refs: readonly CallRef[]): CallView[] {
  return refs
    .map((r) => {
      const at = repo.functionByKey(r.key)[0];
      return {
        key: r.key,
        count: r.count,
        file: at?.module.file ?? null,
        line: at?.function.line ?? null,
      };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A function in a module's list: the `analyze --json` shape with its key and a clause count. */
function functionRow(m: ModuleInfo, f: FunctionInfo) {
  return { key: `${m.name}.${f.name}/${f.arity}`, ...functionJson(f), clauses: f.clauses.length };
}

/** One module: its functions, behaviours, metrics, dependencies and findings. */
export function moduleDetail(repo: AstRepository, snapshot: ProjectSnapshot, name: string) {
  const m = repo.module(name);
  if (m === undefined) throw apiError("NOT_FOUND", `no module ${name}`, { module: name });
  // The `analyze --json` module shape (src/cli/report/json.ts), with keyed functions and findings.
  return {
    ...moduleJson(m),
    functions: m.functions.map((f) => functionRow(m, f)),
    findings: snapshot.analysis.findings.filter((x) => x.module === m.name),
    analysisVersion: snapshot.version,
  };
}

/** Splits `Module.name/arity` (the module may contain dots, the name may contain `/`... never). */
export function parseFunctionKey(key: string): { module: string; name: string; arity: number } {
  const m = /^(.+)\.([^./]+)\/(\d{1,3})$/.exec(key);
  if (m === null) {
    throw apiError("INVALID_ARGUMENT", `"${key.slice(0, 200)}" is not Module.name/arity`, {
      key: key.slice(0, 200),
    });
  }
  return { module: m[1]!, name: m[2]!, arity: Number(m[3]) };
}

/** One function: clauses, metrics, callers and callees (linked by key), source range. */
export function functionDetail(repo: AstRepository, key: string) {
  const { module, name, arity } = parseFunctionKey(key);
  const ref = repo.functions(module, name, arity)[0];
  if (ref === undefined) throw apiError("NOT_FOUND", `no function ${key}`, { function: key });
  const f = ref.function;
  // The `analyze --json` function shape (clauses included), with where it is and its calls.
  return {
    key: ref.key,
    module,
    ...functionJson(f),
    file: ref.module.file,
    range: { startLine: f.line, endLine: f.endLine },
    callers: callViews(repo, repo.callers(ref.key)),
    callees: callViews(repo, repo.callees(ref.key)),
  };
}

/** Findings, optionally of one rule or module, with counts by rule. */
export function findingsView(
  snapshot: ProjectSnapshot,
  q: { rule?: string; module?: string; limit: number; offset: number },
) {
  const byRule: Record<string, number> = {};
  for (const f of snapshot.analysis.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  const matching = snapshot.analysis.findings.filter(
    (f: Finding) =>
      (q.rule === undefined || f.rule === q.rule) &&
      (q.module === undefined || f.module === q.module),
  );
  return {
    version: snapshot.version,
    total: matching.length,
    byRule,
    items: matching.slice(q.offset, q.offset + q.limit),
  };
}

/** The module dependency graph with cycles, each node marked when it is on one. */
export function moduleGraphView(snapshot: ProjectSnapshot, repo: AstRepository) {
  const g = snapshot.analysis.moduleGraph;
  const onCycle = new Map<string, number>();
  g.cycles.forEach((c, i) => {
    for (const n of c) onCycle.set(n, i);
  });
  return {
    version: snapshot.version,
    nodes: g.nodes.map((id) => ({
      id,
      file: repo.module(id)?.file ?? null,
      cycle: onCycle.get(id) ?? null,
    })),
    edges: g.edges.map((e) => ({
      from: e.from,
      to: e.to,
      kinds: e.kinds,
      cyclic: onCycle.has(e.from) && onCycle.get(e.from) === onCycle.get(e.to),
    })),
    cycles: g.cycles,
  };
}

/** Counts, the most complex functions and findings by rule. */
export function overview(repo: AstRepository, snapshot: ProjectSnapshot, indexVersion: number) {
  const stats = repo.stats();
  const byRule: Record<string, number> = {};
  for (const f of snapshot.analysis.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  return {
    version: indexVersion,
    analysisVersion: snapshot.version,
    counts: {
      files: stats.files,
      failedFiles: stats.failedFiles,
      modules: stats.modules,
      functions: stats.functions,
      clauses: stats.clauses,
      findings: snapshot.analysis.findings.length,
      cycles: snapshot.analysis.moduleGraph.cycles.length,
    },
    mostComplex: snapshot.ranking.slice(0, 20).map((r) => ({
      key: `${r.module}.${r.name}/${r.arity}`,
      file: r.file,
      line: r.line,
      cyclomatic: r.metrics.cyclomatic,
      cognitive: r.metrics.cognitive,
    })),
    findingsByRule: byRule,
  };
}
