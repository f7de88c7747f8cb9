/**
 * A compact printer from quoted AST back to Elixir source, for guards and similar short
 * expressions shown to people. It covers what guards contain (variables, literals, local and
 * remote calls, operators, tuples, lists, maps, attributes); anything else prints in a generic
 * call form, so the output is always readable, if not always `Macro.to_string/1`-exact.
 * @packageDocumentation
 */

import { atomModuleName, pairKey } from "../syntax/ast-util.js";
import { Atom, Bin, Float, Node, type Term, Tuple } from "../term.js";

const BINARY_OPS = new Set([
  "and",
  "or",
  "&&",
  "||",
  "==",
  "!=",
  "===",
  "!==",
  "<",
  ">",
  "<=",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "++",
  "--",
  "<>",
  "in",
  "not in",
  "|>",
  "=",
  "..",
  "|",
  "::",
  "when",
  "<-",
  "\\\\",
  "=~",
  "**",
  "^^^",
  "&&&",
  "|||",
  "<<<",
  ">>>",
  "..//",
]);
const UNARY_OPS = new Set(["not", "!", "-", "+", "^", "&", "@"]);

function atomText(a: Atom): string {
  if (a.name.startsWith("Elixir.")) return a.name.slice(7);
  return /^[a-z_][a-zA-Z0-9_]*[?!]?$/.test(a.name) ? `:${a.name}` : `:${JSON.stringify(a.name)}`;
}

function list(items: Term[], depth: number): string {
  if (items.length > 0 && items.every((i) => pairKey(i) !== undefined)) {
    return items
      .map((i) => `${((i as Tuple).items[0] as Atom).name}: ${print((i as Tuple).items[1], depth)}`)
      .join(", ");
  }
  return items.map((i) => print(i, depth)).join(", ");
}

/** Prints a term as Elixir source; stops descending below a depth limit with `...`. */
export function print(t: Term, depth = 0): string {
  if (depth > 40) return "...";
  const d = depth + 1;
  if (t === null) return "nil";
  if (typeof t === "boolean" || typeof t === "number" || typeof t === "bigint") return String(t);
  if (typeof t === "string") return JSON.stringify(t);
  if (t instanceof Atom) return atomText(t);
  if (t instanceof Float) return Number.isInteger(t.value) ? t.value.toFixed(1) : String(t.value);
  if (t instanceof Bin) return `<<${Array.from(t.bytes).join(", ")}>>`;
  if (Array.isArray(t)) return `[${list(t, d)}]`;
  if (t instanceof Tuple) return `{${list(t.items, d)}}`;
  const n = t as Node;
  if (n.form instanceof Atom) {
    const name = n.form.name;
    if (!Array.isArray(n.args)) return name;
    const args = n.args;
    if (name === "__aliases__") {
      return args.map((a) => (a instanceof Atom ? a.name : print(a, d))).join(".");
    }
    if (name === "{}") return `{${list(args, d)}}`;
    if (name === "%{}") return `%{${list(args, d)}}`;
    if (name === "%" && args.length === 2)
      return `%${print(args[0], d)}${print(args[1], d).slice(1)}`;
    if (name === "<<>>") return `<<${list(args, d)}>>`;
    if (name === "__block__" && args.length === 1) return print(args[0], d);
    if (
      name === "@" &&
      args.length === 1 &&
      args[0] instanceof Node &&
      args[0].form instanceof Atom
    ) {
      return `@${args[0].form.name}`;
    }
    if (args.length === 2 && BINARY_OPS.has(name)) {
      return `${print(args[0], d)} ${name} ${print(args[1], d)}`;
    }
    if (args.length === 1 && UNARY_OPS.has(name)) {
      const sep = name === "not" ? " " : "";
      return `${name}${sep}${print(args[0], d)}`;
    }
    return `${name}(${list(args, d)})`;
  }
  if (
    n.form instanceof Node &&
    n.form.form instanceof Atom &&
    n.form.form.name === "." &&
    Array.isArray(n.form.args)
  ) {
    const [target, fun] = n.form.args;
    const args = Array.isArray(n.args) ? n.args : [];
    if (fun === undefined) return `${print(target, d)}.(${list(args, d)})`;
    const tgt = target instanceof Atom ? atomModuleName(target) : print(target, d);
    const f = fun instanceof Atom ? fun.name : print(fun, d);
    return `${tgt}.${f}(${list(args, d)})`;
  }
  return `${print(n.form, d)}(${list(Array.isArray(n.args) ? n.args : [], d)})`;
}
