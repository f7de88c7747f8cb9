/**
 * The in-memory repository: per-file extractions, indexed for constant-time lookups by module,
 * by function key (`Module.name/arity`), by name, by name and arity, by file, by behaviour, and
 * by caller and callee.
 *
 * Files are the unit of change: {@link AstRepository.setFile} replaces everything a file
 * contributed and {@link AstRepository.removeFile} withdraws it, touching only the index keys that
 * file holds, so re-analyzing one changed file costs in proportion to that file.
 * @packageDocumentation
 */
import type { CallInfo, FileError, FileExtraction, FunctionInfo, ModuleInfo } from "../model.js";

/** A function together with its module and file. */
export interface FunctionRef {
  /** `Module.name/arity`. */
  key: string;
  module: ModuleInfo;
  function: FunctionInfo;
}

/** A call edge in the index: who calls whom, and how many call sites. */
export interface CallRef {
  /** `Module.name/arity` of the other end. */
  key: string;
  /** Number of call sites. */
  count: number;
}

/** What the repository holds for one file. */
export interface FileEntry {
  path: string;
  /** SHA-256 of the bytes the entry was made from, when known. */
  hash: string | null;
  /** The extraction, or null when the file failed to parse. */
  extraction: FileExtraction | null;
  error: FileError | null;
}

/** Sizes of the indexes. */
export interface RepositoryStats {
  files: number;
  failedFiles: number;
  modules: number;
  functions: number;
  clauses: number;
  callEdges: number;
}

/** The key `Module.name/arity` of a function. */
export function functionKey(module: string, name: string, arity: number): string {
  return `${module}.${name}/${arity}`;
}

