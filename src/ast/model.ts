/**
 * The data model of L2 extraction and analysis.
 *
 * Everything here is plain data: objects, arrays, strings, numbers, booleans and null. No class
 * instances, no Maps, no `undefined` in required fields. A {@link FileExtraction} crosses worker
 * threads (structured clone) and is stored in SQLite as JSON, so `JSON.parse(JSON.stringify(x))`
 * must give back an equal value.
 *
 * Naming: module names are Elixir's, without the `Elixir.` prefix (`Foo.Bar`); Erlang modules
 * keep their atom text prefixed by a colon (`:ets`). Lines are 1-based, as in Elixir's metadata.
 *
 * IDs are deterministic strings built from names, never from positions, so that a function's ID
 * does not move when other functions in its file change:
 * - module: `<relPath>#<Module>` (plus `~<n>` for the n-th repeated definition of a name in a file);
 * - function: `<moduleId>.<name>/<arity>`;
 * - clause: `<functionId>:<index>` (0-based, in source order within the function);
 * - call: `<clauseId>@<index>` (0-based, in evaluation order within the clause).
 * @packageDocumentation
 */

/** How a function or macro is defined. Generated functions are reported as `def`. */
export type FunctionKind =
  | "def"
  | "defp"
  | "defmacro"
  | "defmacrop"
  | "defguard"
  | "defguardp"
  | "defdelegate";

/** Whether a definition is callable from other modules. */
export type Visibility = "public" | "private";

/**
 * Documentation state of a module or function: `doc` for a `@doc`/`@moduledoc` string (or any
 * non-false value), `false` for `@doc false` (hidden on purpose), `none` when absent.
 */
export type DocState = "doc" | "false" | "none";

/** Per-clause metrics; each is defined precisely in docs/ANALYSIS.md. */
export interface ClauseMetrics {
  /** Credo 1.7.19 `Refactor.CyclomaticComplexity`: 1 + decision points. */
  cyclomatic: number;
  /** Credo 1.7 `Refactor.PerceivedComplexity`: like cyclomatic, `case`/`cond` count once. */
  perceived: number;
  /** Credo 1.7 `Refactor.ABCSize`: sqrt(A² + B² + C²), rounded to 2 decimals. */
  abc: number;
  /** Assignments counted for ABC. */
  abcA: number;
  /** Branches (calls) counted for ABC. */
  abcB: number;
  /** Conditions counted for ABC. */
  abcC: number;
  /** Credo 1.7 `Refactor.Nesting`: deepest nesting of if/unless/case/cond/fn/... in the body. */
  nesting: number;
  /**
   * Line of the construct where the deepest nesting is reached (the line Credo's `Nesting` issue
   * names); the clause's line when `nesting` is 0. `extractFile` always sets it; optional for
   * hand-built metrics.
   */
  nestingLine?: number;
  /** Number of parameters of the clause (Credo `Refactor.FunctionArity`). */
  arity: number;
  /** Cognitive complexity (SonarSource's definition adapted to Elixir, see docs). */
  cognitive: number;
  /** Physical lines from the clause's first line to its last line, inclusive. */
  loc: number;
}

/**
 * Metrics of a whole function (all its clauses): Credo checks a multi-clause function per
 * clause, so complexity metrics are the maximum over clauses; `loc` is the sum.
 */
export type FunctionMetrics = ClauseMetrics;

/** Module aggregates over its functions (generated functions excluded). */
export interface ModuleMetrics {
  /** Functions and macros written in the source (grouped by name/arity). */
  functionCount: number;
  /** Clauses written in the source. */
  clauseCount: number;
  /** Sum of the functions' cyclomatic complexities (a module-level "weighted methods" count). */
  cyclomaticSum: number;
  /** Highest cyclomatic complexity of any function. */
  cyclomaticMax: number;
  /** Mean cyclomatic complexity per function (0 when there are none). */
  cyclomaticMean: number;
  /** Highest perceived complexity. */
  perceivedMax: number;
  /** Highest ABC size. */
  abcMax: number;
  /** Highest nesting depth. */
  nestingMax: number;
  /** Highest cognitive complexity. */
  cognitiveMax: number;
  /** Sum of cognitive complexities. */
  cognitiveSum: number;
  /** Physical lines of the module, `endLine - line + 1`. */
  loc: number;
}

