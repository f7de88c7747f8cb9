/**
 * Module bodies: directives, attributes and definitions in source order, in the lexical scope
 * the compiler would see. The first phase ({@link collectModules}) reads every module of a
 * file; the second ({@link finishModule}) walks clause bodies once every local function of the
 * module is known.
 * @packageDocumentation
 */

import type {
  DirectiveInfo,
  DocState,
  FunctionKind,
  ModuleDependency,
  ModuleInfo,
  ModuleKind,
} from "../model.js";
import {
  columnOf,
  DEF_KINDS,
  isCall,
  kwGet,
  lastLine,
  lineOf,
  nestedLine,
  pairKey,
  statements,
} from "../syntax/ast-util.js";
import {
  type AliasTable,
  aliasBindings,
  lastSegment,
  moduleNameOf,
  withAlias,
} from "../syntax/scope.js";
import { Atom, Node, type Term, Tuple } from "../term.js";
import { clauseEnd, countDefaults, defShape, headCall, splitHead } from "./def-shape.js";
import {
  exceptionFunctions,
  type GeneratedFunction,
  implFunctions,
  protocolFunctions,
  structFunctions,
  USE_BEHAVIOURS,
  USE_GENERATED,
} from "./generated.js";

/** A clause as written, waiting for its body walk. */
export interface ClauseDraft {
  kind: FunctionKind;
  name: string;
  /** Parameters written, defaults included. */
  arity: number;
  /** Number of parameters with a default (`\\`). */
  defaults: number;
  headArgs: Term[];
  guards: Term[];
  /** `do`/`rescue`/... blocks; empty for a bodiless head. */
  blocks: Tuple[];
  /** The arguments of the `def` call, for Credo's nesting. */
  defArgs: Term[];
  line: number;
  column: number;
  endLine: number;
  aliases: AliasTable;
  importedOnly: Record<string, string>;
  doc: DocState | null;
  impl: string | null;
  delegateTo: { module: string; name: string } | null;
}

/**
 * A module as read from its body, before clause bodies are walked: the fields it shares with
 * {@link ModuleInfo}, plus what the walk still needs.
 */
export interface ModuleDraft
  extends Omit<ModuleInfo, "id" | "file" | "functions" | "bodyCalls" | "dependencies" | "metrics"> {
  clauses: ClauseDraft[];
  generated: GeneratedFunction[];
  /** Lines of the constructs that generated functions, by generator. */
  generatedLines: Record<string, number>;
  dependencies: ModuleDependency[];
  /** Protocols named in `@derive` (resolved), for the implementations they generate. */
  derives: string[];
  /** Module-body expressions outside definitions, with the scope they are in, for their calls. */
  bodyExprs: { expr: Term; aliases: AliasTable; importedOnly: Record<string, string> }[];
}

/** Where a module body is read: its aliases and what the enclosing module is. */
interface Scope {
  aliases: AliasTable;
  module: string | null;
}

/** State while reading one module body. */
interface BodyState {
  draft: ModuleDraft;
  aliases: AliasTable;
  importedOnly: Record<string, string>;
  pendingDoc: DocState | null;
  pendingImpl: string | null;
  optional: Set<string>;
  depKeys: Set<string>;
  /**
   * How many enclosing statements are already walked for their calls as a whole (a `describe`
   * around `test`s): statements inside them are read for definitions, but walking them again
   * would count each of their calls once more per level.
   */
  covered: number;
}

/** Everything the first phase found in a file. */
export interface FileCollection {
  modules: ModuleDraft[];
  /** True when some module imports `Ecto.Query` (Credo's ABC then ignores query macros). */
  ectoQuery: boolean;
  /** Module definitions whose name is not literal (`defmodule unquote(name)`), by line. */
  dynamicModules: number[];
}

const SKIP_ATTRIBUTES = new Set([
  "moduledoc",
  "doc",
  "typedoc",
  "spec",
  "callback",
  "macrocallback",
  "type",
  "typep",
  "opaque",
  "impl",
  "behaviour",
  "optional_callbacks",
]);

