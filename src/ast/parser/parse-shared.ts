/**
 * What the parser's grammar areas share: the expression classes (matched, unmatched,
 * no-parens), the shapes and primary modes, the tokens that can start an argument, interned
 * atoms and small token/meta helpers. It imports no grammar area, so these constants exist
 * before any area module is evaluated.
 * @packageDocumentation
 */

import type { Meta, Term } from "../term.js";
import * as TM from "../term.js";
import * as Interned from "./intern.js";
import type { Token } from "./tokens.js";
import * as K from "./tokens.js";

const { internSlot, nameAt, ownCopy } = Interned;

const { atom } = TM;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_ALIAS,
  T_ATOM,
  T_ATOM_QUOTED,
  T_ATOM_UNSAFE,
  T_AT_OP,
  T_BIN_HEREDOC,
  T_BIN_STRING,
  T_BRACKET_IDENTIFIER,
  T_CAPTURE_OP,
  T_CHAR,
  T_DO_IDENTIFIER,
  T_FALSE,
  T_FLT,
  T_FN,
  T_IDENTIFIER,
  T_INT,
  T_KW_IDENTIFIER,
  T_KW_IDENTIFIER_UNSAFE,
  T_ELLIPSIS_OP,
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
  T_SIGIL,
  T_TRUE,
  T_UNARY_OP,
} = K;

/**
 * Atoms by intern slot (see intern.ts): an array load per name instead of a Map lookup; the Map
 * holds the names the full intern table could not take.
 */
const ATOM_AT: (Term | undefined)[] = new Array<Term | undefined>(Interned.SLOTS);
const ATOMS = new Map<string, Term>();

/**
 * The atom named `name` (a token's text). Every atom the parser makes from source text comes
 * through here: a new name is interned as a copy, because token texts are slices of the source
 * and V8 keeps a slice's whole parent string alive (names of 13 or more characters), so the
 * process-wide atom tables would otherwise hold every source that introduced a long atom.
 */
export function atomOf(name: string): Term {
  const slot = name.length > 0 ? internSlot(name, 0, name.length) : -1;
  return slot >= 0 ? atomAt(slot, nameAt(slot)) : atomAt(-1, ownCopy(name));
}

/**
 * The atom of a name-like token (identifier, alias, atom, keyword key): the lexer recorded its
 * intern slot, so no hashing is needed.
 */
export function tokenAtom(t: Token): Term {
  const slot = t.slot;
  if (slot < 0) return atomOf(t.text);
  const a = ATOM_AT[slot];
  return a !== undefined ? a : atomAt(slot, t.text);
}

function atomAt(slot: number, own: string): Term {
  if (slot >= 0) {
    let a = ATOM_AT[slot];
    if (a === undefined) {
      a = atom(own);
      ATOM_AT[slot] = a;
    }
    return a;
  }
  let a = ATOMS.get(own);
  if (a === undefined) {
    a = atom(own);
    ATOMS.set(own, a);
  }
  return a;
}

/** Shapes of the expression just parsed, for map entries without `=>` (`assoc_expr`). */
export const SH_OTHER = 0;

/** A variable or `expr.name` (`dot_identifier`), or a call without parentheses. */
export const SH_IDENT = 1;

/** A call with parentheses (`parens_call`). */
export const SH_CALL = 2;

export const MATCHED = 0;

export const UNMATCHED = 1;

export const NO_PARENS = 2;

/** Modes of `primary` (`parse-primary.ts`). */
export const P_NORMAL = 0;

/** Operand of `@`: a bracket identifier does not take its `[...]` (the `@` node does). */
export const P_AT = 1;

/** Struct name position (`%name{}`): identifiers take no arguments. */
export const P_STRUCT = 2;

export const START_ARG: boolean[] = [];
for (const k of [
  T_IDENTIFIER,
  T_PAREN_IDENTIFIER,
  T_BRACKET_IDENTIFIER,
  T_DO_IDENTIFIER,
  T_OP_IDENTIFIER,
  T_ALIAS,
  T_ATOM,
  T_ATOM_QUOTED,
  T_ATOM_UNSAFE,
  T_BIN_STRING,
  T_LIST_STRING,
  T_SIGIL,
  T_BIN_HEREDOC,
  T_LIST_HEREDOC,
  T_INT,
  T_FLT,
  T_CHAR,
  T_TRUE,
  T_FALSE,
  T_NIL,
  T_LBRACKET,
  T_LCURLY,
  T_LBIT,
  T_MAP,
  T_PERCENT,
  T_LPAREN,
  T_FN,
  T_UNARY_OP,
  T_AT_OP,
  T_CAPTURE_OP,
  T_KW_IDENTIFIER,
  T_KW_IDENTIFIER_UNSAFE,
  T_ELLIPSIS_OP,
]) {
  START_ARG[k] = true;
}

export function isKw(t: Token): boolean {
  return t.kind === T_KW_IDENTIFIER || t.kind === T_KW_IDENTIFIER_UNSAFE;
}

export function metaLine(meta: Meta): [number, number | null] {
  let line = 0;
  let col: number | null = null;
  for (const [k, v] of meta) {
    if (k === "line" && typeof v === "number") line = v;
    if (k === "column" && typeof v === "number" && col === null) col = v;
  }
  return [line, col];
}
