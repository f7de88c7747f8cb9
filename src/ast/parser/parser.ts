/**
 * The expression parser: tokens to Elixir's quoted AST.
 *
 * A hand-written precedence-climbing parser that reproduces the decisions of Elixir's LALR
 * grammar (`elixir_parser.yrl`). Every expression is classified as Elixir's grammar does:
 * *matched* (an ordinary expression), *unmatched* (contains a do-block call) or *no-parens*
 * (a call without parentheses taking several arguments, which absorbs everything after it).
 * Those classes decide what may follow and where do-blocks attach (to the outermost call
 * without parentheses).
 *
 * Recursion depth is counted and limited to {@link MAX_DEPTH} nesting levels.
 * @packageDocumentation
 */
import type { Meta, Node, Term } from "../term.js";
import * as TM from "../term.js";
import * as B from "./build.js";
import { fail, SyntaxFailure } from "./errors.js";
import * as PR from "./precedence.js";
import type { Token } from "./tokens.js";
import * as K from "./tokens.js";

const { ASSOC_PREC, BINARY, CAPTURE_PREC, PIPE_PREC } = PR;

const {
  A_ACCESS,
  A_ALIASES,
  A_BANG,
  A_BITSTRING,
  A_BLOCK,
  A_DO,
  A_DOT,
  A_FN,
  A_GET,
  A_IN,
  A_LIST,
  A_MAP,
  A_NOT,
  A_PIPE,
  A_RANGE,
  A_SLASH,
  A_STAB,
  A_STEP_RANGE,
  A_STRUCT,
  A_TO_CHARLIST,
  A_TUPLE,
  A_UNQUOTE_SPLICING,
  A_WHEN,
  annotateEoe,
  buildBlock,
  charlistParts,
  newlinesPair,
  pair,
  quotedAtom,
  stringParts,
  toCharlist,
  tokMeta,
  withNewlines,
} = B;

// Local bindings of term constructors (see tokens bindings below).
const AtomClass = TM.Atom;
const FloatClass = TM.Float;
const NodeClass = TM.Node;
const TupleClass = TM.Tuple;
const { atom } = TM;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_ALIAS,
  T_ASSOC_OP,
  T_ATOM,
  T_ATOM_QUOTED,
  T_ATOM_UNSAFE,
  T_AT_OP,
  T_BIN_HEREDOC,
  T_BIN_STRING,
  T_BLOCK_IDENTIFIER,
  T_BRACKET_IDENTIFIER,
  T_CAPTURE_OP,
  T_CHAR,
  T_COMMA,
  T_DO,
  T_DOT,
  T_DOT_CALL_OP,
  T_DO_IDENTIFIER,
  T_DUAL_OP,
  T_END,
  T_EOF,
  T_EOL,
  T_FALSE,
  T_FLT,
  T_FN,
  T_IDENTIFIER,
  T_INT,
  T_IN_OP,
  T_KW_IDENTIFIER,
  T_KW_IDENTIFIER_UNSAFE,
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
  T_PIPE_OP,
  T_RANGE_OP,
  T_RBIT,
  T_RBRACKET,
  T_RCURLY,
  T_RPAREN,
  T_SEMI,
  T_SIGIL,
  T_STAB_OP,
  T_TERNARY_OP,
  T_TRUE,
  T_UNARY_OP,
  T_WHEN_OP,
} = K;
const TokenClass = K.Token;
const InterpolationClass = K.Interpolation;

/** Maximum nesting depth of expressions; deeper input is rejected with a ParseError. */
export const MAX_DEPTH = 400;

/** Interned atoms by name: cheaper than the global atom table on the hot path. */
const ATOMS = new Map<string, Term>();
function atomOf(name: string): Term {
  let a = ATOMS.get(name);
  if (a === undefined) {
    a = atom(name);
    ATOMS.set(name, a);
  }
  return a;
}

/** Shapes of the expression just parsed, for map entries without `=>` (`assoc_expr`). */
const SH_OTHER = 0;
/** A variable or `expr.name` (`dot_identifier`), or a call without parentheses. */
const SH_IDENT = 1;
/** A call with parentheses (`parens_call`). */
const SH_CALL = 2;

const MATCHED = 0;
const UNMATCHED = 1;
const NO_PARENS = 2;

/** Modes of {@link Parser.primary}. */
const P_NORMAL = 0;
/** Operand of `@`: a bracket identifier does not take its `[...]` (the `@` node does). */
const P_AT = 1;
/** Struct name position (`%name{}`): identifiers take no arguments. */
const P_STRUCT = 2;

const START_ARG: boolean[] = [];
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
]) {
  START_ARG[k] = true;
}

function isKw(t: Token): boolean {
  return t.kind === T_KW_IDENTIFIER || t.kind === T_KW_IDENTIFIER_UNSAFE;
}

function metaLine(meta: Meta): [number, number | null] {
  let line = 0;
  let col: number | null = null;
  for (const [k, v] of meta) {
    if (k === "line" && typeof v === "number") line = v;
    if (k === "column" && typeof v === "number" && col === null) col = v;
  }
  return [line, col];
}

const NO_PARENS_MANY_MSG =
  'unexpected comma. Parentheses are required to solve ambiguity in nested calls.\n\nThis error happens when you have nested function calls without parentheses. For example:\n\n    one a, two b, c, d\n\nIn the example above, we don\'t know if the parameters "c" and "d" apply to the function "one" or "two". You can solve this by explicitly adding parentheses:\n\n    one a, two(b, c, d)\n\nOr by adding commas (in case a nested call is not intended):\n\n    one, a, two, b, c, d\n\nElixir cannot compile otherwise. Syntax error before: \',\'';
const NO_PARENS_CONTAINER_MSG =
  'unexpected comma. Parentheses are required to solve ambiguity inside containers.\n\nThis error may happen when you forget a comma in a list or other container:\n\n    [a, b c, d]\n\nOr when you have ambiguous calls:\n\n    [one, two three, four, five]\n\nIn the example above, we don\'t know if the parameters "four" and "five" belongs to the list or the function "two". You can solve this by explicitly adding parentheses:\n\n    [one, two(three, four), five]\n\nElixir cannot compile otherwise. Syntax error before: \',\'';
const KW_CALL_FOLLOW_MSG =
  "unexpected expression after keyword list. Keyword lists must always come as the last argument. Therefore, this is not allowed:\n\n    function_call(1, some: :option, 2)\n\nInstead, wrap the keyword in brackets:\n\n    function_call(1, [some: :option], 2)\n\nSyntax error after: ','";
const KW_DATA_FOLLOW_MSG =
  "unexpected expression after keyword list. Keyword lists must always come last in lists and maps. Therefore, this is not allowed:\n\n    [some: :value, :another]\n    %{some: :value, another => value}\n\nInstead, reorder it to be the last entry:\n\n    [:another, some: :value]\n    %{another => value, some: :value}\n\nSyntax error after: ','";