/**
 * The collection while it is read, with the work still to do. Reading nests as deeply as the
 * file does (modules in modules, definitions in `if`s), so it runs on an explicit stack of
 * jobs rather than the call stack: a job that would have recursed pushes jobs instead, in
 * reverse, so they run next and in source order, before what its caller pushed earlier.
 */
interface Reader extends FileCollection {
  readonly jobs: (() => void)[];
}

/** Runs `job` on each item in order, once the jobs already running have finished. */
function later<T>(r: Reader, items: readonly T[], job: (item: T) => void): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    r.jobs.push(() => job(item));
  }
}

/** Reads every module of a file (`ast` is the whole file). */
export function collectModules(ast: Term): FileCollection {
  const r: Reader = { modules: [], ectoQuery: false, dynamicModules: [], jobs: [] };
  walkTopLevel(ast, { aliases: {}, module: null }, r);
  for (let job = r.jobs.pop(); job !== undefined; job = r.jobs.pop()) job();
  return { modules: r.modules, ectoQuery: r.ectoQuery, dynamicModules: r.dynamicModules };
}

function walkTopLevel(t: Term, scope: Scope, r: Reader): void {
  // An alias applies to the statements after it: they share this holder.
  const at = { scope };
  later(r, statements(t), (stmt) => topLevelStatement(stmt, at, r));
}

function topLevelStatement(stmt: Term, at: { scope: Scope }, r: Reader): void {
  if (!(stmt instanceof Node) || !Array.isArray(stmt.args)) return;
  const name = stmt.form instanceof Atom ? stmt.form.name : "";
  if (name === "defmodule" || name === "defprotocol") {
    defineModule(
      stmt as Node & { args: Term[] },
      name === "defprotocol" ? "protocol" : "module",
      at.scope,
      r,
    );
  } else if (name === "defimpl") {
    defineImpls(stmt as Node & { args: Term[] }, at.scope, r);
  } else if (name === "alias") {
    for (const b of aliasBindings(stmt.args, at.scope.aliases, at.scope.module)) {
      at.scope = { ...at.scope, aliases: withAlias(at.scope.aliases, b.short, b.full) };
    }
  } else if (name !== "quote" && name !== "") {
    // Modules inside `if`, `for`... at top level are still defined when that code runs.
    const scope = at.scope;
    later(r, doBlocks(stmt.args), (block) => walkTopLevel(block, scope, r));
  }
}

/** The values of the `do`/`else`/... blocks among a call's arguments. */
function doBlocks(args: Term[]): Term[] {
  const out: Term[] = [];
  for (const a of args) {
    if (!Array.isArray(a)) continue;
    for (const p of a) {
      const k = pairKey(p);
      if (k === "do" || k === "else" || k === "after") out.push((p as Tuple).items[1]);
    }
  }
  return out;
}

function newDraft(name: string, kind: ModuleKind, node: Node, parent: string | null): ModuleDraft {
  const line = lineOf(node);
  return {
    name,
    kind,
    line,
    endLine: nestedLine(node.meta, "end") ?? lastLine(node),
    parent,
    moduledoc: "none",
    behaviours: [],
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
    clauses: [],
    generated: [],
    generatedLines: {},
    dependencies: [],
    derives: [],
    bodyExprs: [],
  };
}

/**
 * The name `defmodule` gives: nested modules are prefixed by the enclosing module unless their
 * first segment is already an alias; returns the alias the definition adds to the outer scope.
 */
function definedName(
  target: Term,
  scope: Scope,
): { name: string; alias: [string, string] | null } | null {
  if (isCall(target, "__aliases__") && target.args[0] instanceof Atom && scope.module !== null) {
    const head = target.args[0].name;
    if (head !== "Elixir" && scope.aliases[head] === undefined) {
      const rest = target.args.slice(1);
      if (!rest.every((r) => r instanceof Atom)) return null;
      const first = `${scope.module}.${head}`;
      const name = [first, ...rest.map((r) => (r as Atom).name)].join(".");
      return { name, alias: [head, first] };
    }
  }
  const name = moduleNameOf(target, scope.aliases, scope.module);
  return name === null ? null : { name, alias: null };
}