/** How a call reaches its target. */
export type CallKind =
  /** `foo(x)` to a function of the same module (or an unresolved local name). */
  | "local"
  /** `foo(x)` resolved to a module through `import`, or to `Kernel`/`Kernel.SpecialForms`. */
  | "imported"
  /** `Mod.foo(x)`, with aliases resolved; `:erlang_mod.foo(x)` too. */
  | "remote"
  /** `mod.foo(x)` where `mod` is not a literal module (variable, attribute, `__MODULE__` expr). */
  | "dynamic";

/** A call found in a clause body (or a guard, or default argument). */
export interface CallInfo {
  /** `<clauseId>@<index>`. */
  id: string;
  kind: CallKind;
  /**
   * Target module: the caller's module for `local`, the module for `remote`; for `imported`, the
   * module named by an `import ..., only:` list, else null until project analysis resolves it
   * against the imported project modules; null for `dynamic`.
   */
  module: string | null;
  name: string;
  /** Arity as called; a piped call counts the piped argument (`x |> f(1)` is `f/2`). */
  arity: number;
  line: number;
  column: number;
  /** True when this call is the right side of `|>`. */
  piped: boolean;
  /** True for a capture `&Mod.f/2`, `&f/1` or `&Mod.f(&1, x)` (the latter's arity is the call's). */
  capture: boolean;
  /**
   * True when every argument is a literal (number, string without interpolation, atom, boolean,
   * nil) and none is piped or captured: the call's input is known at compile time.
   * `extractFile` always sets it; optional so that extractions cached before it existed, and
   * hand-built ones, stay valid (absent reads as "not known to be literal").
   */
  literalArgs?: boolean;
}

/** One clause of a function or macro. */
export interface ClauseInfo {
  /** `<functionId>:<index>`. */
  id: string;
  /** The file, relative to the project root (same as the module's). */
  file: string;
  line: number;
  /** Last line: the `end` of `do ... end`, else the last line any node of the clause reaches. */
  endLine: number;
  column: number;
  /** Parameters written (default arguments included). */
  arity: number;
  /** Guard expressions (`when a and b when c` gives two), printed back as Elixir source. */
  guards: string[];
  /**
   * True for a head without body (`def f(a, b \\ 1)`, a protocol function, `defdelegate`), which
   * only declares defaults or a signature; Credo measures it too (arity; complexity 1). A
   * `defdelegate` is a clause only of a function no `def` also writes (then `delegateTo` alone
   * records it).
   */
  head: boolean;
  metrics: ClauseMetrics;
  calls: CallInfo[];
}

/** A function or macro, identified by module, name and arity. */
export interface FunctionInfo {
  /** `<moduleId>.<name>/<arity>`. */
  id: string;
  name: string;
  arity: number;
  kind: FunctionKind;
  visibility: Visibility;
  /** First clause's line (for generated functions, the line of the construct that generated it). */
  line: number;
  endLine: number;
  /** True when a macro (`defstruct`, `use GenServer`...) defines it rather than the source. */
  generated: boolean;
  /** What generated it (`defstruct`, `defexception`, `defprotocol`, `defimpl`, `use GenServer`...), else null. */
  generatedBy: string | null;
  /**
   * For arities created by default arguments: the arity of the written function they call
   * (`def f(a, b \\ 1)` gives `f/1` with `defaultOf: 2`), else null.
   */
  defaultOf: number | null;
  /** `@doc` state right before the first clause (`@impl true` implies `@doc false` in Elixir). */
  doc: DocState;
  /** True when a `@spec` names this name and arity. */
  hasSpec: boolean;
  /** `@impl` before the first clause: `true`, the behaviour name, or null when absent/false. */
  impl: string | null;
  /** For `defdelegate`: the target module and function, else null. */
  delegateTo: { module: string; name: string } | null;
  /** Clauses in source order (empty for generated functions and default-argument arities). */
  clauses: ClauseInfo[];
  /** Aggregates of the clauses; all zero (and `arity` set) when there are no clauses. */
  metrics: FunctionMetrics;
}

/** How a module refers to another. */
export type DependencyKind =
  | "call"
  | "alias"
  | "import"
  | "require"
  | "use"
  | "behaviour"
  | "struct"
  /** Named in a `{:via, Mod, name}` process name, which makes OTP call `Mod`'s functions. */
  | "via";

