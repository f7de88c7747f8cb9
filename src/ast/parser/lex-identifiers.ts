/**
 * Identifiers, aliases, keywords (`fn`, `do`, `when`, ...), keyword identifiers (`key:`), atoms
 * (`:name`, `:"quoted"`, `:+`) and the atom length limit.
 * @packageDocumentation
 */

import * as CH from "./chars.js";
import { fail } from "./errors.js";
import * as Interned from "./intern.js";
import * as Operators from "./lex-operators.js";
import * as StringTokens from "./lex-strings.js";
import * as Terminators from "./lex-terminators.js";
import type { Lexer } from "./lexer.js";
import * as Driver from "./lexer.js";
import { unexpected } from "./lexer.js";
import { extract } from "./strings.js";
import * as TK from "./tokens.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_ALIAS,
  T_AND_OP,
  T_ATOM,
  T_ATOM_QUOTED,
  T_ATOM_UNSAFE,
  T_BLOCK_IDENTIFIER,
  T_BRACKET_IDENTIFIER,
  T_COMMA,
  T_DO,
  T_DO_IDENTIFIER,
  T_DOT,
  T_END,
  T_FALSE,
  T_FN,
  T_IDENTIFIER,
  T_IN_OP,
  T_KW_IDENTIFIER,
  T_NIL,
  T_OR_OP,
  T_PAREN_IDENTIFIER,
  T_SEMI,
  T_TRUE,
  T_TYPE_OP,
  T_UNARY_OP,
  T_WHEN_OP,
} = TK;

const newToken = TK.newToken;

const newValueToken = TK.newValueToken;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  C_AT,
  C_BANG,
  C_COLON,
  C_DQUOTE,
  C_LBRACKET,
  C_LPAREN,
  C_QUESTION,
  C_SLASH,
  C_SQUOTE,
  C_UNDERSCORE,
  isDigit,
  isHorizontalSpace,
  isLower,
  isSpace,
  isUpper,
} = CH;

const { atomOpName, op } = Operators;

const { internSlot, nameAt } = Interned;

const { unescapeParts } = StringTokens;

const { closeOrOpen } = Terminators;

const { erlangHex4, last, prevEol, pushDropEol } = Driver;

const ID_START_RE = /^\p{ID_Start}$/u;

const ID_UPPER_RE = /^[\p{Lu}\p{Lt}]$/u;

const ID_CONTINUE_RE = /^\p{ID_Continue}$/u;

/** Keywords and the token kind they produce (when not after a dot, and not `kw:`). */
const KEYWORDS = new Map<string, number>([
  ["fn", T_FN],
  ["do", T_DO],
  ["end", T_END],
  ["true", T_TRUE],
  ["false", T_FALSE],
  ["nil", T_NIL],
  ["not", T_UNARY_OP],
  ["and", T_AND_OP],
  ["or", T_OR_OP],
  ["when", T_WHEN_OP],
  ["in", T_IN_OP],
  ["after", T_BLOCK_IDENTIFIER],
  ["else", T_BLOCK_IDENTIFIER],
  ["catch", T_BLOCK_IDENTIFIER],
  ["rescue", T_BLOCK_IDENTIFIER],
]);

/** What an ASCII character is inside an identifier: {@link NAME_CHAR} values. */
const NAME_STOP = 0;
const NAME_CONTINUE = 1;
const NAME_AT = 2;
const NAME_PUNCT = 3;

/** Classes of the ASCII characters after an identifier's first: one load instead of four tests. */
const NAME_CHAR = new Uint8Array(128);
for (let ch = 0; ch < 128; ch++) {
  NAME_CHAR[ch] =
    isLower(ch) || isUpper(ch) || isDigit(ch) || ch === C_UNDERSCORE
      ? NAME_CONTINUE
      : ch === C_AT
        ? NAME_AT
        : ch === C_BANG || ch === C_QUESTION
          ? NAME_PUNCT
          : NAME_STOP;
}

/**
 * Keyword kinds by intern slot (0: not a keyword), so that telling a keyword from a name costs
 * an array load instead of a Map lookup. The keywords are interned when this module loads.
 */
const KEYWORD_AT = new Uint8Array(Interned.SLOTS);
for (const [name, kind] of KEYWORDS) {
  const slot = internSlot(name, 0, name.length);
  if (slot >= 0) KEYWORD_AT[slot] = kind;
}

/** The keyword kind of the identifier just scanned (0 when it is none). */
function keywordKind(name: string, slot: number): number {
  if (slot >= 0) return KEYWORD_AT[slot];
  return KEYWORDS.get(name) ?? 0;
}

