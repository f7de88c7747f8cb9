/**
 * Definitions that are not functions of a named module: `def`s inside `quote`, in modules whose
 * name is computed, with computed names, at a script's top level, or inside another definition.
 * Credo walks every definition node of a file and measures each, so we find them the same way:
 * one walk over the file that reports each definition node the module reader did not take.
 * @packageDocumentation
 */
import type { DefinitionContext, DefinitionInfo, FunctionKind } from "../model.js";
import { DEF_KINDS, isCall, lineOf } from "../syntax/ast-util.js";
import { Atom, Node, type Term, Tuple } from "../term.js";
import { clauseEnd, defShape } from "./def-shape.js";
import { measureClause } from "./measure.js";
import { print } from "./print.js";

const MODULE_DEFINERS = new Set(["defmodule", "defprotocol", "defimpl"]);

/** Where the walk is: outside any module, in a named module, in a module with a computed name. */
enum Where {
  Script,
  Named,
  Computed,
}

interface Finder {
  file: string;
  /** The argument lists of the definitions that became module functions. */
  taken: ReadonlySet<Term[]>;
  ectoQuery: boolean;
  out: DefinitionInfo[];
}

/**
 * Every definition of the file at `ast` whose argument list is not in `taken`, in source order.
 * @param ectoQuery whether the file imports `Ecto.Query` (Credo's ABC then skips query macros)
 */
export function findDefinitions(
  ast: Term,
  file: string,
  taken: ReadonlySet<Term[]>,
  ectoQuery: boolean,
): DefinitionInfo[] {
  const finder: Finder = { file, taken, ectoQuery, out: [] };
  visit(ast, finder, Where.Script, false, false);
  return finder.out;
}

/** Where an entry of the walk is, packed in one number: {@link Where} plus two bits. */
const QUOTED = 4;
const NESTED = 8;

/**
 * Visits every node of `root` in source order, on an explicit stack (terms and packed places in
 * two arrays): a file as deep as the parser accepts must not exhaust the call stack.
 */
function visit(root: Term, f: Finder, where: Where, quoted: boolean, nested: boolean): void {
  if (!mayHoldDefinitions(root)) return;
  const terms: Term[] = [root];
  const places: number[] = [where | (quoted ? QUOTED : 0) | (nested ? NESTED : 0)];
  while (terms.length > 0) {
    const t = terms.pop() as Term;
    const place = places.pop() as number;
    if (Array.isArray(t)) {
      for (let i = t.length - 1; i >= 0; i--) {
        if (mayHoldDefinitions(t[i])) {
          terms.push(t[i]);
          places.push(place);
        }
      }
    } else if (t instanceof Tuple) {
      for (let i = t.items.length - 1; i >= 0; i--) {
        if (mayHoldDefinitions(t.items[i])) {
          terms.push(t.items[i]);
          places.push(place);
        }
      }
    } else {
      const n = t as Node & { args: Term[] };
      const inner = enter(n, f, place);
      for (let i = n.args.length - 1; i >= 0; i--) {
        if (mayHoldDefinitions(n.args[i])) {
          terms.push(n.args[i]);
          places.push(inner);
        }
      }
      if (n.form instanceof Node && mayHoldDefinitions(n.form)) {
        terms.push(n.form);
        places.push(place);
      }
    }
  }
}

/** Lists, tuples and calls: what the walk enters (scalars and variables hold nothing). */
function mayHoldDefinitions(t: Term): boolean {
  return Array.isArray(t) || t instanceof Tuple || (t instanceof Node && Array.isArray(t.args));
}

/** Records `n` if it is a definition nobody took; the place of its arguments. */
function enter(n: Node & { args: Term[] }, f: Finder, place: number): number {
  const where = (place & 3) as Where;
  const quoted = (place & QUOTED) !== 0;
  const nested = (place & NESTED) !== 0;
  const args = n.args;
  const name = n.form instanceof Atom ? n.form.name : null;
  let inner = where;
  let innerQuoted = quoted;
  let innerNested = nested || f.taken.has(args);
  if (name !== null && DEF_KINDS.has(name) && args.length > 0) {
    if (!f.taken.has(args)) record(n, name as FunctionKind, f, { where, quoted, nested });
    innerNested = true;
  } else if (name === "quote") {
    innerQuoted = true;
  } else if (name !== null && MODULE_DEFINERS.has(name) && !quoted && where !== Where.Computed) {
    inner = literalName(args[0]) ? Where.Named : Where.Computed;
  }
  return inner | (innerQuoted ? QUOTED : 0) | (innerNested ? NESTED : 0);
}

/** True for `Foo.Bar`, `:foo` or `__MODULE__.Foo`: a name known without running code. */
function literalName(t: Term): boolean {
  if (t instanceof Atom) return true;
  if (!isCall(t, "__aliases__")) return false;
  const head = t.args[0];
  return (
    head instanceof Atom ||
    (head instanceof Node && head.form instanceof Atom && head.form.name === "__MODULE__")
  );
}

function contextOf(
  at: { where: Where; quoted: boolean; nested: boolean },
  named: boolean,
): DefinitionContext {
  if (at.quoted) return "quote";
  if (at.nested) return "nested";
  if (at.where === Where.Script) return "script";
  if (at.where === Where.Computed) return "computed-module";
  return named ? "other" : "computed-name";
}

function record(
  n: Node & { args: Term[] },
  kind: FunctionKind,
  f: Finder,
  at: { where: Where; quoted: boolean; nested: boolean },
): void {
  const shape = defShape(kind, n);
  const line = lineOf(n);
  const endLine = clauseEnd(n);
  const name = shape.name ?? printedName(shape.call);
  const metrics = measureClause(n.args, kind, shape, line, endLine, f.ectoQuery);
  f.out.push({
    name,
    arity: shape.params.length,
    kind,
    file: f.file,
    line,
    endLine,
    context: contextOf(at, shape.name !== null),
    head: shape.blocks.length === 0,
    metrics,
  });
}

/** A computed name as written: `unquote(name)` for `def unquote(name)(x)`. */
function printedName(call: Term): string {
  if (!(call instanceof Node)) return print(call);
  if (call.form instanceof Node) return print(call.form);
  const name = (call.form as Atom).name;
  // `def foo(unquote_splicing(args))` has a literal name; `def unquote(name)` has none.
  return name === "unquote" || name === "unquote_splicing" ? print(call) : name;
}
