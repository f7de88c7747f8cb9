/**
 * The tokenizer's driver: source text to tokens, following the lexical rules of Elixir 1.14's
 * `elixir_tokenizer`. It holds the scanning state ({@link Lexer}), the main loop dispatching on
 * the next character, and the token-list helpers the other `lex-*.ts` files share. The scanners
 * by grammar area: `lex-space.ts` (newlines, spaces, comments), `lex-terminators.ts` (brackets
 * and the terminator stack), `lex-operators.ts` (operators, punctuation, dots),
 * `lex-identifiers.ts` (identifiers, keywords, atoms), `lex-numbers.ts` (numbers, `?c`) and
 * `lex-strings.ts` (string, heredoc and sigil tokens; their bodies are scanned in `strings.ts`).
 *
 * Why functions taking the lexer as first argument: the scanners are plain module functions over
 * one state class, as `strings.ts` already is, rather than a class split into mixins or
 * subclasses. There is a single concrete class, so every field access stays monomorphic, and each
 * call is direct. As for token kinds, each file binds the functions it calls from sibling files
 * to module-local constants (`const { identifier } = Identifiers`), which works across the cyclic
 * imports because function declarations exist before any module body runs (`never` functions
 * stay plain imports so that TypeScript still narrows after them). See `parser.ts` for the
 * measurements.
 *
 * Positions: lines are 1-based; columns are 1-based and counted in code points (grapheme
 * clusters inside strings), as Elixir counts them.
 * @packageDocumentation
 */

import type { Comment } from "../term.js";
import * as CH from "./chars.js";
import { fail } from "./errors.js";
import * as Identifiers from "./lex-identifiers.js";
import * as Numbers from "./lex-numbers.js";
import * as Operators from "./lex-operators.js";
import * as Space from "./lex-space.js";
import * as StringTokens from "./lex-strings.js";
import type { Terminator } from "./lex-terminators.js";
import * as Terminators from "./lex-terminators.js";
import type { Token } from "./tokens.js";
import * as TK from "./tokens.js";
import type { Features } from "./versions.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_COMMA,
  T_EOF,
  T_EOL,
  T_IN_MATCH_OP,
  T_LBRACKET,
  T_LCURLY,
  T_LPAREN,
  T_MAP,
  T_PERCENT,
  T_RBRACKET,
  T_RCURLY,
  T_RPAREN,
  T_SEMI,
} = TK;

const newToken = TK.newToken;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  C_BACKSLASH,
  C_COLON,
  C_COMMA,
  C_CR,
  C_DOT,
  C_DQUOTE,
  C_HASH,
  C_LBRACKET,
  C_LCURLY,
  C_LF,
  C_LPAREN,
  C_LT,
  C_PERCENT,
  C_QUESTION,
  C_RBRACKET,
  C_RCURLY,
  C_RPAREN,
  C_SEMI,
  C_SPACE,
  C_SQUOTE,
  C_TAB,
  C_TILDE,
  C_UNDERSCORE,
  isDigit,
  isLower,
  isUpper,
} = CH;

const { colon, identifier } = Identifiers;

const { char, scanNumber } = Numbers;

const { dot, kwOp, op, operator } = Operators;

const { afterNewline, comment, newline, space } = Space;

const { heredoc, scanString, sigilOrTilde } = StringTokens;

const { closer, missingTerminator, opener } = Terminators;

/**
 * A code point as Erlang's `~4.16.0B` prints it in the tokenizer's messages: four hex digits,
 * zero-padded, and `****` when it needs more (the field overflows).
 */
export function erlangHex4(cp: number): string {
  const h = hex4(cp);
  return h.length > 4 ? "****" : h;
}

export function hex4(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, "0");
}

const CHAR_NAMES: Record<number, string> = {
  0: "null byte",
  7: "alert",
  8: "backspace",
  127: "delete",
  27: "escape",
  12: "form feed",
  10: "newline",
  13: "carriage return",
  32: "space",
  9: "tab",
  11: "vertical tab",
};

/** Maximum nesting of string interpolations (each level recurses through lexer and parser). */
export const MAX_INTERPOLATION_DEPTH = 100;

/** Scans one source into tokens and comments. */
const SPACE_AFTER_PERCENT =
  "unexpected space between % and {\n\nIf you want to define a map, write %{...}, with no spaces.\nIf you want to define a struct, write %StructName{...}.\n\nSyntax error before: {";

