/**
 * Opening and closing brackets and keywords (`(`, `[`, `{`, `<<`, `fn`, `do`, `end`, ...) and the
 * terminator stack that checks them, with Elixir's mismatch messages and "it looks like" hints.
 * @packageDocumentation
 */

import { fail } from "./errors.js";
import type { Lexer } from "./lexer.js";
import * as Driver from "./lexer.js";
import * as TK from "./tokens.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const { T_ALIAS, T_LPAREN } = TK;

const newToken = TK.newToken;

const { last, prevEol } = Driver;

export interface Terminator {
  start: string;
  line: number;
  /** Column of the opening token (1.15+ reports errors there). */
  col: number;
  indentation: number;
}

export const CLOSER: Record<string, string> = {
  fn: "end",
  do: "end",
  "(": ")",
  "[": "]",
  "{": "}",
  "<<": ">>",
};

export function missingHint(lx: Lexer, start: string, end: string): string {
  // Hints are kept oldest first; Elixir reports the most recent one.
  for (let k = lx.hints.length - 1; k >= 0; k--) {
    const h = lx.hints[k];
    if (h.start === start) {
      const text = `it looks like the "${start}" on line ${h.line} does not have a matching "${end}"`;
      return lx.features.newMessages ? `\nhint: ${text}` : `\n\n    HINT: ${text}\n`;
    }
  }
  return "";
}

/**
 * End of input with `t` still open. 1.14 reports it at the end, naming the opener; 1.15+ at
 * the opener, naming only the missing terminator.
 */
export function missingTerminator(lx: Lexer, t: Terminator): never {
  const end = CLOSER[t.start];
  const hint = missingHint(lx, t.start, end);
  if (lx.features.newMessages) fail(`missing terminator: ${end}${hint}`, t.line, t.col);
  fail(
    `missing terminator: ${end} (for "${t.start}" starting at line ${t.line})${hint}`,
    lx.line,
    lx.col,
  );
}

function openTerm(lx: Lexer, start: string, line: number, col: number): void {
  if (start === "fn" || start === "do") {
    const top = lx.terms[lx.terms.length - 1];
    if (top !== undefined && top.start === start && lx.indentation <= top.indentation) {
      lx.hints.push(top);
    }
  }
  lx.terms.push({ start, line, col, indentation: lx.indentation });
}

function closeTerm(lx: Lexer, end: string, line: number, col: number): void {
  const top = lx.terms[lx.terms.length - 1];
  if (top === undefined) {
    if (end === "end") {
      let suffix = "";
      for (let k = lx.hints.length - 1; k >= 0; k--) {
        const h = lx.hints[k];
        if (h.start === "end") {
          suffix = lx.features.newMessages
            ? `\nhint: the "end" on line ${h.line} may not have a matching "do" defined before it (based on indentation)`
            : `\n\n    HINT: it looks like the "end" on line ${h.line} does not have a matching "do" defined before it\n`;
          break;
        }
      }
      fail(`unexpected reserved word: end${suffix}`, line, col);
    }
    fail(`unexpected token: ${end}`, line, col);
  }
  if (end === "end" && top.start === "do" && lx.indentation > top.indentation) {
    lx.hints.push({ start: "end", line, col, indentation: lx.indentation });
  }
  const expected = CLOSER[top.start];
  if (expected !== end) {
    const prefix = end === "end" ? "unexpected reserved word: " : "unexpected token: ";
    // 1.15+ reports a mismatch at the opener, without naming it.
    if (lx.features.newMessages) fail(`${prefix}${end}`, top.line, top.col);
    fail(
      `${prefix}${end}. The "${top.start}" at line ${top.line} is missing terminator "${expected}"${missingHint(lx, top.start, expected)}`,
      line,
      col,
    );
  }
  lx.terms.pop();
}

export function opener(lx: Lexer, kind: number, text: string, len: number): void {
  if (kind === T_LPAREN) {
    const l = last(lx);
    if (l !== undefined && l.kind === T_ALIAS) {
      fail(
        `unexpected ( after alias ${l.text}. Function names and identifiers in Elixir start with lowercase characters or underscore. For example:\n\n    hello_world()\n    _starting_with_underscore()\n    numb3rs_are_allowed()\n    may_finish_with_question_mark?()\n    may_finish_with_exclamation_mark!()\n\nUnexpected token: (`,
        lx.line,
        lx.features.newMessages ? lx.col : lx.col + 1,
      );
    }
  }
  openTerm(lx, text, lx.line, lx.col);
  lx.toks.push(newToken(kind, lx.line, lx.col, null, text));
  lx.i += len;
  lx.col += len;
}

export function closer(lx: Lexer, kind: number, text: string, len: number): void {
  const t = newToken(kind, lx.line, lx.col, prevEol(lx), text);
  closeTerm(lx, text, lx.line, lx.col);
  lx.toks.push(t);
  lx.i += len;
  lx.col += len;
}

export function closeOrOpen(lx: Lexer, name: string, line: number, col: number): void {
  if (name === "end") closeTerm(lx, "end", line, col);
  else openTerm(lx, name, line, col);
}
