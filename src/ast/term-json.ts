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

function encodeInteger(n: number | bigint): TermJson {
  if (typeof n === "number") return n;
  if (n >= -BigInt(MAX_SAFE) && n <= BigInt(MAX_SAFE)) return Number(n);
  return { int: n.toString() };
}

function encodeMeta(meta: Meta): TermJson[] {
  const out: TermJson[] = [];
  for (const [key, value] of meta) out.push({ tuple: [{ atom: key }, encodeMetaValue(value)] });
  return out;
}

function encodeMetaValue(v: MetaValue): TermJson {
  return Array.isArray(v) ? encodeMeta(v) : termToJson(v);
}

/** Encodes a term in the canonical JSON form. */
export function termToJson(t: Term): TermJson {
  switch (typeof t) {
    case "number":
      // Integers that exceed 2^53 are bigint in our representation; a number here is exact.
      return Math.abs(t) > MAX_SAFE ? { int: BigInt(t).toString() } : t;
    case "bigint":
      return encodeInteger(t);
    case "string":
      return t;
    case "boolean":
      return { atom: t ? "true" : "false" };
    case "object":
      if (t === null) return { atom: "nil" };
      if (Array.isArray(t)) return t.map(termToJson);
      if (t instanceof Node) {
        const args =
          t.args === null
            ? { atom: "nil" }
            : Array.isArray(t.args)
              ? t.args.map(termToJson)
              : termToJson(t.args);
        return { tuple: [termToJson(t.form), encodeMeta(t.meta), args] };
      }
      if (t instanceof Atom) return { atom: t.name };
      if (t instanceof Tuple) return { tuple: t.items.map(termToJson) };
      if (t instanceof Float) return { float: t.value };
      if (t instanceof Bin) return { bin: Array.from(t.bytes) };
  }
  throw new TypeError(`termToJson: not a term: ${String(t)}`);
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
  const t = termFromJson(j);
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

/**
 * Decodes the canonical JSON form. A 3-tuple whose middle item is a keyword list becomes a
 * {@link Node}, which is exactly the shape of every 3-tuple in parser output.
 */
export function termFromJson(j: TermJson): Term {
  if (typeof j === "number") return Number.isSafeInteger(j) || !Number.isInteger(j) ? j : BigInt(j);
  if (typeof j === "string") return j;
  if (Array.isArray(j)) return j.map(termFromJson);
  if ("atom" in j) return atom(j.atom);
  if ("int" in j) return BigInt(j.int);
  if ("float" in j) return new Float(j.float);
  if ("bin" in j) return new Bin(Uint8Array.from(j.bin));
  if ("tuple" in j) {
    const items = j.tuple;
    if (items.length === 3 && isKeywordJson(items[1])) {
      const args = items[2];
      const decodedArgs = Array.isArray(args) ? args.map(termFromJson) : termFromJson(args);
      if (decodedArgs !== null && !Array.isArray(decodedArgs) && !(decodedArgs instanceof Atom)) {
        throw new TypeError(
          `termFromJson: node arguments must be a list or an atom: ${JSON.stringify(args)}`,
        );
      }
      return new Node(termFromJson(items[0]), decodeMeta(items[1] as TermJson[]), decodedArgs);
    }
    return new Tuple(items.map(termFromJson));
  }
  throw new TypeError(`termFromJson: not a canonical term: ${JSON.stringify(j)}`);
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
