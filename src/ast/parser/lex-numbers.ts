/**
 * Integers (decimal, `0x`, `0o`, `0b`, with `_` separators), floats and character literals (`?a`).
 * @packageDocumentation
 */

import * as CH from "./chars.js";
import { fail } from "./errors.js";
import type { Lexer } from "./lexer.js";
import { unescapeChar } from "./strings.js";
import type { Token } from "./tokens.js";
import * as TK from "./tokens.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const { T_CHAR, T_FLT, T_INT } = TK;

const newValueToken = TK.newValueToken;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  C_0,
  C_BACKSLASH,
  C_b,
  C_DOT,
  C_MINUS,
  C_o,
  C_PLUS,
  C_UNDERSCORE,
  C_x,
  isDigit,
  isHex,
  isLower,
  isUpper,
} = CH;

function toInt(digits: string, radix: number): number | bigint {
  if (radix === 10 && digits.length < 16) return Number.parseInt(digits, 10);
  const prefix = radix === 16 ? "0x" : radix === 8 ? "0o" : radix === 2 ? "0b" : "";
  const b = BigInt(prefix + digits);
  return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

export function scanNumber(lx: Lexer, c: number): void {
  const s = lx.src;
  const start = lx.i;
  const c1 = s.charCodeAt(start + 1);
  if (c === C_0 && (c1 === C_x || c1 === C_b || c1 === C_o)) {
    const radix = c1 === C_x ? 16 : c1 === C_b ? 2 : 8;
    const ok = (ch: number) =>
      radix === 16 ? isHex(ch) : radix === 2 ? ch === 48 || ch === 49 : ch >= 48 && ch <= 55;
    if (ok(s.charCodeAt(start + 2))) {
      let j = start + 3;
      for (;;) {
        const ch = s.charCodeAt(j);
        if (ok(ch)) j++;
        else if (ch === C_UNDERSCORE && ok(s.charCodeAt(j + 1))) j += 2;
        else break;
      }
      const digits = s.slice(start + 2, j).replaceAll("_", "");
      const t = newValueToken(T_INT, lx.line, lx.col, null, s.slice(start, j));
      t.num = toInt(digits, radix);
      lx.toks.push(t);
      lx.col += j - start;
      lx.i = j;
      return;
    }
  }
  let j = start + 1;
  let float = false;
  for (;;) {
    const ch = s.charCodeAt(j);
    if (isDigit(ch)) j++;
    else if (ch === C_UNDERSCORE && isDigit(s.charCodeAt(j + 1))) j += 2;
    else if (ch === C_DOT && !float && isDigit(s.charCodeAt(j + 1))) {
      float = true;
      j += 2;
    } else if (float && (ch === 101 || ch === 69)) {
      const d = s.charCodeAt(j + 1);
      if (isDigit(d)) j += 2;
      else if ((d === C_PLUS || d === C_MINUS) && isDigit(s.charCodeAt(j + 2))) j += 3;
      else break;
    } else break;
  }
  const text = s.slice(start, j);
  const after = s.charCodeAt(j);
  if (isUpper(after) || isLower(after) || after === C_UNDERSCORE) {
    fail(
      `invalid character "${String.fromCharCode(after)}" after number ${text}. If you intended to write a number, make sure to separate the number from the character (using comma, space, etc). If you meant to write a function name or a variable, note that identifiers in Elixir cannot start with numbers. Unexpected token: ${String.fromCharCode(after)}`,
      lx.line,
      lx.col,
    );
  }
  const clean = text.replaceAll("_", "");
  let t: Token;
  if (float) {
    const v = Number(clean);
    if (!Number.isFinite(v)) fail(`invalid float number ${text}`, lx.line, lx.col);
    t = newValueToken(T_FLT, lx.line, lx.col, null, text);
    t.num = v;
  } else {
    t = newValueToken(T_INT, lx.line, lx.col, null, text);
    t.num = toInt(clean, 10);
  }
  lx.toks.push(t);
  lx.col += j - start;
  lx.i = j;
}

export function char(lx: Lexer): void {
  const s = lx.src;
  const i = lx.i;
  let cp = s.codePointAt(i + 1)!;
  const t = newValueToken(T_CHAR, lx.line, lx.col, null, "?");
  if (cp === C_BACKSLASH && i + 2 < s.length) {
    const h = s.codePointAt(i + 2)!;
    cp = unescapeChar(h);
    t.num = cp;
    lx.i = i + 2 + (h > 0xffff ? 2 : 1);
    lx.col += 3;
  } else {
    t.num = cp;
    lx.i = i + 1 + (cp > 0xffff ? 2 : 1);
    lx.col += 2;
  }
  lx.toks.push(t);
}