const INVALID_DO =
  'unexpected reserved word: do. In case you wanted to write a "do" expression, you must either use do-blocks or separate the keyword argument with comma. For example, you should either write:\n\n    if some_condition? do\n      :this\n    else\n      :that\n    end\n\nor the equivalent construct:\n\n    if(some_condition?, do: :this, else: :that)\n\nwhere "some_condition?" is the first argument and the second argument is a keyword list.\n\nYou may see this error if you forget a trailing comma before the "do" in a "do" block';

const SPECIAL_ATOMS = ["...", "<<>>", "%{}", "%", "{}", "..//"];

/**
 * The longest atom Erlang accepts. Elixir's `unsafe_to_atom` counts code points for atoms it
 * builds from charlists (identifiers, aliases, `:name`, `name:`, `foo."name"`) and UTF-8 bytes
 * for those it builds from binaries (`:"name"`, `"name":`). Callers first test the UTF-16
 * length, an upper bound of both counts (`> MAX_ATOM` for code points, `> MAX_ATOM / 3` for
 * bytes, at most 3 per unit), so the common case costs one compare. Identifiers are counted
 * after NFC normalisation, as Elixir normalises before the check.
 */
export const MAX_ATOM = 255;

const ATOM_LIMIT_MSG = "atom length must be less than system limit: ";

/** Fails when `name` (NFC, as scanned) has more than 255 code points. */
export function checkAtomChars(name: string, line: number, col: number): void {
  let n = 0;
  for (let k = 0; k < name.length; k++) {
    const u = name.charCodeAt(k);
    if (u < 0xdc00 || u > 0xdfff) n++;
  }
  if (n > MAX_ATOM) fail(ATOM_LIMIT_MSG + name, line, col);
}

/** Fails when `name` has more than 255 bytes in UTF-8. */
export function checkAtomBytes(name: string, line: number, col: number): void {
  let n = 0;
  for (let k = 0; k < name.length; k++) {
    const u = name.charCodeAt(k);
    // A surrogate pair is 4 bytes: 2 for each half.
    n += u < 0x80 ? 1 : u < 0x800 ? 2 : u >= 0xd800 && u <= 0xdfff ? 2 : 3;
  }
  if (n > MAX_ATOM) fail(ATOM_LIMIT_MSG + name, line, col);
}

/** An identifier-like token whose kind depends on the next character (`(`, `[`, other). */
export function callIdentifier(
  lx: Lexer,
  name: string,
  next: number,
  line: number,
  col: number,
  quote: number | null = null,
): void {
  const d = lx.src.charCodeAt(next);
  const kind =
    d === C_LPAREN ? T_PAREN_IDENTIFIER : d === C_LBRACKET ? T_BRACKET_IDENTIFIER : T_IDENTIFIER;
  // A quoted name (`a."b"`) keeps its quote where Elixir's token does: the location's third element.
  lx.toks.push(newToken(kind, line, col, quote, name));
}

/** Everything starting with `:` except `::`. False when the type operator applies. */
export function colon(lx: Lexer): boolean {
  const s = lx.src;
  const i = lx.i;
  const c1 = s.charCodeAt(i + 1);
  for (const special of SPECIAL_ATOMS) {
    if (s.startsWith(special, i + 1)) {
      lx.toks.push(newToken(T_ATOM, lx.line, lx.col, null, special));
      lx.i += special.length + 1;
      lx.col += special.length + 1;
      return true;
    }
  }
  if (c1 === C_COLON) {
    if (s.charCodeAt(i + 2) === C_COLON) {
      lx.toks.push(newToken(T_ATOM, lx.line, lx.col, null, "::"));
      lx.i += 3;
      lx.col += 3;
      return true;
    }
    op(lx, T_TYPE_OP, "::", 2);
    return true;
  }
  const opName = atomOpName(s, i + 1);
  if (opName !== null) {
    lx.toks.push(newToken(T_ATOM, lx.line, lx.col, null, opName));
    lx.i += opName.length + 1;
    lx.col += opName.length + 1;
    return true;
  }
  if (c1 === C_DQUOTE || c1 === C_SQUOTE) {
    const line = lx.line;
    const col = lx.col;
    lx.i += 2;
    lx.col += 2;
    const raw = extract(lx, true, c1, false, "atom", line);
    const parts = unescapeParts(raw, line, col);
    if (parts.length === 1 && typeof parts[0] === "string") {
      // Built from a binary: the limit counts UTF-8 bytes.
      if (parts[0].length > MAX_ATOM / 3) checkAtomBytes(parts[0], line, col);
      // The location's third element is the delimiter, as in Elixir's token (1.18 metadata).
      lx.toks.push(newToken(T_ATOM_QUOTED, line, col, c1, parts[0]));
    } else {
      const t = newValueToken(T_ATOM_UNSAFE, line, col, c1, "");
      t.parts = parts;
      lx.toks.push(t);
    }
    return true;
  }
  // Elixir counts the error column of a bad character in an atom from the colon, not from the
  // name (`:erl😀` fails at column 4), so the name's column passed for errors is the colon's.
  const name = scanIdentifier(lx, i + 1, lx.col);
  if (name === null) unexpected(lx, i, lx.col);
  if (name.length > MAX_ATOM) checkAtomChars(name, lx.line, lx.col);
  const atomToken = newToken(T_ATOM, lx.line, lx.col, null, name);
  atomToken.slot = ID.slot;
  lx.toks.push(atomToken);
  lx.i = ID.end;
  lx.col += 1 + ID.length;
  return true;
}

