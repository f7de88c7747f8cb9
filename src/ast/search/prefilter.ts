/**
 * The search prefilter: what a file's text must contain for a pattern to match anywhere in it,
 * so that a file without it is not parsed at all. Parsing is most of a search's time, and most
 * files of a project lack the names a pattern spells out.
 *
 * Soundness is the contract: a file that holds a match always passes. So every requirement is
 * text that every way of writing a matching node contains, and anything the parser synthesizes
 * (blocks, interpolation calls, aliases of charlists) requires nothing.
 * @packageDocumentation
 */
import { Atom, Node, type Term, Tuple } from "../term.js";
import { varRole } from "./match.js";

/** What a file's text must contain for a pattern to match. */
export interface Prefilter {
  /** Names that appear verbatim (call names, alias segments, variables, operators). */
  words: string[];
  /**
   * Token sequences: an alias followed by `.name` (`IO.inspect`), or a dot followed by a
   * function name (`_.inspect`), with any whitespace, line continuations or comments between
   * the tokens and a quoted name (`IO."inspect"`) allowed.
   */
  sequences: RegExp[];
}

const IDENTIFIER = /^(?:[a-z_][A-Za-z0-9_]*[?!]?|[A-Z][A-Za-z0-9_]*)$/;

/**
 * Operators that only their own spelling produces (`a..b//c` is `:"..//"`, which is why `..` and
 * `//` are absent; `-1` is a literal, so `-` and `+` never need to be written as a node).
 */
const OPERATORS = new Set([
  "==",
  "!=",
  "===",
  "!==",
  "<=",
  ">=",
  "&&",
  "||",
  "|>",
  "++",
  "--",
  "<>",
  "=~",
  "<-",
  "\\\\",
  "->",
  "::",
  "~>",
  "<~",
  "<<<",
  ">>>",
  "&&&",
  "|||",
  "^^^",
  "<|>",
  "<~>",
  "~>>",
  "<<~",
]);

/**
 * Between two tokens: whitespace, a backslash line continuation, or whole comments. Each
 * alternative starts with a different character and a comment must reach its newline, so the
 * regex stays linear on any input.
 */
const GAP = String.raw`(?:[\s\\]|#[^\n]*\n)*`;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The segments of an alias (`Foo.Bar`) written with identifiers only, or null. */
function aliasSegments(t: Term): string[] | null {
  if (!(t instanceof Node) || !(t.form instanceof Atom) || t.form.name !== "__aliases__") {
    return null;
  }
  if (!Array.isArray(t.args) || t.args.length === 0) return null;
  const names: string[] = [];
  for (const a of t.args) {
    if (!(a instanceof Atom) || !IDENTIFIER.test(a.name)) return null;
    names.push(a.name);
  }
  return names;
}

function aliasSource(segments: readonly string[]): string {
  return segments.map(escapeRegex).join(`${GAP}\\.${GAP}`);
}

class Collector {
  readonly words = new Set<string>();
  readonly sequences = new Map<string, RegExp>();

  word(name: string): void {
    // `sigil_r` is written `~r`; names with `_` prefixes are wildcards, captures or `...`.
    if (IDENTIFIER.test(name) && !name.startsWith("sigil_") && varRole(name) === "plain") {
      this.words.add(name);
    } else if (OPERATORS.has(name)) this.words.add(name);
  }

  sequence(source: string): void {
    if (!this.sequences.has(source)) this.sequences.set(source, new RegExp(source));
  }

  /** A remote call's `target.name`: the name must follow a dot (or be quoted after one). */
  remote(target: Term, name: string): void {
    if (!IDENTIFIER.test(name)) return;
    this.word(name);
    const segments = aliasSegments(target);
    const before = segments === null ? "" : `${aliasSource(segments)}${GAP}`;
    this.sequence(`${before}\\.${GAP}(?:${escapeRegex(name)}|["'])`);
  }

  collect(t: Term): void {
    if (t instanceof Node) this.node(t);
    else if (Array.isArray(t)) for (const a of t) this.collect(a);
    else if (t instanceof Tuple) for (const a of t.items) this.collect(a);
  }

  private node(t: Node): void {
    const form = t.form;
    if (form instanceof Atom) {
      // No requirement is taken inside `<<>>`: interpolation synthesizes its calls.
      if (form.name === "<<>>") return;
      if (form.name === "__aliases__") {
        const segments = aliasSegments(t);
        if (segments !== null && segments.length > 1) this.sequence(aliasSource(segments));
        if (Array.isArray(t.args)) for (const a of t.args) if (a instanceof Atom) this.word(a.name);
        return;
      }
      if (form.name !== "__block__") this.word(form.name);
    } else if (form instanceof Node && form.form instanceof Atom && form.form.name === ".") {
      const target = Array.isArray(form.args) ? form.args[0] : undefined;
      const fn = Array.isArray(form.args) ? form.args[1] : undefined;
      // A bare atom target (`:ets.new`, or the `List.to_charlist` of a charlist interpolation)
      // may be synthesized: it requires nothing.
      if (fn instanceof Atom && target instanceof Node) this.remote(target, fn.name);
      if (target !== undefined) this.collect(target);
    } else this.collect(form);
    if (Array.isArray(t.args)) for (const a of t.args) this.collect(a);
  }
}

/** The prefilter of a parsed pattern. */
export function prefilterOf(ast: Term): Prefilter {
  const c = new Collector();
  c.collect(ast);
  return { words: [...c.words], sequences: [...c.sequences.values()] };
}

/** False when `source` lacks something every match needs, so the file need not be parsed. */
/**
 * Words that the AST of an interpolation (`"#{x}"` is `Kernel.to_string(x)::binary`, `'#{x}'`
 * is `List.to_charlist([...])`) holds without the source spelling them: a file with `#{` may
 * match a pattern needing them.
 */
const INTERPOLATION_WORDS = new Set(["::", "binary", "Kernel", "to_string", "List", "to_charlist"]);

function lacks(has: (w: string) => boolean, w: string): boolean {
  return !has(w) && !(INTERPOLATION_WORDS.has(w) && has("#{"));
}

export function passes(filter: Prefilter, source: string | Uint8Array): boolean {
  if (typeof source === "string") {
    const has = (w: string) => source.includes(w);
    for (const w of filter.words) if (lacks(has, w)) return false;
    for (const r of filter.sequences) if (!r.test(source)) return false;
    return true;
  }
  const buf = Buffer.isBuffer(source)
    ? source
    : Buffer.from(source.buffer, source.byteOffset, source.length);
  const has = (w: string) => buf.includes(w);
  for (const w of filter.words) if (lacks(has, w)) return false;
  if (filter.sequences.length === 0) return true;
  // Every requirement is ASCII, and Latin-1 maps each byte to one character, so a requirement
  // is in the bytes exactly when it is in this text (other bytes only widen `\s`).
  const text = buf.toString("latin1");
  for (const r of filter.sequences) if (!r.test(text)) return false;
  return true;
}
