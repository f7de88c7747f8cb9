/**
 * Calls and module references of a clause: local, imported, remote and dynamic calls (pipes and
 * captures included), and the modules named by directives, structs and `{:via, Mod, name}`.
 * Definitions are in docs/ANALYSIS.md.
 * @packageDocumentation
 */
import type { CallKind, DependencyKind } from "../../model.js";
import { columnOf, DEF_KINDS, lineOf } from "../../syntax/ast-util.js";
import { aliasBindings, moduleNameOf, withAlias } from "../../syntax/scope.js";
import { Atom, Float, metaGet, Node, type Term } from "../../term.js";
import type { WalkState } from "./state.js";

const IDENT = /^[a-z_][a-zA-Z0-9_]*[?!]?$/;
/** Names that look like local calls but are special forms, operators or definitions. */
const NOT_CALLS = new Set([
  "__block__",
  "__aliases__",
  "__MODULE__",
  "__ENV__",
  "__CALLER__",
  "__DIR__",
  "__STACKTRACE__",
  "case",
  "cond",
  "if",
  "unless",
  "with",
  "for",
  "try",
  "receive",
  "fn",
  "quote",
  "unquote",
  "unquote_splicing",
  "super",
  "import",
  "alias",
  "require",
  "when",
  "and",
  "or",
  "not",
  "in",
  ...DEF_KINDS,
  "defdelegate",
  "defmodule",
  "defstruct",
  "defexception",
  "defprotocol",
  "defimpl",
  "defoverridable",
  "var!",
  "binding",
]);

/** True when every argument is a literal scalar (a string with interpolation is not). */
function allLiteral(args: Term[] | Atom | null): boolean {
  if (!Array.isArray(args)) return true;
  for (const a of args) {
    const t = typeof a;
    if (a === null || t === "number" || t === "bigint" || t === "string" || t === "boolean")
      continue;
    if (a instanceof Atom || a instanceof Float) continue;
    return false;
  }
  return true;
}

/** True for the dot of a remote call, `{:., _, [target, name]}`. */
export function isDot(n: Node): boolean {
  return n.form instanceof Atom && n.form.name === "." && Array.isArray(n.args);
}

function addCall(
  s: WalkState,
  kind: CallKind,
  module: string | null,
  name: string,
  arity: number,
  n: Node,
  capture: boolean,
): void {
  const line = lineOf(n);
  const piped = n === s.piped;
  s.calls.push({
    id: `${s.ctx.idPrefix}@${s.calls.length}`,
    kind,
    module,
    name,
    arity,
    line,
    column: columnOf(n),
    piped,
    capture,
    literalArgs: !piped && !capture && allLiteral(n.args),
  });
  if (kind === "remote" && module !== null && module !== s.ctx.module)
    s.deps.push({ target: module, kind: "call", line });
}

/**
 * Whether a call name can be a function's (an identifier, not a special form): asked of every
 * call node, so the answer is kept per name (names are few; a regular expression per node cost
 * 3% of extraction).
 */
const CALL_NAMES = new Map<string, boolean>();

function isCallName(name: string): boolean {
  let yes = CALL_NAMES.get(name);
  if (yes === undefined) {
    yes = IDENT.test(name) && !NOT_CALLS.has(name);
    // Bounded: names come from source, and a generated file could hold any number of them.
    if (CALL_NAMES.size < 100_000) CALL_NAMES.set(name, yes);
  }
  return yes;
}

/**
 * The arities of each local function name, as a bit mask, for a module's `name/arity` set:
 * looking a call up by name and bit avoids building a `name/arity` string per call. Built once
 * per set (every clause of a module shares it).
 */
const ARITY_MASKS = new WeakMap<ReadonlySet<string>, Map<string, number>>();
/** Arities at or above this are looked up by their `name/arity` key. */
const MASK_ARITIES = 30;

function arityMasks(locals: ReadonlySet<string>): Map<string, number> {
  let masks = ARITY_MASKS.get(locals);
  if (masks === undefined) {
    masks = new Map();
    for (const key of locals) {
      const slash = key.lastIndexOf("/");
      const arity = Number(key.slice(slash + 1));
      const name = key.slice(0, slash);
      const bit = arity < MASK_ARITIES ? 1 << arity : 1 << MASK_ARITIES;
      masks.set(name, (masks.get(name) ?? 0) | bit);
    }
    ARITY_MASKS.set(locals, masks);
  }
  return masks;
}

