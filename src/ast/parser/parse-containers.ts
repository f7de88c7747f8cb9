/**
 * Containers: lists, tuples, bitstrings, maps (pairs, keywords, `%{map | ...}` updates),
 * structs with Elixir's handling of bad struct names, and the element/keyword rules they
 * share (`container_args`, `kw_data`).
 * @packageDocumentation
 */

import type { Term } from "../term.js";
import * as TM from "../term.js";
import * as B from "./build.js";
import { fail, SyntaxFailure } from "./errors.js";
import * as Calls from "./parse-calls.js";
import * as Operators from "./parse-operators.js";
import * as Postfix from "./parse-postfix.js";
import * as Primary from "./parse-primary.js";
import * as PS from "./parse-shared.js";
import type { Parser } from "./parser.js";
import * as Driver from "./parser.js";
import { syntaxError } from "./parser.js";
import * as PR from "./precedence.js";
import type { Token } from "./tokens.js";
import * as K from "./tokens.js";

const { ASSOC_PREC, PIPE_PREC } = PR;

const {
  A_BITSTRING,
  A_MAP,
  A_PIPE,
  A_STRUCT,
  A_TUPLE,
  closingMetaAt,
  pair,
  tokMeta,
  withNewlines,
} = B;

const NodeClass = TM.Node;

const TupleClass = TM.Tuple;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_ALIAS,
  T_ASSOC_OP,
  T_BIN_HEREDOC,
  T_BIN_STRING,
  T_CHAR,
  T_FALSE,
  T_FLT,
  T_INT,
  T_LIST_HEREDOC,
  T_LIST_STRING,
  T_MAP,
  T_NIL,
  T_PERCENT,
  T_SIGIL,
  T_TRUE,
  T_ATOM,
  T_ATOM_QUOTED,
  T_AT_OP,
  T_BRACKET_IDENTIFIER,
  T_COMMA,
  T_DOT,
  T_DO_IDENTIFIER,
  T_DUAL_OP,
  T_IDENTIFIER,
  T_LBIT,
  T_LBRACKET,
  T_LCURLY,
  T_OP_IDENTIFIER,
  T_PAREN_IDENTIFIER,
  T_PIPE_OP,
  T_RBIT,
  T_RBRACKET,
  T_RCURLY,
  T_TERNARY_OP,
  T_UNARY_OP,
} = K;

const { identifier, kwKey } = Calls;

const { binaryRest, buildUnary, expr, parseExpr } = Operators;

const { dotAlias } = Postfix;

const { primary } = Primary;

const { MATCHED, NO_PARENS, P_STRUCT, SH_OTHER, tokenAtom, isKw, metaLine } = PS;

const { atClose, closing, enter, opening, peek, peekAt, skipEol } = Driver;

/** {@link NO_PARENS_CONTAINER_MSG} as 1.15+ words it. */
const NO_PARENS_CONTAINER_MSG_NEW =
  'unexpected comma. Parentheses are required to solve ambiguity inside containers.\n\nThis error may happen when you forget a comma in a list or other container:\n\n    [a, b c, d]\n\nOr when you have ambiguous calls:\n\n    [function a, b, c]\n\nIn the example above, we don\'t know if the values "b" and "c" belongs to the list or the function "function". You can solve this by explicitly adding parentheses:\n\n    [one, function(a, b, c)]\n\nElixir cannot compile otherwise. Syntax error before: \',\'';

const NO_PARENS_CONTAINER_MSG =
  'unexpected comma. Parentheses are required to solve ambiguity inside containers.\n\nThis error may happen when you forget a comma in a list or other container:\n\n    [a, b c, d]\n\nOr when you have ambiguous calls:\n\n    [one, two three, four, five]\n\nIn the example above, we don\'t know if the parameters "four" and "five" belongs to the list or the function "two". You can solve this by explicitly adding parentheses:\n\n    [one, two(three, four), five]\n\nElixir cannot compile otherwise. Syntax error before: \',\'';

const KW_DATA_FOLLOW_MSG =
  "unexpected expression after keyword list. Keyword lists must always come last in lists and maps. Therefore, this is not allowed:\n\n    [some: :value, :another]\n    %{some: :value, another => value}\n\nInstead, reorder it to be the last entry:\n\n    [:another, some: :value]\n    %{another => value, some: :value}\n\nSyntax error after: ','";

