/**
 * Operators and punctuation: binary and unary operators (Elixir's `handle_op`/`handle_unary_op`,
 * including `op:` keywords and `op/arity` names), everything starting with a dot, and the
 * operator tables for `:op` atoms and `Mod.op` call names.
 * @packageDocumentation
 */

import * as CH from "./chars.js";
import { fail } from "./errors.js";
import * as Identifiers from "./lex-identifiers.js";
import { MAX_ATOM } from "./lex-identifiers.js";
import * as Space from "./lex-space.js";
import * as Terminators from "./lex-terminators.js";
import type { Lexer } from "./lexer.js";
import * as Driver from "./lexer.js";
import { unexpected } from "./lexer.js";
import { extract } from "./strings.js";
import * as TK from "./tokens.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_AND_OP,
  T_ARROW_OP,
  T_ASSOC_OP,
  T_AT_OP,
  T_CAPTURE_OP,
  T_COMP_OP,
  T_CONCAT_OP,
  T_DOT,
  T_DOT_CALL_OP,
  T_DUAL_OP,
  T_ELLIPSIS_OP,
  T_IDENTIFIER,
  T_IN_MATCH_OP,
  T_KW_IDENTIFIER,
  T_LBIT,
  T_MATCH_OP,
  T_MULT_OP,
  T_OR_OP,
  T_PIPE_OP,
  T_POWER_OP,
  T_RANGE_OP,
  T_RBIT,
  T_REL_OP,
  T_STAB_OP,
  T_TERNARY_OP,
  T_UNARY_OP,
  T_XOR_OP,
} = TK;

const newToken = TK.newToken;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  C_AMP,
  C_AT,
  C_BANG,
  C_CARET,
  C_COLON,
  C_CR,
  C_DOT,
  C_DQUOTE,
  C_EQ,
  C_GT,
  C_HASH,
  C_LF,
  C_LPAREN,
  C_LT,
  C_MINUS,
  C_PIPE,
  C_PLUS,
  C_SLASH,
  C_SQUOTE,
  C_STAR,
  C_TILDE,
  isHorizontalSpace,
  isSpace,
} = CH;

const { callIdentifier, checkAtomChars } = Identifiers;

const { comment } = Space;

const { closer, opener } = Terminators;

const { prevEol, pushDropEol } = Driver;

const OPS3 = new Set([
  "~~~",
  "===",
  "!==",
  "&&&",
  "|||",
  "<<<",
  ">>>",
  "~>>",
  "<<~",
  "<~>",
  "<|>",
  "^^^",
  "+++",
  "---",
]);

const OPS2_ATOM = new Set([
  "==",
  "=~",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "|>",
  "~>",
  "<~",
  "<-",
  "\\\\",
  "++",
  "--",
  "<>",
  "**",
  "->",
  "..",
]);

const OPS1_ATOM = new Set(["@", "!", "^", "&", "+", "-", "*", "/", "<", ">", "=", "|", "."]);

/**
 * ASCII characters that can start an operator name. Most atoms and dotted calls are names
 * (`:ok`, `Enum.map`), so checking one character first spares them three slices and set lookups.
 */
const OP_START = new Uint8Array(128);
for (const name of [...OPS3, ...OPS2_ATOM, ...OPS1_ATOM, "::"]) OP_START[name.charCodeAt(0)] = 1;

/** The operator atom name after `:` at `i` (`:+`, `:===`), or null. */
export function atomOpName(s: string, i: number): string | null {
  if (OP_START[s.charCodeAt(i)] !== 1) return null;
  const three = s.slice(i, i + 3);
  if (OPS3.has(three)) return three;
  const two = three.slice(0, 2);
  if (OPS2_ATOM.has(two)) return two;
  const one = two.slice(0, 1);
  if (OPS1_ATOM.has(one)) return one;
  return null;
}

const DOT_OPS2 = new Set([...OPS2_ATOM, "::"]);
DOT_OPS2.delete("->");

const DOT_OPS1 = new Set(["@", "!", "^", "&", "+", "-", "*", "/", "<", ">", "=", "|"]);