/** The callee key of a call, or null when its target module is not known (dynamic calls). */
export function callKey(call: CallInfo): string | null {
  return call.module === null ? null : functionKey(call.module, call.name, call.arity);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function removeFrom<K, V>(map: Map<K, V[]>, key: K, pred: (v: V) => boolean): void {
  const list = map.get(key);
  if (list === undefined) return;
  const kept = list.filter((v) => !pred(v));
  if (kept.length === 0) map.delete(key);
  else if (kept.length !== list.length) map.set(key, kept);
}

function bump(map: Map<string, Map<string, number>>, a: string, b: string, by: number): void {
  let inner = map.get(a);
  if (inner === undefined) {
    if (by <= 0) return;
    inner = new Map();
    map.set(a, inner);
  }
  const n = (inner.get(b) ?? 0) + by;
  if (n <= 0) inner.delete(b);
  else inner.set(b, n);
  if (inner.size === 0) map.delete(a);
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Indexes over every file of a project. All lookups return arrays owned by the repository: treat
 * them as read-only.
 */
export class AstRepository {
  readonly #files = new Map<string, FileEntry>();
  readonly #modules = new Map<string, ModuleInfo[]>();
  readonly #byKey = new Map<string, FunctionRef[]>();
  readonly #byName = new Map<string, FunctionRef[]>();
  readonly #byNameArity = new Map<string, FunctionRef[]>();
  readonly #byBehaviour = new Map<string, ModuleInfo[]>();
  /** callee key -> caller key -> call sites. */
  readonly #callers = new Map<string, Map<string, number>>();
  /** caller key -> callee key -> call sites. */
  readonly #callees = new Map<string, Map<string, number>>();
  #functionCount = 0;
  #clauseCount = 0;
  #failed = 0;

  /** Adds or replaces a file's contribution. */
  setFile(entry: FileEntry): void {
    this.removeFile(entry.path);
    this.#files.set(entry.path, entry);
    if (entry.extraction === null) {
      this.#failed++;
      return;
    }
    for (const mod of entry.extraction.modules) {
      pushTo(this.#modules, mod.name, mod);
      for (const b of mod.behaviours) pushTo(this.#byBehaviour, b, mod);
      for (const fn of mod.functions) {
        const key = functionKey(mod.name, fn.name, fn.arity);
        const ref: FunctionRef = { key, module: mod, function: fn };
        pushTo(this.#byKey, key, ref);
        pushTo(this.#byName, fn.name, ref);
        pushTo(this.#byNameArity, `${fn.name}/${fn.arity}`, ref);
        this.#functionCount++;
        this.#clauseCount += fn.clauses.length;
        this.#indexCalls(key, fn, 1);
      }
    }
  }

  #indexCalls(from: string, fn: FunctionInfo, sign: 1 | -1): void {
    for (const clause of fn.clauses) {
      for (const call of clause.calls) {
        const to = callKey(call);
        if (to === null) continue;
        bump(this.#callees, from, to, sign);
        bump(this.#callers, to, from, sign);
      }
    }
  }

  /** Withdraws everything `path` contributed; false when the file was not there. */
  removeFile(path: string): boolean {
    const entry = this.#files.get(path);
    if (entry === undefined) return false;
    this.#files.delete(path);
    if (entry.extraction === null) {
      this.#failed--;
      return true;
    }
    for (const mod of entry.extraction.modules) {
      removeFrom(this.#modules, mod.name, (m) => m === mod);
      for (const b of mod.behaviours) removeFrom(this.#byBehaviour, b, (m) => m === mod);
      for (const fn of mod.functions) {
        const key = functionKey(mod.name, fn.name, fn.arity);
        const isIt = (r: FunctionRef) => r.function === fn;
        removeFrom(this.#byKey, key, isIt);
        removeFrom(this.#byName, fn.name, isIt);
        removeFrom(this.#byNameArity, `${fn.name}/${fn.arity}`, isIt);
        this.#functionCount--;
        this.#clauseCount -= fn.clauses.length;
        this.#indexCalls(key, fn, -1);
      }
    }
    return true;
  }

  /** Removes everything. */
  clear(): void {
    // Reset wholesale: removing file by file would filter the long per-name lists repeatedly.
    for (const map of [
      this.#files,
      this.#modules,
      this.#byKey,
      this.#byName,
      this.#byNameArity,
      this.#byBehaviour,
      this.#callers,
      this.#callees,
    ]) {
      map.clear();
    }
    this.#functionCount = 0;
    this.#clauseCount = 0;
    this.#failed = 0;
  }

  /** The file's entry, or undefined. */
  file(path: string): FileEntry | undefined {
    return this.#files.get(path);
  }

  /** Every file entry, in insertion order. */
  files(): IterableIterator<FileEntry> {
    return this.#files.values();
  }

  /** Modules defined in `path` (empty for an unknown or failed file). */
  modulesInFile(path: string): readonly ModuleInfo[] {
    return this.#files.get(path)?.extraction?.modules ?? EMPTY;
  }

  /** Definitions of the module `name` (usually one; more when several files define it). */
  modules(name: string): readonly ModuleInfo[] {
    return this.#modules.get(name) ?? EMPTY;
  }

  /** The first definition of module `name`, or undefined. */
  module(name: string): ModuleInfo | undefined {
    return this.#modules.get(name)?.[0];
  }

  /** Every module name, in insertion order. */
  moduleNames(): IterableIterator<string> {
    return this.#modules.keys();
  }

  /** Every module of every file, in file order. */
  *allModules(): IterableIterator<ModuleInfo> {
    for (const f of this.#files.values()) if (f.extraction) yield* f.extraction.modules;
  }

  /** The function `module.name/arity` (more than one when the module is defined twice). */
  functions(module: string, name: string, arity: number): readonly FunctionRef[] {
    return this.#byKey.get(functionKey(module, name, arity)) ?? EMPTY;
  }

  /** The function with key `Module.name/arity`. */
  functionByKey(key: string): readonly FunctionRef[] {
    return this.#byKey.get(key) ?? EMPTY;
  }

  /** Every function named `name` in any module, any arity; with `arity`, that arity only. */
  functionsNamed(name: string, arity?: number): readonly FunctionRef[] {
    if (arity === undefined) return this.#byName.get(name) ?? EMPTY;
    return this.#byNameArity.get(`${name}/${arity}`) ?? EMPTY;
  }

  /** Modules that declare or imply `behaviour` (`GenServer`, `Plug`, a project behaviour...). */
  modulesWithBehaviour(behaviour: string): readonly ModuleInfo[] {
    return this.#byBehaviour.get(behaviour) ?? EMPTY;
  }

  /** Every behaviour name with at least one module. */
  behaviours(): IterableIterator<string> {
    return this.#byBehaviour.keys();
  }

  /**
   * Functions calling `key` (`Module.name/arity`; outside functions such as `Enum.map/2` too),
   * with their call-site counts, in insertion order.
   */
  callers(key: string): CallRef[] {
    return toRefs(this.#callers.get(key));
  }

  /** Functions `key` calls (resolved targets only; dynamic calls are not indexed). */
  callees(key: string): CallRef[] {
    return toRefs(this.#callees.get(key));
  }

  /** Number of distinct functions calling `key`, without allocating. */
  callerCount(key: string): number {
    return this.#callers.get(key)?.size ?? 0;
  }

  /** Index sizes. */
  stats(): RepositoryStats {
    let edges = 0;
    for (const m of this.#callees.values()) edges += m.size;
    return {
      files: this.#files.size,
      failedFiles: this.#failed,
      modules: [...this.#modules.values()].reduce((n, l) => n + l.length, 0),
      functions: this.#functionCount,
      clauses: this.#clauseCount,
      callEdges: edges,
    };
  }
}

function toRefs(map: Map<string, number> | undefined): CallRef[] {
  if (map === undefined) return [];
  const out: CallRef[] = [];
  for (const [key, count] of map) out.push({ key, count });
  return out;
}