function isLocal(locals: ReadonlySet<string>, name: string, arity: number): boolean {
  const mask = arityMasks(locals).get(name);
  if (mask === undefined) return false;
  if (arity < MASK_ARITIES) return (mask & (1 << arity)) !== 0;
  return locals.has(`${name}/${arity}`);
}

function importedFrom(s: WalkState, name: string, arity: number): string | null {
  for (const _ in s.ctx.importedOnly) return s.ctx.importedOnly[`${name}/${arity}`] ?? null;
  return null;
}

function localCall(s: WalkState, name: string, arity: number, n: Node, capture: boolean): void {
  if (isLocal(s.ctx.locals, name, arity)) {
    addCall(s, "local", s.ctx.module, name, arity, n, capture);
    if (name === s.ctx.name && arity === s.ctx.arity) s.cognitive += 1; // direct recursion
  } else {
    addCall(s, "imported", importedFrom(s, name, arity), name, arity, n, capture);
  }
}

function directive(s: WalkState, name: string, args: Term[], line: number): void {
  if (name === "alias") {
    for (const b of aliasBindings(args, s.aliases, s.ctx.module)) {
      s.aliases = withAlias(s.aliases, b.short, b.full);
      s.deps.push({ target: b.full, kind: "alias", line });
    }
    return;
  }
  const target = moduleNameOf(args[0], s.aliases, s.ctx.module);
  if (target !== null) s.deps.push({ target, kind: name as DependencyKind, line });
}

/** `&name/arity`, `&Mod.name/arity` or `&call(&1)`: records the capture. */
function captureOf(s: WalkState, arg: Term): void {
  if (!(arg instanceof Node) || !Array.isArray(arg.args)) return;
  if (!(arg.form instanceof Atom && arg.form.name === "/")) {
    s.capture = arg;
    return;
  }
  const [ref, arity] = arg.args;
  if (typeof arity !== "number" || !(ref instanceof Node)) return;
  if (ref.form instanceof Atom && !Array.isArray(ref.args)) {
    localCall(s, ref.form.name, arity, ref, true);
    s.suppressed = ref;
  } else if (ref.form instanceof Node && isDot(ref.form)) {
    const dargs = ref.form.args as Term[];
    if (dargs.length === 2 && dargs[1] instanceof Atom) {
      const mod = moduleNameOf(dargs[0], s.aliases, s.ctx.module);
      addCall(s, mod !== null ? "remote" : "dynamic", mod, dargs[1].name, arity, ref, true);
      s.suppressed = ref;
    }
  }
}

/** Records what the call `name(args)` (an atom-named call) calls or names. */
export function callsEnter(s: WalkState, n: Node, name: string, args: Term[]): void {
  const line = lineOf(n);
  if (name === "alias" || name === "import" || name === "require") {
    directive(s, name, args, line);
  } else if (name === "%" && args.length === 2) {
    const target = moduleNameOf(args[0], s.aliases, s.ctx.module);
    if (target !== null) s.deps.push({ target, kind: "struct", line });
  } else if (name === "&" && args.length === 1) {
    captureOf(s, args[0]);
  } else if (
    name === "{}" &&
    args.length === 3 &&
    args[0] instanceof Atom &&
    args[0].name === "via"
  ) {
    // `{:via, Registry, {R, key}}`: the process is named through that module's functions.
    const target = moduleNameOf(args[1], s.aliases, s.ctx.module);
    if (target !== null) s.deps.push({ target, kind: "via", line });
  } else if (n !== s.suppressed && isCallName(name)) {
    const arity = args.length + (n === s.piped ? 1 : 0);
    localCall(s, name, arity, n, n === s.capture);
  }
}

/** Records a remote call `target.fun(args)` or a dynamic one `var.fun(args)`. */
export function remoteCallEnter(s: WalkState, n: Node, dot: Node, args: Term[]): void {
  const dargs = dot.args as Term[];
  if (n === s.suppressed || dargs.length !== 2 || !(dargs[1] instanceof Atom)) return;
  const fun = dargs[1].name;
  const mod = moduleNameOf(dargs[0], s.aliases, s.ctx.module);
  const piped = n === s.piped;
  const arity = args.length + (piped ? 1 : 0);
  if (mod !== null) {
    addCall(s, "remote", mod, fun, arity, n, n === s.capture);
  } else if (!(metaGet(n.meta, "no_parens") === true && args.length === 0 && !piped)) {
    // `map.field` without parentheses is field access, not a call.
    addCall(s, "dynamic", null, fun, arity, n, n === s.capture);
  }
}
