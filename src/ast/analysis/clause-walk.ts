/**
 * One walk over a function clause that measures it and collects its calls at once:
 * Credo 1.7's cyclomatic and perceived complexity and ABC size, cognitive complexity, the calls
 * (local, imported, remote, dynamic; pipes and captures) and the module references (structs,
 * calls, directives inside the body). Nesting needs Credo's block-only descent and is measured
 * apart ({@link credoNesting}). Every count is defined in docs/ANALYSIS.md.
 * @packageDocumentation
 */

import type { CallInfo, CallKind, DependencyKind } from "../model.js";
import { blockFor, columnOf, isPlainVar, kwGet, lineOf, varName } from "../syntax/ast-util.js";
import { type AliasTable, aliasBindings, moduleNameOf, withAlias } from "../syntax/scope.js";
import { Atom, Float, metaGet, Node, type Term, Tuple } from "../term.js";

/** What a clause walk needs to know about its surroundings. */
export interface ClauseContext {
  /** The module the clause belongs to. */
  module: string;
  /** Aliases in effect where the clause is defined. */
  aliases: AliasTable;
  /** `name/arity` of every function and macro of the module, default arities included. */
  locals: ReadonlySet<string>;
  /** `name/arity` to module, from `import ..., only: [...]` lists in effect. */
  importedOnly: Readonly<Record<string, string>>;
  /** The function's own name and arity, to see recursion. */
  name: string;
  arity: number;
  /** Credo's ABC ignores `where`/`from`/`select`/`join` when the file imports `Ecto.Query`. */
  ectoQuery: boolean;
  /** Prefix for call IDs (the clause ID). */
  idPrefix: string;
  /** True for module-body code: nested definitions are not entered (they are walked on their own). */
  skipDefinitions?: boolean;
}

/** A reference to another module found in a clause. */
export interface ClauseDependency {
  target: string;
  kind: DependencyKind;
  line: number;
}

/** What {@link walkClause} measures. */
export interface ClauseWalkResult {
  cyclomatic: number;
  perceived: number;
  abcA: number;
  abcB: number;
  abcC: number;
  cognitive: number;
  calls: CallInfo[];
  dependencies: ClauseDependency[];
}

const DEF_OPS = new Set(["def", "defp", "defmacro"]);
const DOUBLE_CONDITION = new Set(["if", "unless", "for", "try", "and", "or", "&&", "||"]);
const ABC_NON_CALLS = new Set([
  "==",
  "fn",
  "__aliases__",
  "__block__",
  "if",
  "or",
  "|>",
  "%{}",
  "{}",
  "^",
]);
const ECTO_FUNCTIONS = new Set(["where", "from", "select", "join"]);
const LOGICAL = new Set(["and", "or", "&&", "||"]);
const COGNITIVE_BRANCHES = new Set(["if", "unless", "case", "cond", "receive", "with", "for"]);
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
  "def",
  "defp",
  "defmacro",
  "defmacrop",
  "defguard",
  "defguardp",
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
const SKIPPED_AT_MODULE_LEVEL = new Set([
  "def",
  "defp",
  "defmacro",
  "defmacrop",
  "defguard",
  "defguardp",
  "defdelegate",
  "defmodule",
  "defprotocol",
  "defimpl",
  "quote",
]);
const IDENT = /^[a-z_][a-zA-Z0-9_]*[?!]?$/;

function isTupleTerm(t: Term): boolean {
  return t instanceof Node || t instanceof Tuple;
}

/**
 * Credo's `get_parameters/1` on a definition's head: the names of its plain-variable arguments
 * (for a guarded head, those among `[call, guard]`, so normally none).
 */
export function abcParameters(head: Term): string[] {
  if (!(head instanceof Node) || !Array.isArray(head.args)) return [];
  const out: string[] = [];
  for (const p of head.args) {
    const n = varName(p);
    if (n !== null) out.push(n);
  }
  return out;
}

/**
 * Credo's `fn_parameters/1` on the arguments of a `->` node. It recurses on itself, so
 * `[[a, b], acc]` (a list then a variable, which is a tuple) yields `a` and `b`, not `acc`.
 */
