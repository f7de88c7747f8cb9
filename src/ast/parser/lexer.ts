/**
 * The tokenizer: source text to tokens, following the lexical rules of Elixir 1.14's
 * `elixir_tokenizer` (operators and their atoms, identifiers and keywords, numbers, newlines and
 * their counts, comments, terminator checking). Strings and sigils are scanned in `strings.ts`.
 *
 * Positions: lines are 1-based; columns are 1-based and counted in code points (grapheme
 * clusters inside strings), as Elixir counts them.
 * @packageDocumentation
 */
import type { Comment } from "../term.js";
import * as CH from "./chars.js";
import { fail, SyntaxFailure } from "./errors.js";
import { extract, stripHeredoc, unescapeChar, unescapeText } from "./strings.js";
import type { Part, Token } from "./tokens.js";
import * as TK from "./tokens.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_ALIAS,
  T_AND_OP,
  T_ARROW_OP,
  T_ASSOC_OP,
  T_AT_OP,
  T_ATOM,
  T_ATOM_QUOTED,
  T_ATOM_UNSAFE,
  T_BIN_HEREDOC,
  T_BIN_STRING,
  T_BLOCK_IDENTIFIER,
  T_BRACKET_IDENTIFIER,
  T_CAPTURE_OP,
  T_CHAR,
  T_COMMA,
  T_COMP_OP,
  T_CONCAT_OP,
  T_DO,
  T_DO_IDENTIFIER,
  T_DOT,
  T_DOT_CALL_OP,
  T_DUAL_OP,
  T_END,
  T_EOF,
  T_EOL,
  T_FALSE,
  T_FLT,
  T_FN,
  T_IDENTIFIER,
  T_IN_MATCH_OP,
  T_IN_OP,
  T_INT,
  T_KW_IDENTIFIER,
  T_KW_IDENTIFIER_UNSAFE,
  T_LBIT,
  T_LBRACKET,
  T_LCURLY,
  T_LIST_HEREDOC,
  T_LIST_STRING,
  T_LPAREN,
  T_MAP,
  T_MATCH_OP,
  T_MULT_OP,
  T_NIL,
  T_OP_IDENTIFIER,
  T_OR_OP,
  T_PAREN_IDENTIFIER,
  T_PERCENT,
  T_PIPE_OP,
  T_POWER_OP,
  T_RANGE_OP,
  T_RBIT,
  T_RBRACKET,
  T_RCURLY,
  T_REL_OP,
  T_RPAREN,
  T_SEMI,
  T_SIGIL,
  T_STAB_OP,
  T_TERNARY_OP,
  T_TRUE,
  T_TYPE_OP,
  T_UNARY_OP,
  T_WHEN_OP,
  T_XOR_OP,
} = TK;
const TokenClass = TK.Token;
const ValueTokenClass = TK.ValueToken;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  C_0,
  C_AMP,
  C_AT,
  C_BACKSLASH,
  C_BANG,
  C_b,
  C_CARET,
  C_COLON,
  C_COMMA,
  C_CR,
  C_DOT,
  C_DQUOTE,
  C_EQ,
  C_GT,
  C_HASH,
  C_LBRACKET,
  C_LCURLY,
  C_LF,
  C_LPAREN,
  C_LT,
  C_MINUS,
  C_o,
  C_PERCENT,
  C_PIPE,
  C_PLUS,
  C_QUESTION,
  C_RBRACKET,
  C_RCURLY,
  C_RPAREN,
  C_SEMI,
  C_SLASH,
  C_SPACE,
  C_SQUOTE,
  C_STAR,
  C_TAB,
  C_TILDE,
  C_UNDERSCORE,
  C_x,
  isBidi,
  isDigit,
  isHex,
  isHorizontalSpace,
  isLower,
  isSpace,
  isUpper,
} = CH;

interface Terminator {
  start: string;
  line: number;
  indentation: number;
}

const CLOSER: Record<string, string> = {
  fn: "end",
  do: "end",
  "(": ")",
  "[": "]",
  "{": "}",
  "<<": ">>",
};

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

