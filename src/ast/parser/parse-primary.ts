/**
 * Primary expressions: literals, atoms, strings, charlists, heredocs and sigils (with their
 * interpolations), aliases, and the dispatch to containers, blocks and identifiers.
 * @packageDocumentation
 */

import type { Meta, Term } from "../term.js";
import * as TM from "../term.js";
import * as B from "./build.js";
import * as Blocks from "./parse-blocks.js";
import * as Calls from "./parse-calls.js";
import * as Containers from "./parse-containers.js";
import * as PS from "./parse-shared.js";
import type { Parser } from "./parser.js";
import * as Driver from "./parser.js";
import { syntaxError } from "./parser.js";
import type { Token } from "./tokens.js";
import * as K from "./tokens.js";

const {
  A_ALIASES,
  A_BITSTRING,
  A_DOT,
  A_LIST,
  A_RANGE,
  A_TO_CHARLIST,
  charlistParts,
  quotedAtom,
  stringParts,
  toCharlist,
  tokMeta,
} = B;

const FloatClass = TM.Float;

const NodeClass = TM.Node;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_ALIAS,
  T_ATOM,
  T_ATOM_QUOTED,
  T_ATOM_UNSAFE,
  T_BIN_HEREDOC,
  T_BIN_STRING,
  T_BRACKET_IDENTIFIER,
  T_CHAR,
  T_DO_IDENTIFIER,
  T_FALSE,
  T_FLT,
  T_FN,
  T_IDENTIFIER,
  T_INT,
  T_LBIT,
  T_LBRACKET,
  T_LCURLY,
  T_LIST_HEREDOC,
  T_LIST_STRING,
  T_LPAREN,
  T_MAP,
  T_NIL,
  T_OP_IDENTIFIER,
  T_PAREN_IDENTIFIER,
  T_PERCENT,
  T_RANGE_OP,
  T_SIGIL,
  T_TRUE,
} = K;

const InterpolationClass = K.Interpolation;

const { fn, parens } = Blocks;

const { identifier } = Calls;

const { bitstring, list, map, struct, tuple } = Containers;

const { MATCHED, SH_OTHER, atomOf, tokenAtom } = PS;

const { subParser } = Driver;

export function primary(ps: Parser, mode: number): Term {
  const t = ps.toks[ps.p];
  ps.cat = MATCHED;
  // Identifiers set their own shape; containers reset it after their elements (no wrapper
  // function here: every frame per nesting level costs stack depth).
  ps.shape = SH_OTHER;
  ps.access = true;
  switch (t.kind) {
    case T_INT:
    case T_CHAR:
      ps.p++;
      return t.num;
    case T_FLT:
      ps.p++;
      return new FloatClass(t.num as number);
    case T_ATOM:
    case T_ATOM_QUOTED:
      ps.p++;
      return tokenAtom(t);
    case T_ATOM_UNSAFE:
      ps.p++;
      // 1.14 always says `"`; 1.15+ gives the token's own quote.
      return quotedAtom(
        t,
        [["delimiter", ps.features.richMetadata ? String.fromCharCode(t.eol ?? 0x22) : '"']],
        subParser(ps),
      );
    case T_TRUE:
      ps.p++;
      return true;
    case T_FALSE:
      ps.p++;
      return false;
    case T_NIL:
      ps.p++;
      return null;
    case T_BIN_STRING:
      ps.p++;
      return binString(ps, t, [["delimiter", '"']]);
    case T_BIN_HEREDOC:
      ps.p++;
      return binString(ps, t, [
        ["delimiter", '"""'],
        ["indentation", t.indent],
      ]);
    case T_LIST_STRING:
      ps.p++;
      return listString(ps, t, [["delimiter", "'"]]);
    case T_LIST_HEREDOC:
      ps.p++;
      return listString(ps, t, [
        ["delimiter", "'''"],
        ["indentation", t.indent],
      ]);
    case T_SIGIL:
      ps.p++;
      return sigil(ps, t);
    case T_ALIAS:
      ps.p++;
      return new NodeClass(A_ALIASES, [["last", tokMeta(t)], ...tokMeta(t)], [tokenAtom(t)]);
    case T_LBRACKET:
      return list(ps);
    case T_LCURLY:
      return tuple(ps);
    case T_LBIT:
      return bitstring(ps);
    case T_MAP:
      return map(ps);
    case T_PERCENT:
      return struct(ps);
    case T_LPAREN:
      return parens(ps);
    case T_FN:
      return fn(ps);
    case T_RANGE_OP:
      // 1.16+ made nullary `..` a `sub_matched_expr`, no longer an `access_expr`: `.. [1]` is an
      // error there, `Access.get(.., 1)` before.
      ps.p++;
      ps.access = !ps.features.ellipsisOp;
      return new NodeClass(A_RANGE, tokMeta(t), []);
    case T_IDENTIFIER:
    case T_PAREN_IDENTIFIER:
    case T_BRACKET_IDENTIFIER:
    case T_DO_IDENTIFIER:
    case T_OP_IDENTIFIER:
      ps.p++;
      return identifier(ps, t, null, null, mode);
  }
  syntaxError(ps, t);
}

function binString(ps: Parser, t: Token, extra: Meta): Term {
  const parts = t.parts!;
  if (parts.length === 1 && !(parts[0] instanceof InterpolationClass)) return parts[0];
  return new NodeClass(A_BITSTRING, [...extra, ...tokMeta(t)], stringParts(parts, subParser(ps)));
}

function listString(ps: Parser, t: Token, extra: Meta): Term {
  const parts = t.parts!;
  if (parts.length === 1 && !(parts[0] instanceof InterpolationClass)) {
    return toCharlist(parts[0], t.line, t.col);
  }
  const m = tokMeta(t);
  return new NodeClass(
    new NodeClass(A_DOT, m, [A_LIST, A_TO_CHARLIST]),
    [...extra, ...m],
    [charlistParts(parts, subParser(ps))],
  );
}

function sigil(ps: Parser, t: Token): Term {
  const s = t.sigil!;
  const m = tokMeta(t);
  const inner: Meta = s.indentation === null ? m : [["indentation", s.indentation], ...m];
  return new NodeClass(
    atomOf(`sigil_${s.letter}`),
    [["delimiter", s.delimiter], ...m],
    [new NodeClass(A_BITSTRING, inner, stringParts(t.parts!, subParser(ps))), s.modifiers],
  );
}