/** Starts a module: its draft now, its body and what follows it as jobs. */
function defineModule(
  node: Node & { args: Term[] },
  kind: ModuleKind,
  scope: Scope,
  out: Reader,
): Scope {
  const named = definedName(node.args[0], scope);
  if (named === null) {
    out.dynamicModules.push(lineOf(node));
    return scope;
  }
  const draft = newDraft(named.name, kind, node, scope.module);
  if (kind === "protocol") {
    draft.generated.push(...protocolFunctions());
    draft.generatedLines.defprotocol = draft.line;
  }
  out.modules.push(draft);
  const outer =
    named.alias === null
      ? scope
      : { ...scope, aliases: withAlias(scope.aliases, named.alias[0], named.alias[1]) };
  // After the body (pushed first, so it runs last): what the body's `@derive` generates.
  out.jobs.push(() => deriveInspect(node, draft, scope, out));
  readBody(kwGet(node.args[1], "do"), draft, { aliases: outer.aliases, module: named.name }, out);
  return outer;
}

function deriveInspect(node: Node, draft: ModuleDraft, scope: Scope, out: FileCollection): void {
  if (draft.structFields !== null && draft.derives.includes("Inspect")) {
    // Inspect's __deriving__ (Elixir 1.14) defines Inspect.<Module> with inspect/2.
    const derived = newDraft(`Inspect.${draft.name}`, "impl", node, scope.module);
    derived.impl = { protocol: "Inspect", for: draft.name };
    derived.behaviours.push("Inspect");
    derived.generated.push(...implFunctions(), {
      name: "inspect",
      arity: 2,
      by: "@derive Inspect",
    });
    derived.generatedLines.defimpl = derived.line;
    out.modules.push(derived);
  }
}

function defineImpls(node: Node & { args: Term[] }, scope: Scope, out: Reader): void {
  const protocol = moduleNameOf(node.args[0], scope.aliases, scope.module);
  if (protocol === null) {
    out.dynamicModules.push(lineOf(node));
    return;
  }
  // defimpl P, for: T, do: ... puts `do` in the same keyword list as `for`.
  let opts: Term | undefined;
  let body: Term | undefined;
  for (const a of node.args.slice(1)) {
    if (kwGet(a, "for") !== undefined) opts = a;
    if (kwGet(a, "do") !== undefined) body = kwGet(a, "do");
  }
  const forTerm = opts === undefined ? undefined : kwGet(opts, "for");
  const targets: string[] = [];
  if (forTerm === undefined) {
    if (scope.module !== null) targets.push(scope.module);
  } else {
    for (const f of Array.isArray(forTerm) ? forTerm : [forTerm]) {
      const t = moduleNameOf(f, scope.aliases, scope.module);
      if (t !== null) targets.push(t);
    }
  }
  if (targets.length === 0) out.dynamicModules.push(lineOf(node));
  later(out, targets, (target) => {
    const name = `${protocol}.${target.startsWith(":") ? target.slice(1) : target}`;
    const draft = newDraft(name, "impl", node, scope.module);
    draft.impl = { protocol, for: target };
    draft.behaviours.push(protocol);
    draft.generated.push(...implFunctions());
    draft.generatedLines.defimpl = draft.line;
    addDep(draft, new Set(), protocol, "behaviour", draft.line);
    out.modules.push(draft);
    readBody(body, draft, { aliases: scope.aliases, module: name }, out);
  });
}

function addDep(
  draft: ModuleDraft,
  keys: Set<string>,
  target: string,
  kind: ModuleDependency["kind"],
  line: number,
): void {
  if (target === draft.name) return;
  const key = `${kind} ${target}`;
  if (keys.has(key)) return;
  keys.add(key);
  draft.dependencies.push({ target, kind, line });
}