/** The operator used as a call name after a dot (`Kernel.+`), or null. */
function dotOpName(s: string, i: number): string | null {
  if (OP_START[s.charCodeAt(i)] !== 1) return null;
  const three = s.slice(i, i + 3);
  if (OPS3.has(three)) return three;
  const two = three.slice(0, 2);
  if (DOT_OPS2.has(two)) return two;
  const one = two.slice(0, 1);
  if (DOT_OPS1.has(one)) return one;
  return null;
}

/** `text:` followed by a space, for the special operator keywords (`%{}: 1`, `{}: 1`, ...). */
export function kwOp(lx: Lexer, text: string): boolean {
  const s = lx.src;
  if (!s.startsWith(text, lx.i)) return false;
  const j = lx.i + text.length;
  if (s.charCodeAt(j) !== C_COLON || !isSpace(s.charCodeAt(j + 1))) return false;
  lx.toks.push(newToken(T_KW_IDENTIFIER, lx.line, lx.col, null, text));
  lx.i = j + 1;
  lx.col += text.length + 1;
  return true;
}

/** An operator written as a keyword key (`+: 1`): pushes it and answers true. */
function operatorKeyword(lx: Lexer, text: string, len: number): boolean {
  const j = lx.i + len;
  if (lx.src.charCodeAt(j) !== C_COLON || !isSpace(lx.src.charCodeAt(j + 1))) return false;
  lx.toks.push(newToken(T_KW_IDENTIFIER, lx.line, lx.col, null, text));
  lx.i = j + 1;
  lx.col += len + 1;
  return true;
}

/** A binary-style operator (Elixir's `handle_op`). */
export function op(lx: Lexer, kind: number, text: string, len: number): void {
  const s = lx.src;
  const j = lx.i + len;
  if (operatorKeyword(lx, text, len)) return;
  let k = j;
  while (isHorizontalSpace(s.charCodeAt(k))) k++;
  if (s.charCodeAt(k) === C_SLASH) {
    lx.toks.push(newToken(T_IDENTIFIER, lx.line, lx.col, null, text));
  } else {
    pushDropEol(lx, newToken(kind, lx.line, lx.col, prevEol(lx), text));
  }
  lx.i = k;
  lx.col += len + (k - j);
}

/** A unary-capable operator (Elixir's `handle_unary_op`): no newline bookkeeping. */
function unaryOp(lx: Lexer, kind: number, text: string, len: number): void {
  const s = lx.src;
  const j = lx.i + len;
  if (operatorKeyword(lx, text, len)) return;
  let k = j;
  while (isHorizontalSpace(s.charCodeAt(k))) k++;
  const kk = s.charCodeAt(k) === C_SLASH ? T_IDENTIFIER : kind;
  lx.toks.push(newToken(kk, lx.line, lx.col, null, text));
  lx.i = k;
  lx.col += len + (k - j);
}