/**
 * What the last {@link scanIdentifier} found besides the name. One shared record instead of an
 * object per identifier: identifiers are the most common token, and callers read these fields
 * right after the scan, before any other scan can overwrite them.
 */
const ID = {
  end: 0,
  length: 0,
  alias: false,
  upper: false,
  ascii: true,
  at: false,
  punct: false,
  /** The name's intern slot, or -1 (see intern.ts). */
  slot: -1,
};

/**
 * Scans an identifier at `start`: ASCII letters, digits, `_`, `@` (flagged), an optional
 * trailing `?`/`!`, and Unicode identifier characters. Returns its name, with the rest in
 * {@link ID}, or null when no identifier starts there. `col` is the column errors count from
 * (the identifier's, or for atoms the colon's).
 */
function scanIdentifier(lx: Lexer, start: number, col: number): string | null {
  const s = lx.src;
  const c = s.charCodeAt(start);
  let ascii = true;
  let upper = false;
  let alias = false;
  let j = start;
  if (isUpper(c)) {
    alias = true;
    j++;
  } else if (isLower(c) || c === C_UNDERSCORE) {
    j++;
  } else if (c >= 128) {
    const cp = s.codePointAt(start)!;
    const ch = String.fromCodePoint(cp);
    if (ID_UPPER_RE.test(ch)) upper = true;
    else if (!ID_START_RE.test(ch)) return null;
    ascii = false;
    j += ch.length;
  } else {
    return null;
  }
  let length = 1;
  let at = false;
  let punct = false;
  for (;;) {
    const ch = s.charCodeAt(j);
    // NaN past the end: both tests fail and the loop stops.
    if (ch < 128) {
      const k = NAME_CHAR[ch];
      if (k === NAME_CONTINUE) {
        j++;
        length++;
        continue;
      }
      if (k === NAME_AT) {
        at = true;
        j++;
        length++;
        continue;
      }
      if (k === NAME_PUNCT) {
        punct = true;
        j++;
        length++;
      }
      break;
    }
    if (!(ch >= 128)) break;
    j = scanUnicodeContinue(lx, j, col + length);
    if (j < 0) {
      j = -j;
      break;
    }
    ascii = false;
    length++;
  }
  ID.end = j;
  ID.length = length;
  ID.alias = alias;
  ID.upper = upper;
  ID.ascii = ascii;
  ID.at = at;
  ID.punct = punct;
  if (ascii) {
    const slot = internSlot(s, start, j);
    ID.slot = slot;
    return slot >= 0 ? nameAt(slot) : s.slice(start, j);
  }
  ID.slot = -1;
  return s.slice(start, j).normalize("NFC");
}

/**
 * One non-ASCII character inside an identifier at `j`: the index after it when it continues the
 * identifier, minus `j` when the identifier ends before it. Characters that can neither continue
 * an identifier nor end one are errors at column `col`, as in Elixir.
 */
function scanUnicodeContinue(lx: Lexer, j: number, col: number): number {
  const cp = lx.src.codePointAt(j)!;
  const str = String.fromCodePoint(cp);
  if (ID_CONTINUE_RE.test(str) || ID_START_RE.test(str)) return j + str.length;
  if (isSpace(cp) || cp === 0xfeff || !/\p{L}|\p{M}|\p{N}/u.test(str)) {
    if (cp < 0xa0 || cp === 0xfeff || /\p{Z}|\p{C}|\p{P}|\p{S}/u.test(str)) {
      // Not part of the identifier: Elixir stops only at ASCII; anything else errors.
      fail(
        `unexpected token: "${str}" (column ${col}, code point U+${erlangHex4(cp)})`,
        lx.line,
        col,
      );
    }
  }
  return -j;
}

