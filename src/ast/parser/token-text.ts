/**
 * A token as Elixir's parser names it in "syntax error before: <token>": yecc prints the
 * token's value (or the whole token) with Erlang's `~tp`, under Erlang's default latin1
 * printable range. This file reproduces that printing for our tokens: atoms quoted as
 * `io_lib:write_atom/1` quotes them, charlists as strings, binaries as `<<"...">>` (or bytes),
 * characters as `$c`, and sigils and heredocs as their whole token tuple.
 * @packageDocumentation
 */
import { Bin } from "../term.js";
import type { Part, Token } from "./tokens.js";
import * as K from "./tokens.js";
import type { Features } from "./versions.js";

/** Erlang's reserved words (OTP 25, without the `maybe` feature): such atoms print quoted. */
const RESERVED = new Set(
  "after and andalso band begin bnot bor bsl bsr bxor case catch cond div end fun if let not of or orelse receive rem try when xor".split(
    " ",
  ),
);

function isLowerStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

function isNameChar(c: number): boolean {
  return (
    isLowerStart(c) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0xc0 && c <= 0xde && c !== 0xd7) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x40
  );
}

/** Escapes one code point inside an Erlang quoted atom, string or char (`quote` escaped). */
function escapeChar(c: number, quote: number): string {
  switch (c) {
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x0b:
      return "\\v";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    case 0x1b:
      return "\\e";
    case 0x7f:
      return "\\d";
    case 0x5c:
      return "\\\\";
  }
  if (c === quote) return `\\${String.fromCodePoint(c)}`;
  if (c < 0x20) return `\\${c.toString(8).padStart(3, "0")}`;
  return String.fromCodePoint(c);
}

/** An atom as `io_lib:write_atom/1` (and `~tp`) prints it. */
export function erlangAtom(name: string): string {
  const cps = Array.from(name, (ch) => ch.codePointAt(0)!);
  const bare =
    cps.length > 0 && isLowerStart(cps[0]) && cps.every(isNameChar) && !RESERVED.has(name);
  if (bare) return name;
  return `'${cps.map((c) => escapeChar(c, 0x27)).join("")}'`;
}

/** Printable under Erlang's default latin1 range (`io_lib:printable_latin1_list/1`). */
function printableLatin1(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || (c >= 8 && c <= 13) || c === 27;
}

const UTF8 = new TextEncoder();
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A binary as `~tp` prints it: `<<"text">>`, `<<"é"/utf8>>` or `<<1,2,3>>`. */
export function erlangBinary(bytes: Uint8Array): string {
  if (bytes.length === 0) return "<<>>";
  let text: string | null = null;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    text = null;
  }
  const quoted = (cps: number[]) => cps.map((c) => escapeChar(c, 0x22)).join("");
  if (text !== null) {
    const cps = Array.from(text, (ch) => ch.codePointAt(0)!);
    if (cps.every(printableLatin1)) {
      const ascii = cps.every((c) => c < 0x80);
      return ascii ? `<<"${quoted(cps)}">>` : `<<"${quoted(cps)}"/utf8>>`;
    }
  }
  const all = Array.from(bytes);
  if (all.every(printableLatin1)) return `<<"${quoted(all)}">>`;
  return `<<${all.join(",")}>>`;
}

/** A charlist (the original text of a number) as `~tp` prints it. */
function erlangString(s: string): string {
  return `"${Array.from(s, (ch) => escapeChar(ch.codePointAt(0)!, 0x22)).join("")}"`;
}

/** A character as `io_lib:write_char/1` prints it (`$a`, `$\n`, `$\s`). */
function erlangChar(c: number): string {
  if (c === 0x20) return "$\\s";
  return `$${escapeChar(c, -1)}`;
}

/**
 * The parts of a string-like token as `~tp` prints the list, or null when it holds an
 * interpolation (whose nested tokens we do not print).
 */
function erlangParts(parts: readonly Part[] | null): string | null {
  if (parts === null) return "[]";
  const out: string[] = [];
  for (const p of parts) {
    if (typeof p === "string") out.push(erlangBinary(UTF8.encode(p)));
    else if (p instanceof Bin) out.push(erlangBinary(p.bytes));
    else return null;
  }
  return `[${out.join(",")}]`;
}

function location(t: Token): string {
  return `{${t.line},${t.col},nil}`;
}

/** A sigil token tuple: `{sigil,{L,C,nil},Name,Parts,Modifiers,Indentation,Delimiter}`. */
function sigilText(t: Token, features: Features): string | null {
  const info = t.sigil;
  const parts = erlangParts(t.parts);
  if (info === null || parts === null) return null;
  const name = features.multiLetterSigils
    ? erlangAtom(`sigil_${info.letter}`)
    : String(info.letter.codePointAt(0));
  const mods =
    info.modifiers.length === 0 ? "[]" : erlangString(String.fromCodePoint(...info.modifiers));
  const indent = info.indentation === null ? "nil" : String(info.indentation);
  const delim = erlangBinary(UTF8.encode(info.delimiter));
  return `{sigil,${location(t)},${name},${parts},${mods},${indent},${delim}}`;
}

/**
 * How Elixir's parser shows `t` after "syntax error before: ". Null when we cannot reproduce
 * the text (a token holding an interpolation, printed by Erlang's pretty printer).
 */
export function tokenText(t: Token, features: Features): string | null {
  switch (t.kind) {
    case K.T_EOF:
      return "";
    case K.T_KW_IDENTIFIER:
      // A quoted key (`"b c": 1`) is the atom `'b c:'`; a plain one is the bare atom.
      return t.eol !== null ? erlangAtom(`${t.text}:`) : erlangAtom(t.text);
    case K.T_INT:
    case K.T_FLT:
      return erlangString(t.text);
    case K.T_CHAR:
      return erlangChar(Number(t.num));
    case K.T_BIN_STRING:
    case K.T_LIST_STRING:
    case K.T_ATOM_UNSAFE:
    case K.T_KW_IDENTIFIER_UNSAFE:
      return erlangParts(t.parts);
    case K.T_BIN_HEREDOC:
    case K.T_LIST_HEREDOC: {
      const parts = erlangParts(t.parts);
      if (parts === null) return null;
      const kind = t.kind === K.T_BIN_HEREDOC ? "bin_heredoc" : "list_heredoc";
      return `{${kind},${location(t)},${t.indent},${parts}}`;
    }
    case K.T_SIGIL:
      return sigilText(t, features);
    case K.T_EOL:
      return "eol";
    case K.T_DO:
      return "do";
    case K.T_FN:
      return "fn";
    case K.T_TRUE:
      return "true";
    case K.T_FALSE:
      return "false";
    case K.T_NIL:
      return "nil";
    case K.T_MAP:
      return "'%{}'";
    case K.T_DOT:
    case K.T_DOT_CALL_OP:
      return "'.'";
    default:
      // Identifiers, aliases, atoms, operators and punctuation: the atom of the token's text.
      return erlangAtom(t.text);
  }
}