function hex4(cp: number): string {
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
  private interpDepth = 0;

  constructor(readonly src: string) {}

  /** Tokenizes the whole source. */
  tokenize(): Token[] {
    this.run(false);
    // Elixir's parser reports errors at end of input at the last token.
    const last = this.toks[this.toks.length - 1];
    this.toks.push(
      last === undefined
        ? new TokenClass(T_EOF, this.line, this.col, null, "")
        : new TokenClass(T_EOF, last.line, last.col, null, ""),
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
        `nesting too deep: more than ${MAX_INTERPOLATION_DEPTH} nested interpolations at ${this.line}:${this.col}`,
        this.line,
        this.col,
      );
    }
    const savedToks = this.toks;
    const savedTerms = this.terms;
    this.toks = [];
    this.terms = [];
    try {
      const closed = this.run(true);
      if (!closed) return null;
      this.toks.push(new TokenClass(T_EOF, this.line, this.col, null, ""));
      return this.toks;
    } finally {
      this.toks = savedToks;
      this.terms = savedTerms;
      this.interpDepth--;
    }
  }

  private last(): Token | undefined {
    return this.toks[this.toks.length - 1];
  }

  /** Elixir's `previous_was_eol`: the newline count of a preceding eol/`,`/`;`, else nil. */
  private prevEol(): number | null {
    const t = this.toks[this.toks.length - 1];
    if (t !== undefined && (t.kind === T_EOL || t.kind === T_COMMA || t.kind === T_SEMI)) {
      return t.eol! > 0 ? t.eol : null;
    }
    return null;
  }

  /** Pushes an operator-like token, dropping an immediately preceding eol token. */
  private pushDropEol(t: Token): void {
    const toks = this.toks;
    const l = toks[toks.length - 1];
    if (l !== undefined && l.kind === T_EOL) toks[toks.length - 1] = t;
    else toks.push(t);
  }

  private error(message: string, line = this.line, col = this.col): never {
    fail(message, line, col);
  }

  /** Main loop. In interpolation mode returns true at the closing brace, false at end of input. */
  private run(interp: boolean): boolean {
    const s = this.src;
    const n = s.length;
    for (;;) {
      if (this.i >= n) {
        if (this.terms.length > 0) {
          const t = this.terms[this.terms.length - 1];
          const end = CLOSER[t.start];
          this.error(
            `missing terminator: ${end} (for "${t.start}" starting at line ${t.line})${this.missingHint(t.start, end)}`,
          );
        }
        return false;
      }
      const c = s.charCodeAt(this.i);
      switch (c) {
        case C_LF:
          this.newline(1);
          continue;
        case C_CR:
          if (s.charCodeAt(this.i + 1) === C_LF) {
            this.newline(2);
            continue;
          }
          break;
        case C_SPACE:
        case C_TAB:
          this.space();
          continue;
        case C_HASH:
          this.comment(this.i, this.col);
          continue;
        case C_COMMA:
          this.toks.push(new TokenClass(T_COMMA, this.line, this.col, 0, ","));
          this.i++;
          this.col++;
          continue;
        case C_SEMI: {
          const l = this.last();
          // Elixir has no rule for `;` right after `;` (even across spaces and newlines).
          if (l !== undefined && l.kind === T_SEMI) this.unexpected(this.i, this.col);
          this.toks.push(new TokenClass(T_SEMI, this.line, this.col, 0, ";"));
          this.i++;
          this.col++;
          continue;
        }
        case C_LPAREN:
          this.opener(T_LPAREN, "(", 1);
          continue;
        case C_LBRACKET:
          this.opener(T_LBRACKET, "[", 1);
          continue;
        case C_LCURLY:
          if (this.kwOp("{}")) continue;
          this.opener(T_LCURLY, "{", 1);
          continue;
        case C_RPAREN:
          this.closer(T_RPAREN, ")", 1);
          continue;
        case C_RBRACKET:
          this.closer(T_RBRACKET, "]", 1);
          continue;
        case C_RCURLY:
          if (interp && this.terms.length === 0) return true;
          this.closer(T_RCURLY, "}", 1);
          continue;
        case C_DQUOTE:
        case C_SQUOTE:
          if (s.charCodeAt(this.i + 1) === c && s.charCodeAt(this.i + 2) === c) this.heredoc(c);
          else this.string(c);
          continue;
        case C_QUESTION:
          if (this.i + 1 < n) {
            this.char();
            continue;
          }
          break;
        case C_TILDE:
          if (this.sigilOrTilde()) continue;
          break;
        case C_COLON:
          if (this.colon()) continue;
          break;
        case C_DOT:
          this.dot();
          continue;
        case C_BACKSLASH: {
          const d = s.charCodeAt(this.i + 1);
          if (d === C_BACKSLASH) {
            this.op(T_IN_MATCH_OP, "\\\\", 2);
            continue;
          }
          if (
            this.i + 1 >= n ||
            (d === C_LF && this.i + 2 >= n) ||
            (d === C_CR && s.charCodeAt(this.i + 2) === C_LF && this.i + 3 >= n)
          ) {
            this.error("invalid escape \\ at end of file");
          }
          if (d === C_LF) {
            this.i += 2;
            this.afterNewline();
            continue;
          }
          if (d === C_CR && s.charCodeAt(this.i + 2) === C_LF) {
            this.i += 3;
            this.afterNewline();
            continue;
          }
          break;
        }
        case C_PERCENT: {
          if (this.kwOp("%{}") || this.kwOp("%")) continue;
          const d = s.charCodeAt(this.i + 1);
          if (d === C_LPAREN || d === C_LBRACKET) {
            this.error(`expected %{ to define a map, got: %${String.fromCharCode(d)}`);
          }
          if (d === C_LCURLY) {
            this.toks.push(new TokenClass(T_MAP, this.line, this.col, null, "%{}"));
          } else {
            this.toks.push(new TokenClass(T_PERCENT, this.line, this.col, null, "%"));
          }
          this.i++;
          this.col++;
          continue;
        }
        case C_LT:
          if (this.col === 1 && s.startsWith("<<<<<<<", this.i)) {
            let e = this.i;
            while (e < n && s.charCodeAt(e) !== C_LF && s.charCodeAt(e) !== C_CR) e++;
            this.error(
              `found an unexpected version control marker, please resolve the conflicts: ${s.slice(this.i, e)}`,
            );
          }
          if (this.kwOp("<<>>")) continue;
          if (this.operator(c)) continue;
          break;
        default:
          if (isDigit(c)) {
            this.number(c);
            continue;
          }
          if (c < 128 && !isUpper(c) && !isLower(c) && c !== C_UNDERSCORE) {
            if (this.operator(c)) continue;
          }
          break;
      }
      this.identifier();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Whitespace, newlines, comments

  private newline(len: number): void {
    const l = this.last();
    if (l !== undefined && (l.kind === T_EOL || l.kind === T_COMMA || l.kind === T_SEMI)) {
      l.eol = l.eol! + 1;
    } else {
      this.toks.push(new TokenClass(T_EOL, this.line, this.col, 1, "eol"));
    }
    this.i += len;
    this.afterNewline();
  }

  /** Start of a new line: measure its indentation. */
  private afterNewline(): void {
    const s = this.src;
    let j = this.i;
    while (j < s.length && isHorizontalSpace(s.charCodeAt(j))) j++;
    this.indentation = j - this.i;
    this.line++;
    this.col = this.indentation + 1;
    this.i = j;
  }

  private space(): void {
    const s = this.src;
    let j = this.i + 1;
    while (j < s.length && isHorizontalSpace(s.charCodeAt(j))) j++;
    this.col += j - this.i;
    this.i = j;
    // `foo -1`: an identifier, a space, then a sign glued to what follows makes a unary call.
    const c = s.charCodeAt(j);
    if ((c === C_PLUS || c === C_MINUS) && j + 1 < s.length) {
      const d = s.charCodeAt(j + 1);
      const l = this.last();
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
        this.toks.push(
          new TokenClass(T_DUAL_OP, this.line, this.col, null, c === C_PLUS ? "+" : "-"),
        );
        this.i++;
        this.col++;
      }
    }
  }

  /** A comment from `start` (at `#`) to the end of the line; the column does not advance. */
  private comment(start: number, col: number): void {
    const s = this.src;
    let j = start + 1;
    const n = s.length;
    for (; j < n; j++) {
      const ch = s.charCodeAt(j);
      if (ch === C_LF) break;
      if (ch === C_CR && s.charCodeAt(j + 1) === C_LF) break;
      if (ch >= 0x202a && isBidi(ch)) {
        this.error(
          `invalid bidirectional formatting character in comment: \\u${hex4(ch)}`,
          this.line,
          col,
        );
      }
    }
    let prev = 0;
    const l = this.last();
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
    this.comments.push({
      line: this.line,
      column: col,
      previous_eol_count: prev,
      next_eol_count: next,
      text: s.slice(start, j),
    });
    if (l !== undefined && l.kind === T_EOL) l.eol = 0;
    this.i = j;
  }

  // ---------------------------------------------------------------------------------------------
  // Terminators

  private missingHint(start: string, end: string): string {
    // Hints are kept oldest first; Elixir reports the most recent one.
    for (let k = this.hints.length - 1; k >= 0; k--) {
      const h = this.hints[k];
      if (h.start === start) {
        return `\n\n    HINT: it looks like the "${start}" on line ${h.line} does not have a matching "${end}"\n`;
      }
    }
    return "";
  }

  private openTerm(start: string, line: number): void {
    if (start === "fn" || start === "do") {
      const top = this.terms[this.terms.length - 1];
      if (top !== undefined && top.start === start && this.indentation <= top.indentation) {
        this.hints.push(top);
      }
    }
    this.terms.push({ start, line, indentation: this.indentation });
  }

  private closeTerm(end: string, line: number, col: number): void {
    const top = this.terms[this.terms.length - 1];
    if (top === undefined) {
      if (end === "end") {
        let suffix = "";
        for (let k = this.hints.length - 1; k >= 0; k--) {
          const h = this.hints[k];
          if (h.start === "end") {
            suffix = `\n\n    HINT: it looks like the "end" on line ${h.line} does not have a matching "do" defined before it\n`;
            break;
          }
        }
        fail(`unexpected reserved word: end${suffix}`, line, col);
      }
      fail(`unexpected token: ${end}`, line, col);
    }
    if (end === "end" && top.start === "do" && this.indentation > top.indentation) {
      this.hints.push({ start: "end", line, indentation: this.indentation });
    }
    const expected = CLOSER[top.start];
    if (expected !== end) {
      const prefix = end === "end" ? "unexpected reserved word: " : "unexpected token: ";
      fail(
        `${prefix}${end}. The "${top.start}" at line ${top.line} is missing terminator "${expected}"${this.missingHint(top.start, expected)}`,
        line,
        col,
      );
    }
    this.terms.pop();
  }

  private opener(kind: number, text: string, len: number): void {
    if (kind === T_LPAREN) {
      const l = this.last();
      if (l !== undefined && l.kind === T_ALIAS) {
        fail(
          `unexpected ( after alias ${l.text}. Function names and identifiers in Elixir start with lowercase characters or underscore. For example:\n\n    hello_world()\n    _starting_with_underscore()\n    numb3rs_are_allowed()\n    may_finish_with_question_mark?()\n    may_finish_with_exclamation_mark!()\n\nUnexpected token: (`,
          this.line,
          this.col + 1,
        );
      }
    }
    this.openTerm(text, this.line);
    this.toks.push(new TokenClass(kind, this.line, this.col, null, text));
    this.i += len;
    this.col += len;
  }

  private closer(kind: number, text: string, len: number): void {
    const t = new TokenClass(kind, this.line, this.col, this.prevEol(), text);
    this.closeTerm(text, this.line, this.col);
    this.toks.push(t);
    this.i += len;
    this.col += len;
  }

  // ---------------------------------------------------------------------------------------------
  // Operators

  /** `text:` followed by a space, for the special operator keywords (`%{}: 1`, `{}: 1`, ...). */
  private kwOp(text: string): boolean {
    const s = this.src;
    if (!s.startsWith(text, this.i)) return false;
    const j = this.i + text.length;
    if (s.charCodeAt(j) !== C_COLON || !isSpace(s.charCodeAt(j + 1))) return false;
    this.toks.push(new TokenClass(T_KW_IDENTIFIER, this.line, this.col, null, text));
    this.i = j + 1;
    this.col += text.length + 1;
    return true;
  }

  /** A binary-style operator (Elixir's `handle_op`). */
  private op(kind: number, text: string, len: number): void {
    const s = this.src;
    const j = this.i + len;
    if (s.charCodeAt(j) === C_COLON && isSpace(s.charCodeAt(j + 1))) {
      this.toks.push(new TokenClass(T_KW_IDENTIFIER, this.line, this.col, null, text));
      this.i = j + 1;
      this.col += len + 1;
      return;
    }
    let k = j;
    while (isHorizontalSpace(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) === C_SLASH) {
      this.toks.push(new TokenClass(T_IDENTIFIER, this.line, this.col, null, text));
    } else {
      this.pushDropEol(new TokenClass(kind, this.line, this.col, this.prevEol(), text));
    }
    this.i = k;
    this.col += len + (k - j);
  }

  /** A unary-capable operator (Elixir's `handle_unary_op`): no newline bookkeeping. */
  private unaryOp(kind: number, text: string, len: number): void {
    const s = this.src;
    const j = this.i + len;
    if (s.charCodeAt(j) === C_COLON && isSpace(s.charCodeAt(j + 1))) {
      this.toks.push(new TokenClass(T_KW_IDENTIFIER, this.line, this.col, null, text));
      this.i = j + 1;
      this.col += len + 1;
      return;
    }
    let k = j;
    while (isHorizontalSpace(s.charCodeAt(k))) k++;
    const kk = s.charCodeAt(k) === C_SLASH ? T_IDENTIFIER : kind;
    this.toks.push(new TokenClass(kk, this.line, this.col, null, text));
    this.i = k;
    this.col += len + (k - j);
  }

  /** Operators and punctuation starting with the ASCII symbol `c`. False when none applies. */
  private operator(c: number): boolean {
    const s = this.src;
    const i = this.i;
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    switch (c) {
      case C_EQ:
        if (c1 === C_GT) {
          this.pushDropEol(new TokenClass(T_ASSOC_OP, this.line, this.col, this.prevEol(), "=>"));
          this.i += 2;
          this.col += 2;
          return true;
        }
        if (c1 === C_EQ && c2 === C_EQ) this.op(T_COMP_OP, "===", 3);
        else if (c1 === C_EQ) this.op(T_COMP_OP, "==", 2);
        else if (c1 === C_TILDE) this.op(T_COMP_OP, "=~", 2);
        else this.op(T_MATCH_OP, "=", 1);
        return true;
      case C_BANG:
        if (c1 === C_EQ && c2 === C_EQ) this.op(T_COMP_OP, "!==", 3);
        else if (c1 === C_EQ) this.op(T_COMP_OP, "!=", 2);
        else this.unaryOp(T_UNARY_OP, "!", 1);
        return true;
      case C_AMP:
        if (this.kwOp("&")) return true;
        if (c1 === C_AMP && c2 === C_AMP) this.op(T_AND_OP, "&&&", 3);
        else if (c1 === C_AMP) this.op(T_AND_OP, "&&", 2);
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
          this.toks.push(new TokenClass(kind, this.line, this.col, null, "&"));
          this.i++;
          this.col++;
        }
        return true;
      case C_PIPE:
        if (c1 === C_PIPE && c2 === C_PIPE) this.op(T_OR_OP, "|||", 3);
        else if (c1 === C_PIPE) this.op(T_OR_OP, "||", 2);
        else if (c1 === C_GT) this.op(T_ARROW_OP, "|>", 2);
        else this.op(T_PIPE_OP, "|", 1);
        return true;
      case C_CARET:
        if (c1 === C_CARET && c2 === C_CARET) this.op(T_XOR_OP, "^^^", 3);
        else this.unaryOp(T_UNARY_OP, "^", 1);
        return true;
      case C_TILDE:
        if (c1 === C_TILDE && c2 === C_TILDE) this.unaryOp(T_UNARY_OP, "~~~", 3);
        else if (c1 === C_GT && c2 === C_GT) this.op(T_ARROW_OP, "~>>", 3);
        else if (c1 === C_GT) this.op(T_ARROW_OP, "~>", 2);
        else return false;
        return true;
      case C_PLUS:
        if (c1 === C_PLUS && c2 === C_PLUS) this.op(T_CONCAT_OP, "+++", 3);
        else if (c1 === C_PLUS) this.op(T_CONCAT_OP, "++", 2);
        else this.unaryOp(T_DUAL_OP, "+", 1);
        return true;
      case C_MINUS:
        if (c1 === C_MINUS && c2 === C_MINUS) this.op(T_CONCAT_OP, "---", 3);
        else if (c1 === C_MINUS) this.op(T_CONCAT_OP, "--", 2);
        else if (c1 === C_GT) this.op(T_STAB_OP, "->", 2);
        else this.unaryOp(T_DUAL_OP, "-", 1);
        return true;
      case C_STAR:
        if (c1 === C_STAR) this.op(T_POWER_OP, "**", 2);
        else this.op(T_MULT_OP, "*", 1);
        return true;
      case C_SLASH:
        if (c1 === C_SLASH) {
          this.pushDropEol(new TokenClass(T_TERNARY_OP, this.line, this.col, this.prevEol(), "//"));
          this.i += 2;
          this.col += 2;
        } else this.op(T_MULT_OP, "/", 1);
        return true;
      case C_LT:
        if (c1 === C_LT && c2 === C_LT) this.op(T_ARROW_OP, "<<<", 3);
        else if (c1 === C_LT && c2 === C_TILDE) this.op(T_ARROW_OP, "<<~", 3);
        else if (c1 === C_TILDE && c2 === C_GT) this.op(T_ARROW_OP, "<~>", 3);
        else if (c1 === C_PIPE && c2 === C_GT) this.op(T_ARROW_OP, "<|>", 3);
        else if (c1 === C_LT) this.opener(T_LBIT, "<<", 2);
        else if (c1 === C_GT) this.op(T_CONCAT_OP, "<>", 2);
        else if (c1 === C_TILDE) this.op(T_ARROW_OP, "<~", 2);
        else if (c1 === C_EQ) this.op(T_REL_OP, "<=", 2);
        else if (c1 === C_MINUS) this.op(T_IN_MATCH_OP, "<-", 2);
        else this.op(T_REL_OP, "<", 1);
        return true;
      case C_GT:
        if (c1 === C_GT && c2 === C_GT) this.op(T_ARROW_OP, ">>>", 3);
        else if (c1 === C_GT) this.closer(T_RBIT, ">>", 2);
        else if (c1 === C_EQ) this.op(T_REL_OP, ">=", 2);
        else this.op(T_REL_OP, ">", 1);
        return true;
      case C_AT:
        this.unaryOp(T_AT_OP, "@", 1);
        return true;
    }
    return false;
  }

  /** Everything starting with a dot: `.:`, `...`, `..//`, `..`, and the dot operator. */
  private dot(): void {
    const s = this.src;
    if (this.kwOp(".") || this.kwOp("...") || this.kwOp("..//")) return;
    const c1 = s.charCodeAt(this.i + 1);
    const c2 = s.charCodeAt(this.i + 2);
    if (c1 === C_DOT && c2 === C_DOT) {
      this.callIdentifier("...", this.i + 3, this.line, this.col);
      this.i += 3;
      this.col += 3;
      return;
    }
    if (c1 === C_DOT && c2 === C_SLASH && s.charCodeAt(this.i + 3) === C_SLASH) {
      let k = this.i + 4;
      while (isHorizontalSpace(s.charCodeAt(k))) k++;
      if (s.charCodeAt(k) === C_SLASH) {
        this.toks.push(new TokenClass(T_IDENTIFIER, this.line, this.col, null, "..//"));
        this.col += k - this.i;
        this.i = k;
        return;
      }
      this.unexpected(this.i, this.col);
    }
    if (c1 === C_DOT) {
      this.op(T_RANGE_OP, "..", 2);
      return;
    }
    this.dotOperator();
  }

  /** After a `.`: skips spaces, newlines and comments, then what the dot applies to. */
  private dotOperator(): void {
    const s = this.src;
    const dotLine = this.line;
    const dotCol = this.col;
    this.i++;
    this.col++;
    for (;;) {
      let k = this.i;
      while (isHorizontalSpace(s.charCodeAt(k))) k++;
      const c = s.charCodeAt(k);
      if (c === C_HASH) {
        this.i = k;
        this.comment(k, this.col);
        this.col = 1;
        continue;
      }
      if (c === C_LF || (c === C_CR && s.charCodeAt(k + 1) === C_LF)) {
        this.i = k + (c === C_LF ? 1 : 2);
        this.line++;
        this.col = 1;
        continue;
      }
      this.col += k - this.i;
      this.i = k;
      break;
    }
    const i = this.i;
    const c = s.charCodeAt(i);
    // Operators after a dot are call names: `Kernel.+(1, 2)`.
    const op = dotOpName(s, i);
    if (op !== null) {
      this.pushDropEol(new TokenClass(T_DOT, dotLine, dotCol, null, "."));
      this.callIdentifier(op, i + op.length, this.line, this.col);
      this.i += op.length;
      this.col += op.length;
      return;
    }
    if (c === C_LPAREN) {
      this.pushDropEol(new TokenClass(T_DOT_CALL_OP, dotLine, dotCol, null, "."));
      return;
    }
    if (c === C_DQUOTE || c === C_SQUOTE) {
      const line = this.line;
      const col = this.col;
      this.i++;
      this.col++;
      const parts = extract(this, true, c, false, "function name", line);
      if (parts.length !== 1 || typeof parts[0] !== "string") {
        fail(
          `interpolation is not allowed when calling function/macro. Found interpolation in a call starting with: ${String.fromCharCode(c)}`,
          line,
          col,
        );
      }
      this.pushDropEol(new TokenClass(T_DOT, dotLine, dotCol, null, "."));
      const name = parts[0] as string;
      // Elixir builds this atom from a charlist: the limit counts code points.
      if (name.length > MAX_ATOM) checkAtomChars(name, line, col);
      this.callIdentifier(name, this.i, line, col);
      return;
    }
    this.pushDropEol(new TokenClass(T_DOT, dotLine, dotCol, null, "."));
  }

  /** An identifier-like token whose kind depends on the next character (`(`, `[`, other). */
  private callIdentifier(name: string, next: number, line: number, col: number): void {
    const d = this.src.charCodeAt(next);
    const kind =
      d === C_LPAREN ? T_PAREN_IDENTIFIER : d === C_LBRACKET ? T_BRACKET_IDENTIFIER : T_IDENTIFIER;
    this.toks.push(new TokenClass(kind, line, col, null, name));
  }

  // ---------------------------------------------------------------------------------------------
  // Atoms

  /** Everything starting with `:` except `::`. False when the type operator applies. */
  private colon(): boolean {
    const s = this.src;
    const i = this.i;
    const c1 = s.charCodeAt(i + 1);
    for (const special of SPECIAL_ATOMS) {
      if (s.startsWith(special, i + 1)) {
        this.toks.push(new TokenClass(T_ATOM, this.line, this.col, null, special));
        this.i += special.length + 1;
        this.col += special.length + 1;
        return true;
      }
    }
    if (c1 === C_COLON) {
      if (s.charCodeAt(i + 2) === C_COLON) {
        this.toks.push(new TokenClass(T_ATOM, this.line, this.col, null, "::"));
        this.i += 3;
        this.col += 3;
        return true;
      }
      this.op(T_TYPE_OP, "::", 2);
      return true;
    }
    const op = atomOpName(s, i + 1);
    if (op !== null) {
      this.toks.push(new TokenClass(T_ATOM, this.line, this.col, null, op));
      this.i += op.length + 1;
      this.col += op.length + 1;
      return true;
    }
    if (c1 === C_DQUOTE || c1 === C_SQUOTE) {
      const line = this.line;
      const col = this.col;
      this.i += 2;
      this.col += 2;
      const raw = extract(this, true, c1, false, "atom", line);
      const parts = unescapeParts(raw, line, col);
      if (parts.length === 1 && typeof parts[0] === "string") {
        // Built from a binary: the limit counts UTF-8 bytes.
        if (parts[0].length > MAX_ATOM / 3) checkAtomBytes(parts[0], line, col);
        this.toks.push(new TokenClass(T_ATOM_QUOTED, line, col, null, parts[0]));
      } else {
        const t = new ValueTokenClass(T_ATOM_UNSAFE, line, col, null, "");
        t.parts = parts;
        this.toks.push(t);
      }
      return true;
    }
    const id = this.scanIdentifier(i + 1, this.col + 1);
    if (id === null) this.unexpected(i, this.col);
    if (id.name.length > MAX_ATOM) checkAtomChars(id.name, this.line, this.col);
    this.toks.push(new TokenClass(T_ATOM, this.line, this.col, null, id.name));
    this.i = id.end;
    this.col += 1 + id.length;
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Numbers and chars

  private number(c: number): void {
    const s = this.src;
    const start = this.i;
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
        const t = new ValueTokenClass(T_INT, this.line, this.col, null, s.slice(start, j));
        t.num = toInt(digits, radix);
        this.toks.push(t);
        this.col += j - start;
        this.i = j;
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
        this.line,
        this.col,
      );
    }
    const clean = text.replaceAll("_", "");
    let t: Token;
    if (float) {
      const v = Number(clean);
      if (!Number.isFinite(v)) fail(`invalid float number ${text}`, this.line, this.col);
      t = new ValueTokenClass(T_FLT, this.line, this.col, null, text);
      t.num = v;
    } else {
      t = new ValueTokenClass(T_INT, this.line, this.col, null, text);
      t.num = toInt(clean, 10);
    }
    this.toks.push(t);
    this.col += j - start;
    this.i = j;
  }

  private char(): void {
    const s = this.src;
    const i = this.i;
    let cp = s.codePointAt(i + 1)!;
    const t = new ValueTokenClass(T_CHAR, this.line, this.col, null, "?");
    if (cp === C_BACKSLASH && i + 2 < s.length) {
      const h = s.codePointAt(i + 2)!;
      cp = unescapeChar(h);
      t.num = cp;
      this.i = i + 2 + (h > 0xffff ? 2 : 1);
      this.col += 3;
    } else {
      t.num = cp;
      this.i = i + 1 + (cp > 0xffff ? 2 : 1);
      this.col += 2;
    }
    this.toks.push(t);
  }

  // ---------------------------------------------------------------------------------------------
  // Strings, heredocs, sigils

  private string(q: number): void {
    const line = this.line;
    const col = this.col;
    this.i++;
    this.col++;
    const raw = extract(this, true, q, false, "string", line);
    const s = this.src;
    if (s.charCodeAt(this.i) === C_COLON && isSpace(s.charCodeAt(this.i + 1))) {
      const parts = unescapeParts(raw, line, col + 1);
      if (parts.length === 1 && typeof parts[0] === "string") {
        // Built from a binary: the limit counts UTF-8 bytes. (Elixir 1.14's string_to_quoted
        // then crashes on this tokenizer error; we report it at the quote.)
        if (parts[0].length > MAX_ATOM / 3) checkAtomBytes(parts[0], line, col);
        this.toks.push(new TokenClass(T_KW_IDENTIFIER, line, col, null, parts[0]));
      } else {
        const t = new ValueTokenClass(T_KW_IDENTIFIER_UNSAFE, line, col, null, "");
        t.parts = parts;
        this.toks.push(t);
      }
      this.i++;
      this.col++;
      return;
    }
    const t = new ValueTokenClass(
      q === C_DQUOTE ? T_BIN_STRING : T_LIST_STRING,
      line,
      col,
      null,
      "",
    );
    t.parts = unescapeParts(raw, line, col + 1);
    this.toks.push(t);
  }

  /** Skips a heredoc header: horizontal space then a newline after the opening triple quote. */
  private heredocHeader(q: number, line: number, col: number): void {
    const s = this.src;
    let j = this.i;
    while (isHorizontalSpace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) === C_LF) j++;
    else if (s.charCodeAt(j) === C_CR && s.charCodeAt(j + 1) === C_LF) j += 2;
    else {
      const d = String.fromCharCode(q);
      fail(
        `heredoc allows only zero or more whitespace characters followed by a new line after ${d}${d}${d}`,
        line,
        col,
      );
    }
    this.i = j;
  }

  private heredoc(q: number): void {
    const line = this.line;
    const col = this.col;
    this.i += 3;
    this.heredocHeader(q, line, col);
    const raw = extract(this, true, q, true, "heredoc", line);
    const indent = this.col - 4;
    const t = new ValueTokenClass(
      q === C_DQUOTE ? T_BIN_HEREDOC : T_LIST_HEREDOC,
      line,
      col,
      null,
      "",
    );
    t.indent = indent;
    t.parts = unescapeParts(stripHeredoc(raw, indent), line, col);
    this.toks.push(t);
  }

  /** `~x...`: a sigil; false for `~` operators (handled by {@link operator}). */
  private sigilOrTilde(): boolean {
    const s = this.src;
    const i = this.i;
    const letter = s.charCodeAt(i + 1);
    if (!isUpper(letter) && !isLower(letter)) return this.operator(C_TILDE);
    if (i + 2 >= s.length) return false;
    const h = s.charCodeAt(i + 2);
    const line = this.line;
    const col = this.col;
    const interpol = isLower(letter);
    let raw: Part[];
    let delimiter: string;
    let indentation: number | null = null;
    if (
      (h === C_DQUOTE || h === C_SQUOTE) &&
      s.charCodeAt(i + 3) === h &&
      s.charCodeAt(i + 4) === h
    ) {
      this.i += 5;
      this.heredocHeader(h, line, col);
      const body = extract(this, interpol, h, true, "heredoc", line);
      indentation = this.col - 4;
      raw = stripHeredoc(body, indentation);
      delimiter = String.fromCharCode(h, h, h);
    } else {
      const term = SIGIL_TERMINATORS[h];
      if (term === undefined) {
        const ch = String.fromCodePoint(s.codePointAt(i + 2)!);
        fail(
          `invalid sigil delimiter: "${ch}" (column ${col + 2}, code point U+${hex4(ch.codePointAt(0)!)}). The available delimiters are: //, ||, "", '', (), [], {}, <>`,
          line,
          col,
        );
      }
      this.i += 3;
      this.col += 3;
      raw = extract(this, interpol, term, false, `sigil ~${s[i + 1]}${s[i + 2]}`, line);
      delimiter = String.fromCharCode(h);
    }
    const modifiers: number[] = [];
    for (;;) {
      const m = s.charCodeAt(this.i);
      if (isLower(m) || isUpper(m) || isDigit(m)) {
        modifiers.push(m);
        this.i++;
        this.col++;
      } else break;
    }
    const t = new ValueTokenClass(T_SIGIL, line, col, null, "");
    t.parts = raw;
    t.sigil = { letter: s[i + 1], modifiers, indentation, delimiter };
    this.toks.push(t);
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Identifiers and keywords

  /**
   * Scans an identifier at `start`: ASCII letters, digits, `_`, `@` (flagged), an optional
   * trailing `?`/`!`, and Unicode identifier characters. Null when no identifier starts there.
   * `col` is the identifier's column, for errors.
   */
  scanIdentifier(
    start: number,
    col: number,
  ): {
    name: string;
    end: number;
    length: number;
    alias: boolean;
    upper: boolean;
    ascii: boolean;
    at: boolean;
    punct: boolean;
  } | null {
    const s = this.src;
    const c = s.charCodeAt(start);
    let ascii = true;
    let upper = false;
    let alias = false;
    let j = start;
    let length = 0;
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
    length = 1;
    let at = false;
    let punct = false;
    for (;;) {
      const ch = s.charCodeAt(j);
      if (isLower(ch) || isUpper(ch) || isDigit(ch) || ch === C_UNDERSCORE) {
        j++;
        length++;
      } else if (ch === C_AT) {
        at = true;
        j++;
        length++;
      } else if (ch === C_BANG || ch === C_QUESTION) {
        punct = true;
        j++;
        length++;
        break;
      } else if (ch >= 128) {
        const cp = s.codePointAt(j)!;
        const str = String.fromCodePoint(cp);
        if (!ID_CONTINUE_RE.test(str) && !ID_START_RE.test(str)) {
          if (isSpace(cp) || cp === 0xfeff || !/\p{L}|\p{M}|\p{N}/u.test(str)) {
            if (cp < 0xa0 || cp === 0xfeff || /\p{Z}|\p{C}|\p{P}|\p{S}/u.test(str)) {
              // Not part of the identifier: Elixir stops only at ASCII; anything else errors.
              fail(
                `unexpected token: "${str}" (column ${col + length}, code point U+${hex4(cp)})`,
                this.line,
                col + length,
              );
            }
          }
          break;
        }
        ascii = false;
        j += str.length;
        length++;
      } else break;
    }
    let name = s.slice(start, j);
    if (!ascii) name = name.normalize("NFC");
    return { name, end: j, length, alias, upper, ascii, at, punct };
  }

  private unexpected(i: number, col: number): never {
    const cp = this.src.codePointAt(i) ?? 0;
    const name = CHAR_NAMES[cp];
    const what =
      name !== undefined
        ? `${name} (column ${col}, code point U+${hex4(cp)})`
        : `"${String.fromCodePoint(cp)}" (column ${col}, code point U+${hex4(cp)})`;
    fail(`unexpected token: ${what}`, this.line, col);
  }

  private identifier(): void {
    const s = this.src;
    const i = this.i;
    const line = this.line;
    const col = this.col;
    const id = this.scanIdentifier(i, col);
    if (id === null) this.unexpected(i, col);
    // Elixir checks the atom length before anything else about the identifier.
    if (id.name.length > MAX_ATOM) checkAtomChars(id.name, line, col);
    const { name, end } = id;
    const l = this.last();
    const afterDot = l !== undefined && l.kind === T_DOT;
    const next = s.charCodeAt(end);
    const next2 = s.charCodeAt(end + 1);
    const maybeKeyword = !afterDot && (next !== C_COLON || next2 === C_COLON);
    if (maybeKeyword) {
      const kw = KEYWORDS.get(name);
      if (kw !== undefined) {
        this.keyword(kw, name, end, id.length);
        return;
      }
    }
    if (next === C_COLON && isSpace(next2)) {
      this.toks.push(new TokenClass(T_KW_IDENTIFIER, line, col, null, name));
      this.i = end + 1;
      this.col += id.length + 1;
      return;
    }
    if (next === C_COLON && next2 !== C_COLON && end + 1 < s.length) {
      fail(`keyword argument must be followed by space after: ${name}:`, line, col);
    }
    if (id.at) {
      const what = id.alias
        ? "alias (only ASCII characters, without punctuation, are allowed)"
        : "identifier";
      fail(`invalid character "@" (code point U+0040) in ${what}: ${name}`, line, col);
    }
    if (name === "__aliases__" || name === "__block__") {
      fail(`reserved token: ${name}`, line, col);
    }
    if (id.alias) {
      if (!id.ascii || id.punct) {
        let bad = 0;
        for (const ch of name) {
          const cp = ch.codePointAt(0)!;
          if (cp < 65 || cp > 127) {
            bad = cp;
            break;
          }
        }
        fail(
          `invalid character "${String.fromCodePoint(bad)}" (code point U+${hex4(bad)}) in alias (only ASCII characters, without punctuation, are allowed): ${name}`,
          line,
          col,
        );
      }
      this.toks.push(new TokenClass(T_ALIAS, line, col, null, name));
    } else if (id.upper) {
      this.unexpected(i, col);
    } else {
      this.callIdentifier(name, end, line, col);
    }
    this.i = end;
    this.col += id.length;
  }

  private keyword(kind: number, name: string, end: number, length: number): void {
    const line = this.line;
    const col = this.col;
    const s = this.src;
    this.i = end;
    this.col += length;
    switch (kind) {
      case T_FN:
      case T_END:
        this.closeOrOpen(name, line, col);
        this.toks.push(new TokenClass(kind, line, col, null, name));
        return;
      case T_DO: {
        const l = this.last();
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
        this.closeOrOpen(name, line, col);
        this.pushDropEol(new TokenClass(T_DO, line, col, null, "do"));
        return;
      }
      case T_TRUE:
      case T_FALSE:
      case T_NIL:
        this.toks.push(new TokenClass(kind, line, col, null, name));
        return;
      case T_BLOCK_IDENTIFIER:
        this.toks.push(new TokenClass(kind, line, col, null, name));
        return;
    }
    // Word operators: not, and, or, when, in.
    let k = end;
    while (isHorizontalSpace(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) === C_SLASH) {
      this.toks.push(new TokenClass(T_IDENTIFIER, line, col, null, name));
      return;
    }
    const l = this.last();
    if (kind === T_IN_OP && l !== undefined && l.kind === T_UNARY_OP && l.text === "not") {
      this.toks.pop();
      this.pushDropEol(new TokenClass(T_IN_OP, l.line, l.col, l.eol, "not in"));
      return;
    }
    const t = new TokenClass(kind, line, col, this.prevEol(), name);
    if (kind === T_UNARY_OP) this.toks.push(t);
    else this.pushDropEol(t);
  }

  private closeOrOpen(name: string, line: number, col: number): void {
    if (name === "end") this.closeTerm("end", line, col);
    else this.openTerm(name, line);
  }
}

