/**
 * Applies rules to one parsed file: one walk that keeps the ancestors, the enclosing module and
 * definition, tries every rule's patterns on each node, then checks `inside`/`not-inside`, the
 * `where` constraints and inline suppressions.
 * @packageDocumentation
 */
import { print } from "../extract/print.js";
import type { ClauseMetrics } from "../model.js";
import { Matcher, nodeKey } from "../search/match.js";
import { nodeRange, type SourceLines, sourceSlice } from "../search/range.js";
import type { SearchMatch } from "../search/walk.js";
import { Atom, type Comment, metaInt, Node, type Term, Tuple } from "../term.js";
import type { Context, MetricCondition, Rule, Severity } from "./rule.js";

/** A rule's finding: where its match is, as search reports it (1-based, the end exclusive). */
export interface RuleFinding extends Omit<SearchMatch, "captures"> {
  rule: string;
  severity: Severity;
  message: string;
  docs: string | null;
}

/** The metrics of the definition enclosing a match: module, `name/arity`, the clause's line. */
export type MetricsLookup = (module: string, fn: string, line: number) => ClauseMetrics | null;

const DEFS = new Set(["def", "defp", "defmacro", "defmacrop", "defguard", "defguardp"]);

interface Frame {
  module: string | null;
  def: { kind: string; name: string; line: number } | null;
}

interface State {
  rules: { rule: Rule; matchers: Matcher[] }[];
  file: string;
  lines: SourceLines;
  ancestors: Node[];
  frames: Frame[];
  metrics: MetricsLookup;
  out: RuleFinding[];
}

function aliasName(t: Term): string {
  if (
    t instanceof Node &&
    t.form instanceof Atom &&
    t.form.name === "__aliases__" &&
    Array.isArray(t.args)
  ) {
    return t.args.map((a) => (a instanceof Atom ? a.name : print(a))).join(".");
  }
  return print(t);
}

function defHead(n: Node): string | null {
  if (!Array.isArray(n.args) || n.args.length === 0) return null;
  let head = n.args[0];
  if (
    head instanceof Node &&
    head.form instanceof Atom &&
    head.form.name === "when" &&
    Array.isArray(head.args)
  ) {
    head = head.args[0];
  }
  if (!(head instanceof Node) || !(head.form instanceof Atom)) return null;
  return `${head.form.name}/${Array.isArray(head.args) ? head.args.length : 0}`;
}

function enter(n: Node, s: State): boolean {
  if (!(n.form instanceof Atom) || !Array.isArray(n.args)) return false;
  const top = s.frames[s.frames.length - 1];
  if (n.form.name === "defmodule" && n.args.length > 0) {
    const name = aliasName(n.args[0]);
    s.frames.push({ module: top.module === null ? name : `${top.module}.${name}`, def: null });
    return true;
  }
  if (DEFS.has(n.form.name)) {
    const name = defHead(n);
    if (name === null) return false;
    s.frames.push({
      module: top.module,
      def: { kind: n.form.name, name, line: metaInt(n.meta, "line") ?? 0 },
    });
    return true;
  }
  return false;
}

/** Every finding of `rules` in one parsed file, before suppression. */
export function applyRules(
  rules: readonly Rule[],
  file: string,
  source: string,
  ast: Term,
  metrics: MetricsLookup,
): RuleFinding[] {
  const s: State = {
    rules: rules.map((rule) => ({ rule, matchers: rule.patterns.map((p) => new Matcher(p.ast)) })),
    file,
    lines: { source, starts: null },
    ancestors: [],
    frames: [{ module: null, def: null }],
    metrics,
    out: [],
  };
  visit(ast, s);
  return s.out;
}

function visit(t: Term, s: State): void {
  if (t instanceof Node) {
    const pushed = enter(t, s);
    if (metaInt(t.meta, "line") !== undefined)
      for (const r of s.rules) tryRule(r.rule, r.matchers, t, s);
    if (Array.isArray(t.args)) {
      s.ancestors.push(t);
      visit(t.form, s);
      for (const a of t.args) visit(a, s);
      s.ancestors.pop();
    }
    if (pushed) s.frames.pop();
  } else if (Array.isArray(t)) for (const x of t) visit(x, s);
  else if (t instanceof Tuple) for (const x of t.items) visit(x, s);
}

