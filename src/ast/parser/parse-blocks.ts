/**
 * Blocks: parentheses, `fn ... end`, `do ... end` with its `else`/`after`/`catch`/`rescue`
 * sections, and stab clauses (`args -> body`, with the bracket-match table deciding
 * `(a, b) -> ...` in constant time), folded as Elixir's `build_stab` does.
 * @packageDocumentation
 */

import type { Meta, Node, Term } from "../term.js";
import * as TM from "../term.js";
import * as B from "./build.js";
import { fail } from "./errors.js";
import * as Calls from "./parse-calls.js";
import { noParensManyError } from "./parse-calls.js";
import * as Operators from "./parse-operators.js";
import * as PS from "./parse-shared.js";
import type { Parser } from "./parser.js";
import * as Driver from "./parser.js";
import { syntaxError } from "./parser.js";
import * as PR from "./precedence.js";
import type { Token } from "./tokens.js";
import * as K from "./tokens.js";

const { BINARY } = PR;

const {
  A_BANG,
  A_BLOCK,
  A_DO,
  A_FN,
  A_NOT,
  A_STAB,
  A_UNQUOTE_SPLICING,
  A_WHEN,
  annotateEoe,
  buildBlock,
  pair,
  tokMeta,
  withNewlines,
} = B;

const NodeClass = TM.Node;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_ASSOC_OP,
  T_AT_OP,
  T_BLOCK_IDENTIFIER,
  T_CAPTURE_OP,
  T_COMMA,
  T_DO,
  T_DOT,
  T_END,
  T_EOF,
  T_EOL,
  T_IDENTIFIER,
  T_KW_IDENTIFIER,
  T_KW_IDENTIFIER_UNSAFE,
  T_LPAREN,
  T_OP_IDENTIFIER,
  T_RPAREN,
  T_SEMI,
  T_STAB_OP,
  T_UNARY_OP,
  T_WHEN_OP,
} = K;

const { noParensArgs, noParensKw } = Calls;

const { expr } = Operators;

const { MATCHED, NO_PARENS, SH_OTHER, START_ARG, UNMATCHED, atomOf, isKw, metaLine } = PS;

const { atClose, closing, enter, eoe, expect, isEoe, matchIndex, opening, peek, skipEol } = Driver;

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

/** `[parens: [line, column, closing: [line, column]]]`: 1.15+ metadata of a parenthesis pair. */
function parensMeta(open: Token, close: Token): Meta {
  return [["parens", [...tokMeta(open), ["closing", tokMeta(close)]]]];
}

/**
 * One expression in parentheses, as 1.15+ builds it (`build_paren_stab`): `(not a)`/`(!a)` stay
 * a bare block, `(unquote_splicing(a))` a block with the parentheses' position, a node gains
 * `parens` metadata, and a literal is itself.
 */
function parenthesised(e: Term, open: Token, close: Token): Term {
  if (!(e instanceof NodeClass)) return e;
  const one = Array.isArray(e.args) && e.args.length === 1;
  if (one && (e.form === A_NOT || e.form === A_BANG)) return new NodeClass(A_BLOCK, [], [e]);
  if (one && e.form === A_UNQUOTE_SPLICING) {
    return new NodeClass(A_BLOCK, [["closing", tokMeta(close)], ...tokMeta(open)], [e]);
  }
  return new NodeClass(e.form, [...parensMeta(open, close), ...e.meta], e.args);
}

