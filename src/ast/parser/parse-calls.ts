/**
 * Identifiers and calls: variables, calls with parentheses (and `f(a)(b)`), calls without
 * parentheses and their arguments (`call_args_no_parens_all`), keyword arguments, and the
 * do-block attached to a call.
 * @packageDocumentation
 */

import type { Meta, Node, Term } from "../term.js";
import * as TM from "../term.js";
import * as B from "./build.js";
import { fail } from "./errors.js";
import * as Blocks from "./parse-blocks.js";
import * as Containers from "./parse-containers.js";
import * as Operators from "./parse-operators.js";
import * as Postfix from "./parse-postfix.js";
import * as PS from "./parse-shared.js";
import type { Parser } from "./parser.js";
import * as Driver from "./parser.js";
import { syntaxError } from "./parser.js";
import type { Token } from "./tokens.js";
import * as K from "./tokens.js";

const { A_DOT, closingMeta, pair, quotedAtom, tokMeta } = B;

const AtomClass = TM.Atom;

const NodeClass = TM.Node;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_BRACKET_IDENTIFIER,
  T_COMMA,
  T_DO,
  T_DO_IDENTIFIER,
  T_IDENTIFIER,
  T_KW_IDENTIFIER,
  T_LPAREN,
  T_OP_IDENTIFIER,
  T_PAREN_IDENTIFIER,
  T_RPAREN,
} = K;

const { doBlock } = Blocks;

const { kwList } = Containers;

const { expr } = Operators;

const { bracketAccess } = Postfix;

const {
  MATCHED,
  NO_PARENS,
  P_AT,
  P_STRUCT,
  SH_CALL,
  SH_IDENT,
  SH_OTHER,
  START_ARG,
  UNMATCHED,
  tokenAtom,
  isKw,
  metaLine,
} = PS;

const { closing, opening, peek, peekAt, skipEol, subParser } = Driver;

const NO_PARENS_MANY_MSG =
  'unexpected comma. Parentheses are required to solve ambiguity in nested calls.\n\nThis error happens when you have nested function calls without parentheses. For example:\n\n    one a, two b, c, d\n\nIn the example above, we don\'t know if the parameters "c" and "d" apply to the function "one" or "two". You can solve this by explicitly adding parentheses:\n\n    one a, two(b, c, d)\n\nOr by adding commas (in case a nested call is not intended):\n\n    one, a, two, b, c, d\n\nElixir cannot compile otherwise. Syntax error before: \',\'';

/** {@link NO_PARENS_MANY_MSG} as 1.15+ words it. */
const NO_PARENS_MANY_MSG_NEW =
  'unexpected comma. Parentheses are required to solve ambiguity in nested calls.\n\nThis error happens when you have nested function calls without parentheses. For example:\n\n    parent_call a, nested_call b, c, d\n\nIn the example above, we don\'t know if the parameters "c" and "d" apply to the function "parent_call" or "nested_call". You can solve this by explicitly adding parentheses:\n\n    parent_call a, nested_call(b, c, d)\n\nOr by adding commas (in case a nested call is not intended):\n\n    parent_call a, nested_call, b, c, d\n\nElixir cannot compile otherwise. Syntax error before: \',\'';

const KW_CALL_FOLLOW_MSG =
  "unexpected expression after keyword list. Keyword lists must always come as the last argument. Therefore, this is not allowed:\n\n    function_call(1, some: :option, 2)\n\nInstead, wrap the keyword in brackets:\n\n    function_call(1, [some: :option], 2)\n\nSyntax error after: ','";

/**
 * An identifier token (already consumed), optionally after `left.`: a variable, a call with or
 * without parentheses, an access, or a do-block call.
 */
export function identifier(
  ps: Parser,
  t: Token,
  dot: Token | null,
  left: Term,
  mode: number,
): Term {
  const name = tokenAtom(t);
  let form: Term = name;
  if (dot !== null) form = new NodeClass(A_DOT, tokMeta(dot), [left, name]);
  // 1.15+: a quoted name after a dot (`a."b"()`) records its quote.
  const im: Meta =
    dot !== null && t.eol !== null && ps.features.richMetadata
      ? [["delimiter", String.fromCharCode(t.eol)], ...tokMeta(t)]
      : tokMeta(t);
  switch (t.kind) {
    case T_PAREN_IDENTIFIER:
      return parenCall(ps, form, im);
    case T_BRACKET_IDENTIFIER: {
      const base = zero(form, im, dot !== null);
      ps.cat = MATCHED;
      ps.shape = SH_OTHER;
      if (mode === P_AT) {
        ps.access = true;
        return base;
      }
      return bracketAccess(ps, base);
    }
    case T_DO_IDENTIFIER:
      if (!ps.noDo && mode !== P_STRUCT) {
        const block = doBlock(ps);
        ps.cat = UNMATCHED;
        ps.access = false;
        ps.shape = SH_OTHER;
        return new NodeClass(form, [...block.meta, ...im], [block.kw]);
      }
      ps.cat = MATCHED;
      ps.access = false;
      ps.shape = SH_IDENT;
      return zero(form, im, dot !== null);
    case T_OP_IDENTIFIER:
    case T_IDENTIFIER: {
      if (mode === P_STRUCT || (t.kind === T_IDENTIFIER && !START_ARG[peek(ps).kind])) {
        ps.cat = MATCHED;
        ps.access = false;
        ps.shape = SH_IDENT;
        return zero(form, im, dot !== null);
      }
      const args = noParensArgs(ps);
      const cat = ps.cat;
      ps.shape = SH_IDENT;
      ps.notBaseAt = ps.p;
      if (peek(ps).kind === T_DO && !ps.noDo) {
        const block = doBlock(ps);
        args.push(block.kw);
        ps.cat = UNMATCHED;
        ps.access = false;
        ps.shape = SH_OTHER;
        return new NodeClass(form, [...block.meta, ...im], args);
      }
      ps.cat = cat;
      ps.access = false;
      if (t.kind === T_OP_IDENTIFIER && dot === null && args.length === 1) {
        return new NodeClass(form, [["ambiguous_op", null], ...im], args);
      }
      return new NodeClass(form, im, args);
    }
  }
  syntaxError(ps, t);
}

