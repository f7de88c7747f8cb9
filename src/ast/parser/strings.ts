/**
 * Strings, heredocs, sigils and quoted atoms: scanning their bodies (with `#{}` interpolation),
 * heredoc indentation stripping, and escape processing — following the rules of Elixir's
 * `elixir_interpolation` and the heredoc handling of its tokenizer.
 * @packageDocumentation
 */
import { Bin } from "../term.js";
import * as CH from "./chars.js";
import { fail } from "./errors.js";
import type { Lexer } from "./lexer.js";
import type { Part } from "./tokens.js";
import * as TK from "./tokens.js";

// Module-local bindings: hot paths read these without cross-module lookups.
const InterpolationClass = TK.Interpolation;

// Module-local bindings: hot paths read these without cross-module lookups.
const {
  C_BACKSLASH,
  C_CR,
  C_HASH,
  C_LCURLY,
  C_LF,
  C_RCURLY,
  C_SPACE,
  C_TAB,
  C_u,
  C_x,
  continuesCluster,
  isBidi,
  isHex,
} = CH;

function hex4(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, "0");
}

/**
 * Scans a string-like body starting at `lx.i` (the first content character), up to and including
 * its terminator: the character `term`, or a triple `term` at the start of a line for heredocs.
 * Returns raw parts: text exactly as written (minus escaped terminators) and interpolations.
 * `what` names the construct in the "missing terminator" message.
 */
export function extract(
  lx: Lexer,
  interpol: boolean,
  term: number,
  heredoc: boolean,
  what: string,
  startLine: number,
  startCol: number = heredoc ? lx.col : lx.col - 1,
): Part[] {
  const s = lx.src;
  const n = s.length;
  const parts: Part[] = [];
  let buf = heredoc ? "\n" : "";
  let runStart = lx.i;
  let i = lx.i;
  let line = lx.line;
  let col = lx.col;
  let prevCp = 0;
  let riCount = 0;
  const termStr = heredoc ? String.fromCharCode(term, term, term) : String.fromCharCode(term);

  // Heredocs behave as if a newline preceded the body, so the first line is handled by the
  // newline rule (which also recognises an immediately closing delimiter).
  let pendingNewline = heredoc;

  for (;;) {
    if (pendingNewline) {
      pendingNewline = false;
      if (heredoc) {
        // After a newline: horizontal space, then possibly the closing delimiter.
        let j = i;
        while (j < n && (s.charCodeAt(j) === C_SPACE || s.charCodeAt(j) === C_TAB)) j++;
        if (
          j + 2 < n + 0 &&
          s.charCodeAt(j) === term &&
          s.charCodeAt(j + 1) === term &&
          s.charCodeAt(j + 2) === term
        ) {
          buf += s.slice(runStart, i);
          line++;
          col = j - i + 1 + 3;
          i = j + 3;
          if (buf.length > 0 || parts.length === 0) parts.push(buf);
          lx.i = i;
          lx.line = line;
          lx.col = col;
          return parts;
        }
        line++;
        col = j - i + 1;
        i = j;
      } else {
        line++;
        col = 1;
      }
      prevCp = 0;
      continue;
    }
    if (i >= n) {
      // 1.15+ reports it at the opening delimiter (`startCol`), 1.14 at the end of input.
      const at = lx.features.newMessages;
      fail(
        `missing terminator: ${termStr} (for ${what} starting at line ${startLine})`,
        at ? startLine : line,
        at ? startCol : col,
      );
    }
    const c = s.charCodeAt(i);
    if (c === term && !heredoc) {
      buf += s.slice(runStart, i);
      if (buf.length > 0 || parts.length === 0) parts.push(buf);
      lx.i = i + 1;
      lx.line = line;
      lx.col = col + 1;
      return parts;
    }
    if (c === C_LF) {
      i++;
      pendingNewline = true;
      continue;
    }
    if (c === C_BACKSLASH) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : -1;
      if (d === C_LF) {
        i += 2;
        pendingNewline = true;
        continue;
      }
      if (d === C_CR && i + 2 < n && s.charCodeAt(i + 2) === C_LF) {
        i += 3;
        pendingNewline = true;
        continue;
      }
      if (d === term) {
        if (!heredoc) {
          // An escaped terminator keeps only the terminator.
          buf += s.slice(runStart, i);
          i += 2;
          runStart = i - 1;
          col += 2;
          continue;
        }
        if (i + 3 < n && s.charCodeAt(i + 2) === term && s.charCodeAt(i + 3) === term) {
          buf += s.slice(runStart, i);
          i += 4;
          runStart = i - 3;
          col += 4;
          continue;
        }
      }
      if (interpol && d === C_HASH && i + 2 < n && s.charCodeAt(i + 2) === C_LCURLY) {
        // Kept verbatim; Elixir 1.14 advances its column by one here, 1.15+ by all three.
        i += 3;
        col += lx.features.escapedInterpolationColumns ? 3 : 1;
        continue;
      }
      // A backslash and the next character (or grapheme cluster) are kept as written.
      i++;
      col++;
      if (i >= n) continue;
      const cp = s.codePointAt(i)!;
      if (isBidi(cp)) bidiError(line, col, cp);
      i += cp > 0xffff ? 2 : 1;
      col++;
      prevCp = cp;
      riCount = cp >= 0x1f1e6 && cp <= 0x1f1ff ? 1 : 0;
      // Elixir takes a whole grapheme cluster after a backslash.
      while (i < n) {
        const nx = s.codePointAt(i)!;
        if (!continuesCluster(prevCp, nx, riCount)) break;
        i += nx > 0xffff ? 2 : 1;
        prevCp = nx;
      }
      continue;
    }
    if (interpol && c === C_HASH && i + 1 < n && s.charCodeAt(i + 1) === C_LCURLY) {
      buf += s.slice(runStart, i);
      if (buf.length > 0) parts.push(buf);
      buf = "";
      const startCol = col;
      lx.i = i + 2;
      lx.line = line;
      lx.col = col + 2;
      const tokens = lx.interpolation();
      if (tokens === null) {
        fail(
          `missing interpolation terminator: "}" (for ${what} starting at line ${startLine})`,
          line,
          startCol,
        );
      }
      // lx now points at the closing brace.
      parts.push(new InterpolationClass(line, startCol, lx.line, lx.col, tokens));
      line = lx.line;
      col = lx.col + 1;
      i = lx.i + 1;
      runStart = i;
      prevCp = 0;
      continue;
    }
    if (c < 0x80) {
      // A run of plain ASCII changes nothing but the column: skip it in one tight loop.
      let k = i + 1;
      while (k < n) {
        const d = s.charCodeAt(k);
        if (d >= 0x80 || d === term || d === C_LF || d === C_BACKSLASH || d === C_HASH) break;
        k++;
      }
      col += k - i;
      prevCp = s.charCodeAt(k - 1);
      i = k;
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (isBidi(cp)) bidiError(line, col, cp);
    i += cp > 0xffff ? 2 : 1;
    if (prevCp === 0 || !continuesCluster(prevCp, cp, riCount)) col++;
    riCount = cp >= 0x1f1e6 && cp <= 0x1f1ff ? riCount + 1 : 0;
    prevCp = cp;
  }
}