const INVALID_DO =
  'unexpected reserved word: do. In case you wanted to write a "do" expression, you must either use do-blocks or separate the keyword argument with comma. For example, you should either write:\n\n    if some_condition? do\n      :this\n    else\n      :that\n    end\n\nor the equivalent construct:\n\n    if(some_condition?, do: :this, else: :that)\n\nwhere "some_condition?" is the first argument and the second argument is a keyword list.\n\nYou may see this error if you forget a trailing comma before the "do" in a "do" block';

const SPECIAL_ATOMS = ["...", "<<>>", "%{}", "%", "{}", "..//"];

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

/** The operator atom name after `:` at `i` (`:+`, `:===`), or null. */
function atomOpName(s: string, i: number): string | null {
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
  const three = s.slice(i, i + 3);
  if (OPS3.has(three)) return three;
  const two = three.slice(0, 2);
  if (DOT_OPS2.has(two)) return two;
  const one = two.slice(0, 1);
  if (DOT_OPS1.has(one)) return one;
  return null;
}

/**
 * The longest atom Erlang accepts. Elixir's `unsafe_to_atom` counts code points for atoms it
 * builds from charlists (identifiers, aliases, `:name`, `name:`, `foo."name"`) and UTF-8 bytes
 * for those it builds from binaries (`:"name"`, `"name":`). Callers first test the UTF-16
 * length, an upper bound of both counts (`> MAX_ATOM` for code points, `> MAX_ATOM / 3` for
 * bytes, at most 3 per unit), so the common case costs one compare. Identifiers are counted
 * after NFC normalisation, as Elixir normalises before the check.
 */
