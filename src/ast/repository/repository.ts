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
import { functionKey } from "../model.js";
import { OrderedMultiMap } from "./multimap.js";

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

/** How much a file holds, known without loading its extraction. */
export interface FileCounts {
  modules: number;
  functions: number;
  clauses: number;
}

/**
 * A file whose extraction is loaded on first use, typically from the persistent cache: an
 * unchanged project is then answered without materializing every file, and the first lookup that
 * needs the indexes loads them all.
 */
export interface DeferredFile {
  path: string;
  hash: string;
  counts: FileCounts;
  /** Loads the extraction; called at most once. */
  load: () => FileExtraction;
}

/** The counts of an extraction. */
export function countsOf(extraction: FileExtraction | null): FileCounts {
  const c: FileCounts = { modules: 0, functions: 0, clauses: 0 };
  if (extraction === null) return c;
  for (const m of extraction.modules) {
    c.modules++;
    c.functions += m.functions.length;
    for (const f of m.functions) c.clauses += f.clauses.length;
  }
  return c;
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

/** The key `Module.name/arity` of a function: the same key the call graph uses. */
export { functionKey };

/** The callee key of a call, or null when its target module is not known (dynamic calls). */
export function callKey(call: CallInfo): string | null {
  return call.module === null ? null : functionKey(call.module, call.name, call.arity);
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * One direction of the call index: key -> other end -> call sites. The list a lookup returns is
 * built once and kept until that key changes, so a function with 20,000 callers costs the same
 * to look up as one with two.
 */
class EdgeIndex {
  readonly #edges = new Map<
    string,
    { counts: Map<string, number>; refs: readonly CallRef[] | null }
  >();
  /** Number of (a, b) pairs, kept as they come and go (stats are read on every health probe). */
  #pairs = 0;

  bump(a: string, b: string, by: number): void {
    let entry = this.#edges.get(a);
    if (entry === undefined) {
      if (by <= 0) return;
      entry = { counts: new Map(), refs: null };
      this.#edges.set(a, entry);
    }
    const had = entry.counts.has(b);
    const n = (entry.counts.get(b) ?? 0) + by;
    if (n <= 0) {
      if (had) this.#pairs--;
      entry.counts.delete(b);
    } else {
      if (!had) this.#pairs++;
      entry.counts.set(b, n);
    }
    entry.refs = null;
    if (entry.counts.size === 0) this.#edges.delete(a);
  }

  get(a: string): readonly CallRef[] {
    const entry = this.#edges.get(a);
    if (entry === undefined) return EMPTY;
    if (entry.refs === null) {
      const refs: CallRef[] = [];
      for (const [key, count] of entry.counts) refs.push(Object.freeze({ key, count }));
      entry.refs = Object.freeze(refs);
    }
    return entry.refs;
  }

  size(a: string): number {
    return this.#edges.get(a)?.counts.size ?? 0;
  }

  /** Forgets the built lists (they are rebuilt on demand); returns how many were dropped. */
  dropLists(): number {
    let n = 0;
    for (const e of this.#edges.values()) {
      if (e.refs !== null) {
        e.refs = null;
        n++;
      }
    }
    return n;
  }

  /** Number of (a, b) pairs. */
  pairs(): number {
    return this.#pairs;
  }

  clear(): void {
    this.#edges.clear();
    this.#pairs = 0;
  }
}

/**
 * Indexes over every file of a project. All lookups return arrays owned by the repository: treat
 * them as read-only. Files added with {@link AstRepository.setDeferredFile} are loaded by the
 * first lookup that needs them (a per-file lookup loads only that file).
 */
export class AstRepository {
  readonly #files = new Map<string, FileEntry>();
  readonly #deferred = new Map<string, DeferredFile>();
  /**
   * Deferred files that a per-file lookup has loaded, kept until the indexes are built: reading
   * a file's modules (the report does, file by file) needs no index, and a run whose lookups are
   * all per file never builds them.
   */
  readonly #read = new Map<string, FileEntry>();
  readonly #modules = new OrderedMultiMap<string, ModuleInfo>();
  readonly #byKey = new OrderedMultiMap<string, FunctionRef>();
  readonly #byName = new OrderedMultiMap<string, FunctionRef>();
  readonly #byNameArity = new OrderedMultiMap<string, FunctionRef>();
  readonly #byBehaviour = new OrderedMultiMap<string, ModuleInfo>();
  /** The reference made for each function, to withdraw it from the indexes. */
  readonly #refOf = new Map<FunctionInfo, FunctionRef>();
  /** callee key -> caller key -> call sites. */
  readonly #callers = new EdgeIndex();
  /** caller key -> callee key -> call sites. */
  readonly #callees = new EdgeIndex();
  #functionCount = 0;
  #clauseCount = 0;
  #failed = 0;

  /** Adds or replaces a file's contribution. */
  setFile(entry: FileEntry): void {
    this.removeFile(entry.path);
    this.#index(entry);
  }

  /** Adds or replaces a file whose extraction is loaded when first needed. */
  setDeferredFile(file: DeferredFile): void {
    this.removeFile(file.path);
    this.#deferred.set(file.path, file);
  }

  /** Files not loaded yet. */
  get deferredCount(): number {
    return this.#deferred.size;
  }

  /** Loads every deferred file into the indexes. */
  materialize(): void {
    if (this.#deferred.size === 0) return;
    const all = [...this.#deferred.values()];
    this.#deferred.clear();
    for (const d of all) {
      const read = this.#read.get(d.path);
      this.#index(read ?? { path: d.path, hash: d.hash, extraction: d.load(), error: null });
    }
    this.#read.clear();
  }

  /** A file's entry, loading (not indexing) a deferred file; undefined when unknown. */
  #entry(path: string): FileEntry | undefined {
    const e = this.#files.get(path);
    if (e !== undefined) return e;
    const d = this.#deferred.get(path);
    if (d === undefined) return undefined;
    let read = this.#read.get(path);
    if (read === undefined) {
      read = { path, hash: d.hash, extraction: d.load(), error: null };
      this.#read.set(path, read);
    }
    return read;
  }

  #index(entry: FileEntry): void {
    this.#files.set(entry.path, entry);
    if (entry.extraction === null) {
      this.#failed++;
      return;
    }
    for (const mod of entry.extraction.modules) {
      this.#modules.add(mod.name, mod);
      for (const b of mod.behaviours) this.#byBehaviour.add(b, mod);
      for (const fn of mod.functions) {
        const key = functionKey(mod.name, fn.name, fn.arity);
        const ref: FunctionRef = { key, module: mod, function: fn };
        this.#refOf.set(fn, ref);
        this.#byKey.add(key, ref);
        this.#byName.add(fn.name, ref);
        this.#byNameArity.add(`${fn.name}/${fn.arity}`, ref);
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
        this.#callees.bump(from, to, sign);
        this.#callers.bump(to, from, sign);
      }
    }
  }

  /** Withdraws everything `path` contributed; false when the file was not there. */
  removeFile(path: string): boolean {
    if (this.#deferred.delete(path)) {
      this.#read.delete(path);
      return true;
    }
    const entry = this.#files.get(path);
    if (entry === undefined) return false;
    this.#files.delete(path);
    if (entry.extraction === null) {
      this.#failed--;
      return true;
    }
    for (const mod of entry.extraction.modules) {
      this.#modules.delete(mod.name, mod);
      for (const b of mod.behaviours) this.#byBehaviour.delete(b, mod);
      for (const fn of mod.functions) {
        const key = functionKey(mod.name, fn.name, fn.arity);
        const ref = this.#refOf.get(fn);
        if (ref !== undefined) {
          this.#refOf.delete(fn);
          this.#byKey.delete(key, ref);
          this.#byName.delete(fn.name, ref);
          this.#byNameArity.delete(`${fn.name}/${fn.arity}`, ref);
        }
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
      this.#refOf,
    ]) {
      map.clear();
    }
    this.#callers.clear();
    this.#callees.clear();
    this.#deferred.clear();
    this.#read.clear();
    this.#functionCount = 0;
    this.#clauseCount = 0;
    this.#failed = 0;
  }

  /**
   * Drops what can be rebuilt on demand (the caller and callee lists built by lookups), for a
   * memory manager under pressure; returns how many lists were dropped.
   */
  dropCaches(): number {
    return this.#callers.dropLists() + this.#callees.dropLists();
  }

  /** The file's entry (loading it if deferred), or undefined. */
  file(path: string): FileEntry | undefined {
    return this.#entry(path);
  }

  /** Every file entry (loading deferred files), in insertion order. */
  files(): IterableIterator<FileEntry> {
    this.materialize();
    return this.#files.values();
  }

  /** Every file path, loaded or deferred, without loading anything. */
  paths(): string[] {
    return [...this.#files.keys(), ...this.#deferred.keys()];
  }

  /** The content hash a file was indexed from, without loading it; undefined when unknown. */
  hashOf(path: string): string | null | undefined {
    const d = this.#deferred.get(path);
    if (d !== undefined) return d.hash;
    return this.#files.get(path)?.hash;
  }

  /** The parse error of a file without loading it (deferred files have none). */
  errorOf(path: string): FileError | null {
    return this.#files.get(path)?.error ?? null;
  }

  /** How much a file holds, without loading it; undefined when unknown. */
  countsOf(path: string): FileCounts | undefined {
    const d = this.#deferred.get(path);
    if (d !== undefined) return d.counts;
    const e = this.#files.get(path);
    return e === undefined ? undefined : countsOf(e.extraction);
  }

  /** Modules defined in `path` (empty for an unknown or failed file). */
  modulesInFile(path: string): readonly ModuleInfo[] {
    return this.#entry(path)?.extraction?.modules ?? EMPTY;
  }

  /** Definitions of the module `name` (usually one; more when several files define it). */
  modules(name: string): readonly ModuleInfo[] {
    if (this.#deferred.size > 0) this.materialize();
    return this.#modules.get(name);
  }

  /** The first definition of module `name`, or undefined. */
  module(name: string): ModuleInfo | undefined {
    if (this.#deferred.size > 0) this.materialize();
    return this.#modules.first(name);
  }

  /** Every module name, in insertion order. */
  moduleNames(): IterableIterator<string> {
    if (this.#deferred.size > 0) this.materialize();
    return this.#modules.keys();
  }

  /** Every module of every file, in file order. */
  *allModules(): IterableIterator<ModuleInfo> {
    if (this.#deferred.size > 0) this.materialize();
    for (const f of this.#files.values()) if (f.extraction) yield* f.extraction.modules;
  }

  /** The function `module.name/arity` (more than one when the module is defined twice). */
  functions(module: string, name: string, arity: number): readonly FunctionRef[] {
    if (this.#deferred.size > 0) this.materialize();
    return this.#byKey.get(functionKey(module, name, arity));
  }

  /** The function with key `Module.name/arity`. */
  functionByKey(key: string): readonly FunctionRef[] {
    if (this.#deferred.size > 0) this.materialize();
    return this.#byKey.get(key);
  }

  /** Every function named `name` in any module, any arity; with `arity`, that arity only. */
  functionsNamed(name: string, arity?: number): readonly FunctionRef[] {
    if (this.#deferred.size > 0) this.materialize();
    if (arity === undefined) return this.#byName.get(name);
    return this.#byNameArity.get(`${name}/${arity}`);
  }

  /** Modules that declare or imply `behaviour` (`GenServer`, `Plug`, a project behaviour...). */
  modulesWithBehaviour(behaviour: string): readonly ModuleInfo[] {
    if (this.#deferred.size > 0) this.materialize();
    return this.#byBehaviour.get(behaviour);
  }

  /** Every behaviour name with at least one module. */
  behaviours(): IterableIterator<string> {
    if (this.#deferred.size > 0) this.materialize();
    return this.#byBehaviour.keys();
  }

  /**
   * Functions calling `key` (`Module.name/arity`; outside functions such as `Enum.map/2` too),
   * with their call-site counts, in insertion order.
   */
  callers(key: string): readonly CallRef[] {
    if (this.#deferred.size > 0) this.materialize();
    return this.#callers.get(key);
  }

  /** Functions `key` calls (resolved targets only; dynamic calls are not indexed). */
  callees(key: string): readonly CallRef[] {
    if (this.#deferred.size > 0) this.materialize();
    return this.#callees.get(key);
  }

  /** Number of distinct functions calling `key`, without allocating. */
  callerCount(key: string): number {
    if (this.#deferred.size > 0) this.materialize();
    return this.#callers.size(key);
  }

  /** Index sizes. */
  stats(): RepositoryStats {
    if (this.#deferred.size > 0) this.materialize();
    const edges = this.#callees.pairs();
    return {
      files: this.#files.size,
      failedFiles: this.#failed,
      modules: this.#modules.size,
      functions: this.#functionCount,
      clauses: this.#clauseCount,
      callEdges: edges,
    };
  }
}
