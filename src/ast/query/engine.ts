/**
 * Runs {@link QuerySpec}s over a populated repository and its project analysis. Each query
 * first takes candidates from the narrowest index that serves it (a function name, a module
 * name, a behaviour, the call index, the module graph), else streams a full scan; then filters,
 * orders and pages. Results are cached per repository version (a digest of every file's path
 * and content hash), so a changed file invalidates them.
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import type { FunctionInfo, ModuleInfo, ProjectAnalysis } from "../model.js";
import type { AstRepository } from "../repository/repository.js";
import { compileCondition, fieldsOf, type Predicate, requiredEquals } from "./filter.js";
import {
  buildCallIndex,
  type CallIndex,
  moduleAdjacency,
  modulesNamed,
  resolveTargets,
  shortestPath,
  walkDepth,
} from "./graph.js";
import {
  callRow,
  clauseRow,
  FIELDS,
  type FileRow,
  functionRow,
  moduleRow,
  type PathRow,
  type Row,
} from "./rows.js";
import type { Order, QuerySpec } from "./spec.js";

/** What a query runs over: the repository and the project analysis of one population. */
export interface QuerySource {
  repository: AstRepository;
  analysis: ProjectAnalysis;
}

/** One step of a query plan, as {@link QueryEngine.explain} reports it. */
export interface ExplainStep {
  step: "candidates" | "filter" | "order" | "page";
  /** The index used (`functionsByName`, `callIndex`...), or `scan` for a full scan. */
  index: string;
  detail: string;
}

/** A query's answer. */
export interface QueryResult {
  entity: QuerySpec["entity"];
  /** The page of rows asked for. */
  items: Row[];
  /** Rows matching before `offset`/`limit`. */
  total: number;
  explain: ExplainStep[];
  /** The repository version the result was computed at. */
  version: string;
  /** True when the result came from the cache. */
  cached: boolean;
}

/** An invalid query (unknown field, bad value); the text language adds the position. */
export class QueryError extends Error {
  override name = "QueryError";
}

/** Results kept per version; old ones are dropped first. */
const CACHE_SIZE = 512;

interface Derived {
  calls?: CallIndex;
  modulesByPattern?: Map<string, ModuleInfo[]>;
  patternsOf?: Map<string, string[]>;
  adjacency?: Map<string, string[]>;
}

interface Plan {
  steps: ExplainStep[];
  rows: Iterable<Row>;
}

/** The query engine over one {@link QuerySource}. */
export class QueryEngine {
  readonly #source: QuerySource;
  #version = "";
  #derived: Derived = {};
  readonly #cache = new Map<string, QueryResult>();

  constructor(source: QuerySource) {
    this.#source = source;
    this.refresh();
  }

  /** The repository version results are cached under. */
  get version(): string {
    return this.#version;
  }

  /**
   * Recomputes the version from the repository's files and drops cached results and derived
   * indexes when it changed. Call after the repository changed (a file was added, edited or
   * removed); {@link QueryEngine.run} does not re-read the files itself, to stay fast.
   */
  refresh(source?: Partial<QuerySource>): void {
    if (source?.analysis !== undefined) this.#source.analysis = source.analysis;
    const h = createHash("sha256");
    for (const f of this.#source.repository.files()) h.update(`${f.path}\0${f.hash ?? "-"}\n`);
    const version = h.digest("hex").slice(0, 16);
    if (version !== this.#version || source?.analysis !== undefined) {
      this.#version = version;
      this.#derived = {};
      this.#cache.clear();
    }
  }

  /**
   * Runs a query (from the cache when the same query ran at this version, unless
   * `options.cache` is false, as benchmarks of the plan itself need).
   */
  run(spec: QuerySpec, options: { cache?: boolean } = {}): QueryResult {
    checkSpec(spec);
    const key = JSON.stringify(spec);
    const hit = options.cache === false ? undefined : this.#cache.get(key);
    if (hit !== undefined) return { ...hit, cached: true };
    const plan = this.#plan(spec);
    const predicate = spec.where === null ? null : compileCondition(spec.where);
    const result = this.#execute(spec, plan, predicate);
    if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, result);
    return result;
  }

  /** The plan of a query: which index serves each step. */
  explain(spec: QuerySpec): ExplainStep[] {
    checkSpec(spec);
    return this.#plan(spec).steps.concat(tailSteps(spec));
  }