const MAX_ATOM = 255;

const ATOM_LIMIT_MSG = "atom length must be less than system limit: ";

/** Fails when `name` (NFC, as scanned) has more than 255 code points. */
function checkAtomChars(name: string, line: number, col: number): void {
  let n = 0;
  for (let k = 0; k < name.length; k++) {
    const u = name.charCodeAt(k);
    if (u < 0xdc00 || u > 0xdfff) n++;
  }
  if (n > MAX_ATOM) fail(ATOM_LIMIT_MSG + name, line, col);
}

/** Fails when `name` has more than 255 bytes in UTF-8. */
function checkAtomBytes(name: string, line: number, col: number): void {
  let n = 0;
  for (let k = 0; k < name.length; k++) {
    const u = name.charCodeAt(k);
    // A surrogate pair is 4 bytes: 2 for each half.
    n += u < 0x80 ? 1 : u < 0x800 ? 2 : u >= 0xd800 && u <= 0xdfff ? 2 : 3;
  }
  if (n > MAX_ATOM) fail(ATOM_LIMIT_MSG + name, line, col);
}

function toInt(digits: string, radix: number): number | bigint {
  if (radix === 10 && digits.length < 16) return Number.parseInt(digits, 10);
  const prefix = radix === 16 ? "0x" : radix === 8 ? "0o" : radix === 2 ? "0b" : "";
  const b = BigInt(prefix + digits);
  return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function unescapeParts(raw: Part[], line: number, col: number): Part[] {
  const out: Part[] = [];
  for (let k = 0; k < raw.length; k++) {
    const p = raw[k];
    out.push(typeof p === "string" ? unescapeText(p, line, col) : p);
  }
  return out;
}

export { SyntaxFailure };