function containerError(ps: Parser, e: Term): never {
  const [line, col] = e instanceof NodeClass ? metaLine(e.meta) : [peek(ps).line, peek(ps).col];
  fail(ps.features.newMessages ? NO_PARENS_CONTAINER_MSG_NEW : NO_PARENS_CONTAINER_MSG, line, col);
}

/** Keywords in data (`kw_data`): lists, maps, tuples, access; a trailing comma is allowed. */
export function kwData(ps: Parser, closer: number): Term[] {
  return kwList(ps, closer, KW_DATA_FOLLOW_MSG);
}

/**
 * A keyword list up to `closer`, trailing comma allowed. Data (`kw_data`) and call arguments
 * (`kw_call`) differ only in the message for an expression after the keywords.
 */
export function kwList(ps: Parser, closer: number, followMsg: string): Term[] {
  const pairs: Term[] = [];
  for (;;) {
    const k = kwKey(ps);
    const v = containerExpr(ps);
    pairs.push(pair(k, v));
    if (peek(ps).kind === T_COMMA) {
      const n = peekAt(ps, 1);
      if (isKw(n)) {
        ps.p++;
        continue;
      }
      const comma = ps.toks[ps.p++];
      if (atClose(ps, closer)) break;
      expr(ps);
      // `access_expr kw_identifier` fails at the keyword before the follow-up is reported.
      if (isKw(peek(ps))) syntaxError(ps, peek(ps));
      fail(followMsg, comma.line, comma.col);
    }
    break;
  }
  return pairs;
}

/** An element of a container: no-parens calls with several arguments are rejected. */
export function containerExpr(ps: Parser): Term {
  const saved = ps.noDo;
  ps.noDo = false;
  const e = expr(ps);
  ps.noDo = saved;
  if (ps.cat === NO_PARENS) containerError(ps, e);
  return e;
}

/**
 * Elements up to `closer` (not consumed): `container_args`. With `flatKw` (lists) trailing
 * keywords are spliced in; otherwise they form one final element.
 */
export function containerArgs(ps: Parser, closer: number, flatKw: boolean): Term[] {
  const items: Term[] = [];
  if (isKw(peek(ps))) {
    // Only lists take leading keywords (`list_args -> kw_data`); `container_args` of tuples,
    // bitstrings and `Foo.{}` must start with an element.
    if (!flatKw) syntaxError(ps, peek(ps));
    return kwData(ps, closer);
  }
  for (;;) {
    items.push(containerExpr(ps));
    if (peek(ps).kind !== T_COMMA) break;
    ps.p++;
    if (atClose(ps, closer)) break;
    if (isKw(peek(ps))) {
      const kw = kwData(ps, closer);
      if (flatKw) for (const x of kw) items.push(x);
      else items.push(kw);
      break;
    }
  }
  return items;
}

export function list(ps: Parser): Term {
  const open = opening(ps, T_LBRACKET);
  const saved = ps.noDo;
  ps.noDo = false;
  let items: Term[] = [];
  if (peek(ps).kind !== T_RBRACKET) items = containerArgs(ps, T_RBRACKET, true);
  closing(ps, T_RBRACKET);
  ps.noDo = saved;
  ps.cat = MATCHED;
  ps.access = true;
  ps.shape = SH_OTHER;
  void open;
  return items;
}

/**
 * 1.15+ `bad_keyword`: `{a: 1}` and `<<a: 1>>` parse their keywords, then fail at the opener
 * with a hint (1.14 fails at the first key).
 */
function badKeyword(ps: Parser, open: Token, closer: number, context: string): void {
  if (!ps.features.newMessages || !isKw(peek(ps))) return;
  kwData(ps, closer);
  if (peek(ps).kind !== closer) syntaxError(ps, peek(ps));
  fail(
    `unexpected keyword list inside ${context}. Did you mean to write a map (using %{...}) or a list (using [...]) instead? Syntax error after: '${open.text}'`,
    open.line,
    open.col,
  );
}

export function tuple(ps: Parser): Term {
  const open = opening(ps, T_LCURLY);
  const saved = ps.noDo;
  ps.noDo = false;
  badKeyword(ps, open, T_RCURLY, "tuple");
  let items: Term[] = [];
  if (peek(ps).kind !== T_RCURLY) items = containerArgs(ps, T_RCURLY, false);
  const close = closing(ps, T_RCURLY);
  ps.noDo = saved;
  ps.cat = MATCHED;
  ps.access = true;
  ps.shape = SH_OTHER;
  if (items.length === 2) return new TupleClass(items);
  return new NodeClass(A_TUPLE, closingMetaAt(open, close, open), items);
}

