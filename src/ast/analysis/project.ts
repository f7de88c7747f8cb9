/**
 * Project-level analysis over many {@link FileExtraction}s: call resolution across modules, the
 * call graph, the module dependency graph with its cycles, patterns and findings.
 *
 * Entry point: {@link analyzeProject}. Pure and deterministic: the same extractions (in any
 * order) and options give the same result.
 * @packageDocumentation
 */
import type {
  CallEdge,
  CallGraph,
  CallInfo,
  DependencyKind,
  FileExtraction,
  FunctionInfo,
  ModuleEdge,
  ModuleGraph,
  ModuleInfo,
  ProjectAnalysis,
} from "../model.js";
import { functionKey } from "../model.js";
import { cyclesOf } from "./graph.js";
import { findPatterns, knownCallbacks } from "./patterns.js";
import { computeFindings } from "./rules.js";

/** Thresholds of the findings; each defaults to the value documented in docs/ANALYSIS.md. */
export interface AnalysisOptions {
  /** `long-function`: a function whose clauses span more lines than this (default 50). */
  maxFunctionLines?: number;
  /** `deep-nesting`: Credo nesting above this (default 2, Credo's `max_nesting`). */
  maxNesting?: number;
  /** `many-parameters`: arity above this (default 8, Credo's `max_arity`). */
  maxArity?: number;
}

const DEFAULTS: Required<AnalysisOptions> = { maxFunctionLines: 50, maxNesting: 2, maxArity: 8 };

/** Validates options: unknown keys and non-positive-integer values are errors. */
export function resolveOptions(options: AnalysisOptions = {}): Required<AnalysisOptions> {
  const out = { ...DEFAULTS };
  for (const [k, v] of Object.entries(options)) {
    if (!(k in DEFAULTS)) throw new TypeError(`analyzeProject: unknown option "${k}"`);
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw new TypeError(
        `analyzeProject: option "${k}" must be a non-negative integer, got ${String(v)}`,
      );
    }
    out[k as keyof AnalysisOptions] = v;
  }
  return out;
}

/**
 * Index of the project's functions, merged by module name (a module may be defined twice). Each
 * function keeps its key: the call graph uses that one string for every call that reaches the
 * function, rather than the string each lookup builds (at 40,000 modules, a million of them).
 */
interface Index {
  modules: Map<string, ModuleInfo[]>;
  functions: Map<string, { module: ModuleInfo; fn: FunctionInfo; key: string }>;
}

function buildIndex(files: readonly FileExtraction[]): Index {
  const modules = new Map<string, ModuleInfo[]>();
  const functions = new Map<string, { module: ModuleInfo; fn: FunctionInfo; key: string }>();
  for (const f of files) {
    for (const m of f.modules) {
      const list = modules.get(m.name);
      if (list === undefined) modules.set(m.name, [m]);
      else list.push(m);
      for (const fn of m.functions) {
        const key = functionKey(m.name, fn.name, fn.arity);
        if (!functions.has(key)) functions.set(key, { module: m, fn, key });
      }
    }
  }
  return { modules, functions };
}

/**
 * The function a call reaches inside the project, or null. Imported calls without a module are
 * resolved through the caller's imports of project modules, in order, honouring `only`/`except`.
 */
function resolveCall(call: CallInfo, caller: ModuleInfo, index: Index): string | null {
  if (call.module !== null) {
    return index.functions.get(functionKey(call.module, call.name, call.arity))?.key ?? null;
  }
  if (call.kind !== "imported") return null;
  const na = `${call.name}/${call.arity}`;
  for (const imp of caller.imports) {
    if (imp.only !== null && !imp.only.includes(na)) continue;
    if (imp.except?.includes(na)) continue;
    const key = functionKey(imp.module, call.name, call.arity);
    const target = index.functions.get(key);
    if (target !== undefined && target.fn.visibility === "public") return target.key;
  }
  return null;
}

function byEdge(a: { from: string; to: string }, b: { from: string; to: string }): number {
  return a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0;
}

/** The functions a function calls inside the project (its delegate target included). */
function targetsOf(m: ModuleInfo, fn: FunctionInfo, index: Index): string[] {
  const targets: string[] = [];
  for (const c of fn.clauses)
    for (const call of c.calls) {
      const to = resolveCall(call, m, index);
      if (to !== null) targets.push(to);
    }
  if (fn.delegateTo !== null) {
    const to = index.functions.get(functionKey(fn.delegateTo.module, fn.delegateTo.name, fn.arity));
    if (to !== undefined) targets.push(to.key);
  }
  return targets;
}

/** The call graph, and which functions are called at all and from elsewhere than themselves. */
interface CallFacts {
  callGraph: CallGraph;
  called: Set<string>;
  calledFromElsewhere: Set<string>;
}

/**
 * Callers and callees of each function. `edges` are unique and sorted by caller then callee, so
 * every list comes out sorted and without repeats as it is filled: no sort per key.
 */
export function indexEdges(edges: readonly CallEdge[]): Pick<CallGraph, "callers" | "callees"> {
  const callers = new Map<string, string[]>();
  const callees = new Map<string, string[]>();
  for (const e of edges) {
    const ins = callers.get(e.to);
    if (ins === undefined) callers.set(e.to, [e.from]);
    else ins.push(e.from);
    const outs = callees.get(e.from);
    if (outs === undefined) callees.set(e.from, [e.to]);
    else outs.push(e.to);
  }
  return { callers: Object.fromEntries(callers), callees: Object.fromEntries(callees) };
}

