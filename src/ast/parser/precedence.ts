/**
 * The binary operator table: precedence and associativity per operator token kind, as declared
 * in Elixir's grammar (`elixir_parser.yrl`), plus whether a newline after the operator replaces
 * its `newlines` count (Elixir's `next_is_eol` rules).
 * @packageDocumentation
 */
import * as TK from "./tokens.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  T_AND_OP,
  T_ARROW_OP,
  T_COMP_OP,
  T_CONCAT_OP,
  T_DUAL_OP,
  T_IN_MATCH_OP,
  T_IN_OP,
  T_MATCH_OP,
  T_MULT_OP,
  T_OR_OP,
  T_PIPE_OP,
  T_POWER_OP,
  T_RANGE_OP,
  T_REL_OP,
  T_TERNARY_OP,
  T_TYPE_OP,
  T_WHEN_OP,
  T_XOR_OP,
} = TK;

/** Precedence of the unary operators (`!`, `^`, `not`, `~~~`, unary `+`/`-`). */
export const UNARY_PREC = 300;
/** Precedence of the capture operator `&`. */
export const CAPTURE_PREC = 90;
/** Precedence of `=>` (only meaningful inside maps). */
export const ASSOC_PREC = 80;
/** Precedence of `|` (map update inside maps). */
export const PIPE_PREC = 70;

/** Binary operator info, indexed by token kind: `[precedence, rightAssoc, nextIsEol]`. */
export const BINARY: ([number, boolean, boolean] | undefined)[] = [];

function def(kind: number, prec: number, right: boolean, nextIsEol = true): void {
  BINARY[kind] = [prec, right, nextIsEol];
}

def(T_IN_MATCH_OP, 40, false);
def(T_WHEN_OP, 50, true);
def(T_TYPE_OP, 60, true);
def(T_PIPE_OP, PIPE_PREC, true);
def(T_MATCH_OP, 100, true, false);
def(T_OR_OP, 110, false);
def(T_AND_OP, 130, false);
def(T_COMP_OP, 140, false);
def(T_REL_OP, 150, false);
def(T_ARROW_OP, 160, false);
def(T_IN_OP, 170, false);
def(T_XOR_OP, 180, false);
def(T_TERNARY_OP, 190, true);
def(T_CONCAT_OP, 200, true);
def(T_RANGE_OP, 200, true);
def(T_DUAL_OP, 210, false);
def(T_MULT_OP, 220, false);
def(T_POWER_OP, 230, false);
