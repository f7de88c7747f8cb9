/**
 * Newlines (and the counts carried by the eol/`,`/`;` tokens), horizontal space with Elixir's
 * `foo -1` rule (a sign glued to an operand after an identifier), and comments.
 * @packageDocumentation
 */

import * as CH from "./chars.js";
import type { Lexer } from "./lexer.js";
import * as Driver from "./lexer.js";
import { error } from "./lexer.js";
import * as TK from "./tokens.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const { T_COMMA, T_DUAL_OP, T_EOL, T_IDENTIFIER, T_OP_IDENTIFIER, T_SEMI } = TK;

const newToken = TK.newToken;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  C_COLON,
  C_CR,
  C_GT,
  C_LBRACKET,
  C_LCURLY,
  C_LF,
  C_LPAREN,
  C_LT,
  C_MINUS,
  C_PERCENT,
  C_PLUS,
  C_SLASH,
  C_SPACE,
  C_TAB,
  isBidi,
  isHorizontalSpace,
  isSpace,
} = CH;

const { hex4, last } = Driver;

export function newline(lx: Lexer, len: number): void {
  const l = last(lx);
  if (l !== undefined && (l.kind === T_EOL || l.kind === T_COMMA || l.kind === T_SEMI)) {
    l.eol = l.eol! + 1;
  } else {
    lx.toks.push(newToken(T_EOL, lx.line, lx.col, 1, "eol"));
  }
  lx.i += len;
  afterNewline(lx);
}

/** Start of a new line: measure its indentation. */
export function afterNewline(lx: Lexer): void {
  const s = lx.src;
  let j = lx.i;
  while (j < s.length && isHorizontalSpace(s.charCodeAt(j))) j++;
  lx.indentation = j - lx.i;
  lx.line++;
  lx.col = lx.indentation + 1;
  lx.i = j;
}

export function space(lx: Lexer): void {
  const s = lx.src;
  let j = lx.i + 1;
  while (j < s.length && isHorizontalSpace(s.charCodeAt(j))) j++;
  lx.col += j - lx.i;
  lx.i = j;
  // `foo -1`: an identifier, a space, then a sign glued to what follows makes a unary call.
  const c = s.charCodeAt(j);
  if ((c === C_PLUS || c === C_MINUS) && j + 1 < s.length) {
    const d = s.charCodeAt(j + 1);
    const l = last(lx);
    if (
      l !== undefined &&
      l.kind === T_IDENTIFIER &&
      !isSpace(d) &&
      d !== C_LPAREN &&
      d !== C_LBRACKET &&
      d !== C_LT &&
      d !== C_LCURLY &&
      d !== C_PERCENT &&
      d !== C_PLUS &&
      d !== C_MINUS &&
      d !== C_SLASH &&
      d !== C_GT &&
      d !== C_COLON
    ) {
      l.kind = T_OP_IDENTIFIER;
      lx.toks.push(newToken(T_DUAL_OP, lx.line, lx.col, null, c === C_PLUS ? "+" : "-"));
      lx.i++;
      lx.col++;
    }
  }
}

/** A comment from `start` (at `#`) to the end of the line; the column does not advance. */
export function comment(lx: Lexer, start: number, col: number): void {
  const s = lx.src;
  let j = start + 1;
  const n = s.length;
  for (; j < n; j++) {
    const ch = s.charCodeAt(j);
    if (ch === C_LF) break;
    if (ch === C_CR && s.charCodeAt(j + 1) === C_LF) break;
    if (ch >= 0x202a && isBidi(ch)) {
      error(
        lx,
        `invalid bidirectional formatting character in comment: \\u${hex4(ch)}`,
        lx.line,
        col,
      );
    }
  }
  let prev = 0;
  const l = last(lx);
  if (l === undefined) prev = 1;
  else if ((l.kind === T_EOL || l.kind === T_COMMA || l.kind === T_SEMI) && l.eol! > 0) {
    prev = l.eol!;
  }
  let next = 0;
  let k = j;
  for (;;) {
    const ch = s.charCodeAt(k);
    if (ch === C_SPACE || ch === C_TAB) k++;
    else if (ch === C_LF) {
      next++;
      k++;
    } else if (ch === C_CR && s.charCodeAt(k + 1) === C_LF) {
      next++;
      k += 2;
    } else break;
  }
  lx.comments.push({
    line: lx.line,
    column: col,
    previous_eol_count: prev,
    next_eol_count: next,
    text: s.slice(start, j),
  });
  if (l !== undefined && l.kind === T_EOL) l.eol = 0;
  lx.i = j;
}
