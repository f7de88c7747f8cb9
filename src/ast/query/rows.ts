/**
 * The rows a query returns, one flat record per item, and their construction from the model.
 * Every field named here can be filtered and ordered on.
 * @packageDocumentation
 */
import type { CallInfo, ClauseInfo, Finding, FunctionInfo, ModuleInfo } from "../model.js";

/** A module. */
export interface ModuleRow {
  name: string;
  file: string;
  line: number;
  kind: string;
  /** Declared or implied behaviours, and recognised patterns (`GenServer`, `EctoSchema`...). */
  behaviours: string[];
  functions: number;
  clauses: number;
  cyclomatic: number;
  cyclomaticSum: number;
  cognitive: number;
  nesting: number;
  abc: number;
  loc: number;
}

/** A function or macro (all its clauses). */
export interface FunctionRow {
  /** `Module.name/arity`. */
  key: string;
  module: string;
  name: string;
  arity: number;
  kind: string;
  visibility: string;
  file: string;
  line: number;
  generated: boolean;
  clauses: number;
  cyclomatic: number;
  perceived: number;
  abc: number;
  nesting: number;
  cognitive: number;
  loc: number;
  /** For `callers of` / `callees of`: the distance from the target (1 = direct). */
  depth: number | null;
}

/** One clause of a function. */
export interface ClauseRow {
  function: string;
  module: string;
  name: string;
  arity: number;
  index: number;
  file: string;
  line: number;
  cyclomatic: number;
  perceived: number;
  abc: number;
  nesting: number;
  cognitive: number;
  loc: number;
}

/** A call site. */
export interface CallRow {
  /** The calling function's key. */
  from: string;
  /** The called function's key `Module.name/arity`, or null when its module is unknown. */
  to: string | null;
  module: string | null;
  name: string;
  arity: number;
  kind: string;
  file: string;
  line: number;
  column: number;
}

/** A finding (see docs/ANALYSIS.md). */
export type FindingRow = Finding;

/** A source file. */
export interface FileRow {
  path: string;
  /** The parse error, or null. */
  error: string | null;
  modules: number;
  functions: number;
}

/** A module of the dependency path or reachable set. */
export interface PathRow extends ModuleRow {
  /** Position on the path, or distance from the start, 0-based. */
  step: number;
}

/** Any row. */
export type Row = ModuleRow | FunctionRow | ClauseRow | CallRow | FindingRow | FileRow | PathRow;

/** A row of a module. */
export function moduleRow(m: ModuleInfo, patterns: readonly string[]): ModuleRow {
  const behaviours = [...new Set([...m.behaviours, ...patterns])];
  return {
    name: m.name,
    file: m.file,
    line: m.line,
    kind: m.kind,
    behaviours,
    functions: m.metrics.functionCount,
    clauses: m.metrics.clauseCount,
    cyclomatic: m.metrics.cyclomaticMax,
    cyclomaticSum: m.metrics.cyclomaticSum,
    cognitive: m.metrics.cognitiveMax,
    nesting: m.metrics.nestingMax,
    abc: m.metrics.abcMax,
    loc: m.metrics.loc,
  };
}

/**
 * What a module's fields are read from in place: the module and its recognised patterns.
 * Readers spare a query building a row for every candidate it filters; they agree with
 * {@link moduleRow} field by field (a test checks it).
 */
const MODULE_FIELDS: {
  readonly [K in keyof ModuleRow]: (m: ModuleInfo, patterns: readonly string[]) => ModuleRow[K];
} = {
  name: (m) => m.name,
  file: (m) => m.file,
  line: (m) => m.line,
  kind: (m) => m.kind,
  behaviours: (m, patterns) => [...new Set([...m.behaviours, ...patterns])],
  functions: (m) => m.metrics.functionCount,
  clauses: (m) => m.metrics.clauseCount,
  cyclomatic: (m) => m.metrics.cyclomaticMax,
  cyclomaticSum: (m) => m.metrics.cyclomaticSum,
  cognitive: (m) => m.metrics.cognitiveMax,
  nesting: (m) => m.metrics.nestingMax,
  abc: (m) => m.metrics.abcMax,
  loc: (m) => m.metrics.loc,
};

/**
 * The reader of a module row's `field` from the module itself (`patternsOf` gives its
 * recognised patterns), or undefined for a field modules do not have in place (`step`).
 */
export function moduleField(
  field: string,
  patternsOf: (m: ModuleInfo) => readonly string[],
): ((m: ModuleInfo) => unknown) | undefined {
  const read = (MODULE_FIELDS as Record<string, (m: ModuleInfo, p: readonly string[]) => unknown>)[
    field
  ];
  return read === undefined ? undefined : (m) => read(m, patternsOf(m));
}

