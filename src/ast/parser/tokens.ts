/**
 * Token kinds and the token record produced by the lexer.
 *
 * Kinds are small integers so the parser can switch on them cheaply; they mirror the terminals of
 * Elixir's grammar (`elixir_parser.yrl`), including the identifier flavours the tokenizer decides
 * from the following character (`foo(`, `foo[`, `foo do`, `foo -1`).
 * @packageDocumentation
 */
import type { Bin } from "../term.js";

export const T_EOF = 0;
export const T_IDENTIFIER = 1;
export const T_KW_IDENTIFIER = 2;
/** A quoted keyword with interpolation, `"a#{b}": 1`. */
export const T_KW_IDENTIFIER_UNSAFE = 3;
export const T_BRACKET_IDENTIFIER = 4;
export const T_PAREN_IDENTIFIER = 5;
export const T_DO_IDENTIFIER = 6;
export const T_BLOCK_IDENTIFIER = 7;
export const T_OP_IDENTIFIER = 8;
export const T_FN = 9;
export const T_END = 10;
export const T_ALIAS = 11;
export const T_ATOM = 12;
export const T_ATOM_QUOTED = 13;
/** A quoted atom with interpolation, `:"a#{b}"`. */
export const T_ATOM_UNSAFE = 14;
export const T_BIN_STRING = 15;
export const T_LIST_STRING = 16;
export const T_SIGIL = 17;
export const T_BIN_HEREDOC = 18;
export const T_LIST_HEREDOC = 19;
export const T_TRUE = 20;
export const T_FALSE = 21;
export const T_NIL = 22;
export const T_DO = 23;
export const T_EOL = 24;
export const T_SEMI = 25;
export const T_COMMA = 26;
export const T_DOT = 27;
export const T_LPAREN = 28;
export const T_RPAREN = 29;
export const T_LBRACKET = 30;
export const T_RBRACKET = 31;
export const T_LCURLY = 32;
export const T_RCURLY = 33;
export const T_LBIT = 34;
export const T_RBIT = 35;
export const T_MAP = 36;
export const T_PERCENT = 37;
export const T_INT = 38;
export const T_FLT = 39;
export const T_CHAR = 40;
export const T_DOT_CALL_OP = 41;
// Operators. Their order does not matter; precedence lives in the parser's table.
export const T_COMP_OP = 50;
export const T_AT_OP = 51;
export const T_UNARY_OP = 52;
export const T_AND_OP = 53;
export const T_OR_OP = 54;
export const T_ARROW_OP = 55;
export const T_MATCH_OP = 56;
export const T_IN_OP = 57;
export const T_IN_MATCH_OP = 58;
export const T_TYPE_OP = 59;
export const T_DUAL_OP = 60;
export const T_MULT_OP = 61;
export const T_POWER_OP = 62;
export const T_CONCAT_OP = 63;
export const T_RANGE_OP = 64;
export const T_XOR_OP = 65;
export const T_PIPE_OP = 66;
export const T_STAB_OP = 67;
export const T_WHEN_OP = 68;
export const T_ASSOC_OP = 69;
export const T_CAPTURE_OP = 70;
export const T_REL_OP = 71;
export const T_TERNARY_OP = 72;
/** `...` as an operator (Elixir 1.16+): prefix, or alone as a nullary expression. */
export const T_ELLIPSIS_OP = 73;

/** An interpolation `#{...}` inside a string-like token: its tokens and where it starts/ends. */
export class Interpolation {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly endLine: number,
    readonly endCol: number,
    readonly tokens: Token[],
  ) {}
}

/** A piece of a string-like token: literal text (UTF-8 text or raw bytes) or an interpolation. */
export type Part = string | Bin | Interpolation;

/** Sigil-specific data carried by a sigil token. */
export interface SigilInfo {
  letter: string;
  modifiers: number[];
  /** Heredoc sigils only: the closing delimiter's indentation. */
  indentation: number | null;
  delimiter: string;
}

/**
 * One token. `eol` is the third element of Elixir's token location: the newline count an
 * operator or bracket carries, or `null` (Elixir's `nil`).
 *
 * Most tokens (identifiers, operators, punctuation, newlines) carry only these five fields; the
 * value fields exist on {@link ValueToken}s (numbers, strings, sigils, quoted atoms/keys) only,
 * which keeps the common token small: a large file holds millions of them until parsing ends.
 */
