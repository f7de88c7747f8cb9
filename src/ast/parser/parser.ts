/**
 * The expression parser's driver: tokens to Elixir's quoted AST.
 *
 * A hand-written precedence-climbing parser that reproduces the decisions of Elixir's LALR
 * grammar (`elixir_parser.yrl`). Every expression is classified as Elixir's grammar does:
 * *matched* (an ordinary expression), *unmatched* (contains a do-block call) or *no-parens*
 * (a call without parentheses taking several arguments, which absorbs everything after it).
 * Those classes decide what may follow and where do-blocks attach (to the outermost call
 * without parentheses).
 *
 * This file holds the parser state ({@link Parser}), the top level (`grammar`), the token
 * cursor (peek/expect/brackets/end of expression/depth) and interpolation sub-parsers. The
 * grammar areas: `parse-operators.ts` (precedence climbing, unary operators),
 * `parse-postfix.ts` (dots, anonymous calls, access), `parse-calls.ts` (identifiers, calls
 * with and without parentheses, call keywords), `parse-containers.ts` (lists, tuples,
 * bitstrings, maps, structs), `parse-primary.ts` (literals, strings, sigils, dispatch) and
 * `parse-blocks.ts` (parentheses, `fn`, do-blocks, stab clauses); `parse-shared.ts` holds the
 * expression classes and tables they share.
 *
 * Why functions taking the parser as first argument: the grammar areas call each other
 * recursively, so they are plain module functions over one state class (as the lexer and
 * `strings.ts` are) rather than a class split into mixins or a chain of subclasses. There is a
 * single concrete class, so every field access stays monomorphic, and each call is a direct call
 * with no prototype lookup or dynamic dispatch. Each file binds the functions it calls from
 * sibling files to module-local constants (`const { expr } = Operators`), as it does for token
 * kinds: calling through the import binding itself was measurably slower (about 3%). This works
 * across the cyclic imports because function declarations exist before any module body runs;
 * functions returning `never` stay plain imports (TypeScript narrows only after calls with an
 * explicit type), and constants live in `parse-shared.ts`, which imports no area. The cost is
 * one stack slot per frame (the state argument next to the unused receiver), about 5% less
 * headroom before a stack overflow, still more than twice {@link MAX_DEPTH} (docs/PARSER.md).
 *
 * Recursion depth is counted and limited to {@link MAX_DEPTH} nesting levels.
 * @packageDocumentation
 */

import type { Term } from "../term.js";
import * as TM from "../term.js";
import * as B from "./build.js";
import { fail, SyntaxFailure } from "./errors.js";
import * as Operators from "./parse-operators.js";
import * as PS from "./parse-shared.js";
import { tokenText } from "./token-text.js";
import type { Token } from "./tokens.js";
import * as K from "./tokens.js";
import type { Features } from "./versions.js";

const { A_BLOCK, annotateEoe, buildBlock, tokMeta } = B;

const NodeClass = TM.Node;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_DO,
  T_END,
  T_EOF,
  T_EOL,
  T_FN,
  T_KW_IDENTIFIER,
  T_LBIT,
  T_LBRACKET,
  T_LCURLY,
  T_LPAREN,
  T_RBIT,
  T_RBRACKET,
  T_RCURLY,
  T_RPAREN,
  T_SEMI,
  T_SIGIL,
} = K;

const newToken = K.newToken;

const { expr } = Operators;

const { MATCHED, SH_OTHER } = PS;

/**
 * Maximum nesting depth of expressions, in counted levels (each bracket, call, operand or
 * clause body counts one; `fn`/`do` count two); deeper input is rejected with a ParseError
 * naming the token where the limit is crossed. 2,000 nested constructs of any kind fit.
 */
export const MAX_DEPTH = 5000;

/**
 * Counted levels parsed on one JavaScript stack segment. Deeper, `parseExpr` unwinds to
 * {@link parseSegmented}, which parses the deep expression on a fresh stack and memoises it, so
 * the stack in use never holds more than about this many levels (see {@link DeepParse}).
 */
export const SEGMENT_DEPTH = 150;