/** How a token is shown in "syntax error before:" messages. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case T_EOF:
      return "";
    case T_IDENTIFIER:
    case T_PAREN_IDENTIFIER:
    case T_BRACKET_IDENTIFIER:
    case T_DO_IDENTIFIER:
    case T_OP_IDENTIFIER:
    case T_ALIAS:
      return t.text;
    case T_KW_IDENTIFIER:
      return `'${t.text}:'`;
    case T_INT:
    case T_FLT:
      return `"${t.text}"`;
    case T_CHAR:
      return `"?"`;
    case T_ATOM:
      return `:${t.text}`;
    case T_BIN_STRING:
    case T_BIN_HEREDOC:
    case T_LIST_STRING:
    case T_LIST_HEREDOC:
    case T_SIGIL:
      return "string";
    case T_EOL:
      return "newline";
    case T_DO:
      return "do";
    default:
      return `'${t.text}'`;
  }
}

/** Parses one token list (a file, or one interpolation) into a term. */
export class Parser {
  private p = 0;
  /** Class of the expression just parsed: MATCHED, UNMATCHED or NO_PARENS. */
  private cat = MATCHED;
  /** Whether the expression just parsed may be followed by `[...]` access. */
  private access = false;
  /** Shape of the expression just parsed: SH_OTHER, SH_IDENT or SH_CALL. */
  private shape = SH_OTHER;
  /** Inside arguments of a call without parentheses: do-blocks belong to the outer call. */
  private noDo = false;
  private depth = 0;
  private match: Int32Array | null = null;

  constructor(private readonly toks: Token[]) {}

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private peek(): Token {
    return this.toks[this.p];
  }

  private peekAt(k: number): Token {
    const i = this.p + k;
    return i < this.toks.length ? this.toks[i] : this.toks[this.toks.length - 1];
  }

  private syntaxError(t: Token): never {
    if (t.kind === T_KW_IDENTIFIER && t.text === "do") this.unexpectedAfterExpr(t);
    fail(`syntax error before: ${describeToken(t)}`, t.line, t.col);
  }

  private expect(kind: number): Token {
    const t = this.toks[this.p];
    if (t.kind !== kind) this.syntaxError(t);
    this.p++;
    return t;
  }

  private skipEol(): Token | null {
    const t = this.toks[this.p];
    if (t.kind === T_EOL) {
      this.p++;
      return t;
    }
    return null;
  }

  /** An opening token and its optional following newline (whose count it takes). */
  private open(kind: number): Token {
    const t = this.expect(kind);
    const e = this.skipEol();
    if (e !== null) {
      const copy = new TokenClass(t.kind, t.line, t.col, e.eol, t.text);
      return copy;
    }
    return t;
  }

  /**
   * A closing token, optionally preceded by a newline. The grammar's `close_X -> eol X` shifts
   * a newline before any closer, so a newline followed by anything else fails on that token.
   */
  private close(kind: number): Token {
    const t = this.toks[this.p];
    if (t.kind === T_EOL) {
      const n = this.toks[this.p + 1];
      if (n.kind !== kind) this.syntaxError(n);
      this.p += 2;
      return n;
    }
    return this.expect(kind);
  }

  private atClose(kind: number): boolean {
    const t = this.toks[this.p];
    return t.kind === kind || (t.kind === T_EOL && this.toks[this.p + 1].kind === kind);
  }

  private isEoe(t: Token): boolean {
    return t.kind === T_EOL || t.kind === T_SEMI;
  }

