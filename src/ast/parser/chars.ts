/**
 * Character codes and character classes shared by the lexer and string scanner.
 * @packageDocumentation
 */

export const C_TAB = 9;
export const C_LF = 10;
export const C_CR = 13;
export const C_SPACE = 32;
export const C_BANG = 33; // !
export const C_DQUOTE = 34; // "
export const C_HASH = 35; // #
export const C_PERCENT = 37; // %
export const C_AMP = 38; // &
export const C_SQUOTE = 39; // '
export const C_LPAREN = 40; // (
export const C_RPAREN = 41; // )
export const C_STAR = 42; // *
export const C_PLUS = 43; // +
export const C_COMMA = 44; // ,
export const C_MINUS = 45; // -
export const C_DOT = 46; // .
export const C_SLASH = 47; // /
export const C_0 = 48;
export const C_9 = 57;
export const C_COLON = 58; // :
export const C_SEMI = 59; // ;
export const C_LT = 60; // <
export const C_EQ = 61; // =
export const C_GT = 62; // >
export const C_QUESTION = 63; // ?
export const C_AT = 64; // @
export const C_A = 65;
export const C_F = 70;
export const C_Z = 90;
export const C_LBRACKET = 91; // [
export const C_BACKSLASH = 92; // \
export const C_RBRACKET = 93; // ]
export const C_CARET = 94; // ^
export const C_UNDERSCORE = 95; // _
export const C_a = 97;
export const C_b = 98;
export const C_f = 102;
export const C_o = 111;
export const C_u = 117;
export const C_x = 120;
export const C_z = 122;
export const C_LCURLY = 123; // {
export const C_PIPE = 124; // |
export const C_RCURLY = 125; // }
export const C_TILDE = 126; // ~

export function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}
export function isUpper(c: number): boolean {
  return c >= C_A && c <= C_Z;
}
export function isLower(c: number): boolean {
  return c >= C_a && c <= C_z;
}
export function isHex(c: number): boolean {
  return (c >= C_0 && c <= C_9) || (c >= C_A && c <= C_F) || (c >= C_a && c <= C_f);
}
export function isHorizontalSpace(c: number): boolean {
  return c === C_SPACE || c === C_TAB;
}
/** Elixir's `is_space`: horizontal space, CR or LF. */
export function isSpace(c: number): boolean {
  return c === C_SPACE || c === C_TAB || c === C_LF || c === C_CR;
}
/** Bidirectional formatting characters, rejected in comments and strings ("trojan source"). */
export function isBidi(c: number): boolean {
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

const EXTEND_RE = /^[\p{Grapheme_Extend}\p{Emoji_Modifier}\p{Mc}\u200d]$/u;
const PICTO_RE = /^\p{Extended_Pictographic}$/u;

/**
 * Whether code point `cp` continues the grapheme cluster started by `prev` (so Elixir's string
 * scanner, which advances its column per grapheme cluster, does not count it). An approximation
 * of the Unicode segmentation rules that covers combining marks, ZWJ emoji sequences, emoji
 * modifiers, variation selectors and regional-indicator pairs.
 */
export function continuesCluster(prev: number, cp: number, riCount: number): boolean {
  if (cp < 0x300) return false;
  if (cp >= 0x1100 && cp <= 0xd7fb) {
    const h = hangul(cp);
    if (h !== H_NONE) {
      const p = hangul(prev);
      if (p === H_L) return h === H_L || h === H_V || h === H_LV || h === H_LVT;
      if (p === H_LV || p === H_V) return h === H_V || h === H_T;
      if (p === H_LVT || p === H_T) return h === H_T;
    }
  }
  const s = String.fromCodePoint(cp);
  if (EXTEND_RE.test(s)) return true;
  if (prev === 0x200d && PICTO_RE.test(s)) return true;
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff && prev >= 0x1f1e6 && prev <= 0x1f1ff && riCount % 2 === 1) {
    return true;
  }
  return false;
}

const H_NONE = 0;
const H_L = 1;
const H_V = 2;
const H_T = 3;
const H_LV = 4;
const H_LVT = 5;

/** Hangul syllable type of a code point (for grapheme clustering of jamo sequences). */
function hangul(cp: number): number {
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0xa960 && cp <= 0xa97c)) return H_L;
  if ((cp >= 0x1160 && cp <= 0x11a7) || (cp >= 0xd7b0 && cp <= 0xd7c6)) return H_V;
  if ((cp >= 0x11a8 && cp <= 0x11ff) || (cp >= 0xd7cb && cp <= 0xd7fb)) return H_T;
  if (cp >= 0xac00 && cp <= 0xd7a3) return (cp - 0xac00) % 28 === 0 ? H_LV : H_LVT;
  return H_NONE;
}
