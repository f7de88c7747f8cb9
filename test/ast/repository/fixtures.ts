import type {
  CallInfo,
  ClauseInfo,
  FileExtraction,
  FunctionInfo,
  FunctionKind,
  ModuleInfo,
} from "../../../src/ast/model.js";

const ZERO = {
  cyclomatic: 1,
  perceived: 1,
  abc: 1,
  abcA: 0,
  abcB: 1,
  abcC: 0,
  nesting: 0,
  cognitive: 0,
};

/** A call `module.name/arity` (local when module is the caller's). */
export function call(module: string | null, name: string, arity: number, i = 0): CallInfo {
  return {
    id: `c@${i}`,
    kind: module === null ? "dynamic" : "remote",
    module,
    name,
    arity,
    line: 1,
    column: 1,
    piped: false,
    capture: false,
  };
}

/** A function with one clause holding `calls`. */
export function fn(
  moduleId: string,
  file: string,
  name: string,
  arity: number,
  calls: CallInfo[] = [],
  kind: FunctionKind = "def",
  line = 2,
): FunctionInfo {
  const id = `${moduleId}.${name}/${arity}`;
  const clause: ClauseInfo = {
    id: `${id}:0`,
    file,
    line,
    endLine: line + 2,
    column: 3,
    arity,
    guards: [],
    head: false,
    metrics: { ...ZERO, arity, loc: 3 },
    calls,
  };
  return {
    id,
    name,
    arity,
    kind,
    visibility: kind.endsWith("p") ? "private" : "public",
    line,
    endLine: line + 2,
    generated: false,
    generatedBy: null,
    defaultOf: null,
    doc: "none",
    hasSpec: false,
    impl: null,
    delegateTo: null,
    clauses: [clause],
    metrics: { ...ZERO, arity, loc: 3 },
  };
}

/** A module of `file` with the given functions (built by `fns(moduleId)`). */
export function mod(
  file: string,
  name: string,
  fns: (moduleId: string) => FunctionInfo[],
  behaviours: string[] = [],
): ModuleInfo {
  const id = `${file}#${name}`;
  const functions = fns(id);
  return {
    id,
    name,
    kind: "module",
    file,
    line: 1,
    endLine: 100,
    parent: null,
    moduledoc: "none",
    behaviours,
    uses: [],
    imports: [],
    aliases: [],
    requires: [],
    attributes: [],
    types: [],
    specs: [],
    callbacks: [],
    impl: null,
    structFields: null,
    exception: false,
    functions,
    dependencies: [],
    metrics: {
      functionCount: functions.length,
      clauseCount: functions.length,
      cyclomaticSum: functions.length,
      cyclomaticMax: 1,
      cyclomaticMean: 1,
      perceivedMax: 1,
      abcMax: 1,
      nestingMax: 0,
      cognitiveMax: 0,
      cognitiveSum: 0,
      loc: 100,
    },
  };
}

export function file(path: string, modules: ModuleInfo[]): FileExtraction {
  return { path, modules, commentCount: 0, lastLine: 100 };
}
