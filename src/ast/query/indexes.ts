/**
 * What the query layer adds to the repository's indexes: modules sorted by name (a glob with a
 * literal prefix, `"MyApp.Billing.*"`, reads a range of it) and the analysis of a condition
 * into the part an index serves and the part left to filter.
 * @packageDocumentation
 */
import type { ModuleInfo } from "../model.js";
import { requiredText } from "./filter.js";
import type { Condition } from "./spec.js";

/** Modules sorted by name (code-unit order), for prefix ranges. */
export function sortModules(modules: Iterable<ModuleInfo>): ModuleInfo[] {
  return [...modules].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The first index of `sorted` whose name is not below `name` (binary search). */
function lowerBound(sorted: readonly ModuleInfo[], name: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].name < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The range `[from, to)` of `sorted` whose names start with `prefix`: two binary searches (the
 * names starting with `prefix` sort together, below `prefix` followed by the highest code unit).
 */
export function prefixRange(sorted: readonly ModuleInfo[], prefix: string): [number, number] {
  const from = lowerBound(sorted, prefix);
  let to = Math.max(from, lowerBound(sorted, `${prefix}\uffff`));
  // A name continuing the prefix with U+FFFF itself sorts above the bound: take it too.
  while (to < sorted.length && sorted[to].name.startsWith(prefix)) to++;
  return [from, to];
}

/**
 * Whether a glob says nothing beyond its literal prefix: `"MyApp.Billing.*"` holds for exactly
 * the names starting with `MyApp.Billing.` (its `*` matches any run, dots included).
 */
export function isPrefixGlob(glob: string): boolean {
  const i = glob.search(/[*?]/);
  return i === glob.length - 1 && glob[i] === "*";
}

/** The literal text a glob starts with (before its first `*` or `?`). */
export function globPrefix(glob: string): string {
  const i = glob.search(/[*?]/);
  return i === -1 ? glob : glob.slice(0, i);
}

/**
 * The glob a condition requires of `field` at its top level of `and`s (`field ~ "glob"`, text
 * only: a regular expression has no prefix to read a range with), or undefined.
 */
export function requiredGlob(c: Condition | null, field: string): string | undefined {
  return requiredText(c, field, "~");
}

/**
 * The condition left once an index has served `field = value` (or `field ~ value`, a glob)
 * exactly: the other conjuncts of the top-level `and`, or null when nothing is left to filter.
 */
export function withoutEquals(
  c: Condition | null,
  field: string,
  value: string,
  compare: "=" | "~" = "=",
): Condition | null {
  if (c === null) return null;
  const served = (x: Condition) =>
    x.op === "compare" && x.field === field && x.compare === compare && x.value === value;
  if (served(c)) return null;
  if (c.op !== "and") return c;
  const i = c.items.findIndex(served);
  if (i === -1) return c;
  const rest = c.items.filter((_, k) => k !== i);
  if (rest.length === 0) return null;
  return rest.length === 1 ? rest[0] : { op: "and", items: rest };
}

/** Splits `name/arity` (the name may itself hold a `/`, as `//2` does). */
export function nameArity(text: string): [string, number] | null {
  const i = text.lastIndexOf("/");
  if (i <= 0) return null;
  const arity = Number(text.slice(i + 1));
  return Number.isInteger(arity) && arity >= 0 ? [text.slice(0, i), arity] : null;
}