/** One reference from a module to another module, with the line of its first occurrence. */
export interface ModuleDependency {
  target: string;
  kind: DependencyKind;
  line: number;
}

/** `alias Foo.Bar`, `alias Foo.Bar, as: B`, and each item of `alias Foo.{A, B}`. */
export interface AliasInfo {
  module: string;
  as: string;
  line: number;
}

/** `import`, `require` or `use` of a module. */
export interface DirectiveInfo {
  module: string;
  line: number;
  /** For `import ..., only:/except:`: the listed `name/arity` pairs, else null. */
  only: string[] | null;
  except: string[] | null;
  /** For `use Mod, :atom` (Phoenix's `use MyAppWeb, :controller`): the atom's name, else null. */
  arg: string | null;
}

/** A module attribute set in the module body (`@moduledoc`, `@doc`, `@spec`... excluded). */
export interface AttributeInfo {
  name: string;
  line: number;
}

/** `@type`, `@typep`, `@opaque`. */
export interface TypeInfo {
  name: string;
  arity: number;
  kind: "type" | "typep" | "opaque";
  line: number;
}

/** `@spec` (one per name/arity pair; a repeated spec keeps the first line). */
export interface SpecInfo {
  name: string;
  arity: number;
  line: number;
}

/** `@callback`/`@macrocallback`, with `optional` from `@optional_callbacks`. */
export interface CallbackInfo {
  name: string;
  arity: number;
  kind: "callback" | "macrocallback";
  optional: boolean;
  line: number;
}

/** What kind of module definition. */
export type ModuleKind = "module" | "protocol" | "impl";

/** A module (`defmodule`, `defprotocol`, or one module generated per `defimpl ... for:` target). */
export interface ModuleInfo {
  /** `<relPath>#<Module>`. */
  id: string;
  name: string;
  kind: ModuleKind;
  file: string;
  line: number;
  /** The `end` of the module's `do ... end`. */
  endLine: number;
  /** Enclosing module's name for a nested definition, else null. */
  parent: string | null;
  moduledoc: DocState;
  /** `@behaviour` targets and behaviours implied by `use` of well-known modules. */
  behaviours: string[];
  uses: DirectiveInfo[];
  imports: DirectiveInfo[];
  aliases: AliasInfo[];
  requires: DirectiveInfo[];
  attributes: AttributeInfo[];
  types: TypeInfo[];
  specs: SpecInfo[];
  callbacks: CallbackInfo[];
  /** For `defimpl`: the protocol and the target type, else null. */
  impl: { protocol: string; for: string } | null;
  /** `defstruct` fields, or null when the module defines no struct. */
  structFields: string[] | null;
  /** True for `defexception`. */
  exception: boolean;
  /** Every function and macro, sorted by name then arity. */
  functions: FunctionInfo[];
  /**
   * Calls made by the module body outside any function: attribute values, `use` options, and
   * macro blocks such as ExUnit's `test "..." do ... end`. They count as uses of their targets.
   * `extractFile` always sets it; optional for extractions cached before it existed.
   */
  bodyCalls?: CallInfo[];
  /** Modules this one refers to, one entry per (target, kind), in order of first occurrence. */
  dependencies: ModuleDependency[];
  metrics: ModuleMetrics;
}

/**
 * Where a {@link DefinitionInfo} sits, which is why it is not a function of a named module:
 * - `quote`: inside a `quote` block (code a macro generates, such as a `__using__` body);
 * - `computed-module`: in a module whose name is computed (`defmodule unquote(name)`, `defmodule mod`);
 * - `computed-name`: in a named module, but the function's name is computed (`def unquote(name)(x)`);
 * - `script`: at the top level of a file, outside any module;
 * - `nested`: inside another definition's body, outside `quote`;
 * - `other`: in a named module, where its body reader does not look (an anonymous function at
 *   module level, for instance).
 */
export type DefinitionContext =
  | "quote"
  | "computed-module"
  | "computed-name"
  | "script"
  | "nested"
  | "other";

/**
 * A `def`/`defp`/`defmacro`/... that is not a function of a named module but that Credo measures
 * all the same (it walks every definition node of a file).
 */