  #execute(spec: QuerySpec, plan: Plan, predicate: Predicate | null): QueryResult {
    const explain = plan.steps.concat(tailSteps(spec));
    const keep = (r: Row) =>
      predicate === null || predicate(r as unknown as Record<string, unknown>);
    let items: Row[] = [];
    let total = 0;
    if (spec.order.length === 0) {
      // Streams: rows past the page are counted, not kept.
      const end = spec.limit === null ? Infinity : spec.offset + spec.limit;
      for (const r of plan.rows) {
        if (!keep(r)) continue;
        if (total >= spec.offset && total < end) items.push(r);
        total++;
      }
    } else {
      for (const r of plan.rows) if (keep(r)) items.push(r);
      total = items.length;
      items.sort(comparator(spec.order));
      items = items.slice(spec.offset, spec.limit === null ? undefined : spec.offset + spec.limit);
    }
    return { entity: spec.entity, items, total, explain, version: this.#version, cached: false };
  }

  #plan(spec: QuerySpec): Plan {
    switch (spec.entity) {
      case "modules":
        return this.#planModules(spec);
      case "functions":
        return this.#planFunctions(spec);
      case "clauses":
        return this.#scanFunctions(spec, "clauses");
      case "calls":
        return this.#scanFunctions(spec, "calls");
      case "findings":
        return {
          steps: [{ step: "candidates", index: "scan", detail: "every finding" }],
          rows: this.#source.analysis.findings,
        };
      default:
        return {
          steps: [{ step: "candidates", index: "scan", detail: "every file" }],
          rows: this.#fileRows(),
        };
    }
  }

  *#fileRows(): Iterable<FileRow> {
    for (const f of this.#source.repository.files()) {
      const mods = f.extraction?.modules ?? [];
      yield {
        path: f.path,
        error: f.error === null ? null : f.error.message,
        modules: mods.length,
        functions: mods.reduce((n, m) => n + m.functions.length, 0),
      };
    }
  }

  #calls(): CallIndex {
    this.#derived.calls ??= buildCallIndex(this.#source.repository);
    return this.#derived.calls;
  }

  #patterns(): { byPattern: Map<string, ModuleInfo[]>; of: Map<string, string[]> } {
    if (this.#derived.modulesByPattern === undefined || this.#derived.patternsOf === undefined) {
      const repo = this.#source.repository;
      const byPattern = new Map<string, ModuleInfo[]>();
      const of = new Map<string, string[]>();
      const add = (pattern: string, m: ModuleInfo) => {
        const list = byPattern.get(pattern);
        if (list === undefined) byPattern.set(pattern, [m]);
        else if (!list.includes(m)) list.push(m);
      };
      for (const b of repo.behaviours()) for (const m of repo.modulesWithBehaviour(b)) add(b, m);
      for (const p of this.#source.analysis.patterns) {
        const list = of.get(p.module);
        if (list === undefined) of.set(p.module, [p.pattern]);
        else list.push(p.pattern);
        for (const m of repo.modules(p.module)) add(p.pattern, m);
      }
      this.#derived.modulesByPattern = byPattern;
      this.#derived.patternsOf = of;
    }
    return { byPattern: this.#derived.modulesByPattern, of: this.#derived.patternsOf };
  }

  #planModules(spec: QuerySpec): Plan {
    const repo = this.#source.repository;
    const patterns = this.#patterns();
    const toRow = (m: ModuleInfo) => moduleRow(m, patterns.of.get(m.name) ?? []);
    const origin = spec.origin;
    if (origin.kind === "path" || origin.kind === "reachable") return this.#planGraph(spec, toRow);
    let candidates: Iterable<ModuleInfo>;
    let step: ExplainStep;
    const name = requiredEquals(spec.where, "name");
    if (spec.implementing.length > 0) {
      const [first, ...rest] = spec.implementing;
      const hits = patterns.byPattern.get(first) ?? [];
      candidates = hits.filter((m) => rest.every((r) => patterns.byPattern.get(r)?.includes(m)));
      step = {
        step: "candidates",
        index: "modulesByBehaviour",
        detail: spec.implementing.join(", "),
      };
    } else if (name !== undefined) {
      candidates = repo.modules(name);
      step = { step: "candidates", index: "modulesByName", detail: name };
    } else {
      candidates = repo.allModules();
      step = { step: "candidates", index: "scan", detail: "every module" };
    }
    const steps = [step];
    if (spec.having.length + spec.lacking.length > 0) {
      const detail = [
        ...spec.having.map((h) => `has ${h}`),
        ...spec.lacking.map((l) => `lacks ${l}`),
      ];
      steps.push({ step: "filter", index: "module functions", detail: detail.join(", ") });
    }
    return { steps, rows: mapFilter(candidates, (m) => (definesAll(m, spec) ? toRow(m) : null)) };
  }

  #planGraph(spec: QuerySpec, toRow: (m: ModuleInfo) => Row): Plan {
    const graph = this.#source.analysis.moduleGraph;
    this.#derived.adjacency ??= moduleAdjacency(graph);
    const adj = this.#derived.adjacency;
    const origin = spec.origin;
    const repo = this.#source.repository;
    const row = (name: string, step: number): PathRow | null => {
      const m = repo.module(name);
      return m === undefined ? null : { ...(toRow(m) as PathRow), step };
    };
    if (origin.kind === "path") {
      const from = modulesNamed(graph.nodes, origin.from);
      const to = modulesNamed(graph.nodes, origin.to);
      const path = shortestPath(adj, from, to) ?? [];
      return {
        steps: [
          {
            step: "candidates",
            index: "moduleGraph",
            detail: `shortest path ${origin.from} -> ${origin.to}`,
          },
        ],
        rows: path.map((n, i) => row(n, i)).filter((r) => r !== null),
      };
    }
    if (origin.kind !== "reachable") throw new QueryError("internal: not a graph query");
    const starts = modulesNamed(graph.nodes, origin.from);
    const reached = walkDepth(starts, origin.depth, (k) => adj.get(k) ?? []);
    return {
      steps: [
        { step: "candidates", index: "moduleGraph", detail: `reachable from ${origin.from}` },
      ],
      rows: [...reached].map(([n, d]) => row(n, d)).filter((r) => r !== null),
    };
  }

  #planFunctions(spec: QuerySpec): Plan {
    const repo = this.#source.repository;
    const origin = spec.origin;
    if (origin.kind === "callers" || origin.kind === "callees") {
      const calls = this.#calls();
      const known = (k: string) => repo.functionByKey(k).length > 0;
      const targets = resolveTargets(calls, known, origin.target);
      const next =
        origin.kind === "callers"
          ? (k: string) => calls.callers.get(k)?.keys() ?? []
          : (k: string) => calls.callees.get(k) ?? [];
      const reached = walkDepth(targets, origin.depth, next);
      const rows: Row[] = [];
      for (const [key, depth] of reached) {
        for (const ref of repo.functionByKey(key))
          rows.push(functionRow(ref.module, ref.function, depth));
      }
      const detail = `${origin.kind} of ${targets.join(", ") || `${origin.target} (no such function)`} depth ${origin.depth}`;
      return { steps: [{ step: "candidates", index: "callIndex", detail }], rows };
    }
    const key = requiredEquals(spec.where, "key");
    const name = requiredEquals(spec.where, "name");
    const module = requiredEquals(spec.where, "module");
    const refsToRows = (refs: Iterable<{ module: ModuleInfo; function: FunctionInfo }>) =>
      mapFilter(refs, (r) => functionRow(r.module, r.function, null));
    if (key !== undefined) {
      return { steps: [cand("functionsByKey", key)], rows: refsToRows(repo.functionByKey(key)) };
    }
    if (name !== undefined) {
      return {
        steps: [cand("functionsByName", name)],
        rows: refsToRows(repo.functionsNamed(name)),
      };
    }
    if (module !== undefined) {
      const refs = repo
        .modules(module)
        .flatMap((m) => m.functions.map((f) => ({ module: m, function: f })));
      return { steps: [cand("modulesByName", module)], rows: refsToRows(refs) };
    }
    return this.#scanFunctions(spec, "functions");
  }

  #scanFunctions(spec: QuerySpec, what: "functions" | "clauses" | "calls"): Plan {
    const repo = this.#source.repository;
    const module = requiredEquals(spec.where, "module");
    const mods = module === undefined ? repo.allModules() : repo.modules(module);
    const step =
      module === undefined
        ? { step: "candidates" as const, index: "scan", detail: `every ${what.slice(0, -1)}` }
        : cand("modulesByName", module);
    return { steps: [step], rows: functionRows(mods, what) };
  }
}

