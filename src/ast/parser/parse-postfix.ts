/**
 * What follows a matched expression: `.name`, `.Alias`, `.{...}`, `.(args)` and `[key]`
 * access.
 * @packageDocumentation
 */

import type { Meta, Term } from "../term.js";
import * as TM from "../term.js";
import * as B from "./build.js";
import { fail } from "./errors.js";
import * as Calls from "./parse-calls.js";
import * as Containers from "./parse-containers.js";
import * as PS from "./parse-shared.js";
import type { Parser } from "./parser.js";
import * as Driver from "./parser.js";
import { syntaxError } from "./parser.js";
import type { Token } from "./tokens.js";
import * as K from "./tokens.js";

const FROM_BRACKETS: [string, boolean] = ["from_brackets", true];

const { A_ACCESS, A_ALIASES, A_DOT, A_GET, A_TUPLE, closingMetaAt, newlinesPair, tokMeta } = B;

const AtomClass = TM.Atom;

const NodeClass = TM.Node;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_ALIAS,
  T_BRACKET_IDENTIFIER,
  T_COMMA,
  T_DOT,
  T_DOT_CALL_OP,
  T_DO_IDENTIFIER,
  T_IDENTIFIER,
  T_LBRACKET,
  T_LCURLY,
  T_OP_IDENTIFIER,
  T_PAREN_IDENTIFIER,
  T_RBRACKET,
  T_RCURLY,
} = K;

const { identifier, parenCall } = Calls;

const { containerArgs, containerExpr, kwData } = Containers;

const { MATCHED, P_NORMAL, SH_OTHER, tokenAtom, isKw } = PS;

const { atClose, closing, opening, peek, skipEol } = Driver;

export function postfix(ps: Parser, left: Term): Term {
  for (;;) {
    const t = ps.toks[ps.p];
    if (t.kind === T_DOT) {
      ps.p++;
      skipEol(ps);
      const n = ps.toks[ps.p];
      switch (n.kind) {
        case T_IDENTIFIER:
        case T_PAREN_IDENTIFIER:
        case T_BRACKET_IDENTIFIER:
        case T_DO_IDENTIFIER:
        case T_OP_IDENTIFIER:
          ps.p++;
          left = identifier(ps, n, t, left, P_NORMAL);
          if (ps.cat !== MATCHED) return left;
          continue;
        case T_ALIAS:
          ps.p++;
          left = dotAlias(t, left, n);
          ps.access = true;
          ps.shape = SH_OTHER;
          continue;
        case T_LCURLY: {
          const open = opening(ps, T_LCURLY);
          const dm = tokMeta(t);
          let args: Term[] = [];
          let extra: Meta = [];
          if (peek(ps).kind === T_RCURLY) {
            ps.p++;
          } else {
            args = containerArgs(ps, T_RCURLY, false);
            const close = closing(ps, T_RCURLY);
            extra = newlinesPair(open, close);
          }
          left = new NodeClass(new NodeClass(A_DOT, dm, [left, A_TUPLE]), [...extra, ...dm], args);
          ps.access = true;
          ps.cat = MATCHED;
          ps.shape = SH_OTHER;
          continue;
        }
        default:
          syntaxError(ps, n);
      }
    }
    if (t.kind === T_DOT_CALL_OP) {
      ps.p++;
      const dm = tokMeta(t);
      const dot = new NodeClass(A_DOT, dm, [left]);
      left = parenCall(ps, dot, dm);
      if (ps.cat !== MATCHED) return left;
      continue;
    }
    if (t.kind === T_LBRACKET && ps.access) {
      left = bracketAccess(ps, left);
      continue;
    }
    break;
  }
  ps.cat = MATCHED;
  return left;
}

export function dotAlias(dot: Token, left: Term, seg: Token): Term {
  const last = tokMeta(seg);
  if (left instanceof NodeClass && left.form === A_ALIASES && Array.isArray(left.args)) {
    let found = false;
    const meta: Meta = left.meta.map(([k, v]) => {
      if (k === "last" && !found) {
        found = true;
        return ["last", last];
      }
      return [k, v];
    });
    if (!found) meta.push(["last", last]);
    return new NodeClass(A_ALIASES, meta, [...left.args, tokenAtom(seg)]);
  }
  if (left === null || typeof left === "boolean" || left instanceof AtomClass) {
    fail(
      "atom cannot be followed by an alias. If the '.' was meant to be part of the atom's name, the atom name must be quoted. Syntax error before: '.'",
      seg.line,
      seg.col,
    );
  }
  return new NodeClass(A_ALIASES, [["last", last], ...tokMeta(dot)], [left, tokenAtom(seg)]);
}

/**
 * 1.15+ `error_too_many_access_syntax`: `x[a, b]` parses its arguments, then fails at the
 * first comma.
 */
function tooManyAccessArgs(ps: Parser, comma: Token): never {
  containerArgs(ps, T_RBRACKET, false);
  closing(ps, T_RBRACKET);
  fail(
    "too many arguments when accessing a value. The value[key] notation in Elixir expects either a single argument or a keyword list. The following examples are allowed:\n\n    value[one]\n    value[one: 1, two: 2]\n    value[[one, two, three]]\n\nThese are invalid:\n\n    value[1, 2, 3]\n    value[one, two, three]\n\nSyntax error after: ','",
    comma.line,
    comma.col,
  );
}

/** `expr[...]` given the expression; `[` is next. */
export function bracketAccess(ps: Parser, left: Term): Term {
  const open = opening(ps, T_LBRACKET);
  const saved = ps.noDo;
  ps.noDo = false;
  let arg: Term;
  if (isKw(peek(ps))) {
    arg = kwData(ps, T_RBRACKET);
  } else {
    arg = containerExpr(ps);
    if (peek(ps).kind === T_COMMA) {
      const comma = ps.toks[ps.p++];
      if (ps.features.newMessages && !atClose(ps, T_RBRACKET)) tooManyAccessArgs(ps, comma);
    }
  }
  ps.noDo = saved;
  const close = closing(ps, T_RBRACKET);
  const meta: Meta = closingMetaAt(open, close, open);
  // 1.15+: `meta_with_from_brackets`.
  if (ps.features.richMetadata) meta.unshift(FROM_BRACKETS);
  ps.cat = MATCHED;
  ps.access = true;
  ps.shape = SH_OTHER;
  ps.shape = SH_OTHER;
  return new NodeClass(new NodeClass(A_DOT, meta, [A_ACCESS, A_GET]), meta, [left, arg]);
}