function readBody(body: Term | undefined, draft: ModuleDraft, scope: Scope, out: Reader): void {
  const st: BodyState = {
    draft,
    aliases: scope.aliases,
    importedOnly: {},
    pendingDoc: null,
    pendingImpl: null,
    optional: new Set(),
    covered: 0,
    depKeys: new Set(draft.dependencies.map((d) => `${d.kind} ${d.target}`)),
  };
  // After the whole body (pushed first, so it runs last).
  out.jobs.push(() => {
    for (const cb of draft.callbacks)
      if (st.optional.has(`${cb.name}/${cb.arity}`)) cb.optional = true;
  });
  readStatements(body, st, out);
}

function readStatements(body: Term | undefined, st: BodyState, out: Reader): void {
  if (Array.isArray(body)) {
    // The clauses of a `case`/`cond` at module level: read each clause's body.
    later(out, body, (item) => {
      if (isCall(item, "->")) readStatements(item.args[1], st, out);
    });
    return;
  }
  later(out, statements(body), (stmt) => {
    if (stmt instanceof Node && Array.isArray(stmt.args))
      readStatement(stmt as Node & { args: Term[] }, st, out);
  });
}

function readStatement(n: Node & { args: Term[] }, st: BodyState, out: Reader): void {
  const d = st.draft;
  const name = n.form instanceof Atom ? n.form.name : "";
  const line = lineOf(n);
  const scope = (): Scope => ({ aliases: st.aliases, module: d.name });
  switch (name) {
    case "defmodule":
    case "defprotocol": {
      const outer = defineModule(n, name === "defprotocol" ? "protocol" : "module", scope(), out);
      st.aliases = outer.aliases;
      return;
    }
    case "defimpl":
      defineImpls(n, scope(), out);
      return;
    case "alias":
      for (const b of aliasBindings(n.args, st.aliases, d.name)) {
        st.aliases = withAlias(st.aliases, b.short, b.full);
        d.aliases.push({ module: b.full, as: b.short, line });
        addDep(d, st.depKeys, b.full, "alias", line);
      }
      return;
    case "import":
    case "require":
    case "use":
      readDirective(name, n, st, line);
      return;
    case "@":
      readAttribute(n, st, line);
      return;
    case "defstruct":
    case "defexception": {
      const fields = structFieldNames(n.args[0]);
      d.structFields = fields;
      if (name === "defexception") {
        d.exception = true;
        d.behaviours.push("Exception");
        d.generated.push(...exceptionFunctions(fields));
      } else {
        d.generated.push(...structFunctions());
      }
      d.generatedLines[name] = line;
      return;
    }
    case "defdelegate":
      readDelegate(n, st, line);
      return;
    case "__block__":
      readStatements(n, st, out);
      return;
    case "quote":
      return;
  }
  if (DEF_KINDS.has(name)) {
    readDef(name as FunctionKind, n, st);
    return;
  }
  const kernelDef = kernelQualified(n);
  if (kernelDef !== null) {
    // `Kernel.def name(...)`: used where a module defines its own `def` (List.Chars).
    if (kernelDef === "defdelegate") readDelegate(n, st, line);
    else readDef(kernelDef as FunctionKind, n, st);
    return;
  }
  // Definitions inside `if`, `unless`, `for`, `case`... at module level are still definitions;
  // the rest of such code (ExUnit's `test` blocks...) is walked later for its calls, once.
  if (st.covered === 0)
    d.bodyExprs.push({ expr: n, aliases: st.aliases, importedOnly: st.importedOnly });
  const blocks = doBlocks(n.args);
  if (blocks.length === 0) return;
  // The blocks' jobs run next, so the count covers exactly them; it drops after the last.
  st.covered++;
  out.jobs.push(() => {
    st.covered--;
  });
  later(out, blocks, (block) => readStatements(block, st, out));
}