function fnParameters(args: Term[], into: Set<string>): void {
  let list = args;
  for (;;) {
    if (list.length !== 2) break;
    const [first, second] = list;
    if (Array.isArray(first) && isTupleTerm(second)) {
      list = first;
    } else if (
      Array.isArray(first) &&
      first.length === 1 &&
      first[0] instanceof Node &&
      first[0].form instanceof Atom &&
      first[0].form.name === "when" &&
      Array.isArray(first[0].args)
    ) {
      list = first[0].args;
    } else {
      break;
    }
  }
  for (const p of list) {
    const n = varName(p);
    if (n !== null) into.add(n);
  }
}

/** Credo's `do_block_for!/1` on a call's arguments, counted as `List.wrap(block) |> length`. */
function doBlockCount(args: Term[]): number {
  const block = blockFor(args, "do");
  if (block === undefined || block === null) return 0;
  return Array.isArray(block) ? block.length : 1;
}

// Walk modes as bit flags, so each child carries its own combination cheaply.
const ABC = 1;
const CALLS = 2;
const COG = 4;

/**
 * Walks one clause. `head` is the clause's head (with its guards), `blocks` the keyword list of
 * its `do`/`rescue`/`catch`/`else`/`after` blocks (for `defguard`, `[do: guard]`). The clause's
 * own `def` counts as the base 1 of both complexities, whatever its kind.
 */