export function bitstring(ps: Parser): Term {
  const open = opening(ps, T_LBIT);
  const saved = ps.noDo;
  ps.noDo = false;
  badKeyword(ps, open, T_RBIT, "bitstring");
  let items: Term[] = [];
  if (peek(ps).kind !== T_RBIT) items = containerArgs(ps, T_RBIT, false);
  const close = closing(ps, T_RBIT);
  ps.noDo = saved;
  ps.cat = MATCHED;
  ps.access = true;
  ps.shape = SH_OTHER;
  return new NodeClass(A_BITSTRING, closingMetaAt(open, close, open), items);
}

export function map(ps: Parser): Term {
  ps.p++;
  skipEol(ps);
  return mapArgs(ps);
}

export function struct(ps: Parser): Term {
  const pct = ps.toks[ps.p++];
  const start = ps.p;
  let name: Term;
  try {
    name = structExpr(ps);
  } catch (e) {
    if (!(e instanceof SyntaxFailure)) throw e;
    badStructName(ps, start);
  }
  // `struct_op struct_expr eol map_args`: after a valid name a newline is shifted and the
  // next token fails; any other token may still continue a matched expression.
  if (skipEol(ps) !== null) {
    if (peek(ps).kind !== T_LCURLY) syntaxError(ps, peek(ps));
  } else if (peek(ps).kind !== T_LCURLY) {
    badStructName(ps, start);
  }
  const map = mapArgs(ps);
  ps.cat = MATCHED;
  ps.access = true;
  ps.shape = SH_OTHER;
  return new NodeClass(A_STRUCT, tokMeta(pct), [name, map]);
}

/**
 * After `%` the grammar also admits `matched_expr . identifier` as the struct name, so on a
 * bad name Elixir reads a whole matched expression (operators included) and fails on the
 * first token that cannot continue it: `% a = b do` fails at `do`.
 */
function badStructName(ps: Parser, start: number): never {
  ps.p = start;
  const saved = ps.noDo;
  ps.noDo = true;
  parseExpr(ps, 0);
  ps.noDo = saved;
  syntaxError(ps, peek(ps));
}

function isStructPrefix(kind: number): boolean {
  return kind === T_AT_OP || kind === T_UNARY_OP || kind === T_DUAL_OP || kind === T_TERNARY_OP;
}

/** A struct name, after any prefix operators (`%@foo{}`, `%-Foo{}`), read in a loop. */
function structExpr(ps: Parser): Term {
  if (!isStructPrefix(peek(ps).kind)) return structName(ps);
  const ops: Token[] = [];
  while (isStructPrefix(peek(ps).kind)) {
    ops.push(ps.toks[ps.p++]);
    skipEol(ps);
    enter(ps);
  }
  let name = structName(ps);
  for (let k = ops.length - 1; k >= 0; k--) name = buildUnary(ops[k], name);
  ps.depth -= ops.length;
  return name;
}

function structName(ps: Parser): Term {
  const t = peek(ps);
  // 1.18's struct name is any `map_base_expr`, so literals too (`%"abc"{}`, `%%{a: 1}{}`); the
  // tokens that can start a longer expression still take the paths below.
  if (ps.features.mapBaseExpr && BASE_NAME_START[t.kind] === 1) return primary(ps, P_STRUCT);
  if (t.kind === T_ATOM || t.kind === T_ATOM_QUOTED) {
    ps.p++;
    return tokenAtom(t);
  }
  if (
    t.kind !== T_ALIAS &&
    t.kind !== T_IDENTIFIER &&
    t.kind !== T_PAREN_IDENTIFIER &&
    t.kind !== T_DO_IDENTIFIER &&
    t.kind !== T_BRACKET_IDENTIFIER &&
    t.kind !== T_OP_IDENTIFIER
  ) {
    syntaxError(ps, t);
  }
  let left = primary(ps, P_STRUCT);
  // Dots: `%Foo.Bar{}`, `%mod.name{}`, `%unquote(x).Foo{}`.
  while (peek(ps).kind === T_DOT) {
    const dot = ps.toks[ps.p++];
    skipEol(ps);
    const n = ps.toks[ps.p++];
    if (n.kind === T_ALIAS) left = dotAlias(dot, left, n);
    else if (
      n.kind === T_IDENTIFIER ||
      n.kind === T_PAREN_IDENTIFIER ||
      n.kind === T_DO_IDENTIFIER ||
      n.kind === T_BRACKET_IDENTIFIER
    ) {
      left = identifier(ps, n, dot, left, P_STRUCT);
    } else syntaxError(ps, n);
  }
  return left;
}