/** The definition macro of a `Kernel.def(...)`-style call, else null. */
function kernelQualified(n: Node): string | null {
  const f = n.form;
  if (!isCall(f, ".") || f.args.length !== 2) return null;
  const [target, fun] = f.args;
  if (!(fun instanceof Atom) || (!DEF_KINDS.has(fun.name) && fun.name !== "defdelegate"))
    return null;
  return moduleNameOf(target, {}, null) === "Kernel" ? fun.name : null;
}

function structFieldNames(t: Term): string[] {
  if (!Array.isArray(t)) return [];
  const out: string[] = [];
  for (const f of t) {
    if (f instanceof Atom) out.push(f.name);
    else if (f instanceof Tuple && f.items[0] instanceof Atom) out.push(f.items[0].name);
  }
  return out;
}

function nameArityList(t: Term | undefined): string[] | null {
  if (t === undefined || !Array.isArray(t)) return null;
  const out: string[] = [];
  for (const p of t) {
    const k = pairKey(p);
    const v = (p as Tuple).items?.[1];
    if (k !== undefined && typeof v === "number") out.push(`${k}/${v}`);
  }
  return out;
}

function readDirective(
  kind: "import" | "require" | "use",
  n: Node & { args: Term[] },
  st: BodyState,
  line: number,
): void {
  const d = st.draft;
  const target = moduleNameOf(n.args[0], st.aliases, d.name);
  if (target === null) return;
  const opts = n.args[1];
  const info: DirectiveInfo = {
    module: target,
    line,
    only: null,
    except: null,
    arg: opts instanceof Atom ? opts.name : null,
  };
  if (kind === "import") {
    info.only = nameArityList(kwGet(opts ?? [], "only"));
    info.except = nameArityList(kwGet(opts ?? [], "except"));
    if (info.only !== null) {
      st.importedOnly = { ...st.importedOnly };
      for (const key of info.only) st.importedOnly[key] = target;
    }
    d.imports.push(info);
  } else if (kind === "require") {
    d.requires.push(info);
    const as = kwGet(opts ?? [], "as");
    if (as !== undefined) {
      const short = moduleNameOf(as, {}, d.name);
      if (short !== null) st.aliases = withAlias(st.aliases, lastSegment(short), target);
    }
  } else {
    d.uses.push(info);
    const behaviour = USE_BEHAVIOURS[target];
    if (behaviour !== undefined && !d.behaviours.includes(behaviour)) d.behaviours.push(behaviour);
    for (const [fname, arity] of USE_GENERATED[target] ?? [])
      d.generated.push({ name: fname, arity, by: `use ${target}` });
    d.generatedLines[`use ${target}`] = line;
  }
  addDep(d, st.depKeys, target, kind, line);
}

/** `name(args) :: t` or `name(args) :: t when ...`: the name and arity, or null. */
function signature(t: Term): { name: string; arity: number } | null {
  let x = t;
  if (isCall(x, "when")) x = x.args[0];
  if (!isCall(x, "::")) return null;
  const call = x.args[0];
  if (!(call instanceof Node) || !(call.form instanceof Atom)) return null;
  return { name: call.form.name, arity: Array.isArray(call.args) ? call.args.length : 0 };
}