/** A finished sub-parse of a deep expression: its term and the parser state after it. */
interface Segment {
  term: Term;
  error: SyntaxFailure | null;
  p: number;
  cat: number;
  access: boolean;
  shape: number;
}

/**
 * Thrown by `parseExpr` one segment deeper than the stack in use allows: the expression at `p`
 * still has to be parsed. Carries everything `parseExpr` reads, so the same call on a fresh
 * parser gives the same result.
 */
class Deeper {
  constructor(
    readonly toks: Token[],
    readonly key: string,
    readonly p: number,
    readonly minPrec: number,
    readonly noDo: boolean,
    readonly depth: number,
  ) {}
}

/**
 * The expressions of one parse that were parsed on fresh stacks, by token list (a file or an
 * interpolation) and `position:minPrec:noDo:depth`. A parser that meets one again takes the memoised
 * result (or rethrows its error) instead of recursing. Every nesting path passes through
 * `parseExpr` within a few frames, so this bounds the stack for any nesting depth.
 */
export class DeepParse {
  readonly memo = new Map<Token[], Map<string, Segment>>();
  /** Bracket-match tables by token list, so that restarted parsers do not rebuild them. */
  readonly matches = new Map<Token[], Int32Array>();
  /** Bracket nesting by token list, for guessing the next deep expression. */
  readonly nesting = new Map<Token[], Int32Array>();
}

/**
 * How a token is shown in "syntax error before:" messages: as Elixir's parser prints it, or,
 * for the rare token whose printing we do not reproduce (a string with an interpolation, which
 * Erlang's pretty printer lays out), its kind.
 */
export function describeToken(ps: Parser, t: Token): string {
  return tokenText(t, ps.features) ?? (t.kind === T_SIGIL ? "sigil" : "string");
}

/** Parses one token list (a file, or one interpolation) into a term. */
export class Parser {
  p = 0;
  /** Class of the expression just parsed: MATCHED, UNMATCHED or NO_PARENS. */
  cat = MATCHED;
  /** Whether the expression just parsed may be followed by `[...]` access. */
  access = false;
  /** Shape of the expression just parsed: SH_OTHER, SH_IDENT or SH_CALL. */
  shape = SH_OTHER;
  /** Inside arguments of a call without parentheses: do-blocks belong to the outer call. */
  noDo = false;
  /**
   * Token position where the last expression that is not a `map_base_expr` ended (a binary
   * operation, a call without parentheses taking arguments, `& expr`): the map entry just
   * parsed is one of them when this equals the current position.
   */
  notBaseAt = -1;
  depth = 0;
  /** `parseExpr` past this depth continues on a fresh stack (or fails past MAX_DEPTH). */
  limit = SEGMENT_DEPTH;
  match: Int32Array | null = null;
  /** The brackets of the last `( args )` of a call (see parse-calls' parenArgs). */
  argsOpen: Token | null = null;
  argsClose: Token | null = null;

  constructor(
    readonly toks: Token[],
    readonly features: Features,
    readonly deep: DeepParse = new DeepParse(),
  ) {}

  /** `grammar`: the whole token list. */
  parseGrammar(): Term {
    const first = peek(this);
    if (first.kind === T_EOF) return new NodeClass(A_BLOCK, [], []);
    let lead: Token | null = null;
    if (isEoe(first)) lead = eoe(this);
    if (peek(this).kind === T_EOF) {
      return new NodeClass(A_BLOCK, lead === null ? [] : tokMeta(lead), []);
    }
    const exprs: Term[] = [expr(this)];
    for (;;) {
      const t = peek(this);
      if (isEoe(t)) {
        const e = eoe(this);
        if (peek(this).kind === T_EOF) {
          // 1.15+ (`grammar -> expr_list eoe`) also marks the last expression.
          if (this.features.richMetadata) annotateEoe(e, exprs, true);
          break;
        }
        annotateEoe(e, exprs, this.features.richMetadata);
        exprs.push(expr(this));
        continue;
      }
      if (t.kind === T_EOF) break;
      syntaxError(this, t);
    }
    return buildBlock(exprs, !this.features.richMetadata);
  }
}

