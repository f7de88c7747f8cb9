/**
 * An upper bound on the definition nodes of a file, read from its text: every `def`, `defp`,
 * `defmacro`, `defmacrop`, `defguard` or `defguardp` node of the AST comes from that word in the
 * source, so counting the words (in code, strings, comments and docs alike) never undercounts.
 * When the module reader took as many definitions as there are words, no definition is left
 * for {@link findDefinitions}'s walk over the whole file, and extraction skips it.
 * @packageDocumentation
 */

/** The definition words after `def`, as char codes. */
const SUFFIXES: readonly (readonly number[])[] = [
  "",
  "p",
  "macro",
  "macrop",
  "guard",
  "guardp",
].map((s) => Array.from(s, (c) => c.charCodeAt(0)));

/** ASCII letters, digits and `_`: what an identifier holds before a `def` inside it. */
function identifierChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f
  );
}

/** What may end a name after `def...`: `def?` or `defp!` are other names. Non-ASCII counts as
 * an end: counting too many is safe, too few is not. */
function continuesIdentifier(c: number): boolean {
  return identifierChar(c) || c === 0x3f || c === 0x21;
}

type Text = string | Uint8Array;

function codeAt(text: Text, i: number): number {
  // Past the end reads as a separator. A string's UTF-16 units and a buffer's UTF-8 bytes agree
  // on ASCII, which is all this looks at.
  if (i >= text.length) return 0x20;
  return typeof text === "string" ? text.charCodeAt(i) : text[i];
}

/** Length of the definition word starting at `i` (which holds `def`), or 0. */
function wordAt(text: Text, i: number): number {
  let best = 0;
  for (const suffix of SUFFIXES) {
    let j = 0;
    while (j < suffix.length && codeAt(text, i + 3 + j) === suffix[j]) j++;
    if (j === suffix.length && !continuesIdentifier(codeAt(text, i + 3 + j))) best = 3 + j;
  }
  return best;
}

/**
 * How many times a definition word occurs in `text` as a whole word (not inside a longer
 * identifier such as `defmodule` or `undef`): at least the number of definition nodes.
 */
export function countDefinitionWords(text: Text): number {
  // `indexOf` finds each `def` with a native search; only those are looked at.
  const bytes =
    typeof text === "string" ? null : Buffer.from(text.buffer, text.byteOffset, text.length);
  const find = (from: number): number =>
    bytes === null ? (text as string).indexOf("def", from) : bytes.indexOf("def", from);
  let count = 0;
  for (let i = find(0); i >= 0; i = find(i + 1)) {
    // `!def x` and `&def/2` hold definitions: only letters, digits and `_` join a longer name.
    if (i > 0 && identifierChar(codeAt(text, i - 1))) continue;
    if (wordAt(text, i) > 0) count++;
  }
  return count;
}