/** Operators and punctuation starting with the ASCII symbol `c`. False when none applies. */
export function operator(lx: Lexer, c: number): boolean {
  const s = lx.src;
  const i = lx.i;
  const c1 = s.charCodeAt(i + 1);
  const c2 = s.charCodeAt(i + 2);
  switch (c) {
    case C_EQ:
      if (c1 === C_GT) {
        pushDropEol(lx, newToken(T_ASSOC_OP, lx.line, lx.col, prevEol(lx), "=>"));
        lx.i += 2;
        lx.col += 2;
        return true;
      }
      if (c1 === C_EQ && c2 === C_EQ) op(lx, T_COMP_OP, "===", 3);
      else if (c1 === C_EQ) op(lx, T_COMP_OP, "==", 2);
      else if (c1 === C_TILDE) op(lx, T_COMP_OP, "=~", 2);
      else op(lx, T_MATCH_OP, "=", 1);
      return true;
    case C_BANG:
      if (c1 === C_EQ && c2 === C_EQ) op(lx, T_COMP_OP, "!==", 3);
      else if (c1 === C_EQ) op(lx, T_COMP_OP, "!=", 2);
      else unaryOp(lx, T_UNARY_OP, "!", 1);
      return true;
    case C_AMP:
      if (kwOp(lx, "&")) return true;
      if (c1 === C_AMP && c2 === C_AMP) op(lx, T_AND_OP, "&&&", 3);
      else if (c1 === C_AMP) op(lx, T_AND_OP, "&&", 2);
      else {
        // `&/2` (after spaces, not `&//`) names the capture operator itself.
        let k = i + 1;
        while (isHorizontalSpace(s.charCodeAt(k))) k++;
        let kind = T_CAPTURE_OP;
        if (s.charCodeAt(k) === C_SLASH) {
          let m = k + 1;
          while (isHorizontalSpace(s.charCodeAt(m))) m++;
          if (s.charCodeAt(m) !== C_SLASH) kind = T_IDENTIFIER;
        }
        lx.toks.push(newToken(kind, lx.line, lx.col, null, "&"));
        lx.i++;
        lx.col++;
      }
      return true;
    case C_PIPE:
      if (c1 === C_PIPE && c2 === C_PIPE) op(lx, T_OR_OP, "|||", 3);
      else if (c1 === C_PIPE) op(lx, T_OR_OP, "||", 2);
      else if (c1 === C_GT) op(lx, T_ARROW_OP, "|>", 2);
      else op(lx, T_PIPE_OP, "|", 1);
      return true;
    case C_CARET:
      if (c1 === C_CARET && c2 === C_CARET) op(lx, T_XOR_OP, "^^^", 3);
      else unaryOp(lx, T_UNARY_OP, "^", 1);
      return true;
    case C_TILDE:
      if (c1 === C_TILDE && c2 === C_TILDE) unaryOp(lx, T_UNARY_OP, "~~~", 3);
      else if (c1 === C_GT && c2 === C_GT) op(lx, T_ARROW_OP, "~>>", 3);
      else if (c1 === C_GT) op(lx, T_ARROW_OP, "~>", 2);
      else return false;
      return true;
    case C_PLUS:
      if (c1 === C_PLUS && c2 === C_PLUS) op(lx, T_CONCAT_OP, "+++", 3);
      else if (c1 === C_PLUS) op(lx, T_CONCAT_OP, "++", 2);
      else unaryOp(lx, T_DUAL_OP, "+", 1);
      return true;
    case C_MINUS:
      if (c1 === C_MINUS && c2 === C_MINUS) op(lx, T_CONCAT_OP, "---", 3);
      else if (c1 === C_MINUS) op(lx, T_CONCAT_OP, "--", 2);
      else if (c1 === C_GT) op(lx, T_STAB_OP, "->", 2);
      else unaryOp(lx, T_DUAL_OP, "-", 1);
      return true;
    case C_STAR:
      if (c1 === C_STAR) op(lx, T_POWER_OP, "**", 2);
      else op(lx, T_MULT_OP, "*", 1);
      return true;
    case C_SLASH:
      if (c1 === C_SLASH) {
        pushDropEol(lx, newToken(T_TERNARY_OP, lx.line, lx.col, prevEol(lx), "//"));
        lx.i += 2;
        lx.col += 2;
      } else op(lx, T_MULT_OP, "/", 1);
      return true;
    case C_LT:
      if (c1 === C_LT && c2 === C_LT) op(lx, T_ARROW_OP, "<<<", 3);
      else if (c1 === C_LT && c2 === C_TILDE) op(lx, T_ARROW_OP, "<<~", 3);
      else if (c1 === C_TILDE && c2 === C_GT) op(lx, T_ARROW_OP, "<~>", 3);
      else if (c1 === C_PIPE && c2 === C_GT) op(lx, T_ARROW_OP, "<|>", 3);
      else if (c1 === C_LT) opener(lx, T_LBIT, "<<", 2);
      else if (c1 === C_GT) op(lx, T_CONCAT_OP, "<>", 2);
      else if (c1 === C_TILDE) op(lx, T_ARROW_OP, "<~", 2);
      else if (c1 === C_EQ) op(lx, T_REL_OP, "<=", 2);
      else if (c1 === C_MINUS) op(lx, T_IN_MATCH_OP, "<-", 2);
      else op(lx, T_REL_OP, "<", 1);
      return true;
    case C_GT:
      if (c1 === C_GT && c2 === C_GT) op(lx, T_ARROW_OP, ">>>", 3);
      else if (c1 === C_GT) closer(lx, T_RBIT, ">>", 2);
      else if (c1 === C_EQ) op(lx, T_REL_OP, ">=", 2);
      else op(lx, T_REL_OP, ">", 1);
      return true;
    case C_AT:
      unaryOp(lx, T_AT_OP, "@", 1);
      return true;
  }
  return false;
}