function bidiError(line: number, col: number, cp: number): never {
  const token = `\\u${hex4(cp)}`;
  fail(
    `invalid bidirectional formatting character in string: ${token}. If you want to use such character, use it in its escaped ${token} form instead`,
    line,
    col,
  );
}

/**
 * Heredoc post-processing: removes up to `indent` spaces/tabs after every newline of the text
 * parts, and the artificial leading newline.
 */
export function stripHeredoc(parts: Part[], indent: number): Part[] {
  const out: Part[] = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if (typeof p !== "string") {
      out.push(p);
      continue;
    }
    let text = p;
    if (indent > 0 && text.indexOf("\n") !== -1) {
      let r = "";
      let i = 0;
      const n = text.length;
      for (;;) {
        const nl = text.indexOf("\n", i);
        if (nl === -1) {
          r += text.slice(i);
          break;
        }
        r += text.slice(i, nl + 1);
        i = nl + 1;
        let left = indent;
        while (left > 0 && i < n) {
          const ch = text.charCodeAt(i);
          if (ch !== C_SPACE && ch !== C_TAB) break;
          i++;
          left--;
        }
      }
      text = r;
    }
    out.push(text);
  }
  // The first part always starts with the newline Elixir prepends to the body.
  const first = out[0];
  if (typeof first === "string" && first.charCodeAt(0) === C_LF) out[0] = first.slice(1);
  return out;
}

const UNESCAPES: Record<number, number> = {
  48: 0, // \0
  97: 7, // \a
  98: 8, // \b
  100: 127, // \d
  101: 27, // \e
  102: 12, // \f
  110: 10, // \n
  114: 13, // \r
  115: 32, // \s
  116: 9, // \t
  118: 11, // \v
};

