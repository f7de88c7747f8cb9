/**
 * String, charlist, heredoc and sigil tokens, and quoted keywords (`"key": `). Their bodies and
 * interpolations are scanned by `strings.ts`; this file makes the tokens.
 * @packageDocumentation
 */

import * as CH from "./chars.js";
import { fail } from "./errors.js";
import * as Identifiers from "./lex-identifiers.js";
import { MAX_ATOM } from "./lex-identifiers.js";
import * as Operators from "./lex-operators.js";
import type { Lexer } from "./lexer.js";
import * as Driver from "./lexer.js";
import { extract, stripHeredoc, unescapeText } from "./strings.js";
import type { Part } from "./tokens.js";
import * as TK from "./tokens.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_BIN_HEREDOC,
  T_BIN_STRING,
  T_KW_IDENTIFIER,
  T_KW_IDENTIFIER_UNSAFE,
  T_LIST_HEREDOC,
  T_LIST_STRING,
  T_SIGIL,
} = TK;

const newToken = TK.newToken;

const newValueToken = TK.newValueToken;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  C_COLON,
  C_CR,
  C_DQUOTE,
  C_GT,
  C_LBRACKET,
  C_LCURLY,
  C_LF,
  C_LPAREN,
  C_LT,
  C_PIPE,
  C_RBRACKET,
  C_RCURLY,
  C_RPAREN,
  C_SLASH,
  C_SQUOTE,
  C_TILDE,
  isDigit,
  isHorizontalSpace,
  isLower,
  isSpace,
  isUpper,
} = CH;

const { checkAtomBytes } = Identifiers;

const { operator } = Operators;

const { erlangHex4 } = Driver;

const SIGIL_TERMINATORS: Record<number, number> = {
  [C_SLASH]: C_SLASH,
  [C_LT]: C_GT,
  [C_DQUOTE]: C_DQUOTE,
  [C_SQUOTE]: C_SQUOTE,
  [C_LBRACKET]: C_RBRACKET,
  [C_LPAREN]: C_RPAREN,
  [C_LCURLY]: C_RCURLY,
  [C_PIPE]: C_PIPE,
};

export function unescapeParts(raw: Part[], line: number, col: number): Part[] {
  const out: Part[] = [];
  for (let k = 0; k < raw.length; k++) {
    const p = raw[k];
    out.push(typeof p === "string" ? unescapeText(p, line, col) : p);
  }
  return out;
}

export function scanString(lx: Lexer, q: number): void {
  const line = lx.line;
  const col = lx.col;
  lx.i++;
  lx.col++;
  const raw = extract(lx, true, q, false, "string", line);
  const s = lx.src;
  if (s.charCodeAt(lx.i) === C_COLON && isSpace(s.charCodeAt(lx.i + 1))) {
    const parts = unescapeParts(raw, line, col + 1);
    if (parts.length === 1 && typeof parts[0] === "string") {
      // Built from a binary: the limit counts UTF-8 bytes. (Elixir 1.14's string_to_quoted
      // then crashes on this tokenizer error; we report it at the quote.)
      if (parts[0].length > MAX_ATOM / 3) checkAtomBytes(parts[0], line, col);
      // The location's third element is the delimiter, as in Elixir's token (1.18 metadata).
      lx.toks.push(newToken(T_KW_IDENTIFIER, line, col, q, parts[0]));
    } else {
      const t = newValueToken(T_KW_IDENTIFIER_UNSAFE, line, col, q, "");
      t.parts = parts;
      lx.toks.push(t);
    }
    lx.i++;
    lx.col++;
    return;
  }
  const t = newValueToken(q === C_DQUOTE ? T_BIN_STRING : T_LIST_STRING, line, col, null, "");
  t.parts = unescapeParts(raw, line, col + 1);
  lx.toks.push(t);
}

/** Skips a heredoc header: horizontal space then a newline after the opening triple quote. */
function heredocHeader(lx: Lexer, q: number, line: number, col: number): void {
  const s = lx.src;
  let j = lx.i;
  while (isHorizontalSpace(s.charCodeAt(j))) j++;
  if (s.charCodeAt(j) === C_LF) j++;
  else if (s.charCodeAt(j) === C_CR && s.charCodeAt(j + 1) === C_LF) j += 2;
  else {
    const d = String.fromCharCode(q);
    if (lx.features.newMessages) {
      fail(
        `heredoc allows only whitespace characters followed by a new line after opening ${d}${d}${d}`,
        line,
        col + 3,
      );
    }
    fail(
      `heredoc allows only zero or more whitespace characters followed by a new line after ${d}${d}${d}`,
      line,
      col,
    );
  }
  lx.i = j;
}

