/**
 * The plain-data form of a query: what the builder produces, the text language compiles to and
 * the engine runs. See docs/QUERY.md.
 * @packageDocumentation
 */

/** What a query returns. */
export type Entity = "modules" | "functions" | "clauses" | "calls" | "findings" | "files";

/** The entities, in the order docs/QUERY.md lists them. */
export const ENTITIES: readonly Entity[] = [
  "modules",
  "functions",
  "clauses",
  "calls",
  "findings",
  "files",
];

/** A comparison operator; `~` matches a glob (`"MyApp.*"`) or a regular expression (`/re/`). */
export type CompareOp = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~" | "!~";

/** A value to compare with: text, a number, or a regular expression's source. */
export type Value = string | number | { regex: string; flags?: string };

/** A condition on the fields of the current entity. */
export type Condition =
  | { op: "and" | "or"; items: Condition[] }
  | { op: "not"; item: Condition }
  | { op: "compare"; field: string; compare: CompareOp; value: Value };

/** Where the items come from when not from the whole project. */
export type Origin =
  | { kind: "all" }
  /** Functions calling `target` (`Mod.name/arity`, `name/arity`), transitively up to `depth`. */
  | { kind: "callers"; target: string; depth: number }
  /** Functions `target` calls, transitively up to `depth`. */
  | { kind: "callees"; target: string; depth: number }
  /** Modules on a shortest dependency path from one module to another. */
  | { kind: "path"; from: string; to: string }
  /** Modules reachable from a module through dependencies, up to `depth`. */
  | { kind: "reachable"; from: string; depth: number };

/** A sort key. */
export interface Order {
  field: string;
  descending: boolean;
}

/** A whole query. */
export interface QuerySpec {
  entity: Entity;
  origin: Origin;
  where: Condition | null;
  /** Modules only: behaviours or patterns each module must implement (`GenServer`, `Plug`). */
  implementing: string[];
  /** Modules only: `name/arity` functions each module must define. */
  having: string[];
  /** Modules only: `name/arity` functions each module must not define. */
  lacking: string[];
  order: Order[];
  limit: number | null;
  offset: number;
}

/** A query over `entity` with no filter. */
export function emptySpec(entity: Entity): QuerySpec {
  return {
    entity,
    origin: { kind: "all" },
    where: null,
    implementing: [],
    having: [],
    lacking: [],
    order: [],
    limit: null,
    offset: 0,
  };
}
