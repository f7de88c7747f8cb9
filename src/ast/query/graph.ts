/**
 * The graph indexes of the query engine, built once per repository version: call sites by
 * callee (outside functions included), callees by caller, and module adjacency.
 * @packageDocumentation
 */
import type { ModuleGraph } from "../model.js";
import type { AstRepository } from "../repository/repository.js";

/** Callers and callees of every function, keyed `Module.name/arity`. */
export interface CallIndex {
  /** Callee key to caller key to call-site count. */
  callers: Map<string, Map<string, number>>;
  /** Caller key to the callee keys it reaches. */
  callees: Map<string, Set<string>>;
  /** `name/arity` to every callee key with that name and arity (for unqualified targets). */
  byNameArity: Map<string, string[]>;
}

/** Builds the call index from every call of every clause. */
export function buildCallIndex(repository: AstRepository): CallIndex {
  const callers = new Map<string, Map<string, number>>();
  const callees = new Map<string, Set<string>>();
  const byNameArity = new Map<string, string[]>();
  for (const m of repository.allModules()) {
    for (const fn of m.functions) {
      const from = `${m.name}.${fn.name}/${fn.arity}`;
      let out = callees.get(from);
      if (out === undefined) {
        out = new Set();
        callees.set(from, out);
      }
      for (const c of fn.clauses) {
        for (const call of c.calls) {
          if (call.module === null) continue;
          const to = `${call.module}.${call.name}/${call.arity}`;
          out.add(to);
          let inbound = callers.get(to);
          if (inbound === undefined) {
            inbound = new Map();
            callers.set(to, inbound);
            const na = `${call.name}/${call.arity}`;
            const list = byNameArity.get(na);
            if (list === undefined) byNameArity.set(na, [to]);
            else list.push(to);
          }
          inbound.set(from, (inbound.get(from) ?? 0) + 1);
        }
      }
    }
  }
  return { callers, callees, byNameArity };
}

/** Splits `Mod.Sub.name/arity` into `Mod.Sub` (or null) and `name/arity`. */
function splitTarget(target: string): { module: string | null; nameArity: string } {
  const slash = target.lastIndexOf("/");
  const dot = target.lastIndexOf(".", slash === -1 ? target.length : slash);
  if (dot <= 0) return { module: null, nameArity: target };
  return { module: target.slice(0, dot), nameArity: target.slice(dot + 1) };
}

/**
 * The function keys `target` names: exact `Mod.name/arity`; `Alias.name/arity` where `Alias` is
 * the last segments of a module (`Repo.delete!/1` names `MyApp.Repo.delete!/1`); `name/arity`
 * in any module.
 */
export function resolveTargets(index: CallIndex, known: (key: string) => boolean, target: string) {
  if (index.callers.has(target) || known(target)) return [target];
  const { module, nameArity } = splitTarget(target);
  const all = new Set(index.byNameArity.get(nameArity) ?? []);
  for (const key of index.callees.keys()) {
    if (key.endsWith(`.${nameArity}`)) all.add(key);
  }
  if (module === null) return [...all].sort();
  return [...all].filter((k) => k.endsWith(`.${module}.${nameArity}`)).sort();
}

/** Breadth-first walk over `next` from `starts`: each key reached with its distance (>= 1). */
export function walkDepth(
  starts: readonly string[],
  depth: number,
  next: (key: string) => Iterable<string>,
): Map<string, number> {
  const seen = new Map<string, number>();
  let frontier = [...starts];
  for (let d = 1; d <= depth && frontier.length > 0; d++) {
    const following: string[] = [];
    for (const key of frontier) {
      for (const n of next(key)) {
        if (seen.has(n) || starts.includes(n)) continue;
        seen.set(n, d);
        following.push(n);
      }
    }
    frontier = following;
  }
  return seen;
}

/** Module adjacency (dependencies) from the module graph. */
export function moduleAdjacency(graph: ModuleGraph): Map<string, string[]> {
  const adj = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = adj.get(e.from);
    if (list === undefined) adj.set(e.from, [e.to]);
    else list.push(e.to);
  }
  for (const list of adj.values()) list.sort();
  return adj;
}

/** The modules a name stands for: itself when it is a module, else every `Name.*` module. */
export function modulesNamed(nodes: readonly string[], name: string): string[] {
  if (nodes.includes(name)) return [name];
  return nodes.filter((n) => n.startsWith(`${name}.`));
}

/** A shortest path from any of `from` to any of `to` through `adj`, or null. */
export function shortestPath(
  adj: Map<string, string[]>,
  from: readonly string[],
  to: readonly string[],
): string[] | null {
  const goal = new Set(to);
  const prev = new Map<string, string | null>();
  let frontier: string[] = [];
  for (const f of from) {
    prev.set(f, null);
    frontier.push(f);
  }
  while (frontier.length > 0) {
    const following: string[] = [];
    for (const node of frontier) {
      if (goal.has(node)) {
        const path = [node];
        for (let p = prev.get(node); p != null; p = prev.get(p)) path.unshift(p);
        return path;
      }
      for (const n of adj.get(node) ?? []) {
        if (prev.has(n)) continue;
        prev.set(n, node);
        following.push(n);
      }
    }
    frontier = following;
  }
  return null;
}