export function parens(ps: Parser): Term {
  const open = opening(ps, T_LPAREN);
  const saved = ps.noDo;
  ps.noDo = false;
  ps.cat = MATCHED;
  if (peek(ps).kind === T_RPAREN) {
    const close = ps.toks[ps.p++];
    ps.noDo = saved;
    ps.access = true;
    // 1.15+: `{'__block__', parens_meta(...), []}`.
    return new NodeClass(A_BLOCK, ps.features.richMetadata ? parensMeta(open, close) : [], []);
  }
  let items: Term[] = [];
  if (peek(ps).kind === T_SEMI) {
    ps.p++;
    if (atClose(ps, T_RPAREN)) {
      const close = closing(ps, T_RPAREN);
      ps.noDo = saved;
      ps.cat = MATCHED;
      ps.access = true;
      return new NodeClass(A_BLOCK, [["closing", tokMeta(close)], ...tokMeta(open)], []);
    }
  }
  items = stabItems(ps, T_RPAREN);
  const close = closing(ps, T_RPAREN);
  ps.noDo = saved;
  ps.cat = MATCHED;
  ps.access = true;
  ps.shape = SH_OTHER;
  const built = buildStab(ps, items, null);
  if (ps.features.richMetadata && items.length === 1 && !Array.isArray(built)) {
    return parenthesised(items[0], open, close);
  }
  if (built instanceof NodeClass && built.form === A_BLOCK) {
    return new NodeClass(
      A_BLOCK,
      [...built.meta, ["closing", tokMeta(close)], ...tokMeta(open)],
      built.args,
    );
  }
  return built;
}

export function fn(ps: Parser): Term {
  const fnTok = ps.toks[ps.p++];
  let count: number | null = null;
  if (isEoe(peek(ps))) count = eoe(ps).eol;
  const saved = ps.noDo;
  ps.noDo = false;
  enter(ps);
  const items = stabItems(ps, T_END);
  ps.depth--;
  const end = expect(ps, T_END);
  ps.noDo = saved;
  const built = buildStab(ps, items, fnTok);
  ps.cat = MATCHED;
  ps.access = true;
  ps.shape = SH_OTHER;
  return new NodeClass(
    A_FN,
    withNewlines(count, [["closing", tokMeta(end)], ...tokMeta(fnTok)]),
    built as Term[],
  );
}

/** `do ... end` with its `else`/`after`/`catch`/`rescue` sections. */
export function doBlock(ps: Parser): { meta: Meta; kw: Term[] } {
  const doTok = expect(ps, T_DO);
  if (isEoe(peek(ps))) eoe(ps);
  const saved = ps.noDo;
  ps.noDo = false;
  enter(ps);
  const kw: Term[] = [];
  const t = peek(ps);
  if (t.kind === T_END || t.kind === T_BLOCK_IDENTIFIER) {
    kw.push(pair(A_DO, new NodeClass(A_BLOCK, [], [])));
  } else {
    kw.push(pair(A_DO, buildStab(ps, stabItems(ps, T_END), null)));
  }
  while (peek(ps).kind === T_BLOCK_IDENTIFIER) {
    const b = ps.toks[ps.p++];
    if (isEoe(peek(ps))) eoe(ps);
    const n = peek(ps).kind;
    if (n === T_END || n === T_BLOCK_IDENTIFIER) {
      kw.push(pair(atomOf(b.text), new NodeClass(A_BLOCK, [], [])));
    } else {
      kw.push(pair(atomOf(b.text), buildStab(ps, stabItems(ps, T_END), null)));
    }
  }
  const end = expect(ps, T_END);
  ps.depth--;
  ps.noDo = saved;
  return {
    meta: [
      ["do", tokMeta(doTok)],
      ["end", tokMeta(end)],
    ],
    kw,
  };
}

/** Stab items separated by newlines/semicolons, up to a closer (not consumed). */
function stabItems(ps: Parser, closer: number): Term[] {
  const items: Term[] = [stabExpr(ps)];
  for (;;) {
    const t = peek(ps);
    if (isEoe(t)) {
      const e = eoe(ps);
      const n = peek(ps).kind;
      if (n === closer || n === T_BLOCK_IDENTIFIER || n === T_END) {
        // 1.15+ (`stab_eoe -> stab eoe`) also marks the last expression before the closer.
        if (ps.features.richMetadata) annotateEoe(e, items, true);
        break;
      }
      annotateEoe(e, items, ps.features.richMetadata);
      items.push(stabExpr(ps));
      continue;
    }
    if (t.kind === closer || t.kind === T_BLOCK_IDENTIFIER || t.kind === T_END) break;
    syntaxError(ps, t);
  }
  return items;
}

