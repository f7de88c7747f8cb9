/**
 * One walk over a function clause that measures it and collects its calls at once. The walk
 * itself only traverses; at each call node it asks small per-metric visitors (`visitors/`):
 * complexity (Credo's cyclomatic and perceived), ABC size, cognitive complexity, and calls with
 * module references. A mode bit per visitor says which of them a subtree is measured by (Credo's
 * ABC only sees the `do` block, for instance). Nesting needs Credo's block-only descent and is
 * measured apart ({@link credoNesting}). Every count is defined in docs/ANALYSIS.md.
 * @packageDocumentation
 */
import type { CallInfo } from "../model.js";
import { DEF_KINDS } from "../syntax/ast-util.js";
import { Atom, Node, type Term, Tuple } from "../term.js";
import { NEST_OPS } from "./nesting.js";
import { abcEnter, abcVariable } from "./visitors/abc.js";
import { callsEnter, isDot, remoteCallEnter } from "./visitors/calls.js";
import { cognitiveEnter, LOGICAL } from "./visitors/cognitive.js";
import { complexityEnter, complexityHead } from "./visitors/complexity.js";
import {
  ABC,
  CALLS,
  type ClauseContext,
  type ClauseDependency,
  COG,
  WalkState,
} from "./visitors/state.js";

export { abcParameters } from "./visitors/abc.js";
export type { ClauseContext, ClauseDependency } from "./visitors/state.js";

/** What {@link walkClause} measures. */
export interface ClauseWalkResult {
  cyclomatic: number;
  perceived: number;
  abcA: number;
  abcB: number;
  abcC: number;
  cognitive: number;
  /**
   * How many `if`/`unless`/`case`/`cond`/`fn`/`for`/`with` calls the walk met (in tuples and
   * lists too, where Credo's nesting descent does not look): when 0, that descent finds nothing.
   */
  nestOps: number;
  calls: CallInfo[];
  dependencies: ClauseDependency[];
}

/** At module level, definitions and quoted code are walked on their own, not as body code. */
const SKIPPED_AT_MODULE_LEVEL = new Set([
  ...DEF_KINDS,
  "defdelegate",
  "defmodule",
  "defprotocol",
  "defimpl",
  "quote",
]);

/*
 * The walk runs on an explicit stack, so that a clause as deep as the parser accepts (5,000
 * levels, several AST nodes each) cannot exhaust the call stack. One array per field, shared by
 * every walk and emptied as it goes, so a node costs no allocation. Entries are popped in
 * source order (children are pushed last to first), and two kinds of marker, told apart by a
 * negative mode, run where the recursive walk did something after a subtree.
 */
const stackTerm: Term[] = [];
const stackMode: number[] = [];
const stackNest: number[] = [];
const stackOp: (string | null)[] = [];
/** Marker: restore `inQuote` to the value in the nest slot (end of a `quote`/`unquote`). */
const RESTORE_QUOTE = -1;
/** Marker: the left side of a `|>` is done; its right side (the term slot) is the piped call. */
const SET_PIPED = -2;

function push(t: Term, mode: number, nest: number, op: string | null): void {
  // Numbers, strings, booleans, nil and atoms hold nothing any visitor counts: not pushed.
  if (typeof t !== "object" || t === null || t instanceof Atom) return;
  stackTerm.push(t);
  stackMode.push(mode);
  stackNest.push(nest);
  stackOp.push(op);
}

function pushMarker(t: Term, marker: number, value: number): void {
  stackTerm.push(t);
  stackMode.push(marker);
  stackNest.push(value);
  stackOp.push(null);
}

/** Visits `t` and everything below it, in source order. */
function visit(s: WalkState, t: Term, mode: number, nest: number, parentOp: string | null): void {
  const base = stackTerm.length;
  push(t, mode, nest, parentOp);
  try {
    drain(s, base);
  } finally {
    // Only a visitor that threw leaves entries behind; they must not outlive this walk.
    truncate(base);
  }
}

function truncate(base: number): void {
  if (stackTerm.length === base) return;
  stackTerm.length = base;
  stackMode.length = base;
  stackNest.length = base;
  stackOp.length = base;
}

/** Pops and visits entries until the stack is back to `base`. */
function drain(s: WalkState, base: number): void {
  while (stackTerm.length > base) {
    const x = stackTerm.pop() as Term;
    const mode = stackMode.pop() as number;
    const nest = stackNest.pop() as number;
    const op = stackOp.pop() as string | null;
    if (mode < 0) {
      if (mode === RESTORE_QUOTE) s.inQuote = nest;
      else s.piped = x as Node;
      continue;
    }
    const m = x === s.abcHidden ? mode & ~ABC : mode;
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) push(x[i], m, nest, null);
    } else if (x instanceof Tuple) {
      for (let i = x.items.length - 1; i >= 0; i--) push(x.items[i], m, nest, null);
    } else if (x instanceof Node) {
      if (x.form instanceof Atom) enterNamed(s, x, x.form.name, m, nest, op);
      else enterFormCall(s, x, m, nest);
    }
  }
}

/**
 * A node whose form is an atom: a variable, or a call such as `if`, `+`, `foo(x)`. Runs the
 * visitors and pushes what is below.
 */