/** Token kinds that start a struct name only 1.18 accepts: literals, maps and structs. */
const BASE_NAME_START = new Uint8Array(128);
for (const kind of [
  T_BIN_STRING,
  T_LIST_STRING,
  T_BIN_HEREDOC,
  T_LIST_HEREDOC,
  T_SIGIL,
  T_INT,
  T_FLT,
  T_CHAR,
  T_TRUE,
  T_FALSE,
  T_NIL,
  T_MAP,
  T_PERCENT,
  T_LBRACKET,
  T_LCURLY,
]) {
  BASE_NAME_START[kind] = 1;
}

/** `{...}` of a map or struct: pairs, keywords, or an update `%{map | ...}`. */
function mapArgs(ps: Parser): Term {
  const open = opening(ps, T_LCURLY);
  const saved = ps.noDo;
  ps.noDo = false;
  let items: Term[] = [];
  if (peek(ps).kind !== T_RCURLY) {
    if (isKw(peek(ps))) {
      items = kwData(ps, T_RCURLY);
    } else {
      let key = parseExpr(ps, PIPE_PREC + 1);
      // Unlike list elements, map entries have no rule reducing a no-parens call (whose
      // reduction reports the ambiguity): the grammar fails on the token after it.
      if (ps.cat === NO_PARENS) syntaxError(ps, peek(ps));
      const pipe = peek(ps);
      if (pipe.kind === T_PIPE_OP) {
        ps.p++;
        let count = pipe.eol;
        const e = skipEol(ps);
        if (e !== null) count = e.eol;
        let entries: Term[];
        if (isKw(peek(ps))) {
          entries = kwData(ps, T_RCURLY);
        } else {
          entries = assocList(ps);
        }
        items = [new NodeClass(A_PIPE, withNewlines(count, tokMeta(pipe)), [key, entries])];
      } else {
        key = binaryRest(ps, key, ps.cat, 0);
        items = assocList(ps, key);
      }
    }
  }
  const close = closing(ps, T_RCURLY);
  ps.noDo = saved;
  ps.cat = MATCHED;
  ps.access = true;
  ps.shape = SH_OTHER;
  return new NodeClass(A_MAP, closingMetaAt(open, close, open), items);
}

/** `assoc` entries up to `}` (not consumed), possibly ending with keywords. */
function assocList(ps: Parser, firstKey?: Term): Term[] {
  const items: Term[] = [];
  let key: Term | undefined = firstKey;
  for (;;) {
    if (key === undefined) {
      key = parseExpr(ps, ASSOC_PREC + 1);
      if (ps.cat === NO_PARENS) syntaxError(ps, peek(ps));
      // A key is any matched expression (`a :: b => c`); one that is not followed by `=>` must
      // be a `map_base_expr`, which the grammar only finds out at the token after the entry.
      if (peek(ps).kind !== T_ASSOC_OP) key = binaryRest(ps, key, ps.cat, 0);
    }
    const arrow = peek(ps);
    if (arrow.kind === T_ASSOC_OP) {
      ps.p++;
      skipEol(ps);
      const v = parseExpr(ps, 0);
      // A value is never `no_parens_expr`: no rule reduces it, so the grammar fails on the
      // token after it (`%{a => f b, c}` at `}`).
      if (ps.cat === NO_PARENS) syntaxError(ps, peek(ps));
      // 1.15+ (`with_assoc_meta`): a key that is a node records where its `=>` is.
      if (ps.features.richMetadata && key instanceof NodeClass) {
        key = new NodeClass(key.form, [["assoc", tokMeta(arrow)], ...key.meta], key.args);
      }
      items.push(new TupleClass([key, v]));
    } else {
      // `assoc_expr` without `=>`: 1.14 takes only a variable, `a.b`, or a call; 1.18 any
      // `map_base_expr`. Otherwise the grammar fails on the token after the entry.
      if (
        ps.cat !== MATCHED ||
        (ps.features.mapBaseExpr ? ps.notBaseAt === ps.p : ps.shape === SH_OTHER)
      ) {
        syntaxError(ps, arrow);
      }
      items.push(key);
    }
    key = undefined;
    if (peek(ps).kind !== T_COMMA) break;
    ps.p++;
    if (atClose(ps, T_RCURLY)) break;
    if (isKw(peek(ps))) {
      for (const x of kwData(ps, T_RCURLY)) items.push(x);
      break;
    }
  }
  return items;
}
