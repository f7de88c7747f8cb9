/**
 * Source ranges of AST nodes. Elixir's AST gives a node its start (`line`, `column`) but not
 * its end, so the end is derived: a statement's `end_of_expression` metadata is exact; otherwise
 * the furthest token that carries metadata in the subtree (`closing`, `end`, a name, the last
 * alias segment), plus one literal scanned from the source when the subtree ends in one.
 * Columns are 1-based and count Unicode code points, as Elixir's do; an end is exclusive (the
 * column just after the last character).
 * @packageDocumentation
 */
import { Atom, Bin, Float, type Meta, metaGet, metaInt, Node, type Term, Tuple } from "../term.js";

/** A file's text with its line starts (computed on first use). */
export interface SourceLines {
  source: string;
  starts: number[] | null;
  /**
   * Token extents of the subtrees measured so far in this file, so that nested matches (every
   * node matches `_`) measure each subtree once: linear, not quadratic in the tree's depth.
   */
  extents?: Map<Node, Extent>;
}

/** A position, 1-based. */
interface Pos {
  line: number;
  column: number;
}

function nested(meta: Meta, key: string): Pos | undefined {
  const v = metaGet(meta, key);
  if (!Array.isArray(v)) return undefined;
  const line = metaInt(v, "line");
  const column = metaInt(v, "column");
  return line === undefined || column === undefined ? undefined : { line, column };
}

function after(a: Pos, b: Pos): boolean {
  return a.line > b.line || (a.line === b.line && a.column > b.column);
}

function lineStarts(lines: SourceLines): number[] {
  if (lines.starts !== null) return lines.starts;
  const starts = [0];
  const s = lines.source;
  // indexOf, not a loop over char codes: this runs once per file with a match, mostly before
  // V8 has optimized anything, where a builtin's scan is many times faster than a JS loop.
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) starts.push(i + 1);
  lines.starts = starts;
  return starts;
}

/** The string index of a 1-based line and code-point column (clamped to the line). */
export function offsetOf(lines: SourceLines, line: number, column: number): number {
  const starts = lineStarts(lines);
  const s = lines.source;
  let i = starts[Math.min(Math.max(line, 1), starts.length) - 1];
  for (let c = 1; c < column && i < s.length && s.charCodeAt(i) !== 10; c++) {
    const code = s.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return i;
}

/** The 1-based position of a string index. */
function posOf(lines: SourceLines, index: number): Pos {
  const starts = lineStarts(lines);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  let column = 1;
  for (let i = starts[lo]; i < index; i++) {
    const code = lines.source.charCodeAt(i);
    if (!(code >= 0xdc00 && code <= 0xdfff)) column++;
  }
  return { line: lo + 1, column };
}

interface Extent {
  start: Pos | null;
  end: Pos | null;
}

function widen(ext: Extent, start: Pos | undefined, end: Pos | undefined): void {
  if (start !== undefined && (ext.start === null || after(ext.start, start))) ext.start = start;
  if (end !== undefined && (ext.end === null || after(end, ext.end))) ext.end = end;
}

function shift(p: Pos | undefined, by: number): Pos | undefined {
  return p === undefined ? undefined : { line: p.line, column: p.column + by };
}

/** The length in code points of the closing token at `p` (`>>` is two, the rest one). */
function closingLength(p: Pos, lines: SourceLines): number {
  const i = offsetOf(lines, p.line, p.column);
  return lines.source.startsWith(">>", i) ? 2 : 1;
}

function nodeTokens(n: Node, ext: Extent, lines: SourceLines): void {
  const line = metaInt(n.meta, "line");
  const column = metaInt(n.meta, "column");
  const at = line !== undefined && column !== undefined ? { line, column } : undefined;
  const closing = nested(n.meta, "closing");
  widen(ext, at, closing === undefined ? undefined : shift(closing, closingLength(closing, lines)));
  widen(ext, undefined, shift(nested(n.meta, "end"), 3));
  widen(ext, undefined, shift(nested(n.meta, "last"), lastSegmentLength(n)));
  if (n.form instanceof Atom) widen(ext, undefined, shift(at, [...n.form.name].length));
  else if (n.form instanceof Node && Array.isArray(n.form.args)) {
    const fn = n.form.args[1];
    if (fn instanceof Atom) widen(ext, undefined, shift(at, [...fn.name].length));
  }
}

function lastSegmentLength(n: Node): number {
  if (!Array.isArray(n.args) || n.args.length === 0) return 0;
  const last = n.args[n.args.length - 1];
  return last instanceof Atom ? [...last.name].length : 0;
}

/** The nodes directly under `n` (through lists and tuples), as the extent of `n` takes them. */
function childNodes(n: Node): Node[] {
  const out: Node[] = [];
  if (!Array.isArray(n.args)) return out;
  const stack: Term[] = [n.form, ...n.args];
  while (stack.length > 0) {
    const x = stack.pop() as Term;
    if (x instanceof Node) out.push(x);
    else if (Array.isArray(x)) for (const a of x) stack.push(a);
    else if (x instanceof Tuple) for (const a of x.items) stack.push(a);
  }
  return out;
}

/**
 * The extent of every token in the subtree of `root`, each node's computed once per file (an
 * explicit post-order stack: trees may be thousands of levels deep).
 */
function subtreeExtent(root: Node, lines: SourceLines): Extent {
  lines.extents ??= new Map();
  const cache = lines.extents;
  const known = cache.get(root);
  if (known !== undefined) return known;
  const stack: { node: Node; children: Node[] | null }[] = [{ node: root, children: null }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.children === null) {
      top.children = childNodes(top.node);
      for (const c of top.children) if (!cache.has(c)) stack.push({ node: c, children: null });
      continue;
    }
    stack.pop();
    const ext: Extent = { start: null, end: null };
    nodeTokens(top.node, ext, lines);
    for (const c of top.children) {
      const e = cache.get(c) as Extent;
      widen(ext, e.start ?? undefined, e.end ?? undefined);
    }
    cache.set(top.node, ext);
  }
  return cache.get(root) as Extent;
}

