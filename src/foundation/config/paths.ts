import { ElixirScopeError } from "../errors/error.js";

export const MAX_PATH_SEGMENTS = 50;
export const MAX_VALUE_DEPTH = 20;
export const MAX_VALUE_BYTES = 1_048_576;
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

const cache = new Map<string, readonly string[]>();

/** Splits "a.b.c" (or takes ["a","b","c"]) and checks it is a safe config path. */
export function parsePath(path: string | readonly string[]): readonly string[] {
  if (typeof path === "string") {
    const hit = cache.get(path);
    if (hit) return hit;
    const segs = path === "" ? [] : path.split(".");
    checkPath(segs, path);
    if (cache.size > 4096) cache.clear();
    cache.set(path, segs);
    return segs;
  }
  if (!Array.isArray(path)) {
    throw new ElixirScopeError(
      "CONFIG_UNSAFE_PATH",
      "A config path is a dotted string or an array of segments",
      {
        context: { path },
      },
    );
  }
  checkPath(path, path.join("."));
  return path;
}

function checkPath(segs: readonly string[], shown: string): void {
  if (segs.length > MAX_PATH_SEGMENTS) {
    throw new ElixirScopeError(
      "CONFIG_UNSAFE_PATH",
      `Config path "${shown}" has more than ${MAX_PATH_SEGMENTS} segments`,
      {
        context: { path: shown },
      },
    );
  }
  for (const s of segs) {
    if (typeof s !== "string" || s.length === 0 || FORBIDDEN.has(s)) {
      throw new ElixirScopeError(
        "CONFIG_UNSAFE_PATH",
        `Config path "${shown}" has an empty or forbidden segment`,
        {
          context: { path: shown, segment: s },
        },
      );
    }
  }
}

/** Refuses functions, symbols, bigints, cycles, nesting deeper than 20 and values over 1 MiB. */
export function checkValue(value: unknown, path: string): void {
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): void => {
    const t = typeof v;
    if (t === "function" || t === "symbol" || t === "bigint") {
      throw unsafe(path, `holds a ${t}`);
    }
    if (v === null || t !== "object") return;
    if (depth > MAX_VALUE_DEPTH) throw unsafe(path, `is nested deeper than ${MAX_VALUE_DEPTH}`);
    if (seen.has(v as object)) throw unsafe(path, "contains a cycle");
    seen.add(v as object);
    for (const k of Object.keys(v as object)) {
      if (FORBIDDEN.has(k)) throw unsafe(path, `has a forbidden key "${k}"`);
      walk((v as Record<string, unknown>)[k], depth + 1);
    }
    seen.delete(v as object);
  };
  walk(value, 1);
  const json = JSON.stringify(value);
  if (
    json !== undefined &&
    json.length * 3 > MAX_VALUE_BYTES &&
    Buffer.byteLength(json) > MAX_VALUE_BYTES
  ) {
    throw unsafe(path, `is over ${MAX_VALUE_BYTES} bytes serialized`);
  }
}

function unsafe(path: string, why: string): ElixirScopeError {
  return new ElixirScopeError("CONFIG_UNSAFE_VALUE", `Config value for "${path}" ${why}`, {
    context: { path },
  });
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value at `segs`, and whether the path exists (a present `null` or `undefined` exists). */
export function getIn(obj: unknown, segs: readonly string[]): { found: boolean; value: unknown } {
  let cur = obj;
  for (const s of segs) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, s)) return { found: false, value: undefined };
    cur = cur[s];
  }
  return { found: true, value: cur };
}

/** A copy of `obj` with `value` at `segs`, copying only the objects along the path. */
export function setIn(obj: unknown, segs: readonly string[], value: unknown): unknown {
  if (segs.length === 0) return value;
  const base = isPlainObject(obj) ? obj : {};
  const [head, ...rest] = segs;
  return { ...base, [head!]: setIn(base[head!], rest, value) };
}

/** Deep merge of plain objects: later layers win; arrays and scalars replace. */
export function deepMerge(...layers: unknown[]): unknown {
  let out: unknown = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    out = mergeTwo(out, layer);
  }
  return out;
}

function mergeTwo(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a) || !isPlainObject(b)) return b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeTwo(out[k], v) : v;
  return out;
}

export function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** "eventStore" -> "EVENT_STORE", "maxAgeMs" -> "MAX_AGE_MS". */
export function screamingSnake(segment: string): string {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^a-zA-Z0-9]+/g, "_")
    .toUpperCase();
}

/** Whether `path` is matched by a pattern ("*" is one segment; a pattern also covers its subpaths). */
export function matchesPattern(pattern: readonly string[], path: readonly string[]): boolean {
  if (pattern.length > path.length) return false;
  for (let i = 0; i < pattern.length; i++)
    if (pattern[i] !== "*" && pattern[i] !== path[i]) return false;
  return true;
}