export class Token {
  // Declared, not class fields (see Node in term.ts): a file's tokens are constructed by the
  // million, and class-field semantics would define each field as undefined first.
  declare kind: number;
  declare line: number;
  declare col: number;
  declare eol: number | null;
  /** Atom/operator/identifier name; the original text of numbers. */
  declare text: string;
  /**
   * For names the lexer interned (identifiers, aliases, atoms, keyword keys): the intern slot
   * of `text` (see intern.ts), so the parser finds the atom without hashing; else -1.
   */
  declare slot: number;
  /** Value of int/flt/char tokens ({@link ValueToken} only). */
  declare num: number | bigint;
  /** Parts of string-like tokens ({@link ValueToken} only). */
  declare parts: Part[] | null;
  /** Sigil data ({@link ValueToken} only). */
  declare sigil: SigilInfo | null;
  /** Heredoc indentation ({@link ValueToken} only). */
  declare indent: number;

  constructor(kind: number, line: number, col: number, eol: number | null, text: string) {
    this.kind = kind;
    this.line = line;
    this.col = col;
    this.eol = eol;
    this.text = text;
    this.slot = -1;
  }
}

/** A token with a value: numbers, chars, strings, heredocs, sigils, quoted atoms and keys. */
export class ValueToken extends Token {
  constructor(kind: number, line: number, col: number, eol: number | null, text: string) {
    super(kind, line, col, eol, text);
    this.num = 0;
    this.parts = null;
    this.sigil = null;
    this.indent = 0;
  }
}

/*
 * Token recycling. A file's tokens all live until its parse ends, so the young generation copies
 * each of them at every scavenge of a long file, and promotes most of them. Reusing one set of
 * token objects across parses (they end up in the old generation once) removes about a third of
 * the parser's allocation. A parse claims tokens from `next` on; `beginTokens` starts over, so
 * tokens must never outlive the parse that made them (nothing in the AST points at a token).
 * The pool is capped so that one huge file does not keep millions of tokens for the process's
 * life; past the cap tokens are allocated as before.
 */
const POOL_CAP = 1 << 18;
const plain: Token[] = [];
let plainNext = 0;
const valued: ValueToken[] = [];
let valuedNext = 0;

/** A token for the current parse, recycled when the pool has one. */
export function newToken(
  kind: number,
  line: number,
  col: number,
  eol: number | null,
  text: string,
): Token {
  if (plainNext < plain.length) {
    const t = plain[plainNext++];
    t.kind = kind;
    t.line = line;
    t.col = col;
    t.eol = eol;
    t.text = text;
    t.slot = -1;
    return t;
  }
  const t = new Token(kind, line, col, eol, text);
  if (plain.length < POOL_CAP) {
    plain.push(t);
    plainNext++;
  }
  return t;
}

/** A value token for the current parse, recycled when the pool has one. */
export function newValueToken(
  kind: number,
  line: number,
  col: number,
  eol: number | null,
  text: string,
): ValueToken {
  if (valuedNext < valued.length) {
    const t = valued[valuedNext++];
    t.kind = kind;
    t.line = line;
    t.col = col;
    t.eol = eol;
    t.text = text;
    t.slot = -1;
    t.num = 0;
    t.parts = null;
    t.sigil = null;
    t.indent = 0;
    return t;
  }
  const t = new ValueToken(kind, line, col, eol, text);
  if (valued.length < POOL_CAP >> 3) {
    valued.push(t);
    valuedNext++;
  }
  return t;
}

/** Starts a parse: every pooled token may be reused. */
export function beginTokens(): void {
  plainNext = 0;
  valuedNext = 0;
}

/**
 * Ends a parse: drops what the used tokens point at (slices of the source, string parts), so
 * that the pool keeps no source alive.
 */
export function endTokens(): void {
  for (let i = 0; i < plainNext; i++) plain[i].text = "";
  for (let i = 0; i < valuedNext; i++) {
    const t = valued[i];
    t.text = "";
    t.parts = null;
    t.sigil = null;
  }
  plainNext = 0;
  valuedNext = 0;
}
