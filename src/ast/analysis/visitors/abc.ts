/**
 * Credo 1.7.19's `Refactor.ABCSize` over a definition's `do` block: its `traverse_abc/3`
 * clauses, in their order (first match wins). Each returns the walk mode for the node's
 * children, without ABC where Credo does not descend. Rules in docs/ANALYSIS.md.
 * @packageDocumentation
 */
import { isPlainVar, varName } from "../../syntax/ast-util.js";
import { Atom, Node, type Term, Tuple } from "../../term.js";
import { DEF_OPS } from "./complexity.js";
import { ABC, type WalkState } from "./state.js";

const NON_CALLS = new Set([
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

function isTupleTerm(t: Term): boolean {
  return t instanceof Node || t instanceof Tuple;
}

function isWhenList(t: Term): t is [Node & { args: Term[] }] {
  if (!Array.isArray(t) || t.length !== 1) return false;
  const w = t[0];
  return (
    w instanceof Node && w.form instanceof Atom && w.form.name === "when" && Array.isArray(w.args)
  );
}

/**
 * Credo's `fn_parameters/1` on the arguments of a `->` node. It recurses on itself, so
 * `[[a, b], acc]` (a list then a variable, which is a tuple) yields `a` and `b`, not `acc`.
 */
function fnParameters(args: Term[], into: Set<string>): void {
  let list = args;
  while (list.length === 2) {
    const [first, second] = list;
    if (Array.isArray(first) && isTupleTerm(second)) list = first;
    else if (isWhenList(first)) list = first[0].args;
    else break;
  }
  for (const p of list) {
    const n = varName(p);
    if (n !== null) into.add(n);
  }
}

/** A variable: a branch unless known or named with a leading `_` (`_acc`, `__MODULE__`). */
export function abcVariable(s: WalkState, n: Node, name: string): void {
  if (n !== s.abcTransparent && !s.varNames.has(name) && name.charCodeAt(0) !== 95) s.b++;
}

/** Counts the call `name(args)`; returns the mode for its children. */
export function abcEnter(s: WalkState, n: Node, name: string, args: Term[], mode: number): number {
  if (n === s.abcTransparent || DEF_OPS.has(name)) return mode;
  switch (name) {
    case "<<>>":
      return mode & ~ABC;
    case "unquote":
      if (args.length === 1) s.abcTransparent = args[0];
      else s.b++;
      return mode;
    case "@":
      s.a++;
      return mode & ~ABC;
    case "=": {
      s.a++;
      const v = varName(args[0]);
      if (v !== null) s.varNames.add(v);
      s.abcHidden = args[0];
      return mode;
    }
    case "->":
      s.b++;
      fnParameters(args, s.varNames);
      return mode;
    case ".":
      if (!(args.length === 2 && isPlainVar(args[0]))) s.b++;
      return mode;
  }
  if (!NON_CALLS.has(name)) {
    if (s.ctx.ectoQuery && ECTO_FUNCTIONS.has(name)) return mode & ~ABC;
    s.b++;
  } else if (name === "if" || name === "or") {
    s.c++;
  }
  return mode;
}
