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

/** Names of token kinds, as Elixir's grammar calls its terminals (used in error messages). */
export const KIND_NAMES: Record<number, string> = {
  [T_EOF]: "end of file",
  [T_IDENTIFIER]: "identifier",
  [T_KW_IDENTIFIER]: "kw_identifier",
  [T_KW_IDENTIFIER_UNSAFE]: "kw_identifier_unsafe",
  [T_BRACKET_IDENTIFIER]: "bracket_identifier",
  [T_PAREN_IDENTIFIER]: "paren_identifier",
  [T_DO_IDENTIFIER]: "do_identifier",
  [T_BLOCK_IDENTIFIER]: "block_identifier",
  [T_OP_IDENTIFIER]: "op_identifier",
  [T_FN]: "fn",
  [T_END]: "end",
  [T_ALIAS]: "alias",
  [T_ATOM]: "atom",
  [T_ATOM_QUOTED]: "atom_quoted",
  [T_ATOM_UNSAFE]: "atom_unsafe",
  [T_BIN_STRING]: "bin_string",
  [T_LIST_STRING]: "list_string",
  [T_SIGIL]: "sigil",
  [T_BIN_HEREDOC]: "bin_heredoc",
  [T_LIST_HEREDOC]: "list_heredoc",
  [T_TRUE]: "true",
  [T_FALSE]: "false",
  [T_NIL]: "nil",
  [T_DO]: "do",
  [T_EOL]: "eol",
  [T_SEMI]: ";",
  [T_COMMA]: ",",
  [T_DOT]: ".",
  [T_LPAREN]: "(",
  [T_RPAREN]: ")",
  [T_LBRACKET]: "[",
  [T_RBRACKET]: "]",
  [T_LCURLY]: "{",
  [T_RCURLY]: "}",
  [T_LBIT]: "<<",
  [T_RBIT]: ">>",
  [T_MAP]: "%{}",
  [T_PERCENT]: "%",
  [T_INT]: "int",
  [T_FLT]: "flt",
  [T_CHAR]: "char",
  [T_DOT_CALL_OP]: "dot_call_op",
  [T_COMP_OP]: "comp_op",
  [T_AT_OP]: "at_op",
  [T_UNARY_OP]: "unary_op",
  [T_AND_OP]: "and_op",
  [T_OR_OP]: "or_op",
  [T_ARROW_OP]: "arrow_op",
  [T_MATCH_OP]: "match_op",
  [T_IN_OP]: "in_op",
  [T_IN_MATCH_OP]: "in_match_op",
  [T_TYPE_OP]: "type_op",
  [T_DUAL_OP]: "dual_op",
  [T_MULT_OP]: "mult_op",
  [T_POWER_OP]: "power_op",
  [T_CONCAT_OP]: "concat_op",
  [T_RANGE_OP]: "range_op",
  [T_XOR_OP]: "xor_op",
  [T_PIPE_OP]: "pipe_op",
  [T_STAB_OP]: "stab_op",
  [T_WHEN_OP]: "when_op",
  [T_ASSOC_OP]: "assoc_op",
  [T_CAPTURE_OP]: "capture_op",
  [T_REL_OP]: "rel_op",
  [T_TERNARY_OP]: "ternary_op",
  [T_ELLIPSIS_OP]: "ellipsis_op",
};

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
  /** Atom/operator/identifier name; the original text of numbers. */
  text: string;
  /** Value of int/flt/char tokens ({@link ValueToken} only). */
  declare num: number | bigint;
  /** Parts of string-like tokens ({@link ValueToken} only). */
  declare parts: Part[] | null;
  /** Sigil data ({@link ValueToken} only). */
  declare sigil: SigilInfo | null;
  /** Heredoc indentation ({@link ValueToken} only). */
  declare indent: number;

  constructor(
    public kind: number,
    public line: number,
    public col: number,
    public eol: number | null,
    text: string,
  ) {
    this.text = text;
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