function cand(index: string, detail: string): ExplainStep {
  return { step: "candidates", index, detail };
}

function* functionRows(
  mods: Iterable<ModuleInfo>,
  what: "functions" | "clauses" | "calls",
): Iterable<Row> {
  for (const m of mods) {
    for (const fn of m.functions) {
      if (what === "functions") {
        yield functionRow(m, fn, null);
        continue;
      }
      for (let i = 0; i < fn.clauses.length; i++) {
        const c = fn.clauses[i];
        if (what === "clauses") yield clauseRow(m, fn, c, i);
        else for (const call of c.calls) yield callRow(m, fn, c, call);
      }
    }
  }
}

function* mapFilter<T>(items: Iterable<T>, f: (item: T) => Row | null): Iterable<Row> {
  for (const item of items) {
    const r = f(item);
    if (r !== null) yield r;
  }
}

function definesAll(m: ModuleInfo, spec: QuerySpec): boolean {
  if (spec.having.length + spec.lacking.length === 0) return true;
  // Written functions only: `use GenServer` generates default callbacks a module may still lack.
  const defined = new Set(
    m.functions.filter((f) => !f.generated).map((f) => `${f.name}/${f.arity}`),
  );
  return spec.having.every((h) => defined.has(h)) && spec.lacking.every((l) => !defined.has(l));
}