function callFacts(modules: readonly ModuleInfo[], index: Index): CallFacts {
  // Caller -> callee -> call sites.
  const edgeCount = new Map<string, Map<string, number>>();
  const called = new Set<string>();
  const calledFromElsewhere = new Set<string>();
  for (const m of modules) {
    for (const fn of m.functions) {
      const targets = targetsOf(m, fn, index);
      if (targets.length === 0) continue;
      const own = functionKey(m.name, fn.name, fn.arity);
      const from = index.functions.get(own)?.key ?? own;
      let row = edgeCount.get(from);
      if (row === undefined) {
        row = new Map();
        edgeCount.set(from, row);
      }
      for (const to of targets) {
        row.set(to, (row.get(to) ?? 0) + 1);
        called.add(to);
        if (to !== from) calledFromElsewhere.add(to);
      }
    }
    // Calls from module bodies (tests, attribute values) use their targets but are not edges.
    for (const call of m.bodyCalls ?? []) {
      const to = resolveCall(call, m, index);
      if (to !== null) {
        called.add(to);
        calledFromElsewhere.add(to);
      }
    }
  }
  const edges: CallEdge[] = [];
  for (const [from, row] of edgeCount)
    for (const [to, count] of row) edges.push({ from, to, count });
  edges.sort(byEdge);
  const nodes = [...index.functions.keys()].sort();
  return { callGraph: { nodes, edges, ...indexEdges(edges) }, called, calledFromElsewhere };
}

function moduleGraphOf(modules: readonly ModuleInfo[], index: Index): ModuleGraph {
  const moduleNames = [...index.modules.keys()].sort();
  const kinds = new Map<string, Set<DependencyKind>>();
  for (const m of modules) {
    for (const d of m.dependencies) {
      if (!index.modules.has(d.target) || d.target === m.name) continue;
      const k = `${m.name}\u0000${d.target}`;
      const set = kinds.get(k) ?? new Set<DependencyKind>();
      kinds.set(k, set);
      set.add(d.kind);
    }
  }
  const edges: ModuleEdge[] = [...kinds]
    .map(([k, set]) => {
      const [from, to] = k.split("\u0000");
      return { from, to, kinds: [...set].sort() };
    })
    .sort(byEdge);
  const adjacency = new Map<string, string[]>();
  for (const e of edges) {
    const list = adjacency.get(e.from);
    if (list === undefined) adjacency.set(e.from, [e.to]);
    else list.push(e.to);
  }
  return { nodes: moduleNames, edges, cycles: cyclesOf(moduleNames, adjacency) };
}

/** What the analysis needs besides the Elixir files' extractions. */
export interface ProjectInputs {
  /**
   * Template files of the project (`.html.heex`, `.html.leex`), relative to its root: a LiveView
   * with a colocated template does not need `render/1`.
   */
  templates?: readonly string[];
}

/** Analyses a whole project. */
export function analyzeProject(
  files: readonly FileExtraction[],
  options: AnalysisOptions = {},
  inputs: ProjectInputs = {},
): ProjectAnalysis {
  const opts = resolveOptions(options);
  const sortedFiles = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const index = buildIndex(sortedFiles);
  const allModules = sortedFiles.flatMap((f) => f.modules);
  const { callGraph, called, calledFromElsewhere } = callFacts(allModules, index);
  const moduleGraph = moduleGraphOf(allModules, index);
  const patterns = findPatterns(
    allModules,
    new Map([...index.modules].map(([k, v]) => [k, v[0]])),
    new Set(inputs.templates ?? []),
  );
  const findings = computeFindings(allModules, {
    options: opts,
    modules: index.modules,
    called,
    calledFromElsewhere,
    moduleGraph,
    patterns,
    contract: contracts(index, patterns),
  });
  return { patterns, findings, moduleGraph, callGraph };
}

/**
 * The functions each module's patterns define, by module name, in pattern order: one pass over
 * the patterns instead of one per module (which made the findings quadratic in project size).
 */
function definedByPatterns(patterns: ProjectAnalysis["patterns"]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of patterns) {
    const list = out.get(p.module);
    if (list === undefined) out.set(p.module, [...p.defined]);
    else for (const d of p.defined) list.push(d);
  }
  return out;
}

/**
 * What a project module `used` or declared as a behaviour makes callable in its users: its
 * `@callback`s, and the functions it calls on a module it does not know statically
 * (`mod.fun(...)`, as a framework calls back into the module that uses it).
 */
function calledBack(provider: ModuleInfo, into: Set<string>): void {
  for (const cb of provider.callbacks) into.add(`${cb.name}/${cb.arity}`);
  for (const fn of provider.functions) {
    for (const c of fn.clauses)
      for (const call of c.calls)
        if (call.kind === "dynamic") into.add(`${call.name}/${call.arity}`);
  }
}

/** `ProjectFacts.contract`, memoized per module. */
function contracts(
  index: Index,
  patterns: ProjectAnalysis["patterns"],
): (m: ModuleInfo) => ReadonlySet<string> {
  const byPattern = definedByPatterns(patterns);
  const memo = new Map<ModuleInfo, Set<string>>();
  return (m) => {
    let out = memo.get(m);
    if (out !== undefined) return out;
    out = knownCallbacks(m);
    for (const d of byPattern.get(m.name) ?? []) out.add(d);
    for (const name of [...m.behaviours, ...m.uses.map((u) => u.module)]) {
      for (const provider of index.modules.get(name) ?? []) calledBack(provider, out);
    }
    memo.set(m, out);
    return out;
  };
}
