/**
 * AST and metadata builders: the shapes Elixir's parser gives to literals, operators, calls,
 * strings and blocks, with metadata in Elixir's exact key order.
 * @packageDocumentation
 */
import type { Bin, Meta, MetaValue, Node, Term, Tuple } from "../term.js";
import * as TM from "../term.js";
import { fail } from "./errors.js";
import { Interpolation, type Part, type Token } from "./tokens.js";

// Local bindings of term constructors (see tokens bindings below).
const AtomClass = TM.Atom;
const BinClass = TM.Bin;
const NodeClass = TM.Node;
const TupleClass = TM.Tuple;

export const A_BLOCK = AtomClass.of("__block__");
export const A_ALIASES = AtomClass.of("__aliases__");
export const A_DOT = AtomClass.of(".");
export const A_ACCESS = AtomClass.of("Elixir.Access");
export const A_GET = AtomClass.of("get");
export const A_KERNEL = AtomClass.of("Elixir.Kernel");
export const A_LIST = AtomClass.of("Elixir.List");
export const A_TO_STRING = AtomClass.of("to_string");
export const A_TO_CHARLIST = AtomClass.of("to_charlist");
export const A_TYPE = AtomClass.of("::");
export const A_BINARY = AtomClass.of("binary");
export const A_BITSTRING = AtomClass.of("<<>>");
export const A_ERLANG = AtomClass.of("erlang");
export const A_BINARY_TO_ATOM = AtomClass.of("binary_to_atom");
export const A_UTF8 = AtomClass.of("utf8");
export const A_STAB = AtomClass.of("->");
export const A_WHEN = AtomClass.of("when");
export const A_NOT = AtomClass.of("not");
export const A_BANG = AtomClass.of("!");
export const A_IN = AtomClass.of("in");
export const A_UNQUOTE_SPLICING = AtomClass.of("unquote_splicing");
export const A_TUPLE = AtomClass.of("{}");
export const A_MAP = AtomClass.of("%{}");
export const A_STRUCT = AtomClass.of("%");
export const A_FN = AtomClass.of("fn");
export const A_DO = AtomClass.of("do");
export const A_RANGE = AtomClass.of("..");
export const A_STEP_RANGE = AtomClass.of("..//");
export const A_SLASH = AtomClass.of("/");
export const A_PIPE = AtomClass.of("|");

type Pair = [key: string, value: MetaValue];

/**
 * Shared `{key, n}` metadata entries by value. Nearly every node carries a line and a column, so
 * sharing the entries (instead of allocating two small arrays per node) cuts the parser's
 * allocation, and GC time on large inputs, by a large factor. Meta entries are never mutated
 * in place (the parser and consumers replace whole `meta` lists), which makes sharing safe.
 * Tables grow with the largest line/column seen: memory linear in the input.
 */
function pairCache(key: string): (n: number) => Pair {
  const table: Pair[] = [];
  return (n: number): Pair => {
    let e = table[n];
    if (e === undefined) {
      // Only non-negative integers index the table; anything else is allocated as is.
      if (!(n >= 0 && n <= 0x3fffffff && (n | 0) === n)) return [key, n];
      while (table.length < n) table.push(undefined as unknown as Pair);
      e = [key, n];
      table[n] = e;
    }
    return e;
  };
}

/** The shared `{:line, n}` entry. */
export const linePair = pairCache("line");
/** The shared `{:column, n}` entry. */
export const columnPair = pairCache("column");
/** The shared `{:newlines, n}` entry. */
export const newlinesEntry = pairCache("newlines");

/** `[line: l, column: c]`. */
export function lc(line: number, col: number): Meta {
  return [linePair(line), columnPair(col)];
}

/** Location metadata of a token. */
export function tokMeta(t: Token): Meta {
  return [linePair(t.line), columnPair(t.col)];
}

/** `[newlines: n]` when `n` is a positive count, else `[]`, followed by `rest`. */
export function withNewlines(count: number | null, rest: Meta): Meta {
  if (count !== null && count > 0) return [newlinesEntry(count), ...rest];
  return rest;
}

/** Elixir's `newlines_pair`: newlines after the opener and the closer's location. */
export function newlinesPair(open: Token, close: Token): Meta {
  return withNewlines(open.eol, [["closing", tokMeta(close)]]);
}

/**
 * `[...newlinesPair(open, close), ...rest]`, allocated once at its exact size: brackets and
 * calls with parentheses are common enough that the intermediate lists showed up in the
 * parser's allocation profile.
 */
export function closingMeta(open: Token, close: Token, rest: Meta): Meta {
  const n = rest.length;
  const withCount = open.eol !== null && open.eol > 0;
  const out: Meta = new Array(n + (withCount ? 2 : 1));
  let k = 0;
  if (withCount) out[k++] = newlinesEntry(open.eol!);
  out[k++] = ["closing", tokMeta(close)];
  for (let i = 0; i < n; i++) out[k++] = rest[i];
  return out;
}

/** `[...newlinesPair(open, close), ...tokMeta(at)]`, allocated once. */
export function closingMetaAt(open: Token, close: Token, at: Token): Meta {
  const closing: Pair = ["closing", tokMeta(close)];
  if (open.eol !== null && open.eol > 0) {
    return [newlinesEntry(open.eol), closing, linePair(at.line), columnPair(at.col)];
  }
  return [closing, linePair(at.line), columnPair(at.col)];
}