/** True for a term that has no metadata of its own and so no known place in the source. */
function placeless(t: Term): boolean {
  return !(t instanceof Node);
}

/** The last term in source order that ends `t`, descending through undelimited nodes. */
function rightmost(t: Term): Term {
  let cur = t;
  for (let guard = 0; guard < 10_000; guard++) {
    if (!(cur instanceof Node) || !Array.isArray(cur.args) || cur.args.length === 0) return cur;
    if (metaGet(cur.meta, "closing") !== undefined || metaGet(cur.meta, "end") !== undefined) {
      return cur;
    }
    cur = cur.args[cur.args.length - 1];
    if (cur instanceof Tuple && cur.items.length === 2) cur = cur.items[1];
  }
  return cur;
}

const INFIX_WORDS = new Set(["and", "or", "in", "not in", "when"]);
/** Symbol-named forms that start where their node starts (containers, structs). */
const DELIMITED = new Set(["<<>>", "{}", "%{}", "%"]);

/** The first term in source order of `t`, descending through infix operators' left operands. */
function leftmost(t: Term): Term {
  let cur = t;
  for (let guard = 0; guard < 10_000; guard++) {
    if (!(cur instanceof Node) || !(cur.form instanceof Atom) || !Array.isArray(cur.args)) {
      return cur;
    }
    const name = cur.form.name;
    const infix =
      cur.args.length === 2 &&
      (INFIX_WORDS.has(name) || (/^[^\w]+$/.test(name) && !DELIMITED.has(name)));
    if (!infix) return cur;
    cur = cur.args[0];
  }
  return cur;
}

const SIMPLE_LITERAL = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|:?[\w.?!@]+)/u;

/** Extends `end` over one literal token that follows it (a trailing string, number or atom). */
function scanLiteral(end: Pos, lines: SourceLines): Pos {
  const from = offsetOf(lines, end.line, end.column);
  const rest = lines.source.slice(from, from + 4096);
  const lead = /^[ \t]*(?:[^\s\w"':]{1,3}[ \t]*)?/.exec(rest)?.[0].length ?? 0;
  const m = SIMPLE_LITERAL.exec(rest.slice(lead));
  return m === null ? end : posOf(lines, from + lead + m[0].length);
}

/** Where `n` ends (exclusive), as well as the metadata lets us know. */
export function nodeRange(n: Node, lines: SourceLines): { endLine: number; endColumn: number } {
  const eoe = nested(n.meta, "end_of_expression");
  if (eoe !== undefined) return { endLine: eoe.line, endColumn: eoe.column };
  const ext = subtreeExtent(n, lines);
  let end = ext.end ?? {
    line: metaInt(n.meta, "line") ?? 1,
    column: metaInt(n.meta, "column") ?? 1,
  };
  const last = rightmost(n);
  if (placeless(last) && isScalar(last)) end = scanLiteral(end, lines);
  return { endLine: end.line, endColumn: end.column };
}

function isScalar(t: Term): boolean {
  return (
    t === null ||
    typeof t === "number" ||
    typeof t === "bigint" ||
    typeof t === "boolean" ||
    typeof t === "string" ||
    t instanceof Atom ||
    t instanceof Float ||
    t instanceof Bin
  );
}

/**
 * The source text of `t` when its extent is known from metadata (its first and last tokens carry
 * it), else null, and the caller prints the term instead.
 */
export function sourceSlice(t: Term, lines: SourceLines): string | null {
  if (!(t instanceof Node)) return null;
  if (placeless(leftmost(t)) || placeless(rightmost(t))) return null;
  const ext = subtreeExtent(t, lines);
  const eoe = nested(t.meta, "end_of_expression");
  const end = eoe ?? ext.end;
  if (ext.start === null || end === null) return null;
  const from = offsetOf(lines, ext.start.line, ext.start.column);
  const to = offsetOf(lines, end.line, end.column);
  return to > from ? lines.source.slice(from, to).trimEnd() : null;
}
