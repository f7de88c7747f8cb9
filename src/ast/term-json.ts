/**
 * The canonical JSON encoding of terms, shared with the Elixir oracle (`tools/oracle/quoted.exs`)
 * so that our AST and Elixir's can be compared line by line:
 * integer: a JSON number (beyond ±2^53: `{"int": "<digits>"}`); float: `{"float": n}`;
 * atom: `{"atom": name}`; UTF-8 binary: a JSON string (otherwise `{"bin": [bytes]}`);
 * list: an array; tuple: `{"tuple": [...]}`.
 * @packageDocumentation
 */
import {
  Atom,
  atom,
  Bin,
  type Comment,
  Float,
  type Meta,
  type MetaValue,
  Node,
  type Term,
  Tuple,
} from "./term.js";

/** A JSON value of the canonical encoding. */
export type TermJson =
  | number
  | string
  | TermJson[]
  | { int: string }
  | { float: number }
  | { atom: string }
  | { bin: number[] }
  | { tuple: TermJson[] };

const MAX_SAFE = 2 ** 53;

/**
 * Formats a float exactly as Erlang's `:erlang.float_to_binary(f, [:short])` (the oracle's
 * encoding): shortest round-trip digits; fixed notation unless scientific is strictly shorter,
 * and always scientific from 2^53 up.
 */
export function erlangShortFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // toExponential() without digits gives the shortest digits that round-trip.
  const [mantissa, e] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(e);
  const sci = digits.length === 1 ? `${digits}.0e${exp}` : `${digits[0]}.${digits.slice(1)}e${exp}`;
  if (Math.abs(x) >= MAX_SAFE) return sign + sci;
  const place = exp + 1; // the decimal point goes after `place` digits
  let fixed: string;
  if (place <= 0) fixed = `0.${"0".repeat(-place)}${digits}`;
  else if (place >= digits.length) fixed = `${digits}${"0".repeat(place - digits.length)}.0`;
  else return `${sign}${digits.slice(0, place)}.${digits.slice(place)}`;
  return `${sign}${fixed.length <= sci.length ? fixed : sci}`;
}

/** A JSON string escaped as the oracle escapes it (only `"`, `\` and control characters). */
export function jsonString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = "\\\\";
    else if (c < 0x20) rep = `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate cannot come from UTF-8; the oracle writes U+FFFD for bad input.
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      rep = "\\ufffd";
    }
    if (rep !== null) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return `${out + s.slice(from)}"`;
}

type Work = string | { term: Term } | { meta: Meta };

/** Pushes `open item, item, ... close` onto the work stack, in reverse (it is popped). */
function pushList(stack: Work[], open: string, items: readonly Work[], close: string): void {
  stack.push(close);
  for (let i = items.length - 1; i >= 0; i--) {
    stack.push(items[i]);
    if (i > 0) stack.push(",");
  }
  stack.push(open);
}

/** Pushes a keyword list of metadata: each entry `{"tuple":[{"atom":key},value]}`. */
function pushMeta(stack: Work[], meta: Meta): void {
  stack.push("]");
  for (let i = meta.length - 1; i >= 0; i--) {
    const [k, v] = meta[i];
    stack.push("]}");
    stack.push(Array.isArray(v) ? { meta: v } : { term: v });
    stack.push(`{"tuple":[{"atom":${jsonString(k)}},`);
    if (i > 0) stack.push(",");
  }
  stack.push("[");
}

/** The text of a scalar term, or null for a list, node or tuple (which hold other terms). */
function scalarText(t: Term): string | null {
  switch (typeof t) {
    case "number":
      // Integers that exceed 2^53 are bigint in our representation; a number here is exact.
      return Math.abs(t) > MAX_SAFE ? `{"int":"${BigInt(t)}"}` : String(t);
    case "bigint":
      return t >= -BigInt(MAX_SAFE) && t <= BigInt(MAX_SAFE) ? String(t) : `{"int":"${t}"}`;
    case "string":
      return jsonString(t);
    case "boolean":
      return t ? '{"atom":"true"}' : '{"atom":"false"}';
  }
  if (t === null) return '{"atom":"nil"}';
  if (t instanceof Atom) return `{"atom":${jsonString(t.name)}}`;
  if (t instanceof Float) return `{"float":${erlangShortFloat(t.value)}}`;
  if (t instanceof Bin) return `{"bin":[${Array.from(t.bytes).join(",")}]}`;
  return null;
}