/**
 * A block of expressions as Elixir's `build_block` makes it. `wrapUnary`: 1.14 keeps a lone
 * `not x`/`!x` in a block (the `rearrange_uop` clause 1.15 dropped); `unquote_splicing` always.
 */
export function buildBlock(exprs: Term[], wrapUnary: boolean): Term {
  if (exprs.length === 1) {
    const e = exprs[0];
    if (
      e instanceof NodeClass &&
      Array.isArray(e.args) &&
      e.args.length === 1 &&
      (e.form === A_UNQUOTE_SPLICING || (wrapUnary && (e.form === A_NOT || e.form === A_BANG)))
    ) {
      return new NodeClass(A_BLOCK, [], exprs);
    }
    return e;
  }
  return new NodeClass(A_BLOCK, [], exprs);
}

/** Adds `end_of_expression` metadata to the last expression of a list (Elixir's `annotate_eoe`). */
export function annotateEoe(eoe: Token, exprs: Term[], skipBareStab: boolean): void {
  const k = exprs.length - 1;
  const last = exprs[k];
  if (!(last instanceof NodeClass)) return;
  const value: Meta =
    eoe.eol !== null
      ? [newlinesEntry(eoe.eol), linePair(eoe.line), columnPair(eoe.col)]
      : tokMeta(eoe);
  if (last.form === A_STAB && Array.isArray(last.args) && last.args.length === 2) {
    const right = last.args[1];
    if (right instanceof NodeClass) {
      const r2 = new NodeClass(
        right.form,
        [["end_of_expression", value], ...right.meta],
        right.args,
      );
      exprs[k] = new NodeClass(last.form, last.meta, [last.args[0], r2]);
      return;
    }
  }
  // 1.15+ leaves a clause alone when its body is not a node; 1.14 marks the `->` itself.
  if (skipBareStab && last.form === A_STAB) return;
  // Replacing the meta list of the node (never shared between parents) saves a node per
  // expression; the list itself may be shared with other nodes, so it is copied.
  last.meta = prepend(["end_of_expression", value], last.meta);
}

/** `[entry, ...meta]` without the spread's iterator protocol. */
function prepend(entry: Pair, meta: Meta): Meta {
  // Exactly sized: pushing onto `[entry]` would over-allocate the backing store.
  const n = meta.length;
  if (n === 2) return [entry, meta[0], meta[1]];
  const out: Meta = new Array(n + 1);
  out[0] = entry;
  for (let i = 0; i < n; i++) out[i + 1] = meta[i];
  return out;
}

/** `Kernel.to_string(form)` for one interpolation, with Elixir's metadata. */
function interpolatedToString(p: Interpolation, parse: SubParse): Node {
  const meta = lc(p.line, p.col);
  const callMeta: Meta = [["closing", lc(p.endLine, p.endCol)], ...meta];
  // 1.15+ marks the call as coming from an interpolation.
  if (parse.rich) callMeta.unshift(FROM_INTERPOLATION);
  return new NodeClass(new NodeClass(A_DOT, meta, [A_KERNEL, A_TO_STRING]), callMeta, [
    parse(p.tokens),
  ]);
}

/**
 * Parses an interpolation's tokens; `rich` tells the builders to add the 1.15+ metadata
 * ({@link Features.richMetadata}).
 */
export interface SubParse {
  (toks: Token[]): Term;
  rich: boolean;
}

const FROM_INTERPOLATION: Pair = ["from_interpolation", true];

/** Interpolations and text of a binary-like string: each interpolation as `to_string(x)::binary`. */
export function stringParts(parts: Part[], parse: SubParse): Term[] {
  const out: Term[] = [];
  for (const p of parts) {
    if (!(p instanceof Interpolation)) {
      out.push(p);
      continue;
    }
    const meta = lc(p.line, p.col);
    out.push(
      new NodeClass(A_TYPE, meta, [
        interpolatedToString(p, parse),
        new NodeClass(A_BINARY, meta, null),
      ]),
    );
  }
  return out;
}

/** Interpolations and text of a charlist (no `::binary` wrapper). */
export function charlistParts(parts: Part[], parse: SubParse): Term[] {
  const out: Term[] = [];
  for (const p of parts) out.push(p instanceof Interpolation ? interpolatedToString(p, parse) : p);
  return out;
}

/** The code points of a string, as a charlist. */
export function toCharlist(s: string | Bin, line: number, col: number): Term {
  if (s instanceof BinClass) fail("invalid UTF-8 in charlist", line, col);
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** A quoted atom token with interpolation: `:erlang.binary_to_atom(<<...>>, :utf8)`. */
export function quotedAtom(t: Token, extra: Meta, parse: SubParse): Term {
  const meta = tokMeta(t);
  return new NodeClass(
    new NodeClass(A_DOT, meta, [A_ERLANG, A_BINARY_TO_ATOM]),
    [...extra, ...meta],
    [new NodeClass(A_BITSTRING, meta, stringParts(t.parts!, parse)), A_UTF8],
  );
}

/** A keyword-list pair. */
export function pair(k: Term, v: Term): Tuple {
  return new TupleClass([k, v]);
}

export type { Meta, MetaValue };