/** A variable, or `left.name` without parentheses. */
function zero(form: Term, im: Meta, dotted: boolean): Term {
  if (dotted) return new NodeClass(form, [["no_parens", true], ...im], []);
  return new NodeClass(form, im, null);
}

/** `form(args)` (the `(` is next), optional second `(args)`, optional do-block. */
export function parenCall(ps: Parser, form: Term, im: Meta): Term {
  const args1 = parenArgs(ps);
  let node: Node = new NodeClass(form, closingMeta(ps.argsOpen!, ps.argsClose!, im), args1);
  if (peek(ps).kind === T_LPAREN) {
    const args2 = parenArgs(ps);
    node = new NodeClass(node, closingMeta(ps.argsOpen!, ps.argsClose!, node.meta), args2);
  }
  if (peek(ps).kind === T_DO && !ps.noDo) {
    const block = doBlock(ps);
    (node.args as Term[]).push(block.kw);
    node.meta = [...block.meta, ...node.meta];
    ps.cat = UNMATCHED;
    ps.access = false;
    ps.shape = SH_OTHER;
    return node;
  }
  ps.cat = MATCHED;
  ps.access = true;
  ps.shape = SH_OTHER;
  ps.shape = SH_CALL;
  return node;
}

/** `( args )` of a call with parentheses; leaves its brackets in `ps.argsOpen`/`ps.argsClose`. */
function parenArgs(ps: Parser): Term[] {
  const open = opening(ps, T_LPAREN);
  const saved = ps.noDo;
  ps.noDo = false;
  const args: Term[] = [];
  if (peek(ps).kind !== T_RPAREN) {
    if (isKw(peek(ps))) {
      args.push(kwList(ps, T_RPAREN, KW_CALL_FOLLOW_MSG));
    } else {
      const first = expr(ps);
      args.push(first);
      if (ps.cat !== NO_PARENS) {
        while (peek(ps).kind === T_COMMA) {
          ps.p++;
          if (isKw(peek(ps))) {
            args.push(kwList(ps, T_RPAREN, KW_CALL_FOLLOW_MSG));
            break;
          }
          const e = expr(ps);
          if (ps.cat === NO_PARENS) noParensManyError(ps, e);
          args.push(e);
        }
      }
    }
  }
  ps.noDo = saved;
  ps.argsOpen = open;
  ps.argsClose = closing(ps, T_RPAREN);
  return args;
}

export function noParensManyError(ps: Parser, e: Term): never {
  const [line, col] = e instanceof NodeClass ? metaLine(e.meta) : [peek(ps).line, peek(ps).col];
  fail(ps.features.newMessages ? NO_PARENS_MANY_MSG_NEW : NO_PARENS_MANY_MSG, line, col);
}

/**
 * Arguments of a call without parentheses (Elixir's `call_args_no_parens_all`). Sets `cat`:
 * MATCHED for one plain argument, NO_PARENS for several (or one no-parens argument).
 */
export function noParensArgs(ps: Parser): Term[] {
  const saved = ps.noDo;
  ps.noDo = true;
  let args: Term[];
  let cat = MATCHED;
  if (isKw(peek(ps))) {
    args = [noParensKw(ps)];
  } else {
    const first = expr(ps);
    args = [first];
    if (ps.cat === NO_PARENS) cat = NO_PARENS;
    else if (peek(ps).kind === T_COMMA) {
      cat = NO_PARENS;
      while (peek(ps).kind === T_COMMA) {
        ps.p++;
        if (isKw(peek(ps))) {
          args.push(noParensKw(ps));
          break;
        }
        const e = expr(ps);
        if (ps.cat === NO_PARENS) noParensManyError(ps, e);
        args.push(e);
      }
    }
  }
  ps.noDo = saved;
  ps.cat = cat;
  return args;
}

/** A keyword key (`key:` or `"key#{x}":`) and its optional newline. */
export function kwKey(ps: Parser): Term {
  const t = ps.toks[ps.p++];
  skipEol(ps);
  if (t.kind === T_KW_IDENTIFIER) return tokenAtom(t);
  const format: Meta = [["format", AtomClass.of("keyword")]];
  // 1.15+ also records the quote (`kw_identifier_meta`); the token carries it as Elixir's does.
  const extra: Meta = ps.features.richMetadata
    ? [["delimiter", String.fromCharCode(t.eol ?? 0x22)], ...format]
    : format;
  return quotedAtom(t, extra, subParser(ps));
}

/** Keywords of a call without parentheses; values may be no-parens calls. */
export function noParensKw(ps: Parser): Term[] {
  const pairs: Term[] = [];
  for (;;) {
    const k = kwKey(ps);
    const v = expr(ps);
    pairs.push(pair(k, v));
    if (ps.cat === NO_PARENS) break;
    if (peek(ps).kind === T_COMMA) {
      if (isKw(peekAt(ps, 1))) {
        ps.p++;
        continue;
      }
      const comma = ps.toks[ps.p++];
      expr(ps);
      fail(KW_CALL_FOLLOW_MSG, comma.line, comma.col);
    }
    break;
  }
  ps.cat = NO_PARENS;
  return pairs;
}
