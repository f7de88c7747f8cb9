/**
 * Structural matching of an Elixir-syntax pattern against the quoted AST, modulo metadata.
 *
 * The semantics are the product's contract (docs/SEARCH.md), and `tools/oracle/search.exs`
 * applies the same rules to Elixir's own AST:
 * - `_` matches any single term; `_name` (an underscore variable longer than `_`, other than
 *   `__MODULE__`-style names) is a capture, and every use of one name must match equal terms;
 * - `...` in a sequence (call arguments, list items, block statements, tuple elements, map
 *   pairs) matches zero or more items, elsewhere any single term;
 * - `_(...)` / `_name(...)`: a local call whose name is `_` or a capture matches any local call
 *   (a node whose form is an atom and whose arguments are a list);
 * - a pattern `__block__` matches a target `__block__`'s statements, or a single statement;
 * - tuples compare by their elements whether written as 2-tuples or `{:{}, _, elems}`;
 * - variables compare by name, ignoring their context; everything else must be equal.
 * @packageDocumentation
 */
import { Atom, Bin, Float, Node, type Term, Tuple } from "../term.js";

/** Named captures of one match: capture name (without the `_`) to the term it matched. */
export type Captures = Map<string, Term>;

/** What a pattern variable means. */
type VarRole = "any" | "ellipsis" | "capture" | "plain";

/** The role of a variable name in a pattern. */
export function varRole(name: string): VarRole {
  if (name === "_") return "any";
  if (name === "...") return "ellipsis";
  if (name.length > 1 && name.charCodeAt(0) === 95 && !/^__\w+__$/.test(name)) return "capture";
  return "plain";
}

/** True for a variable node `{name, meta, context}`. */
export function isVarNode(t: Term): t is Node & { form: Atom } {
  return t instanceof Node && t.form instanceof Atom && !Array.isArray(t.args);
}

/**
 * `...`: a variable in Elixir 1.14's AST, a call without arguments (`{:..., meta, []}`) since
 * 1.16 made it an operator.
 */
function isEllipsis(t: Term): boolean {
  if (!(t instanceof Node) || !(t.form instanceof Atom) || t.form.name !== "...") return false;
  return !Array.isArray(t.args) || t.args.length === 0;
}

/** The elements of a tuple term (2-tuple or `{:{}, _, elems}`), or undefined. */
function tupleItems(t: Term): Term[] | undefined {
  if (t instanceof Tuple) return t.items;
  if (t instanceof Node && t.form instanceof Atom && t.form.name === "{}" && Array.isArray(t.args))
    return t.args;
  return undefined;
}

/**
 * Equality modulo metadata; variables by name, ignoring their context. Iterative (a stack of
 * pairs), so that the deepest trees the parser accepts compare without exhausting the stack.
 */
export function equalTerms(a: Term, b: Term): boolean {
  const stack: Term[] = [a, b];
  while (stack.length > 0) {
    const y = stack.pop() as Term;
    const x = stack.pop() as Term;
    if (x === y) continue;
    if (x instanceof Node) {
      if (!(y instanceof Node)) return false;
      if (isVarNode(x)) {
        if (!isVarNode(y) || x.form !== y.form) return false;
        continue;
      }
      if (!Array.isArray(x.args) || !Array.isArray(y.args)) return false;
      if (x.args.length !== y.args.length) return false;
      stack.push(x.form, y.form);
      for (let i = 0; i < x.args.length; i++) stack.push(x.args[i], y.args[i]);
    } else if (Array.isArray(x) || x instanceof Tuple) {
      const xs = Array.isArray(x) ? x : x.items;
      const ys = Array.isArray(x)
        ? Array.isArray(y)
          ? y
          : null
        : y instanceof Tuple
          ? y.items
          : null;
      if (ys === null || xs.length !== ys.length) return false;
      for (let i = 0; i < xs.length; i++) stack.push(xs[i], ys[i]);
    } else if (!equalLeaves(x, y)) return false;
  }
  return true;
}

/** Equality of two terms that are not nodes, lists or tuples (and not `===`). */
function equalLeaves(x: Term, y: Term): boolean {
  if (x instanceof Float) return y instanceof Float && x.value === y.value;
  if (x instanceof Bin) {
    if (!(y instanceof Bin) || x.bytes.length !== y.bytes.length) return false;
    for (let i = 0; i < x.bytes.length; i++) if (x.bytes[i] !== y.bytes[i]) return false;
    return true;
  }
  return false;
}

/**
 * One matching attempt's state: the bindings and a trail to undo them on backtracking.
 * Reused across attempts ({@link Matcher.reset}) so a search allocates little per node.
 */
export class Matcher {
  readonly captures: Captures = new Map();
  readonly #trail: string[] = [];