/** Identifier tokens that, followed by a space and `(`, start a call without parentheses. */
function isCallName(kind: number): boolean {
  return kind === T_IDENTIFIER || kind === T_OP_IDENTIFIER;
}

/**
 * `foo (a, b)` / `foo (k: 1)`: several arguments or keywords that reach the `)` of parentheses
 * opened right after a call's name (item `start` being the first inside them) are Elixir's
 * `call_args_no_parens_many_strict -> open_paren ... close_paren` (`error_no_parens_strict`),
 * reported at the `(`. Returns when that rule does not apply.
 */
function spacedCallParens(ps: Parser, start: number): void {
  const open = ps.toks[start - 1];
  if (start < 2 || open.kind !== T_LPAREN || !isCallName(ps.toks[start - 2].kind)) return;
  if (!atClose(ps, T_RPAREN)) return;
  fail(
    "unexpected parentheses. If you are making a function call, do not insert spaces between the function name and the opening parentheses. Syntax error before: '('",
    open.line,
    open.col,
  );
}

/** One stab item: `args -> body`, or a plain expression. */
function stabExpr(ps: Parser): Term {
  const t = peek(ps);
  if (t.kind === T_STAB_OP) return stabRight(ps, []);
  if (t.kind === T_LPAREN) {
    const m = matchIndex(ps, ps.p);
    if (m > 0) {
      const after = ps.toks[m + 1];
      if (after !== undefined && (after.kind === T_STAB_OP || after.kind === T_WHEN_OP)) {
        const inner = ps.toks[ps.p + 1];
        const empty =
          inner.kind === T_RPAREN || (inner.kind === T_EOL && ps.toks[ps.p + 2].kind === T_RPAREN);
        const rich = ps.features.richMetadata;
        if (empty) {
          const pm = rich ? parensMeta(t, ps.toks[m]) : null;
          ps.p = m + 1;
          if (after.kind === T_WHEN_OP) {
            ps.p++;
            const g = expr(ps);
            return stabRight(ps, [new NodeClass(A_WHEN, tokMeta(after), [g])], pm);
          }
          return stabRight(ps, [], pm);
        }
        if (parensHaveManyArgs(ps, ps.p, m)) {
          const open = opening(ps, T_LPAREN);
          let args = noParensArgs(ps);
          const close = closing(ps, T_RPAREN);
          const pm = rich ? parensMeta(open, close) : null;
          args = unwrapSplice(args);
          if (peek(ps).kind === T_WHEN_OP) {
            const w = ps.toks[ps.p++];
            const g = expr(ps);
            return stabRight(ps, [new NodeClass(A_WHEN, tokMeta(w), [...args, g])], pm);
          }
          return stabRight(ps, args, pm);
        }
      } else if (parensAreStabMany(ps, ps.p, m)) {
        // `(a, b)` starting a clause can only be `stab_parens_many`: `->` or `when` must
        // follow, and the grammar fails on the first token after `)` that is neither.
        opening(ps, T_LPAREN);
        noParensArgs(ps);
        closing(ps, T_RPAREN);
        syntaxError(ps, peek(ps));
      }
    }
  }
  let args: Term[];
  const start = ps.p;
  if (isKw(t)) {
    // Keyword values are `matched_expr` or `no_parens_expr`: `a: b do` fails at `do`.
    const saved = ps.noDo;
    ps.noDo = true;
    args = [noParensKw(ps)];
    ps.noDo = saved;
    if (peek(ps).kind !== T_STAB_OP) spacedCallParens(ps, start);
  } else {
    const first = expr(ps);
    const n = peek(ps);
    if (n.kind === T_STAB_OP) {
      // Clause arguments are matched: `foo do end -> x` fails at `->`.
      if (ps.cat === UNMATCHED) syntaxError(ps, n);
      args = [first];
    } else if (n.kind === T_COMMA && ps.cat === UNMATCHED) {
      // Clause arguments start with a `matched_expr`: `case x do end, y` fails at `,`.
      syntaxError(ps, n);
    } else if (n.kind === T_COMMA && ps.cat !== NO_PARENS) {
      args = [first];
      // Arguments after a comma are `matched_expr` only: `a, b do` fails at `do`.
      const saved = ps.noDo;
      ps.noDo = true;
      while (peek(ps).kind === T_COMMA) {
        ps.p++;
        if (isKw(peek(ps))) {
          args.push(noParensKw(ps));
          break;
        }
        const e = expr(ps);
        if (ps.cat === NO_PARENS) noParensManyError(ps, e);
        args.push(e);
      }
      ps.noDo = saved;
      if (peek(ps).kind !== T_STAB_OP) {
        spacedCallParens(ps, start);
        syntaxError(ps, peek(ps));
      }
    } else {
      return first;
    }
  }
  return stabRight(ps, unwrapWhen(unwrapSplice(args)));
}