function patternsMatch(rule: Rule, matchers: Matcher[], n: Node): Map<string, Term> | null {
  const captures = new Map<string, Term>();
  let any = false;
  for (let i = 0; i < matchers.length; i++) {
    const key = rule.patterns[i].key;
    const ok = (key === null || nodeKey(n) === key) && matchers[i].test(n);
    if (ok) {
      any = true;
      for (const [k, v] of matchers[i].captures) if (!captures.has(k)) captures.set(k, v);
      if (rule.mode === "any") return captures;
    } else if (rule.mode === "all") return null;
  }
  return any ? captures : null;
}

function inContext(ctx: Context, s: State): boolean {
  const frame = s.frames[s.frames.length - 1];
  if (ctx.module !== undefined && (frame.module === null || !ctx.module.test(frame.module)))
    return false;
  if (
    ctx.functionKind !== undefined &&
    (frame.def === null || !ctx.functionKind.includes(frame.def.kind))
  ) {
    return false;
  }
  if (ctx.pattern !== undefined) {
    const m = new Matcher(ctx.pattern.ast);
    if (!s.ancestors.some((a) => m.test(a))) return false;
  }
  return true;
}

function compare(c: MetricCondition, actual: number): boolean {
  switch (c.compare) {
    case ">":
      return actual > c.value;
    case ">=":
      return actual >= c.value;
    case "<":
      return actual < c.value;
    case "<=":
      return actual <= c.value;
    case "=":
      return actual === c.value;
    default:
      return actual !== c.value;
  }
}

function tryRule(rule: Rule, matchers: Matcher[], n: Node, s: State): void {
  const captures = patternsMatch(rule, matchers, n);
  if (captures === null) return;
  if (rule.inside.length > 0 && !rule.inside.every((c) => inContext(c, s))) return;
  if (rule.notInside.some((c) => inContext(c, s))) return;
  const texts = new Map<string, string>();
  for (const [k, v] of captures) texts.set(k, sourceSlice(v, s.lines) ?? print(v));
  for (const [name, cond] of rule.captures) {
    const t = texts.get(name);
    if (t === undefined) return;
    if (cond.equals !== undefined && t !== cond.equals) return;
    if (cond.matches !== undefined && !cond.matches.test(t)) return;
    if (cond.notMatches?.test(t)) return;
  }
  const frame = s.frames[s.frames.length - 1];
  if (rule.metrics.length > 0) {
    if (frame.module === null || frame.def === null) return;
    const m = s.metrics(frame.module, frame.def.name, frame.def.line);
    if (m === null) return;
    for (const c of rule.metrics) {
      const actual = m[c.metric as keyof ClauseMetrics];
      if (typeof actual !== "number" || !compare(c, actual)) return;
    }
  }
  const range = nodeRange(n, s.lines);
  s.out.push({
    rule: rule.id,
    severity: rule.severity,
    message: rule.message.replace(
      /\{\{\s*_?(\w+)\s*\}\}/g,
      (all, name: string) => texts.get(name) ?? all,
    ),
    file: s.file,
    line: metaInt(n.meta, "line") ?? 1,
    column: metaInt(n.meta, "column") ?? 1,
    ...range,
    module: frame.module,
    function: frame.def?.name ?? null,
    docs: rule.docs,
  });
}

const DIRECTIVE = /#\s*elixirscope:disable-next-line\b(.*)$/;

/**
 * Drops findings that a `# elixirscope:disable-next-line [rule-id, ...]` comment on the line
 * before suppresses (no ids: every rule). Returns the kept findings and how many were dropped.
 */
export function suppress<T extends { rule: string; line: number }>(
  findings: readonly T[],
  comments: readonly Comment[],
): { kept: T[]; suppressed: number } {
  const byLine = new Map<number, Set<string> | "all">();
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.text);
    if (m === null) continue;
    const ids = m[1].split(/[\s,]+/).filter((x) => x !== "");
    byLine.set(c.line + 1, ids.length === 0 ? "all" : new Set(ids));
  }
  const kept = findings.filter((f) => {
    const ids = byLine.get(f.line);
    return ids === undefined || (ids !== "all" && !ids.has(f.rule));
  });
  return { kept, suppressed: findings.length - kept.length };
}
