/**
 * Rules: what a rule file holds (docs/SEARCH.md#rules), checked field by field into a
 * {@link Rule} with compiled patterns. Errors name the file and the field.
 * @packageDocumentation
 */
import { compile } from "../search/source.js";
import type { CompiledPattern } from "../search/walk.js";

/** How serious a finding is, most serious first. */
export type Severity = "error" | "warning" | "info";

/** The severities, most serious first. */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** A condition on a capture's source text. */
export interface CaptureCondition {
  matches?: RegExp;
  notMatches?: RegExp;
  equals?: string;
}

/** A metric comparison of the enclosing function (`loc > 50`). */
export interface MetricCondition {
  metric: string;
  compare: ">" | ">=" | "<" | "<=" | "=" | "!=";
  value: number;
}

/** Where a match must (or must not) be. */
export interface Context {
  pattern?: CompiledPattern;
  /** Glob over the enclosing module's name. */
  module?: RegExp;
  /** Kinds of the enclosing definition (`def`, `defp`, `defmacro`...). */
  functionKind?: string[];
}

/** A loaded rule. */
export interface Rule {
  id: string;
  message: string;
  severity: Severity;
  docs: string | null;
  /** Every one must match the node (`all`), or one of them (`any`; a lone `pattern` is one). */
  patterns: CompiledPattern[];
  mode: "any" | "all";
  inside: Context[];
  notInside: Context[];
  captures: Map<string, CaptureCondition>;
  metrics: MetricCondition[];
  /** Where it came from: a file path or `builtin`. */
  source: string;
}

/** A rule file that is not a valid rule; names the file and the field. */
export class RuleError extends Error {
  override name = "RuleError";
}

const METRICS = ["cyclomatic", "perceived", "abc", "nesting", "arity", "cognitive", "loc"];
const KEYS = new Set([
  "id",
  "message",
  "severity",
  "docs",
  "pattern",
  "any",
  "all",
  "inside",
  "not-inside",
  "where",
]);

function globRegExp(glob: string): RegExp {
  const re = glob
    .replace(/[\\^$.|+()[\]{}]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`);
}

function text(where: string, v: unknown): string {
  if (typeof v !== "string" || v.trim() === "")
    throw new RuleError(`${where} must be a non-empty string`);
  return v;
}

function pattern(where: string, v: unknown): CompiledPattern {
  try {
    return compile(text(where, v));
  } catch (e) {
    throw new RuleError(`${where}: ${(e as Error).message}`);
  }
}

function regex(where: string, v: unknown): RegExp {
  try {
    return new RegExp(text(where, v));
  } catch (e) {
    throw new RuleError(`${where}: invalid regular expression: ${(e as Error).message}`);
  }
}

function context(where: string, v: unknown): Context[] {
  const items = Array.isArray(v) ? v : [v];
  return items.map((item, i) => {
    const at = Array.isArray(v) ? `${where}[${i}]` : where;
    if (typeof item === "string") return { pattern: pattern(at, item) };
    if (item === null || typeof item !== "object") {
      throw new RuleError(`${at} must be a pattern or {pattern, module, function-kind}`);
    }
    const o = item as Record<string, unknown>;
    const ctx: Context = {};
    for (const key of Object.keys(o)) {
      if (key === "pattern") ctx.pattern = pattern(`${at}.pattern`, o[key]);
      else if (key === "module") ctx.module = globRegExp(text(`${at}.module`, o[key]));
      else if (key === "function-kind") {
        const kinds = Array.isArray(o[key]) ? o[key] : [o[key]];
        ctx.functionKind = (kinds as unknown[]).map((k, j) => text(`${at}.function-kind[${j}]`, k));
      } else throw new RuleError(`${at}: unknown key "${key}" (pattern, module, function-kind)`);
    }
    return ctx;
  });
}

function whereClause(where: string, v: unknown, rule: Pick<Rule, "captures" | "metrics">): void {
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new RuleError(`${where} must be a map of captures and metrics`);
  }
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    const at = `${where}.${key}`;
    if (METRICS.includes(key)) {
      const m = /^\s*(>=|<=|!=|>|<|=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(String(value));
      if (m === null) throw new RuleError(`${at} must be a comparison such as "> 10"`);
      rule.metrics.push({
        metric: key,
        compare: m[1] as MetricCondition["compare"],
        value: Number(m[2]),
      });
      continue;
    }
    if (value === null || typeof value !== "object") {
      throw new RuleError(
        `${at} must be {matches, not-matches, equals} or a metric (${METRICS.join(", ")})`,
      );
    }
    const cond: CaptureCondition = {};
    for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
      if (k === "matches") cond.matches = regex(`${at}.matches`, x);
      else if (k === "not-matches") cond.notMatches = regex(`${at}.not-matches`, x);
      else if (k === "equals") cond.equals = String(x);
      else throw new RuleError(`${at}: unknown key "${k}" (matches, not-matches, equals)`);
    }
    rule.captures.set(key.replace(/^_/, ""), cond);
  }
}

function patterns(o: Record<string, unknown>, where: string): Pick<Rule, "patterns" | "mode"> {
  const given = ["pattern", "any", "all"].filter((k) => o[k] !== undefined);
  if (given.length !== 1)
    throw new RuleError(`${where}: exactly one of pattern, any, all is required`);
  const key = given[0];
  if (key === "pattern") return { patterns: [pattern(`${where}.pattern`, o.pattern)], mode: "any" };
  const list = o[key];
  if (!Array.isArray(list) || list.length === 0)
    throw new RuleError(`${where}.${key} must be a non-empty list`);
  return {
    patterns: list.map((p, i) => pattern(`${where}.${key}[${i}]`, p)),
    mode: key as "any" | "all",
  };
}

/**
 * Checks one rule object (as parsed from YAML) into a {@link Rule}.
 * @throws {RuleError} naming `source` and the offending field.
 */
export function toRule(value: unknown, source: string): Rule {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RuleError(`${source}: a rule must be a map`);
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KEYS.has(key))
      throw new RuleError(`${source}: unknown key "${key}" (${[...KEYS].join(", ")})`);
  }
  const id = text(`${source}: id`, o.id);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id))
    throw new RuleError(`${source}: id "${id}" must be kebab-case`);
  const where = `${source}: rule ${id}`;
  const severity = o.severity ?? "warning";
  if (!SEVERITIES.includes(severity as Severity)) {
    throw new RuleError(`${where}: severity must be one of ${SEVERITIES.join(", ")}`);
  }
  const rule: Rule = {
    id,
    message: text(`${where}: message`, o.message),
    severity: severity as Severity,
    docs: o.docs === undefined ? null : text(`${where}: docs`, o.docs),
    ...patterns(o, where),
    inside: o.inside === undefined ? [] : context(`${where}: inside`, o.inside),
    notInside:
      o["not-inside"] === undefined ? [] : context(`${where}: not-inside`, o["not-inside"]),
    captures: new Map(),
    metrics: [],
    source,
  };
  if (o.where !== undefined) whereClause(`${where}: where`, o.where, rule);
  return rule;
}
