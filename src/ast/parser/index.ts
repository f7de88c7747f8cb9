/**
 * The Elixir parser: source text to the quoted AST and comment list that Elixir's
 * `Code.string_to_quoted_with_comments(source, columns: true, token_metadata: true)` produces,
 * for Elixir 1.18 (the default) or 1.14 (`{ elixir: "1.14" }`).
 *
 * See `docs/PARSER.md` for the design, coverage and limits.
 * @packageDocumentation
 */
import type { Comment, Term } from "../term.js";
import { ParseError, SyntaxFailure } from "./errors.js";
import { Lexer } from "./lexer.js";
import { MAX_DEPTH, parseSegmented } from "./parser.js";
import { beginTokens, endTokens } from "./tokens.js";
import {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  type ElixirVersion,
  featuresOf,
  isElixirVersion,
} from "./versions.js";

export { ParseError } from "./errors.js";
export { MAX_DEPTH } from "./parser.js";
export { DEFAULT_ELIXIR_VERSION, ELIXIR_VERSIONS, type ElixirVersion } from "./versions.js";

/** Options of {@link parse}. */
export interface ParseOptions {
  /** File name used in error messages. */
  file?: string;
  /**
   * The Elixir whose AST, metadata and errors to reproduce (default
   * {@link DEFAULT_ELIXIR_VERSION}); one of {@link ELIXIR_VERSIONS}.
   */
  elixir?: ElixirVersion;
}

/** A parsed source: its AST and its comments in source order. */
export interface ParseResult {
  ast: Term;
  comments: Comment[];
}

const KNOWN_OPTIONS = new Set(["file", "elixir"]);

/** Checks the options; returns the file name and the version. */
function checkOptions(options: ParseOptions | undefined): [string | undefined, ElixirVersion] {
  if (options === undefined) return [undefined, DEFAULT_ELIXIR_VERSION];
  if (typeof options !== "object" || options === null) {
    throw new TypeError("parse options must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new TypeError(`unknown parse option: ${key}`);
  }
  const file = options.file;
  if (file !== undefined && typeof file !== "string") {
    throw new TypeError("parse option `file` must be a string");
  }
  const elixir = options.elixir === undefined ? DEFAULT_ELIXIR_VERSION : options.elixir;
  if (!isElixirVersion(elixir)) {
    throw new TypeError(
      `parse option \`elixir\` must be one of ${ELIXIR_VERSIONS.map((v) => `"${v}"`).join(", ")}; got ${JSON.stringify(elixir) ?? String(elixir)}`,
    );
  }
  return [file, elixir];
}

const DECODER = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 bytes as Elixir does (the BOM is kept); invalid UTF-8 is a ParseError. */
function decode(source: string | Uint8Array, file: string | undefined): string {
  if (typeof source === "string") {
    // isWellFormed is V8's native scan; the JS loop only runs to locate the error.
    if (source.isWellFormed()) return source;
    const bad = firstLoneSurrogate(source);
    if (bad < source.length) {
      const line = lineAt(source, bad);
      throw new ParseError("invalid Unicode (lone surrogate) in source", line, null, file);
    }
    return source;
  }
  try {
    return DECODER.decode(source);
  } catch {
    let line = 1;
    const end = firstInvalidUtf8(source);
    for (let i = 0; i < end; i++) if (source[i] === 10) line++;
    throw new ParseError(
      `invalid UTF-8 in source (byte offset ${end}); Elixir requires UTF-8 source`,
      line,
      null,
      file,
    );
  }
}

function lineAt(s: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (s.charCodeAt(i) === 10) line++;
  return line;
}

function firstLoneSurrogate(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return s.length;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return i;
    if (i + n >= b.length + (n === 0 ? 1 : 0) && n > 0) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    if (n === 2) {
      const cp = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    } else if (n === 3) {
      const cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6);
      if (cp < 0x10000 || cp > 0x10ffff) return i;
    }
    i += n + 1;
  }
  return i;
}

/**
 * Parses Elixir source into its quoted AST (with all metadata) and comments.
 * @throws {ParseError} when Elixir would reject the source, or it exceeds {@link MAX_DEPTH}.
 * @throws {TypeError} for unknown or ill-typed options.
 */
export function parse(source: string | Uint8Array, options?: ParseOptions): ParseResult {
  const [file, elixir] = checkOptions(options);
  const text = decode(source, file);
  const features = featuresOf(elixir);
  beginTokens();
  try {
    const lexer = new Lexer(text, features);
    const tokens = lexer.tokenize();
    const ast = parseSegmented(tokens, features);
    return { ast, comments: lexer.comments };
  } catch (e) {
    if (e instanceof SyntaxFailure) throw new ParseError(e.message, e.line, e.column, file);
    if (e instanceof RangeError) {
      // Backstop only: depth is counted (MAX_DEPTH), so this should not happen.
      throw new ParseError(`nesting too deep (limit ${MAX_DEPTH})`, 1, null, file);
    }
    const msg = e instanceof Error ? e.message : String(e);
    throw new ParseError(`internal parser error: ${msg}`, 1, null, file);
  } finally {
    endTokens();
  }
}

/** Like {@link parse}, returning the error instead of throwing it. */
export function tryParse(
  source: string | Uint8Array,
  options?: ParseOptions,
): { ok: true; ast: Term; comments: Comment[] } | { ok: false; error: ParseError } {
  try {
    const r = parse(source, options);
    return { ok: true, ast: r.ast, comments: r.comments };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e };
    throw e;
  }
}
