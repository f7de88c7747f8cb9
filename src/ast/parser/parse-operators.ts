/**
 * Precedence climbing over the binary operator table (`precedence.ts`), with Elixir's special
 * cases (`not in`, `..//`, `when` followed by keywords), and prefix operators (`!`, `-`, `&`,
 * `@`, with `@@a.b` vs `@@a[1]`).
 * @packageDocumentation
 */

import type { Term } from "../term.js";
import * as TM from "../term.js";
import * as B from "./build.js";
import { fail } from "./errors.js";
import * as Calls from "./parse-calls.js";
import * as Postfix from "./parse-postfix.js";
import * as Primary from "./parse-primary.js";
import * as PS from "./parse-shared.js";
import type { Parser } from "./parser.js";
import * as Driver from "./parser.js";
import * as PR from "./precedence.js";
import type { Token } from "./tokens.js";
import * as K from "./tokens.js";

const { BINARY, CAPTURE_PREC } = PR;

const { A_BANG, A_IN, A_NOT, A_RANGE, A_SLASH, A_STEP_RANGE, tokMeta, withNewlines } = B;

const NodeClass = TM.Node;

const A_ELLIPSIS = TM.Atom.of("...");

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_AT_OP,
  T_CAPTURE_OP,
  T_DUAL_OP,
  T_ELLIPSIS_OP,
  T_EOL,
  T_INT,
  T_IN_OP,
  T_LBRACKET,
  T_MATCH_OP,
  T_TERNARY_OP,
  T_UNARY_OP,
  T_WHEN_OP,
} = K;

const { noParensKw } = Calls;

const { bracketAccess, postfix } = Postfix;

const { primary } = Primary;

const { MATCHED, NO_PARENS, P_AT, P_NORMAL, SH_OTHER, START_ARG, UNMATCHED, atomOf, isKw } = PS;

const { deepExpr, enter, peek, skipEol } = Driver;

/** Any expression (matched, unmatched or no-parens), lowest precedence. */
export function expr(ps: Parser): Term {
  return parseExpr(ps, 0);
}

export function parseExpr(ps: Parser, minPrec: number): Term {
  // Past the stack segment's limit (or MAX_DEPTH): continue on a fresh stack, or fail.
  if (++ps.depth > ps.limit) return deepExpr(ps, minPrec);
  const left = unary(ps);
  const r = binaryRest(ps, left, ps.cat, minPrec);
  ps.depth--;
  return r;
}

export function binaryRest(ps: Parser, left: Term, cat: number, minPrec: number): Term {
  for (;;) {
    if (cat === NO_PARENS) break;
    const t = ps.toks[ps.p];
    const info = BINARY[t.kind];
    if (info === undefined || info[0] < minPrec) break;
    ps.p++;
    let count = t.eol;
    const e = ps.toks[ps.p];
    if (e.kind === T_EOL) {
      // `=` takes the newline count from 1.15 on (`match_op_eol -> match_op eol: next_is_eol`).
      if (info[2] || (t.kind === T_MATCH_OP && ps.features.richMetadata)) count = e.eol;
      ps.p++;
    }
    let right: Term;
    let rcat: number;
    if (t.kind === T_WHEN_OP && isKw(peek(ps))) {
      right = noParensKw(ps);
      rcat = NO_PARENS;
    } else {
      right = parseExpr(ps, info[1] ? info[0] : info[0] + 1);
      rcat = ps.cat;
    }
    left = buildBinary(left, t, count, right);
    ps.shape = SH_OTHER;
    ps.notBaseAt = ps.p;
    cat =
      rcat === NO_PARENS
        ? NO_PARENS
        : cat === UNMATCHED || rcat === UNMATCHED
          ? UNMATCHED
          : MATCHED;
  }
  ps.cat = cat;
  ps.access = false;
  return left;
}