/** A function with its module: a repository's `FunctionRef`, or a pair a scan yields. */
export interface FunctionOf {
  module: ModuleInfo;
  function: FunctionInfo;
}

/** A function row's fields read in place, as {@link functionRow} sets them (depth null). */
const FUNCTION_FIELDS: { readonly [K in keyof FunctionRow]: (f: FunctionOf) => FunctionRow[K] } = {
  key: (f) => `${f.module.name}.${f.function.name}/${f.function.arity}`,
  module: (f) => f.module.name,
  name: (f) => f.function.name,
  arity: (f) => f.function.arity,
  kind: (f) => f.function.kind,
  visibility: (f) => f.function.visibility,
  file: (f) => f.module.file,
  line: (f) => f.function.line,
  generated: (f) => f.function.generated,
  clauses: (f) => f.function.clauses.length,
  cyclomatic: (f) => f.function.metrics.cyclomatic,
  perceived: (f) => f.function.metrics.perceived,
  abc: (f) => f.function.metrics.abc,
  nesting: (f) => f.function.metrics.nesting,
  cognitive: (f) => f.function.metrics.cognitive,
  loc: (f) => f.function.metrics.loc,
  depth: () => null,
};

/** The reader of a function row's `field` from a function and its module, or undefined. */
export function functionField(field: string): ((f: FunctionOf) => unknown) | undefined {
  return (FUNCTION_FIELDS as Record<string, (f: FunctionOf) => unknown>)[field];
}

/** A row of a function (`key`: its `Module.name/arity` when the caller has it already). */
export function functionRow(
  m: ModuleInfo,
  fn: FunctionInfo,
  depth: number | null,
  key: string = `${m.name}.${fn.name}/${fn.arity}`,
): FunctionRow {
  const x = fn.metrics;
  return {
    key,
    module: m.name,
    name: fn.name,
    arity: fn.arity,
    kind: fn.kind,
    visibility: fn.visibility,
    file: m.file,
    line: fn.line,
    generated: fn.generated,
    clauses: fn.clauses.length,
    cyclomatic: x.cyclomatic,
    perceived: x.perceived,
    abc: x.abc,
    nesting: x.nesting,
    cognitive: x.cognitive,
    loc: x.loc,
    depth,
  };
}

/** A row of a clause. */
export function clauseRow(
  m: ModuleInfo,
  fn: FunctionInfo,
  c: ClauseInfo,
  index: number,
): ClauseRow {
  const x = c.metrics;
  return {
    function: `${m.name}.${fn.name}/${fn.arity}`,
    module: m.name,
    name: fn.name,
    arity: fn.arity,
    index,
    file: c.file,
    line: c.line,
    cyclomatic: x.cyclomatic,
    perceived: x.perceived,
    abc: x.abc,
    nesting: x.nesting,
    cognitive: x.cognitive,
    loc: x.loc,
  };
}

/** A row of a call site. */
export function callRow(m: ModuleInfo, fn: FunctionInfo, c: ClauseInfo, call: CallInfo): CallRow {
  return {
    from: `${m.name}.${fn.name}/${fn.arity}`,
    to: call.module === null ? null : `${call.module}.${call.name}/${call.arity}`,
    module: call.module,
    name: call.name,
    arity: call.arity,
    kind: call.kind,
    file: c.file,
    line: call.line,
    column: call.column,
  };
}

/** The fields of each entity, for checking queries. */
export const FIELDS: Readonly<Record<string, readonly string[]>> = {
  modules: [
    "name",
    "file",
    "line",
    "kind",
    "behaviours",
    "functions",
    "clauses",
    "cyclomatic",
    "cyclomaticSum",
    "cognitive",
    "nesting",
    "abc",
    "loc",
    "step",
  ],
  functions: [
    "key",
    "module",
    "name",
    "arity",
    "kind",
    "visibility",
    "file",
    "line",
    "generated",
    "clauses",
    "cyclomatic",
    "perceived",
    "abc",
    "nesting",
    "cognitive",
    "loc",
    "depth",
  ],
  clauses: [
    "function",
    "module",
    "name",
    "arity",
    "index",
    "file",
    "line",
    "cyclomatic",
    "perceived",
    "abc",
    "nesting",
    "cognitive",
    "loc",
  ],
  calls: ["from", "to", "module", "name", "arity", "kind", "file", "line", "column"],
  findings: [
    "rule",
    "severity",
    "message",
    "file",
    "line",
    "module",
    "function",
    "value",
    "threshold",
  ],
  files: ["path", "error", "modules", "functions"],
};