export function peek(ps: Parser): Token {
  return ps.toks[ps.p];
}

export function peekAt(ps: Parser, k: number): Token {
  const i = ps.p + k;
  return i < ps.toks.length ? ps.toks[i] : ps.toks[ps.toks.length - 1];
}

/**
 * A generic yecc error at `t`. A keyword right after a token that ends an `access_expr` is the
 * grammar's `sub_matched_expr -> access_expr kw_identifier` rule instead
 * (`error_invalid_kw_identifier`), which names it `'key:'` (`do:` gets the long do-block hint);
 * anywhere else (expression start, after a newline, a do-block's `end`, a nullary `..`) yecc
 * prints the keyword's atom.
 */
export function syntaxError(ps: Parser, t: Token): never {
  if (t.kind === T_KW_IDENTIFIER && endsAccessExpr(ps, t)) {
    if (t.text === "do") fail(`unexpected keyword: do:${INVALID_DO_SUFFIX}`, t.line, t.col);
    fail(`syntax error before: '${t.text}:'`, t.line, t.col);
  }
  fail(`syntax error before: ${describeToken(ps, t)}`, t.line, t.col);
}

/** Token kinds that end an `access_expr` (literals, aliases, closers); `end` only of an `fn`. */
const ENDS_ACCESS = new Uint8Array(128);
for (const k of [
  T_RPAREN,
  T_RBRACKET,
  T_RCURLY,
  T_RBIT,
  K.T_INT,
  K.T_FLT,
  K.T_CHAR,
  K.T_ALIAS,
  K.T_ATOM,
  K.T_ATOM_QUOTED,
  K.T_ATOM_UNSAFE,
  K.T_BIN_STRING,
  K.T_LIST_STRING,
  T_SIGIL,
  K.T_BIN_HEREDOC,
  K.T_LIST_HEREDOC,
  K.T_TRUE,
  K.T_FALSE,
  K.T_NIL,
]) {
  ENDS_ACCESS[k] = 1;
}

/** Whether the token just before `t` (no newline between) ends an `access_expr`. */
function endsAccessExpr(ps: Parser, t: Token): boolean {
  const i = ps.toks[ps.p] === t ? ps.p : ps.toks.lastIndexOf(t);
  if (i <= 0) return false;
  const prev = ps.toks[i - 1];
  if (prev.kind === T_END) return ps.toks[matchIndex(ps, i - 1)]?.kind === T_FN;
  return ENDS_ACCESS[prev.kind] === 1;
}

export function expect(ps: Parser, kind: number): Token {
  const t = ps.toks[ps.p];
  if (t.kind !== kind) syntaxError(ps, t);
  ps.p++;
  return t;
}

export function skipEol(ps: Parser): Token | null {
  const t = ps.toks[ps.p];
  if (t.kind === T_EOL) {
    ps.p++;
    return t;
  }
  return null;
}

/** An opening token and its optional following newline (whose count it takes). */
export function opening(ps: Parser, kind: number): Token {
  const t = expect(ps, kind);
  const e = skipEol(ps);
  if (e !== null) {
    const copy = newToken(t.kind, t.line, t.col, e.eol, t.text);
    return copy;
  }
  return t;
}

/**
 * A closing token, optionally preceded by a newline. The grammar's `close_X -> eol X` shifts
 * a newline before any closer, so a newline followed by anything else fails on that token.
 */
export function closing(ps: Parser, kind: number): Token {
  const t = ps.toks[ps.p];
  if (t.kind === T_EOL) {
    const n = ps.toks[ps.p + 1];
    if (n.kind !== kind) syntaxError(ps, n);
    ps.p += 2;
    return n;
  }
  return expect(ps, kind);
}

export function atClose(ps: Parser, kind: number): boolean {
  const t = ps.toks[ps.p];
  return t.kind === kind || (t.kind === T_EOL && ps.toks[ps.p + 1].kind === kind);
}

export function isEoe(t: Token): boolean {
  return t.kind === T_EOL || t.kind === T_SEMI;
}