export function identifier(lx: Lexer): void {
  const s = lx.src;
  const i = lx.i;
  const line = lx.line;
  const col = lx.col;
  const name = scanIdentifier(lx, i, col);
  if (name === null) unexpected(lx, i, col);
  // Elixir checks the atom length before anything else about the identifier.
  if (name.length > MAX_ATOM) checkAtomChars(name, line, col);
  const end = ID.end;
  const length = ID.length;
  const alias = ID.alias;
  const { upper, ascii, at, punct, slot } = ID;
  const l = last(lx);
  const afterDot = l !== undefined && l.kind === T_DOT;
  const next = s.charCodeAt(end);
  const next2 = s.charCodeAt(end + 1);
  const maybeKeyword = !afterDot && (next !== C_COLON || next2 === C_COLON);
  if (maybeKeyword) {
    const kw = keywordKind(name, slot);
    if (kw !== 0) {
      keyword(lx, kw, name, end, length);
      return;
    }
  }
  if (next === C_COLON && isSpace(next2)) {
    const key = newToken(T_KW_IDENTIFIER, line, col, null, name);
    key.slot = slot;
    lx.toks.push(key);
    lx.i = end + 1;
    lx.col += length + 1;
    return;
  }
  if (next === C_COLON && next2 !== C_COLON && end + 1 < s.length) {
    fail(`keyword argument must be followed by space after: ${name}:`, line, col);
  }
  if (at) {
    // The tokenizer names the identifier's kind here, without the alias rule it states elsewhere.
    const what = alias ? "alias" : "identifier";
    fail(`invalid character "@" (code point U+0040) in ${what}: ${name}`, line, col);
  }
  if (name === "__aliases__" || name === "__block__") {
    fail(`reserved token: ${name}`, line, col);
  }
  if (alias) {
    if (!ascii || punct) {
      let bad = 0;
      for (const ch of name) {
        const cp = ch.codePointAt(0)!;
        if (cp < 65 || cp > 127) {
          bad = cp;
          break;
        }
      }
      fail(
        `invalid character "${String.fromCodePoint(bad)}" (code point U+${erlangHex4(bad)}) in alias (only ASCII characters, without punctuation, are allowed): ${name}`,
        line,
        col,
      );
    }
    lx.toks.push(newToken(T_ALIAS, line, col, null, name));
  } else if (upper) {
    unexpected(lx, i, col);
  } else {
    callIdentifier(lx, name, end, line, col);
  }
  lx.toks[lx.toks.length - 1].slot = slot;
  lx.i = end;
  lx.col += length;
}

function keyword(lx: Lexer, kind: number, name: string, end: number, length: number): void {
  const line = lx.line;
  const col = lx.col;
  const s = lx.src;
  lx.i = end;
  lx.col += length;
  switch (kind) {
    case T_FN:
    case T_END:
      closeOrOpen(lx, name, line, col);
      lx.toks.push(newToken(kind, line, col, null, name));
      return;
    case T_DO: {
      const l = last(lx);
      if (l !== undefined && l.kind === T_IDENTIFIER) {
        l.kind = T_DO_IDENTIFIER;
      } else if (l !== undefined && l.kind === T_FN) {
        fail(
          "unexpected reserved word: do. Anonymous functions are written as:\n\n    fn pattern -> expression end",
          line,
          col,
        );
      } else if (l !== undefined && (l.kind === T_COMMA || l.kind === T_SEMI)) {
        fail(INVALID_DO, line, col);
      }
      closeOrOpen(lx, name, line, col);
      pushDropEol(lx, newToken(T_DO, line, col, null, "do"));
      return;
    }
    case T_TRUE:
    case T_FALSE:
    case T_NIL:
      lx.toks.push(newToken(kind, line, col, null, name));
      return;
    case T_BLOCK_IDENTIFIER:
      lx.toks.push(newToken(kind, line, col, null, name));
      return;
  }
  // Word operators: not, and, or, when, in.
  let k = end;
  while (isHorizontalSpace(s.charCodeAt(k))) k++;
  if (s.charCodeAt(k) === C_SLASH) {
    lx.toks.push(newToken(T_IDENTIFIER, line, col, null, name));
    return;
  }
  const l = last(lx);
  if (kind === T_IN_OP && l !== undefined && l.kind === T_UNARY_OP && l.text === "not") {
    lx.toks.pop();
    pushDropEol(lx, newToken(T_IN_OP, l.line, l.col, l.eol, "not in"));
    return;
  }
  const t = newToken(kind, line, col, prevEol(lx), name);
  if (kind === T_UNARY_OP) lx.toks.push(t);
  else pushDropEol(lx, t);
}
