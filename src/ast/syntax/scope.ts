/**
 * Lexical module-name scope: expands `__aliases__` nodes the way the compiler does, through
 * `alias` directives, nested `defmodule` auto-aliases and `__MODULE__`.
 * @packageDocumentation
 */
import { Atom, Node, type Term } from "../term.js";
import { atomModuleName, isCall, kwGet } from "./ast-util.js";

/**
 * Aliases in effect (short name to full module name). Immutable in practice: directives inside
 * a nested scope copy it first ({@link withAlias}), so each scope sees only its own additions.
 */
export type AliasTable = Readonly<Record<string, string>>;

/** Returns a copy of `table` with `short` aliased to `full`. */
export function withAlias(table: AliasTable, short: string, full: string): AliasTable {
  return { ...table, [short]: full };
}

/**
 * The module a term names, or null when it is not a literal module (a variable, an attribute,
 * a call...). `current` is the enclosing module (for `__MODULE__`), null outside modules.
 */
export function moduleNameOf(t: Term, aliases: AliasTable, current: string | null): string | null {
  if (t instanceof Atom) return atomModuleName(t);
  if (!(t instanceof Node)) return null;
  if (isCall(t, "__aliases__")) {
    const parts = t.args;
    if (parts.length === 0) return null;
    const head = parts[0];
    let base: string;
    if (head instanceof Atom) {
      if (head.name === "Elixir") {
        base = "";
      } else {
        base = aliases[head.name] ?? head.name;
      }
    } else if (
      head instanceof Node &&
      head.form instanceof Atom &&
      head.form.name === "__MODULE__"
    ) {
      if (current === null) return null;
      base = current;
    } else {
      return null;
    }
    const rest: string[] = [];
    for (let i = 1; i < parts.length; i++) {
      const p = parts[i];
      if (!(p instanceof Atom)) return null;
      rest.push(p.name);
    }
    if (base === "") return rest.length > 0 ? rest.join(".") : null;
    return rest.length > 0 ? `${base}.${rest.join(".")}` : base;
  }
  if (t.form instanceof Atom && t.form.name === "__MODULE__" && !Array.isArray(t.args))
    return current;
  return null;
}

/** The last segment of a module name (`Foo.Bar` gives `Bar`), the default alias. */
export function lastSegment(name: string): string {
  const i = name.lastIndexOf(".");
  return i < 0 ? name : name.slice(i + 1);
}

/** One alias a directive creates: `alias A.B` gives `{B: A.B}`; `alias A.{B, C}` gives two. */
export interface AliasBinding {
  short: string;
  full: string;
}

/**
 * The aliases an `alias` call defines (`alias Foo.Bar`, `alias Foo.Bar, as: Baz`,
 * `alias Foo.{A, B.C}`); empty when its target is not literal. Erlang modules (`alias :ets`)
 * define nothing usable as a short name unless `as:` is given.
 */
export function aliasBindings(
  args: Term[],
  aliases: AliasTable,
  current: string | null,
): AliasBinding[] {
  const target = args[0];
  const opts = args[1];
  // alias Foo.{A, B}: a call of `{}` on the `.` of the prefix.
  if (target instanceof Node && target.form instanceof Node && Array.isArray(target.args)) {
    const dot = target.form;
    if (
      isCall(dot, ".") &&
      dot.args.length === 2 &&
      dot.args[1] instanceof Atom &&
      dot.args[1].name === "{}"
    ) {
      const prefix = moduleNameOf(dot.args[0], aliases, current);
      if (prefix === null) return [];
      const out: AliasBinding[] = [];
      for (const item of target.args) {
        if (!isCall(item, "__aliases__")) continue;
        const segs = item.args.filter((s): s is Atom => s instanceof Atom).map((s) => s.name);
        if (segs.length !== item.args.length || segs.length === 0) continue;
        const full = `${prefix}.${segs.join(".")}`;
        out.push({ short: segs[segs.length - 1], full });
      }
      return out;
    }
  }
  const full = moduleNameOf(target, aliases, current);
  if (full === null) return [];
  const as = opts === undefined ? undefined : kwGet(opts, "as");
  if (as !== undefined) {
    const short = moduleNameOf(as, {}, current);
    if (short === null || short.startsWith(":")) return [];
    return [{ short: lastSegment(short), full }];
  }
  if (full.startsWith(":")) return [];
  return [{ short: lastSegment(full), full }];
}