/** Consumes `eol`, `;` or `eol ;`, returning the token that carries the newline count. */
export function eoe(ps: Parser): Token {
  const t = ps.toks[ps.p++];
  if (t.kind === T_EOL && ps.toks[ps.p].kind === T_SEMI) ps.p++;
  return t;
}

/**
 * Parses `toks` as a whole program with a bounded stack: each time a parse goes
 * {@link SEGMENT_DEPTH} levels deeper than its stack segment started, it unwinds here, the deep
 * expression is parsed (and memoised) on a fresh stack, and the interrupted parse restarts and
 * finds it. Each level is parsed at most twice.
 */
export function parseSegmented(toks: Token[], features: Features): Term {
  const deep = new DeepParse();
  const pending: Deeper[] = [];
  for (;;) {
    try {
      const task = pending[pending.length - 1];
      if (task === undefined) return new Parser(toks, features, deep).parseGrammar();
      const seg = runSegment(task, features, deep);
      pending.pop();
      const next = nextSibling(task, seg, deep);
      if (next !== null) pending.push(next);
    } catch (e) {
      if (!(e instanceof Deeper)) throw e;
      pending.push(e);
    }
  }
}

/**
 * A guess at the next deep expression the interrupted parse will ask for, as the next task:
 * the first later token at the same bracket nesting as `task`'s, with the same kind and the same
 * kind before it (`[[[1]], [[2]]]`: the second term's inner list), within a few times `task`'s
 * length. Parsing it now, before that parse restarts, keeps wide deep input (a list of thousands
 * of deep terms) linear instead of one restart per term. A memo entry is only used by exactly
 * the same call (position, precedence, `noDo` and depth), so a guess never changes a result; a
 * wrong one costs one parse of that expression.
 */
function nextSibling(task: Deeper, seg: Segment, deep: DeepParse): Deeper | null {
  if (seg.error !== null || task.p < 1) return null;
  const toks = task.toks;
  const nest = nesting(toks, deep);
  const level = nest[task.p];
  const kind = toks[task.p].kind;
  const before = toks[task.p - 1].kind;
  const stop = Math.min(toks.length - 1, seg.p + 4 * (seg.p - task.p) + 64);
  for (let q = seg.p + 1; q < stop; q++) {
    if (nest[q] !== level || toks[q].kind !== kind || toks[q - 1].kind !== before) continue;
    const key = segmentKey(q, task.minPrec, task.noDo, task.depth);
    if (deep.memo.get(toks)?.has(key)) return null;
    return new Deeper(toks, key, q, task.minPrec, task.noDo, task.depth);
  }
  return null;
}

/** Token kinds that open a bracket pair: `(`, `[`, `{`, `<<`, `fn`, `do`. */
function isOpener(kind: number): boolean {
  return (
    kind === T_LPAREN ||
    kind === T_LBRACKET ||
    kind === T_LCURLY ||
    kind === T_LBIT ||
    kind === T_FN ||
    kind === T_DO
  );
}

/** Token kinds that close a bracket pair: `)`, `]`, `}`, `>>`, `end`. */
function isCloser(kind: number): boolean {
  return (
    kind === T_RPAREN ||
    kind === T_RBRACKET ||
    kind === T_RCURLY ||
    kind === T_RBIT ||
    kind === T_END
  );
}

/** Bracket nesting (`()`, `[]`, `{}`, `<<>>`, `fn`/`do` ... `end`) before each token. */
function nesting(toks: Token[], deep: DeepParse): Int32Array {
  let nest = deep.nesting.get(toks);
  if (nest !== undefined) return nest;
  nest = new Int32Array(toks.length);
  let level = 0;
  for (let k = 0; k < toks.length; k++) {
    const kind = toks[k].kind;
    if (isCloser(kind)) level--;
    nest[k] = level;
    if (isOpener(kind)) level++;
  }
  deep.nesting.set(toks, nest);
  return nest;
}

function segmentKey(p: number, minPrec: number, noDo: boolean, depth: number): string {
  return `${p}:${minPrec}:${noDo ? 1 : 0}:${depth}`;
}

