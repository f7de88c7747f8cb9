/**
 * Conditions compiled to predicates over rows: exact, glob and regular-expression text matches,
 * and numeric comparisons.
 * @packageDocumentation
 */
import type { CompareOp, Condition, Value } from "./spec.js";

/** A row as the filters see it: named fields. */
export type Fields = Readonly<Record<string, unknown>>;

/** A compiled condition over items of type `T` (rows by default). */
export type Predicate<T = Fields> = (item: T) => boolean;

/**
 * How a predicate reads a field of an item: given the field's name once, at compile time, it
 * returns the reader. Reading a candidate's fields in place (a function's metrics, its module's
 * name) spares building a row for every candidate an index yields.
 */
export type Accessor<T> = (field: string) => (item: T) => unknown;

const rowField: Accessor<Fields> = (field) => (row) => row[field];

/** A glob over dotted names and paths: `*` any run, `?` one character. Anchored both ends. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (const ch of glob) {
    if (ch === "*") re += ".*";
    else if (ch === "?") re += ".";
    else re += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The text matcher of `~`: a regular expression as given, else a glob. */
function textMatcher(value: Value): RegExp {
  if (typeof value === "object") return new RegExp(value.regex, value.flags);
  return globToRegExp(String(value));
}

function compareScalar(op: CompareOp, actual: unknown, value: Value): boolean {
  if (typeof value === "number") {
    if (typeof actual !== "number") return op === "!=";
    switch (op) {
      case "=":
        return actual === value;
      case "!=":
        return actual !== value;
      case ">":
        return actual > value;
      case ">=":
        return actual >= value;
      case "<":
        return actual < value;
      case "<=":
        return actual <= value;
      default:
        return false;
    }
  }
  const text = actual === null || actual === undefined ? "" : String(actual);
  const v = typeof value === "string" ? value : value.regex;
  switch (op) {
    case "=":
      return text === v;
    case "!=":
      return text !== v;
    case ">":
      return text > v;
    case ">=":
      return text >= v;
    case "<":
      return text < v;
    case "<=":
      return text <= v;
    default:
      return false;
  }
}

function comparePredicate<T>(
  read: (item: T) => unknown,
  op: CompareOp,
  value: Value,
): Predicate<T> {
  if (op === "~" || op === "!~") {
    const re = textMatcher(value);
    const want = op === "~";
    return (row) => {
      const actual = read(row);
      const hit = Array.isArray(actual)
        ? actual.some((a) => re.test(String(a)))
        : actual !== null && actual !== undefined && re.test(String(actual));
      return hit === want;
    };
  }
  return (row) => {
    const actual = read(row);
    if (Array.isArray(actual)) {
      const any = actual.some((a) => compareScalar("=", a, value));
      return op === "!=" ? !any : op === "=" ? any : false;
    }
    return compareScalar(op, actual, value);
  };
}

/** Compiles a condition to a predicate over rows. */
export function compileCondition(c: Condition): Predicate;
/** Compiles a condition to a predicate over items whose fields `access` reads. */
export function compileCondition<T>(c: Condition, access: Accessor<T>): Predicate<T>;
export function compileCondition<T>(
  c: Condition,
  access: Accessor<T> = rowField as unknown as Accessor<T>,
): Predicate<T> {
  switch (c.op) {
    case "and": {
      const items = c.items.map((x) => compileCondition(x, access));
      return (row) => {
        for (const p of items) if (!p(row)) return false;
        return true;
      };
    }
    case "or": {
      const items = c.items.map((x) => compileCondition(x, access));
      return (row) => {
        for (const p of items) if (p(row)) return true;
        return false;
      };
    }
    case "not": {
      const item = compileCondition(c.item, access);
      return (row) => !item(row);
    }
    default:
      return comparePredicate(access(c.field), c.compare, c.value);
  }
}

/**
 * The text value a condition requires of `field` through `compare` (`=` exact, `~` a glob) at
 * its top level of `and`s, or undefined (a regular expression or number never is).
 */
export function requiredText(
  c: Condition | null,
  field: string,
  compare: "=" | "~",
): string | undefined {
  if (c === null) return undefined;
  if (c.op === "compare") {
    return c.field === field && c.compare === compare && typeof c.value === "string"
      ? c.value
      : undefined;
  }
  if (c.op === "and") {
    for (const item of c.items) {
      const v = requiredText(item, field, compare);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** Every `field = value` (exact text) required by a condition at its top level of `and`s. */
export function requiredEquals(c: Condition | null, field: string): string | undefined {
  return requiredText(c, field, "=");
}

/** The fields a condition names, for checking them against an entity. */
export function fieldsOf(c: Condition | null, out: string[] = []): string[] {
  if (c === null) return out;
  if (c.op === "compare") out.push(c.field);
  else if (c.op === "not") fieldsOf(c.item, out);
  else for (const item of c.items) fieldsOf(item, out);
  return out;
}