/**
 * The canonical JSON of `term`, as text exactly as the oracle prints it: no spaces, Erlang float
 * syntax. The one encoder of terms: {@link termToJson} is its parsed form. Iterative, so
 * 100,000-deep ASTs print without exhausting the stack.
 */
export function termJsonText(term: Term): string {
  const parts: string[] = [];
  const stack: Work[] = [{ term }];
  while (stack.length > 0) {
    const w = stack.pop()!;
    if (typeof w === "string") {
      parts.push(w);
      continue;
    }
    if ("meta" in w) {
      pushMeta(stack, w.meta);
      continue;
    }
    const t = w.term;
    const text = scalarText(t);
    if (text !== null) parts.push(text);
    else if (Array.isArray(t))
      pushList(
        stack,
        "[",
        t.map((x) => ({ term: x })),
        "]",
      );
    else if (t instanceof Node) {
      pushList(stack, '{"tuple":[', [{ term: t.form }, { meta: t.meta }, { term: t.args }], "]}");
    } else if (t instanceof Tuple) {
      pushList(
        stack,
        '{"tuple":[',
        t.items.map((x) => ({ term: x })),
        "]}",
      );
    } else throw new TypeError(`termJsonText: not a term: ${String(t)}`);
  }
  return parts.join("");
}

/** Encodes a term in the canonical JSON form (the parsed {@link termJsonText}). */
export function termToJson(t: Term): TermJson {
  return JSON.parse(termJsonText(t)) as TermJson;
}

function commentJsonText(c: Comment): string {
  return (
    `{"line":${c.line},"column":${c.column},"previous_eol_count":${c.previous_eol_count},` +
    `"next_eol_count":${c.next_eol_count},"text":${jsonString(c.text)}}`
  );
}

/** A rejected source as a result line shows it: the parser's `ParseError` fits. */
export interface ErrorResult {
  readonly line: number;
  readonly column: number | null;
  /** The message without the position prefix. */
  readonly description: string;
}

/**
 * One file's result in the oracle's line format (`tools/oracle/quoted.exs`), without the
 * newline: `{"file":...,"ok":<ast>,"comments":[...]}` or `{"file":...,"error":{...}}`.
 */
export function fileResultLine(
  file: string,
  result: { readonly ast: Term; readonly comments: readonly Comment[] } | ErrorResult,
): string {
  if (!("ast" in result)) {
    return (
      `{"file":${jsonString(file)},"error":{"line":${result.line},"column":${result.column ?? "null"},` +
      `"message":${jsonString(result.description)}}}`
    );
  }
  return (
    `{"file":${jsonString(file)},"ok":${termJsonText(result.ast)},` +
    `"comments":[${result.comments.map(commentJsonText).join(",")}]}`
  );
}

function isObject(j: TermJson): j is Exclude<TermJson, number | string | TermJson[]> {
  return typeof j === "object" && j !== null && !Array.isArray(j);
}

/** True when `j` encodes a keyword list (a list of 2-tuples whose first items are atoms). */
function isKeywordJson(j: TermJson): j is TermJson[] {
  if (!Array.isArray(j)) return false;
  for (const item of j) {
    if (!isObject(item) || !("tuple" in item) || item.tuple.length !== 2) return false;
    const k = item.tuple[0];
    if (!isObject(k) || !("atom" in k)) return false;
  }
  return true;
}

function decodeMeta(j: TermJson[]): Meta {
  const meta: Meta = [];
  for (const item of j) {
    const [k, v] = (item as { tuple: TermJson[] }).tuple;
    meta.push([(k as { atom: string }).atom, decodeMetaValue(v)]);
  }
  return meta;
}