/** Parses one deferred deep expression on the current (fresh) stack and memoises the outcome. */
function runSegment(task: Deeper, features: Features, deep: DeepParse): Segment {
  const q = new Parser(task.toks, features, deep);
  q.p = task.p;
  q.noDo = task.noDo;
  q.depth = task.depth - 1;
  q.limit = Math.min(MAX_DEPTH, q.depth + SEGMENT_DEPTH);
  let seg: Segment;
  try {
    const term = Operators.parseExpr(q, task.minPrec);
    seg = { term, error: null, p: q.p, cat: q.cat, access: q.access, shape: q.shape };
  } catch (e) {
    if (!(e instanceof SyntaxFailure)) throw e;
    seg = { term: null, error: e, p: q.p, cat: q.cat, access: q.access, shape: q.shape };
  }
  let memo = deep.memo.get(task.toks);
  if (memo === undefined) {
    memo = new Map();
    deep.memo.set(task.toks, memo);
  }
  memo.set(task.key, seg);
  return seg;
}

/**
 * `parseExpr` past `ps.limit` (already counted in `ps.depth`): the depth error past
 * {@link MAX_DEPTH}; else the memoised result of this expression, or a {@link Deeper} unwinding
 * to {@link parseSegmented}.
 */
export function deepExpr(ps: Parser, minPrec: number): Term {
  if (ps.depth > MAX_DEPTH) {
    const t = peek(ps);
    fail(`nesting too deep (more than ${MAX_DEPTH} levels)`, t.line, t.col);
  }
  const key = segmentKey(ps.p, minPrec, ps.noDo, ps.depth);
  const seg = ps.deep.memo.get(ps.toks)?.get(key);
  if (seg === undefined) throw new Deeper(ps.toks, key, ps.p, minPrec, ps.noDo, ps.depth);
  if (seg.error !== null) throw seg.error;
  ps.depth--;
  ps.p = seg.p;
  ps.cat = seg.cat;
  ps.access = seg.access;
  ps.shape = seg.shape;
  return seg.term;
}

export function enter(ps: Parser): void {
  if (++ps.depth > MAX_DEPTH) {
    const t = peek(ps);
    fail(`nesting too deep (more than ${MAX_DEPTH} levels)`, t.line, t.col);
  }
}

export function matchIndex(ps: Parser, i: number): number {
  if (ps.match === null) ps.match = ps.deep.matches.get(ps.toks) ?? null;
  if (ps.match === null) {
    const toks = ps.toks;
    const m = new Int32Array(toks.length).fill(-1);
    const stack: number[] = [];
    for (let k = 0; k < toks.length; k++) {
      const kind = toks[k].kind;
      if (isOpener(kind)) {
        stack.push(k);
      } else if (isCloser(kind)) {
        const o = stack.pop();
        if (o !== undefined) {
          m[o] = k;
          m[k] = o;
        }
      }
    }
    ps.match = m;
    ps.deep.matches.set(toks, m);
  }
  return ps.match[i];
}

/** The tokenizer's `invalid_do_error` text after "unexpected keyword: do:" (same in 1.14 and 1.18). */
const INVALID_DO_SUFFIX =
  '. In case you wanted to write a "do" expression, you must either use do-blocks or separate the keyword argument with comma. For example, you should either write:\n\n    if some_condition? do\n      :this\n    else\n      :that\n    end\n\nor the equivalent construct:\n\n    if(some_condition?, do: :this, else: :that)\n\nwhere "some_condition?" is the first argument and the second argument is a keyword list.\n\nYou may see this error if you forget a trailing comma before the "do" in a "do" block';

/** {@link sub} for the string builders, which also need to know the version's metadata. */
export function subParser(ps: Parser): B.SubParse {
  const f = ((toks: Token[]) => sub(ps, toks)) as B.SubParse;
  f.rich = ps.features.richMetadata;
  return f;
}

/** Parses an interpolation's tokens as a whole program. */
export function sub(ps: Parser, toks: Token[]): Term {
  const p = new Parser(toks, ps.features, ps.deep);
  p.depth = ps.depth;
  p.limit = ps.limit;
  return p.parseGrammar();
}
