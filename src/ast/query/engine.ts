/**
 * Runs {@link QuerySpec}s over a populated repository and its project analysis. Each query
 * first takes candidates from the narrowest index that serves it (a function name, a module
 * name, a behaviour, the call index, the module graph), else streams a full scan; then filters,
 * orders and pages. Results are cached per repository version (a digest of every file's path
 * and content hash), so a changed file invalidates them.
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import type { ModuleInfo, ProjectAnalysis } from "../model.js";
import type { AstRepository, FunctionRef } from "../repository/repository.js";
import {
  type Accessor,
  compileCondition,
  type Fields,
  fieldsOf,
  type Predicate,
  requiredEquals,
} from "./filter.js";
import { FunctionTable } from "./function-table.js";
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
  globPrefix,
  isPrefixGlob,
  nameArity,
  prefixRange,
  requiredGlob,
  sortModules,
  withoutEquals,
} from "./indexes.js";
import { intersect, type ModuleBits, ModuleList, ModuleSets, subtract } from "./module-sets.js";
import {
  callRow,
  clauseRow,
  FIELDS,
  type FileRow,
  type FunctionOf,
  functionField,
  functionRow,
  type ModuleRow,
  moduleField,
  moduleRow,
  type PathRow,
  type Row,
} from "./rows.js";
import type { Condition, Order, QuerySpec } from "./spec.js";

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
  sortedModules?: ModuleInfo[];
  /** Module definitions numbered in name order, for the bitsets below. */
  moduleSets?: ModuleSets;
  /** A behaviour or pattern to the module definitions implementing it. */
  behaviourBits?: Map<string, ModuleBits>;
  /** `name/arity` to the module definitions that write it (not generated). */
  writerBits?: Map<string, ModuleBits>;
  /** Functions numbered in module name order, with numeric columns. */
  functionTable?: FunctionTable;
}

/** Modules an index served for a condition, and the condition left. */
interface ModulesServed {
  modules: readonly ModuleInfo[];
  step: ExplainStep;
  residual: Condition | null;
  /** For a prefix: the range of the modules sorted by name. */
  range?: [number, number];
}

/**
 * Where a query's items come from. Candidates are cheap references (an index's array when one
 * served them); a row is built only for a candidate the residual condition needs to see or the
 * page returns, so an index lookup costs its page, not its hits.
 */
interface Plan {
  steps: ExplainStep[];
  candidates: Iterable<unknown>;
  toRow: (candidate: unknown) => Row;
  /** The condition left to filter rows with once the index served its part; null: none. */
  residual: Condition | null;
  /**
   * Reads a candidate's fields in place, so that the residual condition is tested before any
   * row is built; null: it is tested on built rows.
   */
  read: Accessor<unknown> | null;
}

/** A {@link Plan} over candidates of one type (the type is erased once the plan is built). */
function makePlan<C>(
  steps: ExplainStep[],
  candidates: Iterable<C>,
  toRow: (candidate: C) => Row,
  residual: Condition | null,
  read: Accessor<C> | null = null,
): Plan {
  return {
    steps,
    candidates,
    toRow: toRow as (candidate: unknown) => Row,
    residual,
    read: read as Accessor<unknown> | null,
  };
}

