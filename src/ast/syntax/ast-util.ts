/**
 * Small, allocation-free readers over the quoted AST shared by extraction and metrics.
 * @packageDocumentation
 */
import { Atom, type Meta, metaGet, metaInt, Node, type Term, Tuple } from "../term.js";

/** The macros that define a function or macro clause (`defdelegate` aside). */
export const DEF_KINDS: ReadonlySet<string> = new Set([
  "def",
  "defp",
  "defmacro",
  "defmacrop",
  "defguard",
  "defguardp",
]);

/** True for `{name, meta, args}` where `name` is `form` and `args` is a list. */
export function isCall(t: Term, form: string): t is Node & { args: Term[] } {
  return (
    t instanceof Node && Array.isArray(t.args) && t.form instanceof Atom && t.form.name === form
  );
}

/** True for a variable written in source, `{name, meta, nil}` (Credo's and Elixir's `{_, _, nil}`). */
export function isPlainVar(t: Term): t is Node & { form: Atom } {
  return t instanceof Node && t.form instanceof Atom && t.args === null;
}

/** The name of a plain variable (see {@link isPlainVar}), else null. */
export function varName(t: Term): string | null {
  return isPlainVar(t) ? t.form.name : null;
}

/** The key of a keyword pair `{key, value}` when it is an atom, else undefined. */
export function pairKey(t: Term): string | undefined {
  if (t instanceof Tuple && t.items.length === 2) {
    const k = t.items[0];
    if (k instanceof Atom) return k.name;
  }
  return undefined;
}

/** True for the keyword pair `{key, value}`. */
export function isPair(t: Term, key: string): t is Tuple {
  return pairKey(t) === key;
}

/**
 * `Keyword.get(list, key)` for a list of `{atom, value}` pairs (the `do`/`else` blocks of a
 * call); undefined when `t` is not a list or has no such key.
 */
export function kwGet(t: Term, key: string): Term | undefined {
  if (!Array.isArray(t)) return undefined;
  for (const item of t) if (isPair(item, key)) return item.items[1];
  return undefined;
}

/**
 * Credo's `Credo.Code.Block.<key>_block_for/1` on a call's argument list: `[do: b]` and
 * `[do: b, else: _]` give `b` for `do`, `[do: _, <key>: b]` gives `b` for the other keys, and
 * otherwise the first argument that is itself a list holding `key` gives its value there.
 * Undefined stands for Credo's nil (no block).
 */
export function blockFor(list: Term[], key: string): Term | undefined {
  if (list.length === 1 || list.length === 2) {
    const first = list[0];
    if (isPair(first, "do")) {
      if (list.length === 1) return key === "do" ? first.items[1] : undefined;
      const second = list[1];
      if (key === "do" && isPair(second, "else")) return first.items[1];
      if (key !== "do" && isPair(second, key)) return second.items[1];
    }
  }
  for (const el of list) {
    if (!Array.isArray(el)) continue;
    // Keyword.has_key?/2 then list[key]: the first pair with that key.
    for (const p of el) if (isPair(p, key)) return p.items[1];
  }
  return undefined;
}

/** Line of a node (0 when it has none, e.g. in macro-generated code). */
export function lineOf(t: Term): number {
  return t instanceof Node ? (metaInt(t.meta, "line") ?? 0) : 0;
}

/** Column of a node (0 when unknown). */
export function columnOf(t: Term): number {
  return t instanceof Node ? (metaInt(t.meta, "column") ?? 0) : 0;
}

/** The line under a nested meta key such as `end: [line: 9, column: 3]`. */
export function nestedLine(meta: Meta, key: string): number | undefined {
  const v = metaGet(meta, key);
  return Array.isArray(v) ? metaInt(v, "line") : undefined;
}

/**
 * The last line a term reaches, from the `end`, `closing` and `end_of_expression` metadata
 * and the lines of every node inside. Used for one-line definitions (`def f, do: x`), which
 * carry no `end` metadata.
 */
export function lastLine(t: Term): number {
  let max = 0;
  const stack: Term[] = [t];
  while (stack.length > 0) {
    const x = stack.pop() as Term;
    if (x instanceof Node) {
      const m = x.meta;
      // `end`, `closing` and `end_of_expression` mark where the node's source ends, after every
      // node inside it, so a node that has one needs no descent: this keeps the walk shallow.
      let bounded = false;
      for (let i = 0; i < m.length; i++) {
        const [k, v] = m[i];
        if (k === "line") {
          if (typeof v === "number" && v > max) max = v;
        } else if (
          (k === "end" || k === "closing" || k === "end_of_expression") &&
          Array.isArray(v)
        ) {
          const l = metaInt(v, "line");
          if (l !== undefined) {
            bounded = true;
            if (l > max) max = l;
          }
        }
      }
      if (bounded) continue;
      if (x.form instanceof Node) stack.push(x.form);
      if (Array.isArray(x.args)) for (const a of x.args) stack.push(a);
    } else if (Array.isArray(x)) {
      for (const a of x) stack.push(a);
    } else if (x instanceof Tuple) {
      for (const a of x.items) stack.push(a);
    }
  }
  return max;
}

/** The statements of a body: the items of a `__block__`, else the expression itself. */
export function statements(body: Term | undefined): Term[] {
  if (body === undefined) return [];
  if (isCall(body, "__block__")) return body.args;
  return [body];
}

/** The text of an atom as Elixir writes it in a module name (`Elixir.Foo` gives `Foo`). */
export function atomModuleName(a: Atom): string {
  return a.name.startsWith("Elixir.") ? a.name.slice(7) : `:${a.name}`;
}