  /** Consumes `eol`, `;` or `eol ;`, returning the token that carries the newline count. */
  private eoe(): Token {
    const t = this.toks[this.p++];
    if (t.kind === T_EOL && this.toks[this.p].kind === T_SEMI) this.p++;
    return t;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek();
      fail(`nesting too deep (more than ${MAX_DEPTH} levels) at ${t.line}:${t.col}`, t.line, t.col);
    }
  }

  private matchIndex(i: number): number {
    if (this.match === null) {
      const toks = this.toks;
      const m = new Int32Array(toks.length).fill(-1);
      const stack: number[] = [];
      for (let k = 0; k < toks.length; k++) {
        const kind = toks[k].kind;
        if (
          kind === T_LPAREN ||
          kind === T_LBRACKET ||
          kind === T_LCURLY ||
          kind === T_LBIT ||
          kind === T_FN ||
          kind === T_DO
        ) {
          stack.push(k);
        } else if (
          kind === T_RPAREN ||
          kind === T_RBRACKET ||
          kind === T_RCURLY ||
          kind === T_RBIT ||
          kind === T_END
        ) {
          const o = stack.pop();
          if (o !== undefined) {
            m[o] = k;
            m[k] = o;
          }
        }
      }
      this.match = m;
    }
    return this.match[i];
  }

  // ---------------------------------------------------------------------------------------------
  // Top level

  /** `grammar`: the whole token list. */
  parseGrammar(): Term {
    const first = this.peek();
    if (first.kind === T_EOF) return new NodeClass(A_BLOCK, [], []);
    let lead: Token | null = null;
    if (this.isEoe(first)) lead = this.eoe();
    if (this.peek().kind === T_EOF) {
      return new NodeClass(A_BLOCK, lead === null ? [] : tokMeta(lead), []);
    }
    const exprs: Term[] = [this.expr()];
    for (;;) {
      const t = this.peek();
      if (this.isEoe(t)) {
        const e = this.eoe();
        if (this.peek().kind === T_EOF) break;
        annotateEoe(e, exprs);
        exprs.push(this.expr());
        continue;
      }
      if (t.kind === T_EOF) break;
      this.unexpectedAfterExpr(t);
    }
    return buildBlock(exprs);
  }

  private unexpectedAfterExpr(t: Token): never {
    if (isKw(t) && t.kind === T_KW_IDENTIFIER && t.text === "do") {
      fail(
        'unexpected keyword: do:. In case you wanted to write a "do" expression, you must either use do-blocks or separate the keyword argument with comma. For example, you should either write:\n\n    if some_condition? do\n      :this\n    else\n      :that\n    end\n\nor the equivalent construct:\n\n    if(some_condition?, do: :this, else: :that)\n\nwhere "some_condition?" is the first argument and the second argument is a keyword list.\n\nYou may see this error if you forget a trailing comma before the "do" in a "do" block',
        t.line,
        t.col,
      );
    }
    this.syntaxError(t);
  }

  /** Any expression (matched, unmatched or no-parens), lowest precedence. */
  private expr(): Term {
    return this.parseExpr(0);
  }

  // ---------------------------------------------------------------------------------------------
  // Operators

  private parseExpr(minPrec: number): Term {
    this.enter();
    const left = this.unary();
    const r = this.binaryRest(left, this.cat, minPrec);
    this.depth--;
    return r;
  }

  private binaryRest(left: Term, cat: number, minPrec: number): Term {
    for (;;) {
      if (cat === NO_PARENS) break;
      const t = this.toks[this.p];
      const info = BINARY[t.kind];
      if (info === undefined || info[0] < minPrec) break;
      this.p++;
      let count = t.eol;
      const e = this.toks[this.p];
      if (e.kind === T_EOL) {
        if (info[2]) count = e.eol;
        this.p++;
      }
      let right: Term;
      let rcat: number;
      if (t.kind === T_WHEN_OP && isKw(this.peek())) {
        right = this.noParensKw();
        rcat = NO_PARENS;
      } else {
        right = this.parseExpr(info[1] ? info[0] : info[0] + 1);
        rcat = this.cat;
      }
      left = this.buildBinary(left, t, count, right);
      this.shape = SH_OTHER;
      cat =
        rcat === NO_PARENS
          ? NO_PARENS
          : cat === UNMATCHED || rcat === UNMATCHED
            ? UNMATCHED
            : MATCHED;
    }
    this.cat = cat;
    this.access = false;
    return left;
  }

  private buildBinary(left: Term, op: Token, count: number | null, right: Term): Term {
    if (op.kind === T_TERNARY_OP) {
      if (
        left instanceof NodeClass &&
        left.form === A_RANGE &&
        Array.isArray(left.args) &&
        left.args.length === 2
      ) {
        return new NodeClass(A_STEP_RANGE, left.meta, [left.args[0], left.args[1], right]);
      }
      fail(
        "the range step operator (//) must immediately follow the range definition operator (..), for example: 1..9//2. If you wanted to define a default argument, use (\\\\) instead. Syntax error before: '//'",
        op.line,
        op.col,
      );
    }
    if (op.kind === T_IN_OP) {
      if (op.text === "not in") {
        const m = tokMeta(op);
        return new NodeClass(A_NOT, m, [new NodeClass(A_IN, m, [left, right])]);
      }
      if (
        left instanceof NodeClass &&
        (left.form === A_NOT || left.form === A_BANG) &&
        Array.isArray(left.args) &&
        left.args.length === 1
      ) {
        const m = tokMeta(op);
        return new NodeClass(left.form, m, [new NodeClass(A_IN, m, [left.args[0], right])]);
      }
    }
    return new NodeClass(atomOf(op.text), withNewlines(count, tokMeta(op)), [left, right]);
  }

  /** Prefix operators, then a primary with its postfix dots, calls and accesses. */
  private unary(): Term {
    const t = this.toks[this.p];
    switch (t.kind) {
      case T_UNARY_OP:
      case T_DUAL_OP:
      case T_TERNARY_OP: {
        this.p++;
        this.skipEol();
        this.enter();
        const operand = this.unary();
        this.depth--;
        this.access = false;
        this.shape = SH_OTHER;
        return this.buildUnary(t, operand);
      }
      case T_CAPTURE_OP: {
        this.p++;
        this.skipEol();
        const n = this.peek();
        if (n.kind === T_INT) {
          this.p++;
          this.cat = MATCHED;
          this.access = true;
          this.shape = SH_OTHER;
          return this.postfix(new NodeClass(atomOf("&"), tokMeta(t), [n.num]));
        }
        const operand = this.parseExpr(CAPTURE_PREC + 1);
        this.access = false;
        this.shape = SH_OTHER;
        return new NodeClass(atomOf("&"), tokMeta(t), [operand]);
      }
      case T_AT_OP: {
        this.p++;
        this.skipEol();
        const n = this.toks[this.p];
        this.enter();
        let node: Term;
        if (n.kind === T_AT_OP) {
          // `@@a.b` is `(@(@a)).b` but `@@a[1]` is `@((@a)[1])`: the inner `@` takes its
          // bracket access only; other postfixes apply to the outer one.
          const ats: Token[] = [t];
          while (this.peek().kind === T_AT_OP) {
            ats.push(this.toks[this.p++]);
            this.skipEol();
          }
          const operand = this.primary(P_AT);
          node = new NodeClass(atomOf("@"), tokMeta(ats[ats.length - 1]), [operand]);
          if (this.cat === MATCHED && this.access && this.peek().kind === T_LBRACKET) {
            node = this.bracketAccess(node);
          }
          this.depth--;
          for (let k = ats.length - 2; k >= 0; k--) {
            node = new NodeClass(atomOf("@"), tokMeta(ats[k]), [node]);
          }
          this.shape = SH_OTHER;
          if (this.cat !== MATCHED) return node;
          return this.postfix(node);
        }
        if (
          n.kind === T_UNARY_OP ||
          n.kind === T_DUAL_OP ||
          n.kind === T_TERNARY_OP ||
          n.kind === T_CAPTURE_OP
        ) {
          // `at_op_eol matched_expr`: `@-a.b` is `@(-(a.b))`.
          const inner = this.unary();
          this.depth--;
          this.access = false;
          this.shape = SH_OTHER;
          return new NodeClass(atomOf("@"), tokMeta(t), [inner]);
        }
        const operand = this.primary(P_AT);
        this.depth--;
        node = new NodeClass(atomOf("@"), tokMeta(t), [operand]);
        this.shape = SH_OTHER;
        if (this.cat !== MATCHED) return node;
        return this.postfix(node);
      }
    }
    const prim = this.primary(P_NORMAL);
    if (this.cat !== MATCHED) return prim;
    return this.postfix(prim);
  }

  private buildUnary(op: Token, operand: Term): Term {
    if (op.text === "//") {
      return new NodeClass(
        A_SLASH,
        [
          ["line", op.line],
          ["column", op.col + 1],
        ],
        [
          new NodeClass(
            A_SLASH,
            [
              ["line", op.line],
              ["column", op.col],
            ],
            null,
          ),
          operand,
        ],
      );
    }
    return new NodeClass(atomOf(op.text), tokMeta(op), [operand]);
  }

  // ---------------------------------------------------------------------------------------------
  // Postfix: dots, anonymous calls, access

  private postfix(left: Term): Term {
    for (;;) {
      const t = this.toks[this.p];
      if (t.kind === T_DOT) {
        this.p++;
        this.skipEol();
        const n = this.toks[this.p];
        switch (n.kind) {
          case T_IDENTIFIER:
          case T_PAREN_IDENTIFIER:
          case T_BRACKET_IDENTIFIER:
          case T_DO_IDENTIFIER:
          case T_OP_IDENTIFIER:
            this.p++;
            left = this.identifier(n, t, left, P_NORMAL);
            if (this.cat !== MATCHED) return left;
            continue;
          case T_ALIAS:
            this.p++;
            left = this.dotAlias(t, left, n);
            this.access = true;
            this.shape = SH_OTHER;
            continue;
          case T_LCURLY: {
            const open = this.open(T_LCURLY);
            const dm = tokMeta(t);
            let args: Term[] = [];
            let extra: Meta = [];
            if (this.peek().kind === T_RCURLY) {
              this.p++;
            } else {
              args = this.containerArgs(T_RCURLY, false);
              const close = this.close(T_RCURLY);
              extra = newlinesPair(open, close);
            }
            left = new NodeClass(
              new NodeClass(A_DOT, dm, [left, A_TUPLE]),
              [...extra, ...dm],
              args,
            );
            this.access = true;
            this.cat = MATCHED;
            this.shape = SH_OTHER;
            continue;
          }
          default:
            this.syntaxError(n);
        }
      }
      if (t.kind === T_DOT_CALL_OP) {
        this.p++;
        const dm = tokMeta(t);
        const dot = new NodeClass(A_DOT, dm, [left]);
        left = this.parenCall(dot, dm);
        if (this.cat !== MATCHED) return left;
        continue;
      }
      if (t.kind === T_LBRACKET && this.access) {
        left = this.bracketAccess(left);
        continue;
      }
      break;
    }
    this.cat = MATCHED;
    return left;
  }

  private dotAlias(dot: Token, left: Term, seg: Token): Term {
    const last = tokMeta(seg);
    if (left instanceof NodeClass && left.form === A_ALIASES && Array.isArray(left.args)) {
      let found = false;
      const meta: Meta = left.meta.map(([k, v]) => {
        if (k === "last" && !found) {
          found = true;
          return ["last", last];
        }
        return [k, v];
      });
      if (!found) meta.push(["last", last]);
      return new NodeClass(A_ALIASES, meta, [...left.args, AtomClass.of(seg.text)]);
    }
    if (left === null || typeof left === "boolean" || left instanceof AtomClass) {
      fail(
        "atom cannot be followed by an alias. If the '.' was meant to be part of the atom's name, the atom name must be quoted. Syntax error before: '.'",
        seg.line,
        seg.col,
      );
    }
    return new NodeClass(
      A_ALIASES,
      [["last", last], ...tokMeta(dot)],
      [left, AtomClass.of(seg.text)],
    );
  }

  /** `expr[...]` given the expression; `[` is next. */
  private bracketAccess(left: Term): Term {
    const open = this.open(T_LBRACKET);
    const saved = this.noDo;
    this.noDo = false;
    let arg: Term;
    if (isKw(this.peek())) {
      arg = this.kwData(T_RBRACKET);
    } else {
      arg = this.containerExpr();
      if (this.peek().kind === T_COMMA) this.p++;
    }
    this.noDo = saved;
    const close = this.close(T_RBRACKET);
    const meta: Meta = [...newlinesPair(open, close), ...tokMeta(open)];
    this.cat = MATCHED;
    this.access = true;
    this.shape = SH_OTHER;
    this.shape = SH_OTHER;
    return new NodeClass(new NodeClass(A_DOT, meta, [A_ACCESS, A_GET]), meta, [left, arg]);
  }

  // ---------------------------------------------------------------------------------------------
  // Identifiers and calls

  /**
   * An identifier token (already consumed), optionally after `left.`: a variable, a call with or
   * without parentheses, an access, or a do-block call.
   */
  private identifier(t: Token, dot: Token | null, left: Term, mode: number): Term {
    const name = atomOf(t.text);
    let form: Term = name;
    if (dot !== null) form = new NodeClass(A_DOT, tokMeta(dot), [left, name]);
    const im = tokMeta(t);
    switch (t.kind) {
      case T_PAREN_IDENTIFIER:
        return this.parenCall(form, im);
      case T_BRACKET_IDENTIFIER: {
        const base = this.zero(form, im, dot !== null);
        this.cat = MATCHED;
        this.shape = SH_OTHER;
        if (mode === P_AT) {
          this.access = true;
          return base;
        }
        return this.bracketAccess(base);
      }
      case T_DO_IDENTIFIER:
        if (!this.noDo && mode !== P_STRUCT) {
          const block = this.doBlock();
          this.cat = UNMATCHED;
          this.access = false;
          this.shape = SH_OTHER;
          return new NodeClass(form, [...block.meta, ...im], [block.kw]);
        }
        this.cat = MATCHED;
        this.access = false;
        this.shape = SH_IDENT;
        return this.zero(form, im, dot !== null);
      case T_OP_IDENTIFIER:
      case T_IDENTIFIER: {
        if (mode === P_STRUCT || (t.kind === T_IDENTIFIER && !START_ARG[this.peek().kind])) {
          this.cat = MATCHED;
          this.access = false;
          this.shape = SH_IDENT;
          return this.zero(form, im, dot !== null);
        }
        const args = this.noParensArgs();
        const cat = this.cat;
        this.shape = SH_IDENT;
        if (this.peek().kind === T_DO && !this.noDo) {
          const block = this.doBlock();
          args.push(block.kw);
          this.cat = UNMATCHED;
          this.access = false;
          this.shape = SH_OTHER;
          return new NodeClass(form, [...block.meta, ...im], args);
        }
        this.cat = cat;
        this.access = false;
        if (t.kind === T_OP_IDENTIFIER && dot === null && args.length === 1) {
          return new NodeClass(form, [["ambiguous_op", null], ...im], args);
        }
        return new NodeClass(form, im, args);
      }
    }
    this.syntaxError(t);
  }

  /** A variable, or `left.name` without parentheses. */
  private zero(form: Term, im: Meta, dotted: boolean): Term {
    if (dotted) return new NodeClass(form, [["no_parens", true], ...im], []);
    return new NodeClass(form, im, null);
  }

  /** `form(args)` (the `(` is next), optional second `(args)`, optional do-block. */
  private parenCall(form: Term, im: Meta): Term {
    const a1 = this.parenArgs();
    let node: Node;
    if (this.peek().kind === T_LPAREN) {
      const inner = new NodeClass(form, [...a1.meta, ...im], a1.args);
      const a2 = this.parenArgs();
      node = new NodeClass(inner, [...a2.meta, ...inner.meta], a2.args);
    } else {
      node = new NodeClass(form, [...a1.meta, ...im], a1.args);
    }
    if (this.peek().kind === T_DO && !this.noDo) {
      const block = this.doBlock();
      (node.args as Term[]).push(block.kw);
      node.meta = [...block.meta, ...node.meta];
      this.cat = UNMATCHED;
      this.access = false;
      this.shape = SH_OTHER;
      return node;
    }
    this.cat = MATCHED;
    this.access = true;
    this.shape = SH_OTHER;
    this.shape = SH_CALL;
    return node;
  }

  /** `( args )` of a call with parentheses. */
  private parenArgs(): { meta: Meta; args: Term[] } {
    const open = this.open(T_LPAREN);
    const saved = this.noDo;
    this.noDo = false;
    const args: Term[] = [];
    if (this.peek().kind !== T_RPAREN) {
      if (isKw(this.peek())) {
        args.push(this.kwCall());
      } else {
        const first = this.expr();
        args.push(first);
        if (this.cat !== NO_PARENS) {
          while (this.peek().kind === T_COMMA) {
            this.p++;
            if (isKw(this.peek())) {
              args.push(this.kwCall());
              break;
            }
            const e = this.expr();
            if (this.cat === NO_PARENS) this.noParensManyError(e);
            args.push(e);
          }
        }
      }
    }
    this.noDo = saved;
    const close = this.close(T_RPAREN);
    return { meta: newlinesPair(open, close), args };
  }

  private noParensManyError(e: Term): never {
    const [line, col] =
      e instanceof NodeClass ? metaLine(e.meta) : [this.peek().line, this.peek().col];
    fail(NO_PARENS_MANY_MSG, line, col);
  }

  private containerError(e: Term): never {
    const [line, col] =
      e instanceof NodeClass ? metaLine(e.meta) : [this.peek().line, this.peek().col];
    fail(NO_PARENS_CONTAINER_MSG, line, col);
  }

  /**
   * Arguments of a call without parentheses (Elixir's `call_args_no_parens_all`). Sets `cat`:
   * MATCHED for one plain argument, NO_PARENS for several (or one no-parens argument).
   */
  private noParensArgs(): Term[] {
    const saved = this.noDo;
    this.noDo = true;
    let args: Term[];
    let cat = MATCHED;
    if (isKw(this.peek())) {
      args = [this.noParensKw()];
    } else {
      const first = this.expr();
      args = [first];
      if (this.cat === NO_PARENS) cat = NO_PARENS;
      else if (this.peek().kind === T_COMMA) {
        cat = NO_PARENS;
        while (this.peek().kind === T_COMMA) {
          this.p++;
          if (isKw(this.peek())) {
            args.push(this.noParensKw());
            break;
          }
          const e = this.expr();
          if (this.cat === NO_PARENS) this.noParensManyError(e);
          args.push(e);
        }
      }
    }
    this.noDo = saved;
    this.cat = cat;
    return args;
  }

  /** A keyword key (`key:` or `"key#{x}":`) and its optional newline. */
  private kwKey(): Term {
    const t = this.toks[this.p++];
    this.skipEol();
    if (t.kind === T_KW_IDENTIFIER) return atomOf(t.text);
    return quotedAtom(t, [["format", AtomClass.of("keyword")]], (toks) => this.sub(toks));
  }

  /** Keywords of a call without parentheses; values may be no-parens calls. */
  private noParensKw(): Term[] {
    const pairs: Term[] = [];
    for (;;) {
      const k = this.kwKey();
      const v = this.expr();
      pairs.push(pair(k, v));
      if (this.cat === NO_PARENS) break;
      if (this.peek().kind === T_COMMA) {
        if (isKw(this.peekAt(1))) {
          this.p++;
          continue;
        }
        const comma = this.toks[this.p++];
        this.expr();
        fail(KW_CALL_FOLLOW_MSG, comma.line, comma.col);
      }
      break;
    }
    this.cat = NO_PARENS;
    return pairs;
  }

  /** Keywords inside call parentheses (`kw_call`); a trailing comma is allowed. */
  private kwCall(): Term[] {
    const pairs: Term[] = [];
    for (;;) {
      const k = this.kwKey();
      const v = this.containerExpr();
      pairs.push(pair(k, v));
      if (this.peek().kind === T_COMMA) {
        const n = this.peekAt(1);
        if (isKw(n)) {
          this.p++;
          continue;
        }
        const comma = this.toks[this.p++];
        if (this.atClose(T_RPAREN)) break;
        this.expr();
        if (isKw(this.peek())) this.unexpectedAfterExpr(this.peek());
        fail(KW_CALL_FOLLOW_MSG, comma.line, comma.col);
      }
      break;
    }
    return pairs;
  }

  /** Keywords in data (`kw_data`): lists, maps, tuples, access; a trailing comma is allowed. */
  private kwData(closer: number): Term[] {
    const pairs: Term[] = [];
    for (;;) {
      const k = this.kwKey();
      const v = this.containerExpr();
      pairs.push(pair(k, v));
      if (this.peek().kind === T_COMMA) {
        const n = this.peekAt(1);
        if (isKw(n)) {
          this.p++;
          continue;
        }
        const comma = this.toks[this.p++];
        if (this.atClose(closer)) break;
        this.expr();
        // `access_expr kw_identifier` fails at the keyword before the follow-up is reported.
        if (isKw(this.peek())) this.unexpectedAfterExpr(this.peek());
        fail(KW_DATA_FOLLOW_MSG, comma.line, comma.col);
      }
      break;
    }
    return pairs;
  }

  /** An element of a container: no-parens calls with several arguments are rejected. */
  private containerExpr(): Term {
    const saved = this.noDo;
    this.noDo = false;
    const e = this.expr();
    this.noDo = saved;
    if (this.cat === NO_PARENS) this.containerError(e);
    return e;
  }

  /**
   * Elements up to `closer` (not consumed): `container_args`. With `flatKw` (lists) trailing
   * keywords are spliced in; otherwise they form one final element.
   */
  private containerArgs(closer: number, flatKw: boolean): Term[] {
    const items: Term[] = [];
    if (isKw(this.peek())) {
      // Only lists take leading keywords (`list_args -> kw_data`); `container_args` of tuples,
      // bitstrings and `Foo.{}` must start with an element.
      if (!flatKw) this.syntaxError(this.peek());
      return this.kwData(closer);
    }
    for (;;) {
      items.push(this.containerExpr());
      if (this.peek().kind !== T_COMMA) break;
      this.p++;
      if (this.atClose(closer)) break;
      if (isKw(this.peek())) {
        const kw = this.kwData(closer);
        if (flatKw) for (const x of kw) items.push(x);
        else items.push(kw);
        break;
      }
    }
    return items;
  }

  // ---------------------------------------------------------------------------------------------
  // Primaries

  private primary(mode: number): Term {
    const t = this.toks[this.p];
    this.cat = MATCHED;
    // Identifiers set their own shape; containers reset it after their elements (no wrapper
    // function here: every frame per nesting level costs stack depth).
    this.shape = SH_OTHER;
    this.access = true;
    switch (t.kind) {
      case T_INT:
      case T_CHAR:
        this.p++;
        return t.num;
      case T_FLT:
        this.p++;
        return new FloatClass(t.num as number);
      case T_ATOM:
      case T_ATOM_QUOTED:
        this.p++;
        return atomOf(t.text);
      case T_ATOM_UNSAFE:
        this.p++;
        return quotedAtom(t, [["delimiter", '"']], (toks) => this.sub(toks));
      case T_TRUE:
        this.p++;
        return true;
      case T_FALSE:
        this.p++;
        return false;
      case T_NIL:
        this.p++;
        return null;
      case T_BIN_STRING:
        this.p++;
        return this.binString(t, [["delimiter", '"']]);
      case T_BIN_HEREDOC:
        this.p++;
        return this.binString(t, [
          ["delimiter", '"""'],
          ["indentation", t.indent],
        ]);
      case T_LIST_STRING:
        this.p++;
        return this.listString(t, [["delimiter", "'"]]);
      case T_LIST_HEREDOC:
        this.p++;
        return this.listString(t, [
          ["delimiter", "'''"],
          ["indentation", t.indent],
        ]);
      case T_SIGIL:
        this.p++;
        return this.sigil(t);
      case T_ALIAS:
        this.p++;
        return new NodeClass(
          A_ALIASES,
          [["last", tokMeta(t)], ...tokMeta(t)],
          [AtomClass.of(t.text)],
        );
      case T_LBRACKET:
        return this.list();
      case T_LCURLY:
        return this.tuple();
      case T_LBIT:
        return this.bitstring();
      case T_MAP:
        return this.map();
      case T_PERCENT:
        return this.struct();
      case T_LPAREN:
        return this.parens();
      case T_FN:
        return this.fn();
      case T_RANGE_OP:
        this.p++;
        return new NodeClass(A_RANGE, tokMeta(t), []);
      case T_IDENTIFIER:
      case T_PAREN_IDENTIFIER:
      case T_BRACKET_IDENTIFIER:
      case T_DO_IDENTIFIER:
      case T_OP_IDENTIFIER:
        this.p++;
        return this.identifier(t, null, null, mode);
    }
    this.unexpectedAfterExpr(t);
  }

  /** Parses an interpolation's tokens as a whole program. */
  private sub(toks: Token[]): Term {
    const p = new Parser(toks);
    p.depth = this.depth;
    return p.parseGrammar();
  }

  private binString(t: Token, extra: Meta): Term {
    const parts = t.parts!;
    if (parts.length === 1 && !(parts[0] instanceof InterpolationClass)) return parts[0];
    return new NodeClass(
      A_BITSTRING,
      [...extra, ...tokMeta(t)],
      stringParts(parts, (x) => this.sub(x)),
    );
  }

  private listString(t: Token, extra: Meta): Term {
    const parts = t.parts!;
    if (parts.length === 1 && !(parts[0] instanceof InterpolationClass)) {
      return toCharlist(parts[0], t.line, t.col);
    }
    const m = tokMeta(t);
    return new NodeClass(
      new NodeClass(A_DOT, m, [A_LIST, A_TO_CHARLIST]),
      [...extra, ...m],
      [charlistParts(parts, (x) => this.sub(x))],
    );
  }

  private sigil(t: Token): Term {
    const s = t.sigil!;
    const m = tokMeta(t);
    const inner: Meta = s.indentation === null ? m : [["indentation", s.indentation], ...m];
    return new NodeClass(
      atomOf(`sigil_${s.letter}`),
      [["delimiter", s.delimiter], ...m],
      [
        new NodeClass(
          A_BITSTRING,
          inner,
          stringParts(t.parts!, (x) => this.sub(x)),
        ),
        s.modifiers,
      ],
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Containers

  private list(): Term {
    const open = this.open(T_LBRACKET);
    const saved = this.noDo;
    this.noDo = false;
    let items: Term[] = [];
    if (this.peek().kind !== T_RBRACKET) items = this.containerArgs(T_RBRACKET, true);
    this.close(T_RBRACKET);
    this.noDo = saved;
    this.cat = MATCHED;
    this.access = true;
    this.shape = SH_OTHER;
    void open;
    return items;
  }

  private tuple(): Term {
    const open = this.open(T_LCURLY);
    const saved = this.noDo;
    this.noDo = false;
    let items: Term[] = [];
    if (this.peek().kind !== T_RCURLY) items = this.containerArgs(T_RCURLY, false);
    const close = this.close(T_RCURLY);
    this.noDo = saved;
    this.cat = MATCHED;
    this.access = true;
    this.shape = SH_OTHER;
    if (items.length === 2) return new TupleClass(items);
    return new NodeClass(A_TUPLE, [...newlinesPair(open, close), ...tokMeta(open)], items);
  }

  private bitstring(): Term {
    const open = this.open(T_LBIT);
    const saved = this.noDo;
    this.noDo = false;
    let items: Term[] = [];
    if (this.peek().kind !== T_RBIT) items = this.containerArgs(T_RBIT, false);
    const close = this.close(T_RBIT);
    this.noDo = saved;
    this.cat = MATCHED;
    this.access = true;
    this.shape = SH_OTHER;
    return new NodeClass(A_BITSTRING, [...newlinesPair(open, close), ...tokMeta(open)], items);
  }

  private map(): Term {
    this.p++;
    this.skipEol();
    return this.mapArgs();
  }

  private struct(): Term {
    const pct = this.toks[this.p++];
    const start = this.p;
    let name: Term;
    try {
      name = this.structExpr();
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      this.badStructName(start);
    }
    // `struct_op struct_expr eol map_args`: after a valid name a newline is shifted and the
    // next token fails; any other token may still continue a matched expression.
    if (this.skipEol() !== null) {
      if (this.peek().kind !== T_LCURLY) this.syntaxError(this.peek());
    } else if (this.peek().kind !== T_LCURLY) {
      this.badStructName(start);
    }
    const map = this.mapArgs();
    this.cat = MATCHED;
    this.access = true;
    this.shape = SH_OTHER;
    return new NodeClass(A_STRUCT, tokMeta(pct), [name, map]);
  }

  /**
   * After `%` the grammar also admits `matched_expr . identifier` as the struct name, so on a
   * bad name Elixir reads a whole matched expression (operators included) and fails on the
   * first token that cannot continue it: `% a = b do` fails at `do`.
   */
  private badStructName(start: number): never {
    this.p = start;
    const saved = this.noDo;
    this.noDo = true;
    this.parseExpr(0);
    this.noDo = saved;
    this.syntaxError(this.peek());
  }

  private structExpr(): Term {
    const t = this.peek();
    if (
      t.kind === T_AT_OP ||
      t.kind === T_UNARY_OP ||
      t.kind === T_DUAL_OP ||
      t.kind === T_TERNARY_OP
    ) {
      this.p++;
      this.skipEol();
      this.enter();
      const operand = this.structExpr();
      this.depth--;
      return this.buildUnary(t, operand);
    }
    if (t.kind === T_ATOM || t.kind === T_ATOM_QUOTED) {
      this.p++;
      return atomOf(t.text);
    }
    if (
      t.kind !== T_ALIAS &&
      t.kind !== T_IDENTIFIER &&
      t.kind !== T_PAREN_IDENTIFIER &&
      t.kind !== T_DO_IDENTIFIER &&
      t.kind !== T_BRACKET_IDENTIFIER &&
      t.kind !== T_OP_IDENTIFIER
    ) {
      this.syntaxError(t);
    }
    let left = this.primary(P_STRUCT);
    // Dots: `%Foo.Bar{}`, `%mod.name{}`, `%unquote(x).Foo{}`.
    while (this.peek().kind === T_DOT) {
      const dot = this.toks[this.p++];
      this.skipEol();
      const n = this.toks[this.p++];
      if (n.kind === T_ALIAS) left = this.dotAlias(dot, left, n);
      else if (
        n.kind === T_IDENTIFIER ||
        n.kind === T_PAREN_IDENTIFIER ||
        n.kind === T_DO_IDENTIFIER ||
        n.kind === T_BRACKET_IDENTIFIER
      ) {
        left = this.identifier(n, dot, left, P_STRUCT);
      } else this.syntaxError(n);
    }
    return left;
  }

  /** `{...}` of a map or struct: pairs, keywords, or an update `%{map | ...}`. */
  private mapArgs(): Term {
    const open = this.open(T_LCURLY);
    const saved = this.noDo;
    this.noDo = false;
    let items: Term[] = [];
    if (this.peek().kind !== T_RCURLY) {
      if (isKw(this.peek())) {
        items = this.kwData(T_RCURLY);
      } else {
        let key = this.parseExpr(PIPE_PREC + 1);
        // Unlike list elements, map entries have no rule reducing a no-parens call (whose
        // reduction reports the ambiguity): the grammar fails on the token after it.
        if (this.cat === NO_PARENS) this.syntaxError(this.peek());
        const pipe = this.peek();
        if (pipe.kind === T_PIPE_OP) {
          this.p++;
          let count = pipe.eol;
          const e = this.skipEol();
          if (e !== null) count = e.eol;
          let entries: Term[];
          if (isKw(this.peek())) {
            entries = this.kwData(T_RCURLY);
          } else {
            entries = this.assocList();
          }
          items = [new NodeClass(A_PIPE, withNewlines(count, tokMeta(pipe)), [key, entries])];
        } else {
          key = this.binaryRest(key, this.cat, 0);
          items = this.assocList(key);
        }
      }
    }
    const close = this.close(T_RCURLY);
    this.noDo = saved;
    this.cat = MATCHED;
    this.access = true;
    this.shape = SH_OTHER;
    return new NodeClass(A_MAP, [...newlinesPair(open, close), ...tokMeta(open)], items);
  }

  /** `assoc` entries up to `}` (not consumed), possibly ending with keywords. */
  private assocList(firstKey?: Term): Term[] {
    const items: Term[] = [];
    let key: Term | undefined = firstKey;
    for (;;) {
      if (key === undefined) {
        key = this.parseExpr(ASSOC_PREC + 1);
        if (this.cat === NO_PARENS) this.syntaxError(this.peek());
      }
      const arrow = this.peek();
      if (arrow.kind === T_ASSOC_OP) {
        this.p++;
        this.skipEol();
        const v = this.parseExpr(0);
        // A value is never `no_parens_expr`: no rule reduces it, so the grammar fails on the
        // token after it (`%{a => f b, c}` at `}`).
        if (this.cat === NO_PARENS) this.syntaxError(this.peek());
        items.push(new TupleClass([key, v]));
      } else {
        // `assoc_expr` without `=>` is only a variable, `a.b`, or a call.
        if (this.shape === SH_OTHER || this.cat !== MATCHED) this.syntaxError(arrow);
        items.push(key);
      }
      key = undefined;
      if (this.peek().kind !== T_COMMA) break;
      this.p++;
      if (this.atClose(T_RCURLY)) break;
      if (isKw(this.peek())) {
        for (const x of this.kwData(T_RCURLY)) items.push(x);
        break;
      }
    }
    return items;
  }

  // ---------------------------------------------------------------------------------------------
  // Blocks: parentheses, fn, do-end, stabs

  private parens(): Term {
    const open = this.open(T_LPAREN);
    const saved = this.noDo;
    this.noDo = false;
    this.cat = MATCHED;
    if (this.peek().kind === T_RPAREN) {
      this.p++;
      this.noDo = saved;
      this.access = true;
      return new NodeClass(A_BLOCK, [], []);
    }
    let items: Term[] = [];
    if (this.peek().kind === T_SEMI) {
      this.p++;
      if (this.atClose(T_RPAREN)) {
        const close = this.close(T_RPAREN);
        this.noDo = saved;
        this.cat = MATCHED;
        this.access = true;
        return new NodeClass(A_BLOCK, [["closing", tokMeta(close)], ...tokMeta(open)], []);
      }
    }
    items = this.stabItems(T_RPAREN);
    const close = this.close(T_RPAREN);
    this.noDo = saved;
    this.cat = MATCHED;
    this.access = true;
    this.shape = SH_OTHER;
    const built = this.buildStab(items, null);
    if (built instanceof NodeClass && built.form === A_BLOCK) {
      return new NodeClass(
        A_BLOCK,
        [...built.meta, ["closing", tokMeta(close)], ...tokMeta(open)],
        built.args,
      );
    }
    return built;
  }

  private fn(): Term {
    const fnTok = this.toks[this.p++];
    let count: number | null = null;
    if (this.isEoe(this.peek())) count = this.eoe().eol;
    const saved = this.noDo;
    this.noDo = false;
    this.enter();
    const items = this.stabItems(T_END);
    this.depth--;
    const end = this.expect(T_END);
    this.noDo = saved;
    const built = this.buildStab(items, fnTok);
    this.cat = MATCHED;
    this.access = true;
    this.shape = SH_OTHER;
    return new NodeClass(
      A_FN,
      withNewlines(count, [["closing", tokMeta(end)], ...tokMeta(fnTok)]),
      built as Term[],
    );
  }

  /** `do ... end` with its `else`/`after`/`catch`/`rescue` sections. */
  private doBlock(): { meta: Meta; kw: Term[] } {
    const doTok = this.expect(T_DO);
    if (this.isEoe(this.peek())) this.eoe();
    const saved = this.noDo;
    this.noDo = false;
    this.enter();
    const kw: Term[] = [];
    const t = this.peek();
    if (t.kind === T_END || t.kind === T_BLOCK_IDENTIFIER) {
      kw.push(pair(A_DO, new NodeClass(A_BLOCK, [], [])));
    } else {
      kw.push(pair(A_DO, this.buildStab(this.stabItems(T_END), null)));
    }
    while (this.peek().kind === T_BLOCK_IDENTIFIER) {
      const b = this.toks[this.p++];
      if (this.isEoe(this.peek())) this.eoe();
      const n = this.peek().kind;
      if (n === T_END || n === T_BLOCK_IDENTIFIER) {
        kw.push(pair(atomOf(b.text), new NodeClass(A_BLOCK, [], [])));
      } else {
        kw.push(pair(atomOf(b.text), this.buildStab(this.stabItems(T_END), null)));
      }
    }
    const end = this.expect(T_END);
    this.depth--;
    this.noDo = saved;
    return {
      meta: [
        ["do", tokMeta(doTok)],
        ["end", tokMeta(end)],
      ],
      kw,
    };
  }

  /** Stab items separated by newlines/semicolons, up to a closer (not consumed). */
  private stabItems(closer: number): Term[] {
    const items: Term[] = [this.stabExpr()];
    for (;;) {
      const t = this.peek();
      if (this.isEoe(t)) {
        const e = this.eoe();
        const n = this.peek().kind;
        if (n === closer || n === T_BLOCK_IDENTIFIER || n === T_END) break;
        annotateEoe(e, items);
        items.push(this.stabExpr());
        continue;
      }
      if (t.kind === closer || t.kind === T_BLOCK_IDENTIFIER || t.kind === T_END) break;
      this.unexpectedAfterExpr(t);
    }
    return items;
  }

  /** One stab item: `args -> body`, or a plain expression. */
  private stabExpr(): Term {
    const t = this.peek();
    if (t.kind === T_STAB_OP) return this.stabRight([]);
    if (t.kind === T_LPAREN) {
      const m = this.matchIndex(this.p);
      if (m > 0) {
        const after = this.toks[m + 1];
        if (after !== undefined && (after.kind === T_STAB_OP || after.kind === T_WHEN_OP)) {
          const inner = this.toks[this.p + 1];
          const empty =
            inner.kind === T_RPAREN ||
            (inner.kind === T_EOL && this.toks[this.p + 2].kind === T_RPAREN);
          if (empty) {
            this.p = m + 1;
            if (after.kind === T_WHEN_OP) {
              this.p++;
              const g = this.expr();
              return this.stabRight([new NodeClass(A_WHEN, tokMeta(after), [g])]);
            }
            return this.stabRight([]);
          }
          if (this.parensHaveManyArgs(this.p, m)) {
            this.open(T_LPAREN);
            let args = this.noParensArgs();
            this.close(T_RPAREN);
            args = unwrapSplice(args);
            if (this.peek().kind === T_WHEN_OP) {
              const w = this.toks[this.p++];
              const g = this.expr();
              return this.stabRight([new NodeClass(A_WHEN, tokMeta(w), [...args, g])]);
            }
            return this.stabRight(args);
          }
        } else if (this.parensAreStabMany(this.p, m)) {
          // `(a, b)` starting a clause can only be `stab_parens_many`: `->` or `when` must
          // follow, and the grammar fails on the first token after `)` that is neither.
          this.open(T_LPAREN);
          this.noParensArgs();
          this.close(T_RPAREN);
          this.syntaxError(this.peek());
        }
      }
    }
    let args: Term[];
    if (isKw(t)) {
      // Keyword values are `matched_expr` or `no_parens_expr`: `a: b do` fails at `do`.
      const saved = this.noDo;
      this.noDo = true;
      args = [this.noParensKw()];
      this.noDo = saved;
    } else {
      const first = this.expr();
      const n = this.peek();
      if (n.kind === T_STAB_OP) {
        // Clause arguments are matched: `foo do end -> x` fails at `->`.
        if (this.cat === UNMATCHED) this.syntaxError(n);
        args = [first];
      } else if (n.kind === T_COMMA && this.cat === UNMATCHED) {
        // Clause arguments start with a `matched_expr`: `case x do end, y` fails at `,`.
        this.syntaxError(n);
      } else if (n.kind === T_COMMA && this.cat !== NO_PARENS) {
        args = [first];
        // Arguments after a comma are `matched_expr` only: `a, b do` fails at `do`.
        const saved = this.noDo;
        this.noDo = true;
        while (this.peek().kind === T_COMMA) {
          this.p++;
          if (isKw(this.peek())) {
            args.push(this.noParensKw());
            break;
          }
          const e = this.expr();
          if (this.cat === NO_PARENS) this.noParensManyError(e);
          args.push(e);
        }
        this.noDo = saved;
        if (this.peek().kind !== T_STAB_OP) this.syntaxError(this.peek());
      } else {
        return first;
      }
    }
    return this.stabRight(unwrapWhen(unwrapSplice(args)));
  }

  /**
   * Whether `( ... )` between token indexes `o` and `c` can only be clause arguments: keywords
   * or a top-level comma, and no top-level `->`, `;` or newline before the first comma (which
   * make it a block).
   */
  private parensAreStabMany(o: number, c: number): boolean {
    let k = o + 1;
    if (this.toks[k].kind === T_EOL) k++;
    if (isKw(this.toks[k])) return true;
    let comma = false;
    while (k < c) {
      const kind = this.toks[k].kind;
      // `(f a, b)` is a block holding a call without parentheses, which takes the commas.
      if (
        !comma &&
        (kind === T_IDENTIFIER || kind === T_OP_IDENTIFIER) &&
        START_ARG[this.toks[k + 1].kind]
      ) {
        return false;
      }
      if (kind === T_COMMA) comma = true;
      else if (kind === T_EOL && !this.eolContinues(k)) {
        // After `a, b` only `)` may follow a newline: whatever comes next fails here.
        if (comma) return true;
        return false;
      } else if (kind === T_STAB_OP || kind === T_SEMI) return false;
      const m = this.matchIndex(k);
      if (m > k) k = m + 1;
      else k++;
    }
    return comma;
  }

  /** Whether the newline at token index `k` follows a token that continues past it. */
  private eolContinues(k: number): boolean {
    const prev = this.toks[k - 1].kind;
    return (
      BINARY[prev] !== undefined ||
      prev === T_UNARY_OP ||
      prev === T_AT_OP ||
      prev === T_CAPTURE_OP ||
      prev === T_ASSOC_OP ||
      prev === T_DOT ||
      prev === T_KW_IDENTIFIER ||
      prev === T_KW_IDENTIFIER_UNSAFE
    );
  }

  /** Whether `( ... )` between token indexes `o` and `c` holds keywords or a top-level comma. */
  private parensHaveManyArgs(o: number, c: number): boolean {
    let k = o + 1;
    if (this.toks[k].kind === T_EOL) k++;
    if (isKw(this.toks[k])) return true;
    while (k < c) {
      const kind = this.toks[k].kind;
      if (kind === T_COMMA) return true;
      const m = this.matchIndex(k);
      if (m > k) k = m + 1;
      else k++;
    }
    return false;
  }

  /** `-> body` after stab arguments. */
  private stabRight(args: Term[]): Term {
    const op = this.expect(T_STAB_OP);
    let count = op.eol;
    const e = this.skipEol();
    if (e !== null) count = e.eol;
    const n = this.peek().kind;
    let body: Term = null;
    if (
      n !== T_EOL &&
      n !== T_SEMI &&
      n !== T_END &&
      n !== T_BLOCK_IDENTIFIER &&
      n !== T_RPAREN &&
      n !== T_EOF
    ) {
      body = this.expr();
    }
    this.cat = MATCHED;
    return new NodeClass(A_STAB, withNewlines(count, tokMeta(op)), [args, body]);
  }

  /**
   * Elixir's `build_stab`: a block when no item is a stab clause, else the clauses with the
   * plain expressions that follow each one folded into its body. `fnTok` requires clauses.
   */
  private buildStab(items: Term[], fnTok: Token | null): Term {
    let firstStab = -1;
    for (let k = 0; k < items.length; k++) {
      if (isStab(items[k])) {
        firstStab = k;
        break;
      }
    }
    if (firstStab === -1) {
      if (fnTok !== null) {
        fail(
          "expected anonymous functions to be defined with -> inside: 'fn'",
          fnTok.line,
          fnTok.col,
        );
      }
      return buildBlock(items);
    }
    if (firstStab !== 0) {
      const [line, col] = metaLine((items[firstStab] as Node).meta);
      fail(
        "unexpected operator ->. If you want to define multiple clauses, the first expression must use ->. Syntax error before: '->'",
        line,
        col,
      );
    }
    const out: Term[] = [];
    let k = 0;
    while (k < items.length) {
      const s = items[k] as Node;
      const args = s.args as Term[];
      const body: Term[] = [args[1]];
      k++;
      while (k < items.length && !isStab(items[k])) body.push(items[k++]);
      out.push(new NodeClass(A_STAB, s.meta, [args[0], buildBlock(body)]));
    }
    return out;
  }
}

function isStab(t: Term): boolean {
  return (
    t instanceof NodeClass && t.form === A_STAB && Array.isArray(t.args) && t.args.length === 2
  );
}

/** `(unquote_splicing(...)) -> ...`: the parenthesised splice is not a block there. */
function unwrapSplice(args: Term[]): Term[] {
  if (args.length === 1) {
    const a = args[0];
    if (
      a instanceof NodeClass &&
      a.form === A_BLOCK &&
      Array.isArray(a.args) &&
      a.args.length === 1
    ) {
      const inner = a.args[0];
      if (inner instanceof NodeClass && inner.form === A_UNQUOTE_SPLICING) return a.args;
    }
  }
  return args;
}

/** `a, b when c -> ...`: the guard wraps all the arguments. */
function unwrapWhen(args: Term[]): Term[] {
  const last = args[args.length - 1];
  if (
    last instanceof NodeClass &&
    last.form === A_WHEN &&
    Array.isArray(last.args) &&
    last.args.length === 2
  ) {
    return [new NodeClass(A_WHEN, last.meta, [...args.slice(0, -1), ...last.args])];
  }
  return args;
}