function tailSteps(spec: QuerySpec): ExplainStep[] {
  const steps: ExplainStep[] = [];
  if (spec.where !== null) steps.push({ step: "filter", index: "scan", detail: "where condition" });
  if (spec.order.length > 0) {
    const detail = spec.order.map((o) => `${o.field} ${o.descending ? "desc" : "asc"}`).join(", ");
    steps.push({ step: "order", index: "sort", detail });
  }
  if (spec.limit !== null || spec.offset > 0) {
    steps.push({
      step: "page",
      index: "stream",
      detail: `offset ${spec.offset} limit ${spec.limit ?? "none"}`,
    });
  }
  return steps;
}

function comparator(order: readonly Order[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const o of order) {
      const x = (a as unknown as Record<string, unknown>)[o.field];
      const y = (b as unknown as Record<string, unknown>)[o.field];
      let c = 0;
      if (typeof x === "number" && typeof y === "number") c = x - y;
      else {
        const sx = String(x ?? "");
        const sy = String(y ?? "");
        c = sx < sy ? -1 : sx > sy ? 1 : 0;
      }
      if (c !== 0) return o.descending ? -c : c;
    }
    return 0;
  };
}

/** Checks a spec's fields and paging against its entity. */
export function checkSpec(spec: QuerySpec): void {
  const fields = FIELDS[spec.entity];
  if (fields === undefined) throw new QueryError(`unknown entity "${spec.entity}"`);
  for (const f of [...fieldsOf(spec.where), ...spec.order.map((o) => o.field)]) {
    if (!fields.includes(f)) {
      throw new QueryError(`unknown field "${f}" for ${spec.entity}; known: ${fields.join(", ")}`);
    }
  }
  if (spec.limit !== null && (!Number.isInteger(spec.limit) || spec.limit < 0)) {
    throw new QueryError(`limit must be a non-negative integer, got ${spec.limit}`);
  }
  if (!Number.isInteger(spec.offset) || spec.offset < 0) {
    throw new QueryError(`offset must be a non-negative integer, got ${spec.offset}`);
  }
  const o = spec.origin.kind;
  if ((o === "callers" || o === "callees") && spec.entity !== "functions") {
    throw new QueryError(`${o} of ... returns functions, not ${spec.entity}`);
  }
  if ((o === "path" || o === "reachable") && spec.entity !== "modules") {
    throw new QueryError(`${o} returns modules, not ${spec.entity}`);
  }
  const modulesOnly = spec.implementing.length + spec.having.length + spec.lacking.length > 0;
  if (modulesOnly && spec.entity !== "modules") {
    throw new QueryError("implementing/having/lacking apply to modules only");
  }
}
