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

function visit(t: Term, f: Finder, where: Where, quoted: boolean, nested: boolean): void {
  if (Array.isArray(t)) {
    for (let i = 0; i < t.length; i++) visit(t[i], f, where, quoted, nested);
    return;
  }
  if (t instanceof Tuple) {
    for (let i = 0; i < t.items.length; i++) visit(t.items[i], f, where, quoted, nested);
    return;
  }
  if (!(t instanceof Node) || !Array.isArray(t.args)) return;
  const args = t.args;
  const name = t.form instanceof Atom ? t.form.name : null;
  let inner = where;
  let innerQuoted = quoted;
  let innerNested = nested || f.taken.has(args);
  if (name !== null && DEF_KINDS.has(name) && args.length > 0) {
    if (!f.taken.has(args))
      record(t as Node & { args: Term[] }, name as FunctionKind, f, {
        where,
        quoted,
        nested,
      });
    innerNested = true;
  } else if (name === "quote") {
    innerQuoted = true;
  } else if (name !== null && MODULE_DEFINERS.has(name) && !quoted && where !== Where.Computed) {
    inner = literalName(args[0]) ? Where.Named : Where.Computed;
  }
  if (t.form instanceof Node) visit(t.form, f, where, quoted, nested);
  for (let i = 0; i < args.length; i++) visit(args[i], f, inner, innerQuoted, innerNested);
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