function readAttribute(n: Node & { args: Term[] }, st: BodyState, line: number): void {
  const d = st.draft;
  const inner = n.args[0];
  if (
    !(inner instanceof Node) ||
    !(inner.form instanceof Atom) ||
    !Array.isArray(inner.args) ||
    inner.args.length !== 1
  ) {
    return;
  }
  const attr = inner.form.name;
  const value = inner.args[0];
  switch (attr) {
    case "moduledoc":
      d.moduledoc = value === false ? "false" : value === null ? "none" : "doc";
      return;
    case "doc":
      // `@doc since: "1.0"` is metadata, not documentation.
      if (Array.isArray(value)) return;
      st.pendingDoc = value === false ? "false" : value === null ? "none" : "doc";
      return;
    case "impl":
      st.pendingImpl =
        value === false || value === null
          ? null
          : value === true
            ? "true"
            : (moduleNameOf(value, st.aliases, d.name) ?? "true");
      return;
    case "spec": {
      const sig = signature(value);
      if (sig !== null && !d.specs.some((s) => s.name === sig.name && s.arity === sig.arity))
        d.specs.push({ ...sig, line });
      return;
    }
    case "callback":
    case "macrocallback": {
      const sig = signature(value);
      if (sig !== null) d.callbacks.push({ ...sig, kind: attr, optional: false, line });
      return;
    }
    case "type":
    case "typep":
    case "opaque": {
      const sig = signature(value);
      if (sig !== null) d.types.push({ ...sig, kind: attr, line });
      return;
    }
    case "behaviour": {
      const b = moduleNameOf(value, st.aliases, d.name);
      if (b !== null) {
        if (!d.behaviours.includes(b)) d.behaviours.push(b);
        addDep(d, st.depKeys, b, "behaviour", line);
      }
      return;
    }
    case "derive":
      for (const item of Array.isArray(value) ? value : [value]) {
        const proto = item instanceof Tuple ? item.items[0] : item;
        const p = moduleNameOf(proto, st.aliases, d.name);
        if (p !== null) d.derives.push(p);
      }
      break;
    case "optional_callbacks":
      for (const key of nameArityList(value) ?? []) st.optional.add(key);
      return;
  }
  if (!SKIP_ATTRIBUTES.has(attr)) {
    d.attributes.push({ name: attr, line });
    if (st.covered === 0)
      d.bodyExprs.push({ expr: value, aliases: st.aliases, importedOnly: st.importedOnly });
  }
}

function readDef(kind: FunctionKind, n: Node & { args: Term[] }, st: BodyState): void {
  const shape = defShape(kind, n);
  if (shape.name === null) return;
  pushClause(st, {
    kind,
    name: shape.name,
    arity: shape.params.length,
    defaults: countDefaults(shape.params),
    headArgs: shape.params,
    guards: shape.guards,
    blocks: shape.blocks,
    defArgs: n.args,
    line: lineOf(n),
    column: columnOf(n),
    endLine: clauseEnd(n),
    aliases: st.aliases,
    importedOnly: st.importedOnly,
    doc: st.pendingDoc,
    impl: st.pendingImpl,
    delegateTo: null,
  });
}

function readDelegate(n: Node & { args: Term[] }, st: BodyState, line: number): void {
  const d = st.draft;
  const head = headCall(splitHead(n.args[0]).call);
  const opts = n.args[1];
  if (head === null || opts === undefined) return;
  const toTerm = kwGet(opts, "to");
  const to = toTerm === undefined ? null : moduleNameOf(toTerm, st.aliases, d.name);
  const as = kwGet(opts, "as");
  const target = as instanceof Atom ? as.name : head.name;
  if (to !== null) addDep(d, st.depKeys, to, "call", line);
  pushClause(st, {
    kind: "defdelegate",
    name: head.name,
    arity: head.params.length,
    defaults: countDefaults(head.params),
    headArgs: head.params,
    guards: [],
    blocks: [],
    defArgs: n.args,
    line,
    column: columnOf(n),
    endLine: clauseEnd(n),
    aliases: st.aliases,
    importedOnly: st.importedOnly,
    doc: st.pendingDoc,
    impl: st.pendingImpl,
    delegateTo: to === null ? null : { module: to, name: target },
  });
}

function pushClause(st: BodyState, c: ClauseDraft): void {
  st.draft.clauses.push(c);
  // @doc and @impl apply to the next definition only.
  st.pendingDoc = null;
  st.pendingImpl = null;
}

/** Whether any module of the collection imports `Ecto.Query`. */
export function importsEctoQuery(modules: ModuleDraft[]): boolean {
  return modules.some((m) => m.imports.some((i) => i.module === "Ecto.Query"));
}
