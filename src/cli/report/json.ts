/**
 * The `--json` document of `elixirscope analyze`: the required shape (root, files with errors,
 * modules with functions and clause metrics) plus the module and function details, the project
 * analysis and the run's summary. Paths are relative to the root. Documented in docs/ANALYZE.md.
 * @packageDocumentation
 */
import type {
  CallGraph,
  ClauseInfo,
  DefinitionInfo,
  FileError,
  Finding,
  FunctionInfo,
  ModuleEdge,
  ModuleInfo,
  PatternMatch,
} from "../../ast/model.js";
import type { AnalysisRun } from "../../ast/population/run.js";

/** A clause in the JSON document. */
export interface ClauseJson {
  file: string;
  line: number;
  endLine: number;
  column: number;
  arity: number;
  guards: string[];
  head: boolean;
  metrics: ClauseInfo["metrics"];
  calls: number;
}

/** A function in the JSON document. */
export interface FunctionJson {
  name: string;
  arity: number;
  kind: FunctionInfo["kind"];
  visibility: FunctionInfo["visibility"];
  line: number;
  endLine: number;
  generated: boolean;
  generatedBy: string | null;
  defaultOf: number | null;
  doc: FunctionInfo["doc"];
  hasSpec: boolean;
  impl: string | null;
  delegateTo: FunctionInfo["delegateTo"];
  metrics: FunctionInfo["metrics"];
  clauses: ClauseJson[];
}

/** A module in the JSON document. */
export interface ModuleJson {
  name: string;
  kind: ModuleInfo["kind"];
  file: string;
  line: number;
  endLine: number;
  parent: string | null;
  behaviours: string[];
  moduledoc: ModuleInfo["moduledoc"];
  impl: ModuleInfo["impl"];
  structFields: string[] | null;
  exception: boolean;
  callbacks: ModuleInfo["callbacks"];
  dependencies: ModuleInfo["dependencies"];
  metrics: ModuleInfo["metrics"];
  functions: FunctionJson[];
}

/** A file in the JSON document. */
export interface FileJson {
  path: string;
  error: FileError | null;
  definitions: DefinitionInfo[];
}

/** The whole `--json` document. */
export interface AnalyzeJson {
  root: string;
  /** Per file: its parse error, and the definitions that are not functions of a named module. */
  files: FileJson[];
  /** Directories that could not be read, so their files are missing from `files`. */
  unreadable: AnalysisRun["unreadable"];
  modules: ModuleJson[];
  patterns: PatternMatch[];
  findings: Finding[];
  moduleGraph: { nodes: number; edges: ModuleEdge[]; cycles: string[][] };
  callGraph: { nodes: number; edges: CallGraph["edges"] };
  summary: AnalysisRun["summary"];
}

function filesJson(run: AnalysisRun): FileJson[] {
  return run.files.map((f) => ({
    path: f.path,
    error: f.error,
    definitions: run.repository.file(f.path)?.extraction?.definitions ?? [],
  }));
}

/** A clause as the JSON documents show it (`analyze --json` and the serve API). */
export function clauseJson(c: ClauseInfo): ClauseJson {
  return {
    file: c.file,
    line: c.line,
    endLine: c.endLine,
    column: c.column,
    arity: c.arity,
    guards: c.guards,
    head: c.head,
    metrics: c.metrics,
    calls: c.calls.length,
  };
}

/** A function as the JSON documents show it (`analyze --json` and the serve API). */
export function functionJson(f: FunctionInfo): FunctionJson {
  return {
    name: f.name,
    arity: f.arity,
    kind: f.kind,
    visibility: f.visibility,
    line: f.line,
    endLine: f.endLine,
    generated: f.generated,
    generatedBy: f.generatedBy,
    defaultOf: f.defaultOf,
    doc: f.doc,
    hasSpec: f.hasSpec,
    impl: f.impl,
    delegateTo: f.delegateTo,
    metrics: f.metrics,
    clauses: f.clauses.map(clauseJson),
  };
}

/** A module as the JSON documents show it (`analyze --json` and the serve API). */
export function moduleJson(m: ModuleInfo): ModuleJson {
  return {
    name: m.name,
    kind: m.kind,
    file: m.file,
    line: m.line,
    endLine: m.endLine,
    parent: m.parent,
    behaviours: m.behaviours,
    moduledoc: m.moduledoc,
    impl: m.impl,
    structFields: m.structFields,
    exception: m.exception,
    callbacks: m.callbacks,
    dependencies: m.dependencies,
    metrics: m.metrics,
    functions: m.functions.map(functionJson),
  };
}

/**
 * Writes the `--json` document of a run in pieces (one per module, one per other field), so that
 * a large project never needs the whole document as one string; followed by a newline. The text
 * is exactly `JSON.stringify(analyzeJson(run))`.
 */
export function writeAnalyzeJson(run: AnalysisRun, write: (chunk: string) => void): void {
  const a = run.analysis;
  write(`{"root":${JSON.stringify(run.root)}`);
  write(`,"files":${JSON.stringify(filesJson(run))}`);
  write(`,"unreadable":${JSON.stringify(run.unreadable)}`);
  write(`,"modules":[`);
  let first = true;
  for (const record of run.files) {
    for (const m of run.repository.modulesInFile(record.path)) {
      write((first ? "" : ",") + JSON.stringify(moduleJson(m)));
      first = false;
    }
  }
  write("]");
  write(`,"patterns":${JSON.stringify(a.patterns)}`);
  write(`,"findings":${JSON.stringify(a.findings)}`);
  const graph: AnalyzeJson["moduleGraph"] = {
    nodes: a.moduleGraph.nodes.length,
    edges: a.moduleGraph.edges,
    cycles: a.moduleGraph.cycles,
  };
  write(`,"moduleGraph":${JSON.stringify(graph)}`);
  const calls: AnalyzeJson["callGraph"] = {
    nodes: a.callGraph.nodes.length,
    edges: a.callGraph.edges,
  };
  write(`,"callGraph":${JSON.stringify(calls)}`);
  write(`,"summary":${JSON.stringify(run.summary)}}\n`);
}

/** Builds the `--json` document of a run as an object. */
export function analyzeJson(run: AnalysisRun): AnalyzeJson {
  const modules: ModuleJson[] = [];
  for (const record of run.files) {
    for (const m of run.repository.modulesInFile(record.path)) modules.push(moduleJson(m));
  }
  const a = run.analysis;
  return {
    root: run.root,
    files: filesJson(run),
    unreadable: run.unreadable,
    modules,
    patterns: a.patterns,
    findings: a.findings,
    moduleGraph: {
      nodes: a.moduleGraph.nodes.length,
      edges: a.moduleGraph.edges,
      cycles: a.moduleGraph.cycles,
    },
    callGraph: { nodes: a.callGraph.nodes.length, edges: a.callGraph.edges },
    summary: run.summary,
  };
}