function decodeMetaValue(j: TermJson): MetaValue {
  if (Array.isArray(j) && j.length > 0 && isKeywordJson(j)) return decodeMeta(j);
  const t = Array.isArray(j) ? termFromJson(j) : scalarFromJson(j);
  if (
    t === null ||
    typeof t === "number" ||
    typeof t === "string" ||
    typeof t === "boolean" ||
    t instanceof Atom
  ) {
    return t;
  }
  throw new TypeError(`termFromJson: unexpected metadata value ${JSON.stringify(j)}`);
}

/** A term that holds no other terms; a list or tuple here is a caller's mistake. */
function scalarFromJson(j: TermJson): Term {
  if (typeof j === "number") return Number.isSafeInteger(j) || !Number.isInteger(j) ? j : BigInt(j);
  if (typeof j === "string") return j;
  if (isObject(j)) {
    if ("atom" in j) return atom(j.atom);
    if ("int" in j) return BigInt(j.int);
    if ("float" in j) return new Float(j.float);
    if ("bin" in j) return new Bin(Uint8Array.from(j.bin));
  }
  throw new TypeError(`termFromJson: not a canonical term: ${JSON.stringify(j)}`);
}

/** A term still being decoded: its encoded children, those decoded so far, how to build it. */
interface Pending {
  readonly children: readonly TermJson[];
  readonly done: Term[];
  readonly build: (children: Term[]) => Term;
}

function buildNode(meta: TermJson[], rawArgs: TermJson, [form, args]: Term[]): Term {
  if (args !== null && !Array.isArray(args) && !(args instanceof Atom)) {
    throw new TypeError(
      `termFromJson: node arguments must be a list or an atom: ${JSON.stringify(rawArgs)}`,
    );
  }
  return new Node(form, decodeMeta(meta), args);
}

/** The pending decoding of a list or tuple, or null for a scalar. */
function pendingOf(j: TermJson): Pending | null {
  if (Array.isArray(j)) return { children: j, done: [], build: (xs) => xs };
  if (!isObject(j) || !("tuple" in j)) return null;
  const items = j.tuple;
  if (items.length === 3 && isKeywordJson(items[1])) {
    const meta = items[1];
    return {
      children: [items[0], items[2]],
      done: [],
      build: (xs) => buildNode(meta, items[2], xs),
    };
  }
  return { children: items, done: [], build: (xs) => new Tuple(xs) };
}

/**
 * Decodes the canonical JSON form. A 3-tuple whose middle item is a keyword list becomes a
 * {@link Node}, which is exactly the shape of every 3-tuple in parser output. Iterative, so a
 * term as deep as the parser accepts decodes without exhausting the stack.
 */
export function termFromJson(j: TermJson): Term {
  const root = pendingOf(j);
  if (root === null) return scalarFromJson(j);
  const stack: Pending[] = [root];
  for (;;) {
    const top = stack[stack.length - 1];
    const i = top.done.length;
    if (i < top.children.length) {
      const child = top.children[i];
      const inner = pendingOf(child);
      if (inner === null) top.done.push(scalarFromJson(child));
      else stack.push(inner);
      continue;
    }
    stack.pop();
    const value = top.build(top.done);
    if (stack.length === 0) return value;
    stack[stack.length - 1].done.push(value);
  }
}

/** One line of the oracle's output: a parsed file, or the error that rejected it. */
export type FileResultJson =
  | { file: string; ok: TermJson; comments: Comment[] }
  | { file: string; error: { line: number | null; column: number | null; message: string } };

/**
 * Finds the first place where two canonical JSON values differ, as a path such as
 * `ok.tuple[2][1].tuple[1]`, or `null` when they are equal. Used by the differential tests to
 * say where our AST departs from Elixir's.
 */
export function firstDifference(a: unknown, b: unknown, path = ""): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") {
    return `${path || "<root>"}: ${JSON.stringify(a)?.slice(0, 120)} != ${JSON.stringify(b)?.slice(0, 120)}`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: array vs object`;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return a.length === b.length ? null : `${path}: length ${a.length} != ${b.length}`;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    const d = firstDifference(ao[k], bo[k], path ? `${path}.${k}` : k);
    if (d !== null) return d;
  }
  return null;
}