export class Lexer {
  i = 0;
  line = 1;
  col = 1;
  /** Indentation of the current line (Elixir tracks it for terminator hints). */
  indentation = 0;
  toks: Token[] = [];
  terms: Terminator[] = [];
  hints: Terminator[] = [];
  readonly comments: Comment[] = [];
  interpDepth = 0;

  constructor(
    readonly src: string,
    readonly features: Features,
  ) {}

  /** Tokenizes the whole source. */
  tokenize(): Token[] {
    run(this, false);
    // Elixir's parser reports errors at end of input at the last token.
    const last = this.toks[this.toks.length - 1];
    this.toks.push(
      last === undefined
        ? newToken(T_EOF, this.line, this.col, null, "")
        : newToken(T_EOF, last.line, last.col, null, ""),
    );
    return this.toks;
  }

  /**
   * Tokenizes an interpolation body from `i` up to its closing brace (left at `i`, with
   * `line`/`col` at the brace). Returns null when the input ends first.
   */
  interpolation(): Token[] | null {
    if (++this.interpDepth > MAX_INTERPOLATION_DEPTH) {
      fail(
        `nesting too deep: more than ${MAX_INTERPOLATION_DEPTH} nested interpolations`,
        this.line,
        this.col,
      );
    }
    const savedToks = this.toks;
    const savedTerms = this.terms;
    this.toks = [];
    this.terms = [];
    try {
      const closed = run(this, true);
      if (!closed) return null;
      this.toks.push(newToken(T_EOF, this.line, this.col, null, ""));
      return this.toks;
    } finally {
      this.toks = savedToks;
      this.terms = savedTerms;
      this.interpDepth--;
    }
  }
}

export function last(lx: Lexer): Token | undefined {
  return lx.toks[lx.toks.length - 1];
}

/** Elixir's `previous_was_eol`: the newline count of a preceding eol/`,`/`;`, else nil. */
export function prevEol(lx: Lexer): number | null {
  const t = lx.toks[lx.toks.length - 1];
  if (t !== undefined && (t.kind === T_EOL || t.kind === T_COMMA || t.kind === T_SEMI)) {
    return t.eol! > 0 ? t.eol : null;
  }
  return null;
}

/** Pushes an operator-like token, dropping an immediately preceding eol token. */
export function pushDropEol(lx: Lexer, t: Token): void {
  const toks = lx.toks;
  const l = toks[toks.length - 1];
  if (l !== undefined && l.kind === T_EOL) toks[toks.length - 1] = t;
  else toks.push(t);
}

export function error(lx: Lexer, message: string, line = lx.line, col = lx.col): never {
  fail(message, line, col);
}

