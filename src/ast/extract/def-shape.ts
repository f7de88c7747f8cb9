/**
 * The parts of a definition call (`def`, `defp`, `defmacro`, `defguard`, ... `defdelegate`):
 * its name, parameters, guards and body blocks, for module functions and for the definitions
 * found elsewhere alike.
 * @packageDocumentation
 */
import type { FunctionKind } from "../model.js";
import { isCall, lastLine, nestedLine, pairKey } from "../syntax/ast-util.js";
import { Atom, Node, type Term, Tuple } from "../term.js";

/** Splits `head when g1 when g2` into the call and its guards. */
export function splitHead(head: Term): { call: Term; guards: Term[] } {
  if (!isCall(head, "when") || head.args.length !== 2) return { call: head, guards: [] };
  const guards: Term[] = [];
  let g: Term = head.args[1];
  while (isCall(g, "when") && g.args.length === 2) {
    guards.push(g.args[0]);
    g = g.args[1];
  }
  guards.push(g);
  return { call: head.args[0], guards };
}

/** Name and parameters of a head call; null for `unquote(name)(...)` and other dynamic heads. */
export function headCall(call: Term): { name: string; params: Term[] } | null {
  if (!(call instanceof Node)) return null;
  let name: string;
  if (call.form instanceof Atom) {
    name = call.form.name;
    if (name === "unquote" || name === "unquote_splicing") return null;
  } else if (
    isCall(call.form, "unquote") &&
    call.form.args.length === 1 &&
    call.form.args[0] instanceof Atom
  ) {
    // def unquote(:"~~~")(expr): a literal name the parser cannot take directly.
    name = call.form.args[0].name;
  } else {
    return null;
  }
  const params = Array.isArray(call.args) ? call.args : [];
  if (params.some((p) => isCall(p, "unquote_splicing"))) return null;
  return { name, params };
}

export function countDefaults(params: Term[]): number {
  let n = 0;
  for (const p of params) if (isCall(p, "\\\\")) n++;
  return n;
}

export function clauseEnd(n: Node): number {
  return nestedLine(n.meta, "end") ?? lastLine(n);
}

/** A definition's parts; `name` is null when computed (`def unquote(name)(x)`). */
export interface DefShape {
  name: string | null;
  /** The head call (the part before `when`). */
  call: Term;
  params: Term[];
  guards: Term[];
  /** `do`/`rescue`/... blocks (for `defguard`, `[do: guard]`); empty for a bodiless head. */
  blocks: Tuple[];
}

/** The parts of the definition `n` of kind `kind`. */
export function defShape(kind: FunctionKind, n: Node & { args: Term[] }): DefShape {
  const { call, guards } = splitHead(n.args[0]);
  const head = headCall(call);
  const params =
    head?.params ?? (call instanceof Node && Array.isArray(call.args) ? call.args : []);
  let blocks: Tuple[] = [];
  let clauseGuards = guards;
  if (kind === "defguard" || kind === "defguardp") {
    // defguard name(args) when expr: the expression is the definition's body.
    if (guards.length > 0) blocks = [new Tuple([Atom.of("do"), guards[guards.length - 1]])];
    clauseGuards = [];
  } else if (Array.isArray(n.args[1])) {
    blocks = n.args[1].filter((p): p is Tuple => pairKey(p) !== undefined);
  }
  return { name: head?.name ?? null, call, params, guards: clauseGuards, blocks };
}