/** Reads function rows' fields in place (a field no function has reads undefined). */
const readFunction: Accessor<FunctionOf> = (field) => functionField(field) ?? (() => undefined);

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
   * `options.cache` is false, as benchmarks of the plan itself need: then the result is not
   * cached either).
   */
  run(spec: QuerySpec, options: { cache?: boolean } = {}): QueryResult {
    checkSpec(spec);
    // Bypassing the cache means neither reading nor filling it (nor keeping the rows alive).
    const key = options.cache === false ? null : JSON.stringify(spec);
    const hit = key === null ? undefined : this.#cache.get(key);
    if (hit !== undefined) return { ...hit, cached: true };
    const plan = this.#plan(spec);
    let predicate: Predicate<unknown> | null = null;
    if (plan.residual !== null) {
      predicate =
        plan.read === null
          ? (compileCondition(plan.residual) as Predicate<unknown>)
          : compileCondition(plan.residual, plan.read);
    }
    const result = this.#execute(spec, plan, predicate);
    if (key === null) return result;
    if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, result);
    return result;
  }

  /** The plan of a query: which index serves each step. */
  explain(spec: QuerySpec): ExplainStep[] {
    checkSpec(spec);
    const plan = this.#plan(spec);
    return plan.steps.concat(tailSteps(spec, plan.residual));
  }

  #execute(spec: QuerySpec, plan: Plan, predicate: Predicate<unknown> | null): QueryResult {
    const explain = plan.steps.concat(tailSteps(spec, plan.residual));
    const { candidates, toRow } = plan;
    // With a reader the predicate tests candidates, before any row is built; else built rows.
    const onCandidate = plan.read !== null;
    const end = spec.limit === null ? Infinity : spec.offset + spec.limit;
    let items: Row[] = [];
    let total = 0;
    if (spec.order.length > 0) {
      // With a limit, only the first `offset + limit` rows are kept in order; without, all.
      const compare = comparator(spec.order);
      const top = spec.limit === null ? null : new TopRows(compare, end);
      for (const c of candidates) {
        if (onCandidate && predicate !== null && !predicate(c)) continue;
        const r = toRow(c);
        if (!onCandidate && predicate !== null && !predicate(r as unknown as Fields)) continue;
        total++;
        if (top === null) items.push(r);
        else top.add(r);
      }
      if (top === null) items.sort(compare);
      items = (top === null ? items : top.rows).slice(spec.offset, end);
    } else if (isList(candidates) && predicate === null) {
      // The index answered the whole condition: its size is the total; build the page only.
      total = candidates.length;
      items = Array.from(candidates.slice(spec.offset, end), toRow);
    } else {
      // Streams: candidates past the page are counted, and a row is built only when needed.
      for (const c of candidates) {
        let r: Row | undefined;
        if (predicate !== null) {
          if (onCandidate) {
            if (!predicate(c)) continue;
          } else {
            r = toRow(c);
            if (!predicate(r as unknown as Fields)) continue;
          }
        }
        if (total >= spec.offset && total < end) items.push(r ?? toRow(c));
        total++;
      }
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
        return makePlan(
          [cand("scan", "every finding")],
          this.#source.analysis.findings,
          (f) => f,
          spec.where,
        );
      default:
        return makePlan([cand("scan", "every file")], this.#fileRows(), (f) => f, spec.where);
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
      const sets = new Map<string, Set<ModuleInfo>>();
      const of = new Map<string, string[]>();
      const add = (pattern: string, m: ModuleInfo) => {
        const set = sets.get(pattern);
        if (set === undefined) sets.set(pattern, new Set([m]));
        else set.add(m);
      };
      for (const b of repo.behaviours()) for (const m of repo.modulesWithBehaviour(b)) add(b, m);
      for (const p of this.#source.analysis.patterns) {
        const list = of.get(p.module);
        if (list === undefined) of.set(p.module, [p.pattern]);
        else list.push(p.pattern);
        for (const m of repo.modules(p.module)) add(p.pattern, m);
      }
      const byPattern = new Map<string, ModuleInfo[]>();
      for (const [pattern, set] of sets) byPattern.set(pattern, [...set]);
      this.#derived.modulesByPattern = byPattern;
      this.#derived.patternsOf = of;
    }
    return { byPattern: this.#derived.modulesByPattern, of: this.#derived.patternsOf };
  }

  #sortedModules(): ModuleInfo[] {
    this.#derived.sortedModules ??= sortModules(this.#source.repository.allModules());
    return this.#derived.sortedModules;
  }

  /**
   * Modules named exactly (`modulesByName`) or by a glob with a literal prefix
   * (`modulesByPrefix`), as `field` of the condition requires; undefined when neither applies.
   */
  #modulesFor(where: Condition | null, field: string): ModulesServed | undefined {
    const name = requiredEquals(where, field);
    if (name !== undefined) {
      const modules = this.#source.repository.modules(name);
      return {
        modules,
        step: cand("modulesByName", name),
        residual: withoutEquals(where, field, name),
      };
    }
    const glob = requiredGlob(where, field);
    const prefix = glob === undefined ? "" : globPrefix(glob);
    if (glob === undefined || prefix === "") return undefined;
    const sorted = this.#sortedModules();
    const range = prefixRange(sorted, prefix);
    // A glob that is only its prefix and a `*` is served by the range exactly; any other glob
    // stays in the residual condition, the range only narrowing by its prefix.
    const residual = isPrefixGlob(glob) ? withoutEquals(where, field, glob, "~") : where;
    const step = cand("modulesByPrefix", `${prefix}* of ${glob}`);
    return {
      get modules() {
        return sorted.slice(range[0], range[1]);
      },
      step,
      residual,
      range,
    };
  }

  #functionTable(): FunctionTable {
    this.#derived.functionTable ??= new FunctionTable(this.#sortedModules());
    return this.#derived.functionTable;
  }

  /** The numbers (in the function table) of the functions of the modules an index served. */
  #functionsOfServed(served: ModulesServed): ArrayLike<number> & Iterable<number> {
    const table = this.#functionTable();
    if (served.range !== undefined) return table.ofModules(served.range[0], served.range[1]);
    const sets = this.#moduleSets();
    const out: number[] = [];
    for (const m of served.modules) {
      const i = sets.idOf(m);
      if (i !== undefined) for (const k of table.ofModules(i, i + 1)) out.push(k);
    }
    return out;
  }

  #moduleSets(): ModuleSets {
    this.#derived.moduleSets ??= new ModuleSets(this.#sortedModules());
    return this.#derived.moduleSets;
  }

  /** The module definitions implementing a behaviour or pattern, as a bitset (per version). */
  #behaviourBits(behaviour: string): ModuleBits {
    this.#derived.behaviourBits ??= new Map();
    let bits = this.#derived.behaviourBits.get(behaviour);
    if (bits === undefined) {
      bits = this.#moduleSets().of(this.#patterns().byPattern.get(behaviour) ?? []);
      this.#derived.behaviourBits.set(behaviour, bits);
    }
    return bits;
  }

  /**
   * The module definitions that write `name/arity` themselves, as a bitset (per version, from
   * the name/arity index): generated functions do not count (`use GenServer` generates default
   * callbacks a module may still lack).
   */
  #writerBits(fn: string): ModuleBits {
    this.#derived.writerBits ??= new Map();
    let bits = this.#derived.writerBits.get(fn);
    if (bits === undefined) {
      const na = nameArity(fn);
      const refs = na === null ? [] : this.#source.repository.functionsNamed(na[0], na[1]);
      bits = this.#moduleSets().of(refs.filter((r) => !r.function.generated).map((r) => r.module));
      this.#derived.writerBits.set(fn, bits);
    }
    return bits;
  }

  #planModules(spec: QuerySpec): Plan {
    const patterns = this.#patterns();
    const patternsOf = (m: ModuleInfo) => patterns.of.get(m.name) ?? [];
    const toRow = (m: ModuleInfo) => moduleRow(m, patternsOf(m));
    const origin = spec.origin;
    if (origin.kind === "path" || origin.kind === "reachable") return this.#planGraph(spec, toRow);
    const read: Accessor<ModuleInfo> = (f) => moduleField(f, patternsOf) ?? (() => undefined);
    const sets = this.#moduleSets();
    let candidates: Iterable<ModuleInfo>;
    let bits: ModuleBits | null = null;
    let step: ExplainStep;
    let residual = spec.where;
    const named = this.#modulesFor(spec.where, "name");
    if (spec.implementing.length > 0) {
      bits = spec.implementing.map((b) => this.#behaviourBits(b)).reduce(intersect);
      candidates = [];
      step = cand("modulesByBehaviour", spec.implementing.join(", "));
    } else if (named !== undefined) {
      ({ modules: candidates, step, residual } = named);
    } else {
      candidates = this.#source.repository.allModules();
      step = cand("scan", "every module");
    }
    const steps = [step];
    if (spec.having.length + spec.lacking.length > 0) {
      // Set operations on bitsets: no per-candidate lookup, whatever the candidates number.
      bits ??= named === undefined ? sets.all() : sets.of(candidates);
      for (const h of spec.having) bits = intersect(bits, this.#writerBits(h));
      for (const l of spec.lacking) bits = subtract(bits, this.#writerBits(l));
      const detail = [
        ...spec.having.map((h) => `has ${h}`),
        ...spec.lacking.map((l) => `lacks ${l}`),
      ];
      steps.push({ step: "filter", index: "functionsByNameArity", detail: detail.join(", ") });
    }
    if (bits !== null) candidates = sets.list(bits);
    return makePlan(steps, candidates, toRow, residual, read);
  }

  #planGraph(spec: QuerySpec, toRow: (m: ModuleInfo) => Row): Plan {
    const graph = this.#source.analysis.moduleGraph;
    this.#derived.adjacency ??= moduleAdjacency(graph);
    const adj = this.#derived.adjacency;
    const origin = spec.origin;
    const repo = this.#source.repository;
    const known = (list: Iterable<[string, number]>) =>
      [...list].flatMap(([n, step]): [ModuleInfo, number][] => {
        const m = repo.module(n);
        return m === undefined ? [] : [[m, step]];
      });
    const row = ([m, step]: [ModuleInfo, number]): PathRow => ({
      ...(toRow(m) as ModuleRow),
      step,
    });
    if (origin.kind === "path") {
      const from = modulesNamed(graph.nodes, origin.from);
      const to = modulesNamed(graph.nodes, origin.to);
      const path = shortestPath(adj, from, to) ?? [];
      const steps = [
        {
          step: "candidates" as const,
          index: "moduleGraph",
          detail: `shortest path ${origin.from} -> ${origin.to}`,
        },
      ];
      return makePlan(steps, known(path.map((n, i) => [n, i])), row, spec.where);
    }
    if (origin.kind !== "reachable") throw new QueryError("internal: not a graph query");
    const starts = modulesNamed(graph.nodes, origin.from);
    const reached = walkDepth(starts, origin.depth, (k) => adj.get(k) ?? []);
    const steps = [cand("moduleGraph", `reachable from ${origin.from}`)];
    return makePlan(steps, known(reached), row, spec.where);
  }

  #planFunctions(spec: QuerySpec): Plan {
    const repo = this.#source.repository;
    const origin = spec.origin;
    // The repository's references carry their key: rows reuse it rather than rebuild it.
    const toRow = (r: FunctionRef) => functionRow(r.module, r.function, null, r.key);
    if (origin.kind === "callers" || origin.kind === "callees") {
      const calls = this.#calls();
      const known = (k: string) => repo.functionByKey(k).length > 0;
      const targets = resolveTargets(calls, known, origin.target);
      const next =
        origin.kind === "callers"
          ? (k: string) => calls.callers.get(k)?.keys() ?? []
          : (k: string) => calls.callees.get(k) ?? [];
      const reached: [FunctionRef, number][] = [];
      for (const [key, depth] of walkDepth(targets, origin.depth, next)) {
        for (const ref of repo.functionByKey(key)) reached.push([ref, depth]);
      }
      const detail = `${origin.kind} of ${targets.join(", ") || `${origin.target} (no such function)`} depth ${origin.depth}`;
      const depthRow = ([r, d]: [FunctionRef, number]) =>
        functionRow(r.module, r.function, d, r.key);
      return makePlan([cand("callIndex", detail)], reached, depthRow, spec.where);
    }
    const key = requiredEquals(spec.where, "key");
    if (key !== undefined) {
      const residual = withoutEquals(spec.where, "key", key);
      const hits = repo.functionByKey(key);
      return makePlan([cand("functionsByKey", key)], hits, toRow, residual, readFunction);
    }
    const name = requiredEquals(spec.where, "name");
    if (name !== undefined) {
      const residual = withoutEquals(spec.where, "name", name);
      const hits = repo.functionsNamed(name);
      return makePlan([cand("functionsByName", name)], hits, toRow, residual, readFunction);
    }
    return this.#scanFunctions(spec, "functions");
  }

  #scanFunctions(spec: QuerySpec, what: "functions" | "clauses" | "calls"): Plan {
    // A call's `module` is the module it calls, not the caller's: no module index serves it.
    const mods = what === "calls" ? undefined : this.#modulesFor(spec.where, "module");
    const step = mods?.step ?? cand("scan", `every ${what.slice(0, -1)}`);
    const residual = mods === undefined ? spec.where : mods.residual;
    if (what === "functions") {
      if (mods === undefined) {
        // A scan streams.
        const toRow = (r: FunctionOf) => functionRow(r.module, r.function, null);
        const fns = functionsOf(this.#source.repository.allModules());
        return makePlan([step], fns, toRow, residual, readFunction);
      }
      // An index's modules give an array of function numbers (its length is the total when
      // nothing is left to filter), whose fields the table reads from its columns.
      const table = this.#functionTable();
      const toRow = (i: number) => {
        const r = table.ref(i);
        return functionRow(r.module, r.function, null);
      };
      const read: Accessor<number> = (f) => table.reader(f);
      return makePlan([step], this.#functionsOfServed(mods), toRow, residual, read);
    }
    const modules = mods?.modules ?? this.#source.repository.allModules();
    return makePlan([step], clauseRows(modules, what), (r) => r, residual);
  }
}