/** Everything starting with a dot: `.:`, `...`, `..//`, `..`, and the dot operator. */
export function dot(lx: Lexer): void {
  const s = lx.src;
  if (kwOp(lx, ".") || kwOp(lx, "...") || kwOp(lx, "..//")) return;
  const c1 = s.charCodeAt(lx.i + 1);
  const c2 = s.charCodeAt(lx.i + 2);
  if (c1 === C_DOT && c2 === C_DOT) {
    if (lx.features.ellipsisOp) {
      // `handle_unary_op`: an operator unless a `/` follows (`.../1` names the function).
      let j = lx.i + 3;
      while (s.charCodeAt(j) === 0x20 || s.charCodeAt(j) === 0x09) j++;
      const op = s.charCodeAt(j) !== 0x2f;
      lx.toks.push(newToken(op ? T_ELLIPSIS_OP : T_IDENTIFIER, lx.line, lx.col, null, "..."));
      lx.col += j - lx.i;
      lx.i = j;
      return;
    }
    callIdentifier(lx, "...", lx.i + 3, lx.line, lx.col);
    lx.i += 3;
    lx.col += 3;
    return;
  }
  if (c1 === C_DOT && c2 === C_SLASH && s.charCodeAt(lx.i + 3) === C_SLASH) {
    let k = lx.i + 4;
    while (isHorizontalSpace(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) === C_SLASH) {
      lx.toks.push(newToken(T_IDENTIFIER, lx.line, lx.col, null, "..//"));
      lx.col += k - lx.i;
      lx.i = k;
      return;
    }
    unexpected(lx, lx.i, lx.col);
  }
  if (c1 === C_DOT) {
    op(lx, T_RANGE_OP, "..", 2);
    return;
  }
  dotOperator(lx);
}

/** After a `.`: skips spaces, newlines and comments, then what the dot applies to. */
function dotOperator(lx: Lexer): void {
  const s = lx.src;
  const dotLine = lx.line;
  const dotCol = lx.col;
  lx.i++;
  lx.col++;
  for (;;) {
    let k = lx.i;
    while (isHorizontalSpace(s.charCodeAt(k))) k++;
    const c = s.charCodeAt(k);
    if (c === C_HASH) {
      lx.i = k;
      comment(lx, k, lx.col);
      lx.col = 1;
      continue;
    }
    if (c === C_LF || (c === C_CR && s.charCodeAt(k + 1) === C_LF)) {
      lx.i = k + (c === C_LF ? 1 : 2);
      lx.line++;
      lx.col = 1;
      continue;
    }
    lx.col += k - lx.i;
    lx.i = k;
    break;
  }
  const i = lx.i;
  const c = s.charCodeAt(i);
  // Operators after a dot are call names: `Kernel.+(1, 2)`.
  const op = dotOpName(s, i);
  if (op !== null) {
    pushDropEol(lx, newToken(T_DOT, dotLine, dotCol, null, "."));
    callIdentifier(lx, op, i + op.length, lx.line, lx.col);
    lx.i += op.length;
    lx.col += op.length;
    return;
  }
  if (c === C_LPAREN) {
    pushDropEol(lx, newToken(T_DOT_CALL_OP, dotLine, dotCol, null, "."));
    return;
  }
  if (c === C_DQUOTE || c === C_SQUOTE) {
    const line = lx.line;
    const col = lx.col;
    lx.i++;
    lx.col++;
    const parts = extract(lx, true, c, false, "function name", line);
    if (parts.length !== 1 || typeof parts[0] !== "string") {
      fail(
        `interpolation is not allowed when calling function/macro. Found interpolation in a call starting with: ${String.fromCharCode(c)}`,
        line,
        col,
      );
    }
    pushDropEol(lx, newToken(T_DOT, dotLine, dotCol, null, "."));
    const name = parts[0] as string;
    // Elixir builds this atom from a charlist: the limit counts code points.
    if (name.length > MAX_ATOM) checkAtomChars(name, line, col);
    callIdentifier(lx, name, lx.i, line, col, c);
    return;
  }
  pushDropEol(lx, newToken(T_DOT, dotLine, dotCol, null, "."));
}