export function heredoc(lx: Lexer, q: number): void {
  const line = lx.line;
  const col = lx.col;
  lx.i += 3;
  heredocHeader(lx, q, line, col);
  const raw = extract(lx, true, q, true, "heredoc", line);
  const indent = lx.col - 4;
  const t = newValueToken(q === C_DQUOTE ? T_BIN_HEREDOC : T_LIST_HEREDOC, line, col, null, "");
  t.indent = indent;
  t.parts = unescapeParts(stripHeredoc(raw, indent), line, col);
  lx.toks.push(t);
}

/**
 * The sigil name after `~` at `i`: one lowercase letter, or one uppercase letter followed (from
 * Elixir 1.15, {@link Features.multiLetterSigils}) by uppercase letters and digits. Fails like
 * the 1.18 tokenizer on a lowercase letter after the name; its message quotes the rest of the
 * source from the name on.
 */
function sigilName(lx: Lexer, i: number): string {
  const s = lx.src;
  const first = s.charCodeAt(i);
  let end = i + 1;
  if (isUpper(first) && lx.features.multiLetterSigils) {
    while (isUpper(s.charCodeAt(end)) || isDigit(s.charCodeAt(end))) end++;
  }
  if (lx.features.multiLetterSigils && isLower(s.charCodeAt(end))) {
    fail(
      `invalid sigil name, it should be either a one-letter lowercase letter or an uppercase letter optionally followed by uppercase letters and digits, got: ~${s.slice(i)}`,
      lx.line,
      lx.col,
    );
  }
  return s.slice(i, end);
}

/** `~x...`: a sigil; false for `~` operators (handled by {@link operator}). */
export function sigilOrTilde(lx: Lexer): boolean {
  const s = lx.src;
  const i = lx.i;
  const letter = s.charCodeAt(i + 1);
  if (!isUpper(letter) && !isLower(letter)) return operator(lx, C_TILDE);
  const name = sigilName(lx, i + 1);
  const at = i + 1 + name.length; // the delimiter
  if (at >= s.length) return false;
  const h = s.charCodeAt(at);
  const line = lx.line;
  const col = lx.col;
  const interpol = isLower(letter);
  let raw: Part[];
  let delimiter: string;
  let indentation: number | null = null;
  if (
    (h === C_DQUOTE || h === C_SQUOTE) &&
    s.charCodeAt(at + 1) === h &&
    s.charCodeAt(at + 2) === h
  ) {
    lx.i = at + 3;
    // 1.15+ locates header errors from the delimiter, 1.14 from the `~`.
    heredocHeader(lx, h, line, lx.features.newMessages ? col + 1 + name.length : col);
    const body = extract(lx, interpol, h, true, "heredoc", line, col + 1 + name.length);
    indentation = lx.col - 4;
    raw = stripHeredoc(body, indentation);
    delimiter = String.fromCharCode(h, h, h);
  } else {
    const term = SIGIL_TERMINATORS[h];
    if (term === undefined) {
      const ch = String.fromCodePoint(s.codePointAt(at)!);
      fail(
        `invalid sigil delimiter: "${ch}" (column ${col + 1 + name.length}, code point U+${erlangHex4(ch.codePointAt(0)!)}). The available delimiters are: //, ||, "", '', (), [], {}, <>`,
        line,
        col,
      );
    }
    lx.i = at + 1;
    lx.col += name.length + 2;
    raw = extract(lx, interpol, term, false, `sigil ~${s[i + 1]}${s[at]}`, line);
    delimiter = String.fromCharCode(h);
  }
  const modifiers: number[] = [];
  for (;;) {
    const m = s.charCodeAt(lx.i);
    if (isLower(m) || isUpper(m) || isDigit(m)) {
      modifiers.push(m);
      lx.i++;
      lx.col++;
    } else break;
  }
  const t = newValueToken(T_SIGIL, line, col, null, "");
  t.parts = raw;
  t.sigil = { letter: name, modifiers, indentation, delimiter };
  lx.toks.push(t);
  return true;
}