export function walkClause(
  ctx: ClauseContext,
  headArgs: Term[],
  guards: Term[],
  blocks: Tuple[],
  abcParams: string[],
): ClauseWalkResult {
  let cc = 1;
  let perceived = 1;
  let a = 0;
  let b = 0;
  let c = 0;
  let cog = 0;
  const calls: CallInfo[] = [];
  const deps: ClauseDependency[] = [];
  const varNames = new Set<string>(abcParams);
  let aliases = ctx.aliases;
  let inQuote = 0;
  let piped: Node | null = null;
  let capture: Node | null = null;
  let suppressed: Node | null = null;
  // Credo's ABC replaces `unquote(x)` by `x` and walks on below it: `x` itself is not counted.
  let abcTransparent: Term = null;

  const addCall = (
    kind: CallKind,
    module: string | null,
    name: string,
    arity: number,
    n: Node,
    isPiped: boolean,
    isCapture: boolean,
  ) => {
    const line = lineOf(n);
    const column = columnOf(n);
    calls.push({
      id: `${ctx.idPrefix}@${calls.length}`,
      kind,
      module,
      name,
      arity,
      line,
      column,
      piped: isPiped,
      capture: isCapture,
      literalArgs: !isPiped && !isCapture && allLiteral(n.args),
    });
    if (kind === "remote" && module !== null && module !== ctx.module)
      deps.push({ target: module, kind: "call", line });
  };

  const localCall = (
    name: string,
    arity: number,
    n: Node,
    isPiped: boolean,
    isCapture: boolean,
  ) => {
    const key = `${name}/${arity}`;
    if (ctx.locals.has(key)) {
      addCall("local", ctx.module, name, arity, n, isPiped, isCapture);
      if (name === ctx.name && arity === ctx.arity) cog += 1; // recursion
    } else {
      const mod = ctx.importedOnly[key];
      addCall("imported", mod ?? null, name, arity, n, isPiped, isCapture);
    }
  };

  const directive = (name: string, args: Term[], line: number) => {
    if (name === "alias") {
      for (const bnd of aliasBindings(args, aliases, ctx.module)) {
        aliases = withAlias(aliases, bnd.short, bnd.full);
        deps.push({ target: bnd.full, kind: "alias", line });
      }
    } else {
      const target = moduleNameOf(args[0], aliases, ctx.module);
      if (target !== null) deps.push({ target, kind: name as DependencyKind, line });
    }
  };

  const visit = (t: Term, mode: number, nest: number, parentOp: string | null): void => {
    if (Array.isArray(t)) {
      for (let i = 0; i < t.length; i++) visit(t[i], mode, nest, null);
      return;
    }
    if (t instanceof Tuple) {
      for (let i = 0; i < t.items.length; i++) visit(t.items[i], mode, nest, null);
      return;
    }
    if (!(t instanceof Node)) return;
    const n = t;
    if (n.form instanceof Atom) {
      const name = n.form.name;
      const args = n.args;
      if (!Array.isArray(args)) {
        // Names starting with `_` (`_acc`, `__MODULE__`) are never branches.
        if (mode & ABC && n !== abcTransparent && !varNames.has(name) && name.charCodeAt(0) !== 95)
          b++;
        return;
      }
      if (ctx.skipDefinitions === true && SKIPPED_AT_MODULE_LEVEL.has(name)) return;
      // Cyclomatic and perceived complexity (Credo counts in the whole definition).
      if (DEF_OPS.has(name)) {
        cc++;
        perceived++;
      } else if (DOUBLE_CONDITION.has(name)) {
        cc++;
        perceived++;
      } else if (name === "case" || name === "cond") {
        const count = doBlockCount(args);
        cc += count;
        perceived += name === "case" ? count * 0.3 : count;
      }
      // ABC size: clauses in Credo's order, first match wins.
      let childMode = mode;
      if (mode & ABC && n !== abcTransparent) {
        if (DEF_OPS.has(name)) {
          // no count
        } else if (name === "<<>>") {
          childMode &= ~ABC;
        } else if (name === "unquote" && args.length === 1) {
          abcTransparent = args[0];
        } else if (name === "@") {
          a++;
          childMode &= ~ABC;
        } else if (name === "=") {
          a++;
          const v = varName(args[0]);
          if (v !== null) varNames.add(v);
        } else if (name === "->") {
          b++;
          fnParameters(args, varNames);
        } else if (name === ".") {
          if (!(args.length === 2 && isPlainVar(args[0]))) b++;
        } else if (!ABC_NON_CALLS.has(name)) {
          if (ctx.ectoQuery && ECTO_FUNCTIONS.has(name)) childMode &= ~ABC;
          else b++;
        } else if (name === "if" || name === "or") {
          c++;
        }
      }
      // Cognitive complexity.
      let blockNest = nest;
      if (mode & COG) {
        if (COGNITIVE_BRANCHES.has(name)) {
          cog += 1 + nest;
          blockNest = nest + 1;
          const last = args[args.length - 1];
          if ((name === "if" || name === "unless" || name === "with") && findKey(last, "else"))
            cog += 1;
        } else if (name === "try") {
          if (findKey(args[0], "rescue") || findKey(args[0], "catch")) cog += 1 + nest;
          blockNest = nest + 1;
        } else if (name === "fn") {
          blockNest = nest + 1;
        } else if (LOGICAL.has(name) && parentOp !== name) {
          cog += 1;
        }
      }
      // Calls and module references.
      const line = lineOf(n);
      if (inQuote === 0 && mode & CALLS) {
        if (name === "alias" || name === "import" || name === "require") {
          directive(name, args, line);
        } else if (name === "%" && args.length === 2) {
          const target = moduleNameOf(args[0], aliases, ctx.module);
          if (target !== null) deps.push({ target, kind: "struct", line });
        } else if (name === "&" && args.length === 1) {
          captureOf(args[0]);
        } else if (n !== suppressed && IDENT.test(name) && !NOT_CALLS.has(name)) {
          const isPiped = n === piped;
          localCall(name, args.length + (isPiped ? 1 : 0), n, isPiped, n === capture);
        }
      }
      const logicalParent = LOGICAL.has(name) ? name : null;
      if (name === "quote") inQuote++;
      const unquoting = (name === "unquote" || name === "unquote_splicing") && inQuote > 0;
      const savedQuote = inQuote;
      if (unquoting) inQuote = 0;
      if (name === "=" && mode & ABC) {
        // Credo replaces `lhs = rhs` by `rhs`: the pattern is not measured for ABC.
        visit(args[0], childMode & ~ABC, nest, null);
        for (let i = 1; i < args.length; i++) visit(args[i], childMode, nest, null);
      } else if (name === "|>" && args.length === 2) {
        visit(args[0], childMode, nest, null);
        const rhs = args[1];
        if (rhs instanceof Node && Array.isArray(rhs.args)) piped = rhs;
        visit(rhs, childMode, nest, null);
      } else if (blockNest !== nest) {
        visitBlocks(name, args, childMode, nest, blockNest);
      } else {
        for (let i = 0; i < args.length; i++) visit(args[i], childMode, nest, logicalParent);
      }
      if (unquoting) inQuote = savedQuote;
      if (name === "quote") inQuote--;
      return;
    }
    // Remote call `target.fun(args)`, anonymous call `fun.(args)`, or a call on a call.
    const form = n.form;
    const args = Array.isArray(n.args) ? n.args : [];
    if (inQuote === 0 && mode & CALLS && n !== suppressed && form instanceof Node && isDot(form)) {
      const dargs = form.args as Term[];
      if (dargs.length === 2 && dargs[1] instanceof Atom) {
        const fun = dargs[1].name;
        const target = dargs[0];
        const mod = moduleNameOf(target, aliases, ctx.module);
        const isPiped = n === piped;
        const arity = args.length + (isPiped ? 1 : 0);
        if (mod !== null) {
          addCall("remote", mod, fun, arity, n, isPiped, n === capture);
        } else if (!(metaGet(n.meta, "no_parens") === true && args.length === 0 && !isPiped)) {
          addCall("dynamic", null, fun, arity, n, isPiped, n === capture);
        }
      }
    }
    visit(form, mode, nest, null);
    for (let i = 0; i < args.length; i++) visit(args[i], mode, nest, null);
  };

  /** `&name/arity`, `&Mod.name/arity` or `&call(&1)`: records the capture. */
  const captureOf = (arg: Term) => {
    if (
      arg instanceof Node &&
      arg.form instanceof Atom &&
      arg.form.name === "/" &&
      Array.isArray(arg.args)
    ) {
      const [ref, ar] = arg.args;
      if (typeof ar !== "number" || !(ref instanceof Node)) return;
      if (ref.form instanceof Atom && !Array.isArray(ref.args)) {
        localCall(ref.form.name, ar, ref, false, true);
        suppressed = ref;
      } else if (ref.form instanceof Node && isDot(ref.form)) {
        const dargs = ref.form.args as Term[];
        if (dargs.length === 2 && dargs[1] instanceof Atom) {
          const mod = moduleNameOf(dargs[0], aliases, ctx.module);
          addCall(mod !== null ? "remote" : "dynamic", mod, dargs[1].name, ar, ref, false, true);
          suppressed = ref;
        }
      }
      return;
    }
    if (arg instanceof Node && Array.isArray(arg.args)) capture = arg;
  };

  /** Visits a branching construct's arguments, its keyword blocks one nesting level deeper. */
  const visitBlocks = (name: string, args: Term[], mode: number, nest: number, inner: number) => {
    for (const arg of args) {
      if (
        Array.isArray(arg) &&
        arg.length > 0 &&
        arg.every((p) => p instanceof Tuple && p.items.length === 2 && p.items[0] instanceof Atom)
      ) {
        for (const p of arg as Tuple[]) {
          const key = (p.items[0] as Atom).name;
          // A try's own body and after block are not nested; its rescue/catch/else are.
          const level = name === "try" && (key === "do" || key === "after") ? nest : inner;
          visit(p.items[1], mode, level, null);
        }
      } else {
        visit(arg, mode, name === "fn" ? inner : nest, null);
      }
    }
  };

  // Credo's complexities walk the whole definition, head call included: `defmacro left or right`
  // and `defmacro def(call, expr)` count their own name.
  if (ctx.arity > 0 && (DEF_OPS.has(ctx.name) || DOUBLE_CONDITION.has(ctx.name))) {
    cc++;
    perceived++;
  }
  // The head: default arguments and guards hold calls; Credo's complexities count guards too.
  for (const arg of headArgs) visit(arg, CALLS, 0, null);
  for (const g of guards) visit(g, CALLS, 0, null);
  // The body: Credo's ABC measures only the do block; cognitive counts rescue/catch once.
  let rescued = false;
  for (const blk of blocks) {
    const key = (blk.items[0] as Atom).name;
    if ((key === "rescue" || key === "catch") && !rescued) {
      cog += 1;
      rescued = true;
    }
    const level = key === "do" || key === "after" ? 0 : 1;
    visit(blk.items[1], key === "do" ? ABC | CALLS | COG : CALLS | COG, level, null);
  }
  return {
    cyclomatic: Math.round(cc),
    perceived: Math.round(perceived),
    abcA: a,
    abcB: b,
    abcC: c,
    cognitive: cog,
    calls,
    dependencies: deps,
  };
}

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

function isDot(n: Node): boolean {
  return n.form instanceof Atom && n.form.name === "." && Array.isArray(n.args);
}

function findKey(t: Term, key: string): boolean {
  return kwGet(t, key) !== undefined;
}