export interface DefinitionInfo {
  /** The name as written; a computed name is printed back as Elixir (`unquote(name)`). */
  name: string;
  arity: number;
  kind: FunctionKind;
  /** The file, relative to the project root. */
  file: string;
  line: number;
  endLine: number;
  context: DefinitionContext;
  /** True for a head without body. */
  head: boolean;
  metrics: ClauseMetrics;
}

/** Everything extracted from one parsed file. */
export interface FileExtraction {
  /** Path relative to the project root, with `/` separators. */
  path: string;
  modules: ModuleInfo[];
  /**
   * Definitions that are not functions of a named module (see {@link DefinitionInfo}), in source
   * order. `extractFile` always sets it; optional for hand-built extractions.
   */
  definitions?: DefinitionInfo[];
  /** Number of comments in the file. */
  commentCount: number;
  /** Last line any node reaches (a cheap size measure). */
  lastLine: number;
}

/** The key of a function across the project: `Module.name/arity`. */
export function functionKey(module: string, name: string, arity: number): string {
  return `${module}.${name}/${arity}`;
}

// ---------------------------------------------------------------------------------------------
// Project-level analysis

/** The OTP/library behaviours and framework patterns recognised. */
export type PatternKind =
  | "GenServer"
  | "Supervisor"
  | "DynamicSupervisor"
  | "Application"
  | "Agent"
  | "Task"
  | "GenStage"
  | "Registry"
  | "PhoenixController"
  | "PhoenixLiveView"
  | "PhoenixChannel"
  | "EctoSchema"
  | "EctoChangeset"
  | "Protocol"
  | "ProtocolImpl"
  | "Behaviour";

/** A module matching a behaviour or pattern, with the callbacks it defines and misses. */
export interface PatternMatch {
  module: string;
  file: string;
  pattern: PatternKind;
  /** What matched: `use GenServer`, `@behaviour Supervisor`, `Registry.register/3 call`... */
  evidence: string;
  /** Callbacks (`name/arity`) of the behaviour the module defines. */
  defined: string[];
  /** Required callbacks it does not define (after `use` defaults are accounted for). */
  missing: string[];
}

/** The findings rules, each defined in docs/ANALYSIS.md. */
export type FindingRule =
  | "long-function"
  | "deep-nesting"
  | "many-parameters"
  | "unused-private-function"
  | "unused-public-function"
  | "string-to-atom"
  | "dependency-cycle";

/** A finding at a place in the project. */
export interface Finding {
  rule: FindingRule;
  severity: "warning" | "info";
  message: string;
  file: string;
  line: number;
  module: string;
  /** `name/arity` when the finding is about a function, else null. */
  function: string | null;
  /** The measured value compared with the threshold (lines, depth, arity, cycle length), else null. */
  value: number | null;
  threshold: number | null;
}

/** An edge of the module dependency graph; `kinds` lists every kind of reference, sorted. */
export interface ModuleEdge {
  from: string;
  to: string;
  kinds: DependencyKind[];
}

/** Module dependency graph over the project's modules (edges to outside modules are dropped). */
export interface ModuleGraph {
  nodes: string[];
  edges: ModuleEdge[];
  /** Strongly connected components with more than one module (or a self-edge), each sorted. */
  cycles: string[][];
}

/** An edge of the call graph between two project functions, keyed `Module.name/arity`. */
export interface CallEdge {
  from: string;
  to: string;
  /** Number of call sites. */
  count: number;
}

/** Call graph between the project's functions; `callers`/`callees` index the edges. */
export interface CallGraph {
  /** Every project function key `Module.name/arity`, sorted. */
  nodes: string[];
  edges: CallEdge[];
  /** Function key to the sorted keys of the functions calling it. */
  callers: Record<string, string[]>;
  /** Function key to the sorted keys of the functions it calls. */
  callees: Record<string, string[]>;
}

/** The result of analysing a whole project. */
export interface ProjectAnalysis {
  patterns: PatternMatch[];
  findings: Finding[];
  moduleGraph: ModuleGraph;
  callGraph: CallGraph;
}

/** A file that failed to parse, as the CLI reports it (`column` may be unknown). */
export interface FileError {
  line: number | null;
  column: number | null;
  message: string;
}