  constructor(readonly pattern: Term) {}

  /** Clears the bindings for the next attempt. */
  reset(): void {
    this.captures.clear();
    this.#trail.length = 0;
  }

  /** Tries the whole pattern against `target` from fresh bindings. */
  test(target: Term): boolean {
    this.reset();
    return this.match(this.pattern, target);
  }

  #bind(name: string, value: Term): boolean {
    const bound = this.captures.get(name);
    if (bound !== undefined) return equalTerms(bound, value);
    this.captures.set(name, value);
    this.#trail.push(name);
    return true;
  }

  #undo(mark: number): void {
    while (this.#trail.length > mark) this.captures.delete(this.#trail.pop()!);
  }

  /** Matches pattern `p` against target `t`, extending the bindings. */
  match(p: Term, t: Term): boolean {
    if (p instanceof Node) return this.#matchNode(p, t);
    if (Array.isArray(p)) return Array.isArray(t) && this.#seq(p, 0, t, 0);
    if (p instanceof Tuple) {
      const items = tupleItems(t);
      return items !== undefined && this.#seq(p.items, 0, items, 0);
    }
    return equalTerms(p, t);
  }

  #matchNode(p: Node, t: Term): boolean {
    const form = p.form;
    if (form instanceof Atom) {
      if (!Array.isArray(p.args)) return this.#matchVar(form.name, t);
      const name = form.name;
      if (name === "..." && p.args.length === 0) return true;
      if (name === "__block__") return this.#matchBlock(p.args, t);
      if (name === "{}") {
        const items = tupleItems(t);
        return items !== undefined && this.#seq(p.args, 0, items, 0);
      }
      const role = varRole(name);
      if (role === "any" || role === "capture") {
        if (!(t instanceof Node && t.form instanceof Atom && Array.isArray(t.args))) return false;
        // A captured call name is bound as a variable of that name, so it prints as the name.
        const called = new Node(t.form, [], null);
        if (role === "capture" && !this.#bind(name.slice(1), called)) return false;
        return this.#seq(p.args, 0, t.args, 0);
      }
    }
    if (!(t instanceof Node) || !Array.isArray(t.args) || !Array.isArray(p.args)) return false;
    return this.match(form, t.form) && this.#seq(p.args, 0, t.args, 0);
  }

  #matchVar(name: string, t: Term): boolean {
    switch (varRole(name)) {
      case "any":
      case "ellipsis":
        return true;
      case "capture":
        return this.#bind(name.slice(1), t);
      default:
        return isVarNode(t) && t.form.name === name;
    }
  }

  #matchBlock(stmts: Term[], t: Term): boolean {
    if (t instanceof Node && t.form instanceof Atom && t.form.name === "__block__") {
      return Array.isArray(t.args) && this.#seq(stmts, 0, t.args, 0);
    }
    return this.#seq(stmts, 0, [t], 0);
  }

  /** Sequence matching with `...` as zero or more items; backtracks, undoing bindings. */
  #seq(ps: readonly Term[], i: number, ts: readonly Term[], j: number): boolean {
    while (i < ps.length) {
      const p = ps[i];
      if (isEllipsis(p)) {
        if (i === ps.length - 1) return true;
        for (let k = j; k <= ts.length; k++) {
          const mark = this.#trail.length;
          if (this.#seq(ps, i + 1, ts, k)) return true;
          this.#undo(mark);
        }
        return false;
      }
      if (j >= ts.length || !this.match(p, ts[j])) return false;
      i++;
      j++;
    }
    return j === ts.length;
  }
}

/**
 * A cheap key that every term a pattern can match shares, or null when the pattern can match
 * nodes of any shape: the form atom of a call, the function atom of a remote call.
 */
export function rootKey(p: Term): Atom | null {
  if (!(p instanceof Node)) return null;
  const form = p.form;
  if (form instanceof Atom) {
    if (!Array.isArray(p.args)) return varRole(form.name) === "plain" ? form : null;
    if (form.name === "__block__" || form.name === "{}") return null;
    return varRole(form.name) === "plain" ? form : null;
  }
  if (form instanceof Node && form.form instanceof Atom && form.form.name === ".") {
    const fn = Array.isArray(form.args) ? form.args[1] : undefined;
    if (fn instanceof Atom && varRole(fn.name) === "plain") return fn;
  }
  return null;
}

/** The key {@link rootKey} compares against for a target node. */
export function nodeKey(t: Node): Atom | null {
  const form = t.form;
  if (form instanceof Atom) return form;
  if (form instanceof Node && form.form instanceof Atom && form.form.name === ".") {
    const fn = Array.isArray(form.args) ? form.args[1] : undefined;
    if (fn instanceof Atom) return fn;
  }
  return null;
}