/** Main loop. In interpolation mode returns true at the closing brace, false at end of input. */
function run(lx: Lexer, interp: boolean): boolean {
  const s = lx.src;
  const n = s.length;
  for (;;) {
    if (lx.i >= n) {
      if (lx.terms.length > 0) missingTerminator(lx, lx.terms[lx.terms.length - 1]);
      return false;
    }
    const c = s.charCodeAt(lx.i);
    // Names are the most common token: take them before the switch's punctuation cases.
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === C_UNDERSCORE) {
      identifier(lx);
      continue;
    }
    switch (c) {
      case C_LF:
        newline(lx, 1);
        continue;
      case C_CR:
        if (s.charCodeAt(lx.i + 1) === C_LF) {
          newline(lx, 2);
          continue;
        }
        break;
      case C_SPACE:
      case C_TAB:
        space(lx);
        continue;
      case C_HASH:
        comment(lx, lx.i, lx.col);
        continue;
      case C_COMMA:
        lx.toks.push(newToken(T_COMMA, lx.line, lx.col, 0, ","));
        lx.i++;
        lx.col++;
        continue;
      case C_SEMI: {
        const l = last(lx);
        // Elixir has no rule for `;` right after `;` (even across spaces and newlines).
        if (l !== undefined && l.kind === T_SEMI) unexpected(lx, lx.i, lx.col);
        lx.toks.push(newToken(T_SEMI, lx.line, lx.col, 0, ";"));
        lx.i++;
        lx.col++;
        continue;
      }
      case C_LPAREN:
        opener(lx, T_LPAREN, "(", 1);
        continue;
      case C_LBRACKET:
        opener(lx, T_LBRACKET, "[", 1);
        continue;
      case C_LCURLY:
        if (kwOp(lx, "{}")) continue;
        if (lx.features.newMessages && last(lx)?.kind === T_PERCENT) {
          // 1.15+: `% {` (a space, so not the `%{` token) is a tokenizer error.
          error(lx, SPACE_AFTER_PERCENT);
        }
        opener(lx, T_LCURLY, "{", 1);
        continue;
      case C_RPAREN:
        closer(lx, T_RPAREN, ")", 1);
        continue;
      case C_RBRACKET:
        closer(lx, T_RBRACKET, "]", 1);
        continue;
      case C_RCURLY:
        if (interp && lx.terms.length === 0) return true;
        closer(lx, T_RCURLY, "}", 1);
        continue;
      case C_DQUOTE:
      case C_SQUOTE:
        if (s.charCodeAt(lx.i + 1) === c && s.charCodeAt(lx.i + 2) === c) heredoc(lx, c);
        else scanString(lx, c);
        continue;
      case C_QUESTION:
        if (lx.i + 1 < n) {
          char(lx);
          continue;
        }
        break;
      case C_TILDE:
        if (sigilOrTilde(lx)) continue;
        break;
      case C_COLON:
        if (colon(lx)) continue;
        break;
      case C_DOT:
        dot(lx);
        continue;
      case C_BACKSLASH: {
        const d = s.charCodeAt(lx.i + 1);
        if (d === C_BACKSLASH) {
          op(lx, T_IN_MATCH_OP, "\\\\", 2);
          continue;
        }
        if (
          lx.i + 1 >= n ||
          (d === C_LF && lx.i + 2 >= n) ||
          (d === C_CR && s.charCodeAt(lx.i + 2) === C_LF && lx.i + 3 >= n)
        ) {
          error(lx, "invalid escape \\ at end of file");
        }
        if (d === C_LF) {
          lx.i += 2;
          afterNewline(lx);
          continue;
        }
        if (d === C_CR && s.charCodeAt(lx.i + 2) === C_LF) {
          lx.i += 3;
          afterNewline(lx);
          continue;
        }
        break;
      }
      case C_PERCENT: {
        if (kwOp(lx, "%{}") || kwOp(lx, "%")) continue;
        const d = s.charCodeAt(lx.i + 1);
        if (d === C_LPAREN || d === C_LBRACKET) {
          error(lx, `expected %{ to define a map, got: %${String.fromCharCode(d)}`);
        }
        if (d === C_LCURLY) {
          const col = lx.col;
          lx.toks.push(newToken(T_MAP, lx.line, col, null, "%{}"));
          if (lx.features.richMetadata) {
            // 1.15+ puts the `{` of `%{` at the `%`, so the map's position is the `%`.
            lx.i++;
            lx.col++;
            opener(lx, T_LCURLY, "{", 1);
            lx.toks[lx.toks.length - 1].col = col;
            lx.terms[lx.terms.length - 1].col = col;
            continue;
          }
        } else {
          lx.toks.push(newToken(T_PERCENT, lx.line, lx.col, null, "%"));
        }
        lx.i++;
        lx.col++;
        continue;
      }
      case C_LT:
        if (lx.col === 1 && s.startsWith("<<<<<<<", lx.i)) {
          let e = lx.i;
          while (e < n && s.charCodeAt(e) !== C_LF && s.charCodeAt(e) !== C_CR) e++;
          error(
            lx,
            `found an unexpected version control marker, please resolve the conflicts: ${s.slice(lx.i, e)}`,
          );
        }
        if (kwOp(lx, "<<>>")) continue;
        if (operator(lx, c)) continue;
        break;
      default:
        if (isDigit(c)) {
          scanNumber(lx, c);
          continue;
        }
        if (c < 128 && !isUpper(c) && !isLower(c) && c !== C_UNDERSCORE) {
          if (operator(lx, c)) continue;
        }
        break;
    }
    identifier(lx);
  }
}

export function unexpected(lx: Lexer, i: number, col: number): never {
  const cp = lx.src.codePointAt(i) ?? 0;
  const name = CHAR_NAMES[cp];
  const what =
    name !== undefined
      ? `${name} (column ${col}, code point U+${erlangHex4(cp)})`
      : `"${String.fromCodePoint(cp)}" (column ${col}, code point U+${erlangHex4(cp)})`;
  fail(`unexpected token: ${what}`, lx.line, col);
}