/** The character `?\c` denotes, by Elixir's escape map (unknown escapes denote themselves). */
export function unescapeChar(c: number): number {
  const m = UNESCAPES[c];
  return m === undefined ? c : m;
}

class ByteOut {
  bytes: number[] = [];
  text(t: string): void {
    for (const b of new TextEncoder().encode(t)) this.bytes.push(b);
  }
}

/**
 * Processes escapes in a string part (`\n`, `\xHH`, `\uHHHH`, `\u{H*}`, line continuations).
 * The result is a JS string, or a {@link Bin} when `\x` escapes produce invalid UTF-8.
 * Throws a syntax failure at `line:col` for malformed escapes.
 */
export function unescapeText(raw: string, line: number, col: number): string | Bin {
  let bs = raw.indexOf("\\");
  if (bs === -1) return raw;
  let out = "";
  let bytes: ByteOut | null = null;
  let i = 0;
  const n = raw.length;
  const emit = (t: string) => {
    if (bytes === null) out += t;
    else bytes.text(t);
  };
  const emitCp = (cp: number, digits: string) => {
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      fail(
        `invalid or reserved Unicode code point \\u{${digits}}. Syntax error after: \\u`,
        line,
        col,
      );
    }
    emit(String.fromCodePoint(cp));
  };
  while (bs !== -1) {
    emit(raw.slice(i, bs));
    i = bs + 1;
    if (i >= n) {
      emit("\\");
      break;
    }
    const c = raw.charCodeAt(i);
    if (c === C_x) {
      i++;
      const a = raw.charCodeAt(i);
      const b = raw.charCodeAt(i + 1);
      if (isHex(a) && isHex(b)) {
        const v = Number.parseInt(raw.slice(i, i + 2), 16);
        i += 2;
        if (v < 0x80) emit(String.fromCharCode(v));
        else {
          if (bytes === null) {
            bytes = new ByteOut();
            bytes.text(out);
          }
          bytes.bytes.push(v);
        }
      } else if (isHex(a)) {
        i++;
        emitCp(Number.parseInt(raw[i - 1], 16), raw[i - 1]);
      } else {
        const m = braced(raw, i);
        if (m === null) {
          fail(
            "invalid hex escape character, expected \\xHH where H is a hexadecimal digit. Syntax error after: \\x",
            line,
            col,
          );
        }
        emitCp(Number.parseInt(m, 16), m);
        i += m.length + 2;
      }
    } else if (c === C_u) {
      i++;
      let ok = true;
      for (let k = 0; k < 4; k++) if (!isHex(raw.charCodeAt(i + k))) ok = false;
      if (ok) {
        const d = raw.slice(i, i + 4);
        emitCp(Number.parseInt(d, 16), d);
        i += 4;
      } else {
        const m = braced(raw, i);
        if (m === null) {
          fail(
            "invalid Unicode escape character, expected \\uHHHH or \\u{H*} where H is a hexadecimal digit. Syntax error after: \\u",
            line,
            col,
          );
        }
        emitCp(Number.parseInt(m, 16), m);
        i += m.length + 2;
      }
    } else if (c === C_LF) {
      i++;
    } else if (c === C_CR && raw.charCodeAt(i + 1) === C_LF) {
      i += 2;
    } else {
      const m = UNESCAPES[c];
      if (m === undefined) {
        // Unknown escapes denote the character itself.
        const cp = raw.codePointAt(i)!;
        emit(String.fromCodePoint(cp));
        i += cp > 0xffff ? 2 : 1;
      } else {
        emit(String.fromCharCode(m));
        i++;
      }
    }
    bs = raw.indexOf("\\", i);
  }
  emit(raw.slice(i));
  if (bytes === null) return out;
  const arr = Uint8Array.from((bytes as ByteOut).bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(arr);
  } catch {
    return new Bin(arr);
  }
}

/** `{H..H}` with one to six hex digits at `i`: the digits, or null. */
function braced(raw: string, i: number): string | null {
  if (raw.charCodeAt(i) !== C_LCURLY) return null;
  let j = i + 1;
  while (j < raw.length && j - i - 1 < 7 && isHex(raw.charCodeAt(j))) j++;
  const len = j - i - 1;
  if (len < 1 || len > 6 || raw.charCodeAt(j) !== C_RCURLY) return null;
  return raw.slice(i + 1, j);
}