function enterNamed(
  s: WalkState,
  n: Node,
  name: string,
  mode: number,
  nest: number,
  parentOp: string | null,
): void {
  const args = n.args;
  if (!Array.isArray(args)) {
    if (mode & ABC) abcVariable(s, n, name);
    return;
  }
  if (s.ctx.skipDefinitions === true && SKIPPED_AT_MODULE_LEVEL.has(name)) return;
  if (NEST_OPS.has(name)) s.nestOps++;
  complexityEnter(s, name, args);
  const childMode = mode & ABC ? abcEnter(s, n, name, args, mode) : mode;
  const blockNest = mode & COG ? cognitiveEnter(s, name, args, nest, parentOp) : nest;
  if (s.inQuote === 0 && mode & CALLS) callsEnter(s, n, name, args);
  // Calls built inside `quote` are not the clause's own, except inside `unquote`.
  const savedQuote = s.inQuote;
  if (name === "quote") s.inQuote++;
  else if ((name === "unquote" || name === "unquote_splicing") && s.inQuote > 0) s.inQuote = 0;
  if (s.inQuote !== savedQuote) pushMarker(null, RESTORE_QUOTE, savedQuote);
  if (name === "|>" && args.length === 2) {
    const rhs = args[1];
    push(rhs, childMode, nest, null);
    if (rhs instanceof Node && Array.isArray(rhs.args)) pushMarker(rhs, SET_PIPED, 0);
    push(args[0], childMode, nest, null);
  } else if (blockNest !== nest) {
    pushBlocks(name, args, childMode, nest, blockNest);
  } else {
    const logical = LOGICAL.has(name) ? name : null;
    for (let i = args.length - 1; i >= 0; i--) push(args[i], childMode, nest, logical);
  }
}

/** A node whose form is itself a node: `Mod.fun(args)`, `fun.(args)`, or a call on a call. */
function enterFormCall(s: WalkState, n: Node, mode: number, nest: number): void {
  const form = n.form as Node;
  const args = Array.isArray(n.args) ? n.args : [];
  if (s.inQuote === 0 && mode & CALLS && isDot(form)) remoteCallEnter(s, n, form, args);
  for (let i = args.length - 1; i >= 0; i--) push(args[i], mode, nest, null);
  push(form, mode, nest, null);
}

function isKeywordBlocks(arg: Term): arg is Tuple[] {
  return (
    Array.isArray(arg) &&
    arg.length > 0 &&
    arg.every((p) => p instanceof Tuple && p.items.length === 2 && p.items[0] instanceof Atom)
  );
}

/** Pushes a branching construct's arguments, its keyword blocks one nesting level deeper. */
function pushBlocks(name: string, args: Term[], mode: number, nest: number, inner: number): void {
  for (let a = args.length - 1; a >= 0; a--) {
    const arg = args[a];
    if (!isKeywordBlocks(arg)) {
      push(arg, mode, name === "fn" ? inner : nest, null);
      continue;
    }
    for (let i = arg.length - 1; i >= 0; i--) {
      const p = arg[i];
      const key = (p.items[0] as Atom).name;
      // A try's own body and after block are not nested; its rescue/catch/else are.
      const level = name === "try" && (key === "do" || key === "after") ? nest : inner;
      push(p.items[1], mode, level, null);
    }
  }
}

/**
 * Walks one clause. `headArgs` are the head's parameters, `guards` its guards, `blocks` the
 * keyword list of its `do`/`rescue`/`catch`/`else`/`after` blocks (for `defguard`,
 * `[do: guard]`), `abcParams` what Credo's ABC takes as known variables. The clause's own `def`
 * counts as the base 1 of both complexities, whatever its kind.
 */
export function walkClause(
  ctx: ClauseContext,
  headArgs: Term[],
  guards: Term[],
  blocks: Tuple[],
  abcParams: readonly string[],
): ClauseWalkResult {
  const s = new WalkState(ctx, abcParams);
  complexityHead(s, ctx.name, ctx.arity);
  // The head: default arguments and guards hold calls; Credo's complexities count guards too.
  for (const arg of headArgs) visit(s, arg, CALLS, 0, null);
  for (const g of guards) visit(s, g, CALLS, 0, null);
  // The body: Credo's ABC measures only the do block; cognitive counts rescue/catch once.
  let rescued = false;
  for (const blk of blocks) {
    const key = (blk.items[0] as Atom).name;
    if ((key === "rescue" || key === "catch") && !rescued) {
      s.cognitive += 1;
      rescued = true;
    }
    const level = key === "do" || key === "after" ? 0 : 1;
    visit(s, blk.items[1], key === "do" ? ABC | CALLS | COG : CALLS | COG, level, null);
  }
  return {
    cyclomatic: Math.round(s.cc),
    perceived: Math.round(s.perceived),
    abcA: s.a,
    abcB: s.b,
    abcC: s.c,
    cognitive: s.cognitive,
    nestOps: s.nestOps,
    // A copy of exactly its length: the first push gives an array room for 17, and the calls
    // of every clause stay in memory for the whole run (a third of a 5,000-module project's
    // extractions, measured).
    calls: s.calls.slice(),
    dependencies: s.deps,
  };
}
