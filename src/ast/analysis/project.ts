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
  Finding,
  FunctionInfo,
  ModuleEdge,
  ModuleGraph,
  ModuleInfo,
  ProjectAnalysis,
} from "../model.js";
import { functionKey } from "../model.js";
import { cyclesOf } from "./graph.js";
import { findPatterns } from "./patterns.js";

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

/** Index of the project's functions, merged by module name (a module may be defined twice). */
interface Index {
  modules: Map<string, ModuleInfo[]>;
  functions: Map<string, { module: ModuleInfo; fn: FunctionInfo }>;
}

function buildIndex(files: readonly FileExtraction[]): Index {
  const modules = new Map<string, ModuleInfo[]>();
  const functions = new Map<string, { module: ModuleInfo; fn: FunctionInfo }>();
  for (const f of files) {
    for (const m of f.modules) {
      const list = modules.get(m.name);
      if (list === undefined) modules.set(m.name, [m]);
      else list.push(m);
      for (const fn of m.functions) {
        const key = functionKey(m.name, fn.name, fn.arity);
        if (!functions.has(key)) functions.set(key, { module: m, fn });
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
    const key = functionKey(call.module, call.name, call.arity);
    return index.functions.has(key) ? key : null;
  }
  if (call.kind !== "imported") return null;
  const na = `${call.name}/${call.arity}`;
  for (const imp of caller.imports) {
    if (imp.only !== null && !imp.only.includes(na)) continue;
    if (imp.except?.includes(na)) continue;
    const key = functionKey(imp.module, call.name, call.arity);
    const target = index.functions.get(key);
    if (target !== undefined && target.fn.visibility === "public") return key;
  }
  return null;
}

function sortedUnique(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

/** Analyses a whole project. */
export function analyzeProject(
  files: readonly FileExtraction[],
  options: AnalysisOptions = {},
): ProjectAnalysis {
  const opts = resolveOptions(options);
  const sortedFiles = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const index = buildIndex(sortedFiles);
  const allModules = sortedFiles.flatMap((f) => f.modules);

  // Call graph.
  const edgeCount = new Map<string, number>();
  const called = new Set<string>();
  const calledFromElsewhere = new Set<string>();
  for (const m of allModules) {
    for (const fn of m.functions) {
      const from = functionKey(m.name, fn.name, fn.arity);
      const targets: string[] = [];
      for (const c of fn.clauses)
        for (const call of c.calls) {
          const to = resolveCall(call, m, index);
          if (to !== null) targets.push(to);
        }
      if (fn.delegateTo !== null) {
        const to = functionKey(fn.delegateTo.module, fn.delegateTo.name, fn.arity);
        if (index.functions.has(to)) targets.push(to);
      }
      for (const to of targets) {
        const k = `${from}\u0000${to}`;
        edgeCount.set(k, (edgeCount.get(k) ?? 0) + 1);
        called.add(to);
        if (to !== from) calledFromElsewhere.add(to);
      }
    }
  }
  const callEdges: CallEdge[] = [...edgeCount]
    .map(([k, count]) => {
      const [from, to] = k.split("\u0000");
      return { from, to, count };
    })
    .sort((a, b) =>
      a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0,
    );
  const callers: Record<string, string[]> = {};
  const callees: Record<string, string[]> = {};
  for (const e of callEdges) {
    if (callers[e.to] === undefined) callers[e.to] = [];
    callers[e.to].push(e.from);
    if (callees[e.from] === undefined) callees[e.from] = [];
    callees[e.from].push(e.to);
  }
  for (const k of Object.keys(callers)) callers[k] = sortedUnique(callers[k]);
  for (const k of Object.keys(callees)) callees[k] = sortedUnique(callees[k]);
  // Calls from module bodies (tests, attribute values) use their targets but are not edges.
  for (const m of allModules) {
    for (const call of m.bodyCalls ?? []) {
      const to = resolveCall(call, m, index);
      if (to !== null) {
        called.add(to);
        calledFromElsewhere.add(to);
      }
    }
  }
  const callGraph: CallGraph = {
    nodes: [...index.functions.keys()].sort(),
    edges: callEdges,
    callers,
    callees,
  };

  // Module graph.
  const moduleNames = [...index.modules.keys()].sort();
  const kinds = new Map<string, Set<DependencyKind>>();
  for (const m of allModules) {
    for (const d of m.dependencies) {
      if (!index.modules.has(d.target) || d.target === m.name) continue;
      const k = `${m.name}\u0000${d.target}`;
      const set = kinds.get(k) ?? new Set<DependencyKind>();
      kinds.set(k, set);
      set.add(d.kind);
    }
  }
  const moduleEdges: ModuleEdge[] = [...kinds]
    .map(([k, set]) => {
      const [from, to] = k.split("\u0000");
      return { from, to, kinds: [...set].sort() };
    })
    .sort((a, b) =>
      a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0,
    );
  const adjacency = new Map<string, string[]>();
  for (const e of moduleEdges) {
    const list = adjacency.get(e.from);
    if (list === undefined) adjacency.set(e.from, [e.to]);
    else list.push(e.to);
  }
  const moduleGraph: ModuleGraph = {
    nodes: moduleNames,
    edges: moduleEdges,
    cycles: cyclesOf(moduleNames, adjacency),
  };

  const patterns = findPatterns(allModules, new Map([...index.modules].map(([k, v]) => [k, v[0]])));
  const findings = computeFindings(
    allModules,
    index,
    opts,
    called,
    calledFromElsewhere,
    moduleGraph,
    patterns,
  );
  return { patterns, findings, moduleGraph, callGraph };
}

/** Functions that `use` of a well-known module makes its framework call (not a behaviour). */
const CONTRACT_BY_USE: Record<string, string[]> = {
  "Mix.Project": ["project/0", "application/0"],
  "Mix.Task": ["run/1"],
  "Plug.Builder": ["init/1", "call/2"],
  "Plug.Router": ["init/1", "call/2"],
};

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

/** Callbacks a module implements by contract, so nobody in the project needs to call them. */
function contractFunctions(
  m: ModuleInfo,
  definedByPattern: ReadonlyMap<string, readonly string[]>,
  index: Index,
): Set<string> {
  const out = new Set<string>(definedByPattern.get(m.name));
  for (const b of m.behaviours) {
    for (const beh of index.modules.get(b) ?? [])
      for (const cb of beh.callbacks) out.add(`${cb.name}/${cb.arity}`);
  }
  return out;
}

function computeFindings(
  modules: readonly ModuleInfo[],
  index: Index,
  opts: Required<AnalysisOptions>,
  called: ReadonlySet<string>,
  calledFromElsewhere: ReadonlySet<string>,
  moduleGraph: ModuleGraph,
  patterns: ProjectAnalysis["patterns"],
): Finding[] {
  const out: Finding[] = [];
  const definedByPattern = definedByPatterns(patterns);
  for (const m of modules) {
    const contract = contractFunctions(m, definedByPattern, index);
    for (const [used, fns] of Object.entries(CONTRACT_BY_USE)) {
      if (m.uses.some((u) => u.module === used)) for (const f of fns) contract.add(f);
    }
    const startedByChildSpec = m.uses.some((u) =>
      ["GenServer", "Supervisor", "Agent", "Task", "DynamicSupervisor", "GenStage"].includes(
        u.module,
      ),
    );
    for (const fn of m.functions) {
      if (fn.generated || fn.defaultOf !== null) continue;
      const na = `${fn.name}/${fn.arity}`;
      const at = { file: m.file, line: fn.line, module: m.name, function: na };
      if (fn.metrics.loc > opts.maxFunctionLines) {
        out.push({
          rule: "long-function",
          severity: "warning",
          message: `${m.name}.${na} spans ${fn.metrics.loc} lines (max ${opts.maxFunctionLines})`,
          ...at,
          value: fn.metrics.loc,
          threshold: opts.maxFunctionLines,
        });
      }
      if (fn.metrics.nesting > opts.maxNesting) {
        out.push({
          rule: "deep-nesting",
          severity: "warning",
          message: `${m.name}.${na} is nested ${fn.metrics.nesting} deep (max ${opts.maxNesting})`,
          ...at,
          value: fn.metrics.nesting,
          threshold: opts.maxNesting,
        });
      }
      if (fn.arity > opts.maxArity) {
        out.push({
          rule: "many-parameters",
          severity: "warning",
          message: `${m.name}.${na} takes ${fn.arity} parameters (max ${opts.maxArity})`,
          ...at,
          value: fn.arity,
          threshold: opts.maxArity,
        });
      }
      // A call to a default-argument arity uses the written function too.
      const arities = [
        fn.arity,
        ...m.functions
          .filter((g) => g.defaultOf === fn.arity && g.name === fn.name)
          .map((g) => g.arity),
      ];
      const used = arities.some((a) => calledFromElsewhere.has(`${m.name}.${fn.name}/${a}`));
      if (fn.visibility === "private" && !used) {
        out.push({
          rule: "unused-private-function",
          severity: "warning",
          message: `private ${m.name}.${na} is never called`,
          ...at,
          value: null,
          threshold: null,
        });
      }
      if (
        fn.visibility === "public" &&
        (fn.kind === "def" || fn.kind === "defdelegate") &&
        !used &&
        fn.impl === null &&
        !contract.has(na) &&
        m.kind === "module" &&
        !(startedByChildSpec && fn.name === "start_link") &&
        !called.has(`${m.name}.${na}`)
      ) {
        out.push({
          rule: "unused-public-function",
          severity: "info",
          message: `public ${m.name}.${na} is not called anywhere in the project`,
          ...at,
          value: null,
          threshold: null,
        });
      }
      for (const c of fn.clauses) {
        for (const call of c.calls) {
          if (
            call.kind === "remote" &&
            call.module === "String" &&
            call.name === "to_atom" &&
            call.arity === 1 &&
            call.literalArgs !== true
          ) {
            out.push({
              rule: "string-to-atom",
              severity: "warning",
              message: `String.to_atom/1 on non-literal input in ${m.name}.${na} (atoms are never garbage-collected)`,
              file: c.file,
              line: call.line,
              module: m.name,
              function: na,
              value: null,
              threshold: null,
            });
          }
        }
      }
    }
  }
  for (const cycle of moduleGraph.cycles) {
    const first = index.modules.get(cycle[0])?.[0];
    out.push({
      rule: "dependency-cycle",
      severity: "warning",
      message: `modules depend on each other in a cycle: ${cycle.join(", ")}`,
      file: first?.file ?? "",
      line: first?.line ?? 0,
      module: cycle[0],
      function: null,
      value: cycle.length,
      threshold: null,
    });
  }
  out.sort((a, b) =>
    a.file < b.file
      ? -1
      : a.file > b.file
        ? 1
        : a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
  return out;
}
