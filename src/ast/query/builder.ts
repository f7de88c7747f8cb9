/**
 * The fluent query builder: each call narrows the query and returns the builder.
 *
 * ```ts
 * const q = query("functions").metric("cyclomatic", ">", 10).module("MyApp.Billing.*");
 * q.run(engine).items; q.explain(engine);
 * ```
 * @packageDocumentation
 */
import { type ExplainStep, type QueryEngine, QueryError, type QueryResult } from "./engine.js";
import {
  type CompareOp,
  type Condition,
  ENTITIES,
  type Entity,
  emptySpec,
  type QuerySpec,
  type Value,
} from "./spec.js";

/** A name matcher: exact text, a glob (`*`, `?`), or a regular expression. */
export type NameMatcher = string | RegExp;

function matcherCondition(field: string, m: NameMatcher): Condition {
  if (m instanceof RegExp) {
    return { op: "compare", field, compare: "~", value: { regex: m.source, flags: m.flags } };
  }
  const glob = /[*?]/.test(m);
  return { op: "compare", field, compare: glob ? "~" : "=", value: m };
}

function positiveInt(what: string, n: number, min: number): number {
  if (!Number.isInteger(n) || n < min)
    throw new QueryError(`${what} must be an integer >= ${min}, got ${n}`);
  return n;
}

/** A query under construction. */
export class Query {
  readonly #spec: QuerySpec;

  constructor(entity: Entity) {
    if (!ENTITIES.includes(entity)) {
      throw new QueryError(`unknown entity "${entity}"; one of ${ENTITIES.join(", ")}`);
    }
    this.#spec = emptySpec(entity);
  }

  /** Adds a condition, and-ed with the others. */
  where(field: string, compare: CompareOp, value: Value): this;
  where(condition: Condition): this;
  where(a: string | Condition, compare?: CompareOp, value?: Value): this {
    const c: Condition =
      typeof a === "string" ? { op: "compare", field: a, compare: compare!, value: value! } : a;
    const w = this.#spec.where;
    this.#spec.where =
      w === null
        ? c
        : w.op === "and"
          ? { op: "and", items: [...w.items, c] }
          : { op: "and", items: [w, c] };
    return this;
  }

  /** The item's name: exact, glob or regular expression. */
  name(m: NameMatcher): this {
    return this.where(matcherCondition("name", m));
  }

  /** The module (of a function, clause, call site's caller, finding): exact, glob or regex. */
  module(m: NameMatcher): this {
    return this.where(matcherCondition(this.#spec.entity === "modules" ? "name" : "module", m));
  }

  /** Items in `prefix` or below it (`MyApp.Billing` takes `MyApp.Billing.Invoice`). */
  modulePrefix(prefix: string): this {
    const field = this.#spec.entity === "modules" ? "name" : "module";
    const exact: Condition = { op: "compare", field, compare: "=", value: prefix };
    const below: Condition = { op: "compare", field, compare: "~", value: `${prefix}.*` };
    return this.where({ op: "or", items: [exact, below] });
  }

  /** A metric comparison (`cyclomatic`, `cognitive`, `nesting`, `abc`, `loc`, `arity`...). */
  metric(name: string, compare: CompareOp, value: number): this {
    return this.where(name, compare, value);
  }

  /** `public` or `private`. */
  visibility(v: "public" | "private"): this {
    return this.where("visibility", "=", v);
  }

  /** `def`, `defp`, `defmacro`... for functions; `module`, `protocol`... for modules. */
  kind(k: string): this {
    return this.where("kind", "=", k);
  }

  /** The file path matches a glob (relative to the project root). */
  file(glob: string): this {
    return this.where(this.#spec.entity === "files" ? "path" : "file", "~", glob);
  }

  /** Modules implementing a behaviour or pattern (`GenServer`, `Plug`, `EctoSchema`). */
  implementing(behaviour: string): this {
    this.#spec.implementing.push(behaviour);
    return this;
  }

  /** Modules that define `name/arity`. */
  having(fn: string): this {
    this.#spec.having.push(fn);
    return this;
  }

  /** Modules that do not define `name/arity`. */
  lacking(fn: string): this {
    this.#spec.lacking.push(fn);
    return this;
  }

  /** Functions calling `target` (`Mod.name/arity`, `Alias.name/arity`, `name/arity`). */
  callersOf(target: string, depth = 1): this {
    this.#spec.origin = { kind: "callers", target, depth: positiveInt("depth", depth, 1) };
    return this;
  }

  /** Functions that `target` calls. */
  calleesOf(target: string, depth = 1): this {
    this.#spec.origin = { kind: "callees", target, depth: positiveInt("depth", depth, 1) };
    return this;
  }

  /** Modules on a shortest dependency path (a name that is no module means its submodules). */
  path(from: string, to: string): this {
    this.#spec.origin = { kind: "path", from, to };
    return this;
  }

  /** Modules reachable from `from` through dependencies. */
  reachableFrom(from: string, depth = Number.MAX_SAFE_INTEGER): this {
    this.#spec.origin = { kind: "reachable", from, depth: positiveInt("depth", depth, 1) };
    return this;
  }

  /** Sorts by a field; later calls break ties. */
  orderBy(field: string, direction: "asc" | "desc" = "asc"): this {
    this.#spec.order.push({ field, descending: direction === "desc" });
    return this;
  }

  limit(n: number): this {
    this.#spec.limit = positiveInt("limit", n, 0);
    return this;
  }

  offset(n: number): this {
    this.#spec.offset = positiveInt("offset", n, 0);
    return this;
  }

  /** The plain-data form (a copy). */
  toSpec(): QuerySpec {
    return structuredClone(this.#spec);
  }

  run(engine: QueryEngine): QueryResult {
    return engine.run(this.toSpec());
  }

  explain(engine: QueryEngine): ExplainStep[] {
    return engine.explain(this.toSpec());
  }
}

/** Starts a query over `entity`. */
export function query(entity: Entity): Query {
  return new Query(entity);
}