function buildBinary(left: Term, op: Token, count: number | null, right: Term): Term {
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

/**
 * `...` (1.16+, precedence 90, non-associative): a prefix operator when an expression follows
 * (`... x`), else the nullary `{:..., meta, []}`, which takes no postfix.
 */
function ellipsis(ps: Parser, t: Token): Term {
  ps.p++;
  const n = peek(ps);
  ps.access = false;
  ps.shape = SH_OTHER;
  if ((START_ARG[n.kind] && !isKw(n)) || n.kind === T_DUAL_OP || n.kind === T_ELLIPSIS_OP) {
    enter(ps);
    const operand = parseExpr(ps, CAPTURE_PREC + 1);
    ps.depth--;
    ps.access = false;
    ps.shape = SH_OTHER;
    return new NodeClass(A_ELLIPSIS, tokMeta(t), [operand]);
  }
  ps.cat = MATCHED;
  return new NodeClass(A_ELLIPSIS, tokMeta(t), []);
}

/** Prefix operators, then a primary with its postfix dots, calls and accesses. */
function unary(ps: Parser): Term {
  const t = ps.toks[ps.p];
  switch (t.kind) {
    case T_UNARY_OP:
    case T_DUAL_OP:
    case T_TERNARY_OP: {
      ps.p++;
      skipEol(ps);
      enter(ps);
      let n = ps.toks[ps.p];
      if (n.kind !== T_UNARY_OP && n.kind !== T_DUAL_OP && n.kind !== T_TERNARY_OP) {
        const operand = unary(ps);
        ps.depth--;
        ps.access = false;
        ps.shape = SH_OTHER;
        return buildUnary(t, operand);
      }
      // A run of prefix operators (`- - !x`) is a loop, not recursion: any length is safe.
      const ops: Token[] = [t];
      do {
        ops.push(n);
        ps.p++;
        skipEol(ps);
        enter(ps);
        n = ps.toks[ps.p];
      } while (n.kind === T_UNARY_OP || n.kind === T_DUAL_OP || n.kind === T_TERNARY_OP);
      let operand = unary(ps);
      for (let k = ops.length - 1; k >= 0; k--) operand = buildUnary(ops[k], operand);
      ps.depth -= ops.length;
      ps.access = false;
      ps.shape = SH_OTHER;
      return operand;
    }
    case T_ELLIPSIS_OP:
      return ellipsis(ps, t);
    case T_CAPTURE_OP: {
      ps.p++;
      skipEol(ps);
      const n = peek(ps);
      if (n.kind === T_INT) {
        ps.p++;
        ps.cat = MATCHED;
        ps.access = true;
        ps.shape = SH_OTHER;
        return postfix(ps, new NodeClass(atomOf("&"), tokMeta(t), [n.num]));
      }
      const operand = parseExpr(ps, CAPTURE_PREC + 1);
      ps.access = false;
      ps.shape = SH_OTHER;
      ps.notBaseAt = ps.p;
      return new NodeClass(atomOf("&"), tokMeta(t), [operand]);
    }
    case T_AT_OP: {
      ps.p++;
      skipEol(ps);
      const n = ps.toks[ps.p];
      enter(ps);
      let node: Term;
      if (n.kind === T_AT_OP) {
        // `@@a.b` is `(@(@a)).b` but `@@a[1]` is `@((@a)[1])`: the inner `@` takes its
        // bracket access only; other postfixes apply to the outer one.
        const ats: Token[] = [t];
        while (peek(ps).kind === T_AT_OP) {
          ats.push(ps.toks[ps.p++]);
          skipEol(ps);
        }
        const operand = primary(ps, P_AT);
        node = new NodeClass(atomOf("@"), tokMeta(ats[ats.length - 1]), [operand]);
        if (ps.cat === MATCHED && ps.access && peek(ps).kind === T_LBRACKET) {
          node = bracketAccess(ps, node);
        }
        ps.depth--;
        for (let k = ats.length - 2; k >= 0; k--) {
          node = new NodeClass(atomOf("@"), tokMeta(ats[k]), [node]);
        }
        ps.shape = SH_OTHER;
        if (ps.cat !== MATCHED) return node;
        return postfix(ps, node);
      }
      if (
        n.kind === T_UNARY_OP ||
        n.kind === T_DUAL_OP ||
        n.kind === T_TERNARY_OP ||
        n.kind === T_CAPTURE_OP ||
        n.kind === T_ELLIPSIS_OP
      ) {
        // `at_op_eol matched_expr`: `@-a.b` is `@(-(a.b))`, `@... x` is `@(...(x))`.
        const inner = unary(ps);
        ps.depth--;
        ps.access = false;
        ps.shape = SH_OTHER;
        return new NodeClass(atomOf("@"), tokMeta(t), [inner]);
      }
      const operand = primary(ps, P_AT);
      ps.depth--;
      node = new NodeClass(atomOf("@"), tokMeta(t), [operand]);
      ps.shape = SH_OTHER;
      if (ps.cat !== MATCHED) return node;
      return postfix(ps, node);
    }
  }
  const prim = primary(ps, P_NORMAL);
  if (ps.cat !== MATCHED) return prim;
  return postfix(ps, prim);
}

export function buildUnary(op: Token, operand: Term): Term {
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