/**
 * Whether `( ... )` between token indexes `o` and `c` can only be clause arguments: keywords
 * or a top-level comma, and no top-level `->`, `;` or newline before the first comma (which
 * make it a block).
 */
function parensAreStabMany(ps: Parser, o: number, c: number): boolean {
  let k = o + 1;
  if (ps.toks[k].kind === T_EOL) k++;
  if (isKw(ps.toks[k])) return true;
  let comma = false;
  while (k < c) {
    const kind = ps.toks[k].kind;
    // `(f a, b)` is a block holding a call without parentheses, which takes the commas.
    if (
      !comma &&
      (kind === T_IDENTIFIER || kind === T_OP_IDENTIFIER) &&
      START_ARG[ps.toks[k + 1].kind]
    ) {
      return false;
    }
    if (kind === T_COMMA) comma = true;
    else if (kind === T_EOL && !eolContinues(ps, k)) {
      // After `a, b` only `)` may follow a newline: whatever comes next fails here.
      if (comma) return true;
      return false;
    } else if (kind === T_STAB_OP || kind === T_SEMI) return false;
    const m = matchIndex(ps, k);
    if (m > k) k = m + 1;
    else k++;
  }
  return comma;
}

/** Whether the newline at token index `k` follows a token that continues past it. */
function eolContinues(ps: Parser, k: number): boolean {
  const prev = ps.toks[k - 1].kind;
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
function parensHaveManyArgs(ps: Parser, o: number, c: number): boolean {
  let k = o + 1;
  if (ps.toks[k].kind === T_EOL) k++;
  if (isKw(ps.toks[k])) return true;
  while (k < c) {
    const kind = ps.toks[k].kind;
    if (kind === T_COMMA) return true;
    const m = matchIndex(ps, k);
    if (m > k) k = m + 1;
    else k++;
  }
  return false;
}

/** `-> body` after stab arguments. */
function stabRight(ps: Parser, args: Term[], parens: Meta | null = null): Term {
  const op = expect(ps, T_STAB_OP);
  let count = op.eol;
  const e = skipEol(ps);
  if (e !== null) count = e.eol;
  const n = peek(ps).kind;
  let body: Term = null;
  if (
    n !== T_EOL &&
    n !== T_SEMI &&
    n !== T_END &&
    n !== T_BLOCK_IDENTIFIER &&
    n !== T_RPAREN &&
    n !== T_EOF
  ) {
    body = expr(ps);
  }
  ps.cat = MATCHED;
  const meta = withNewlines(count, tokMeta(op));
  // 1.15+: parenthesised clause arguments put `parens` first (`build_op_with_meta`).
  return new NodeClass(A_STAB, parens === null ? meta : [...parens, ...meta], [args, body]);
}

/**
 * Elixir's `build_stab`: a block when no item is a stab clause, else the clauses with the
 * plain expressions that follow each one folded into its body. `fnTok` requires clauses.
 */
function buildStab(ps: Parser, items: Term[], fnTok: Token | null): Term {
  const wrapUnary = !ps.features.richMetadata;
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
    return buildBlock(items, wrapUnary);
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
    out.push(new NodeClass(A_STAB, s.meta, [args[0], buildBlock(body, wrapUnary)]));
  }
  return out;
}