/** An array, a typed array (of function numbers) or a {@link ModuleList}: sized and sliced. */
function isList(c: Iterable<unknown>): c is unknown[] | Uint32Array | ModuleList {
  return Array.isArray(c) || c instanceof Uint32Array || c instanceof ModuleList;
}

function cand(index: string, detail: string): ExplainStep {
  return { step: "candidates", index, detail };
}

function* functionsOf(mods: Iterable<ModuleInfo>): Iterable<FunctionOf> {
  for (const m of mods) for (const fn of m.functions) yield { module: m, function: fn };
}

function* clauseRows(mods: Iterable<ModuleInfo>, what: "clauses" | "calls"): Iterable<Row> {
  for (const m of mods) {
    for (const fn of m.functions) {
      for (let i = 0; i < fn.clauses.length; i++) {
        const c = fn.clauses[i];
        if (what === "clauses") yield clauseRow(m, fn, c, i);
        else for (const call of c.calls) yield callRow(m, fn, c, call);
      }
    }
  }
}

function tailSteps(spec: QuerySpec, residual: Condition | null): ExplainStep[] {
  const steps: ExplainStep[] = [];
  if (residual !== null) {
    steps.push({ step: "filter", index: "scan", detail: "where condition on the candidates" });
  }
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

/**
 * The first `limit` rows in order, kept while rows stream in (binary insertion into a bounded
 * array): sorting is O(n log k), not O(n log n), for `order by ... limit k`. A row goes after
 * the rows it ties with and only evicts a row it strictly precedes, so the result is exactly
 * that of a stable sort.
 */
class TopRows {
  readonly rows: Row[] = [];
  constructor(
    private readonly compare: (a: Row, b: Row) => number,
    private readonly limit: number,
  ) {}

  add(r: Row): void {
    const rows = this.rows;
    if (this.limit === 0) return;
    if (rows.length >= this.limit && this.compare(r, rows[rows.length - 1]) >= 0) return;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(r, rows[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    rows.splice(lo, 0, r);
    if (rows.length > this.limit) rows.pop();
  }
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
