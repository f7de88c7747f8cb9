/** The operator table must agree with the precedence declarations of Elixir's grammar. */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BINARY, CAPTURE_PREC, UNARY_PREC } from "../../../../src/ast/parser/precedence.js";
import * as K from "../../../../src/ast/parser/tokens.js";
import { CORPUS, skipUnlessAvailable } from "../../../support/prerequisites.js";

const YRL = "corpus/elixir/lib/elixir/src/elixir_parser.yrl";

const KIND_OF: Record<string, number> = {
  in_match_op_eol: K.T_IN_MATCH_OP,
  when_op_eol: K.T_WHEN_OP,
  type_op_eol: K.T_TYPE_OP,
  pipe_op_eol: K.T_PIPE_OP,
  match_op_eol: K.T_MATCH_OP,
  or_op_eol: K.T_OR_OP,
  and_op_eol: K.T_AND_OP,
  comp_op_eol: K.T_COMP_OP,
  rel_op_eol: K.T_REL_OP,
  arrow_op_eol: K.T_ARROW_OP,
  in_op_eol: K.T_IN_OP,
  xor_op_eol: K.T_XOR_OP,
  ternary_op_eol: K.T_TERNARY_OP,
  concat_op_eol: K.T_CONCAT_OP,
  range_op_eol: K.T_RANGE_OP,
  dual_op_eol: K.T_DUAL_OP,
  mult_op_eol: K.T_MULT_OP,
  power_op_eol: K.T_POWER_OP,
};

describe.skipIf(skipUnlessAvailable(`${CORPUS}: ${YRL}`, existsSync(YRL)))(
  "precedence table",
  () => {
    const decls = [
      ...readFileSync(YRL, "utf8").matchAll(/^(Left|Right|Nonassoc)\s+(\d+)\s+(\w+)\./gm),
    ];
    it("declares every binary operator with Elixir's precedence and associativity", () => {
      let checked = 0;
      for (const [, assoc, prec, sym] of decls) {
        const kind = KIND_OF[sym];
        if (kind === undefined) continue;
        const info = BINARY[kind];
        expect(info, sym).toBeDefined();
        expect(info?.[0], sym).toBe(Number(prec));
        expect(info?.[1], sym).toBe(assoc === "Right");
        checked++;
      }
      expect(checked).toBe(Object.keys(KIND_OF).length);
    });
    it("uses the unary and capture precedences of the grammar", () => {
      const byName = new Map(decls.map(([, , prec, sym]) => [sym, Number(prec)]));
      expect(byName.get("unary_op_eol")).toBe(UNARY_PREC);
      expect(byName.get("capture_op_eol")).toBe(CAPTURE_PREC);
    });
  },
);
