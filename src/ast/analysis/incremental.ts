/**
 * Incremental project analysis: the result of {@link analyzeProject} kept current as files
 * change, recomputing only what a change can affect.
 *
 * Each module definition ("instance") keeps what it contributes: its call edges and called
 * functions, its module-graph edges, its patterns and its findings. When files change:
 *
 * 1. the instances of the old versions withdraw their contributions and the new ones come in;
 * 2. the function index is rebuilt for the touched module names only;
 * 3. contributions are computed again for the new instances and for every instance that refers to
 *    a touched name (a call, import, delegate, dependency, behaviour, `use` or protocol): only
 *    those can resolve differently;
 * 4. findings are computed again for the touched names, the names of step 3, and every module
 *    one of whose functions became called or uncalled;
 * 5. the module graph's cycles are recomputed around the modules whose edges changed
 *    ({@link CycleIndex}).
 *
 * The {@link ProjectAnalysis} is assembled (sorted, as a cold run sorts it) only when asked for,
 * and then kept until the next change. A cold {@link analyzeProject} over the same files gives an
 * equal result (property-tested in test/ast/analysis-incremental.test.ts).
 * @packageDocumentation
 */
import type {
  CallEdge,
  CallInfo,
  DependencyKind,
  FileExtraction,
  Finding,
  FunctionInfo,
  ModuleGraph,
  ModuleInfo,
  PatternMatch,
  ProjectAnalysis,
} from "../model.js";
import { functionKey } from "../model.js";
import { CycleIndex } from "./incremental-cycles.js";
import { findPatterns, knownCallbacks } from "./patterns.js";
import { type AnalysisOptions, indexEdges, type ProjectInputs, resolveOptions } from "./project.js";
import { computeFindings, type ProjectFacts, RULES, type RuleModule } from "./rules.js";

/** A function the index resolves a key to: the first definition in file order. */
interface Defined {
  module: ModuleInfo;
  fn: FunctionInfo;
}

/** What one module definition adds to the project results. */
interface Contribution {
  /** `from\0to` per resolved call (with repetition: counts are call sites). */
  edges: string[];
  /** Resolved targets of every call (function bodies and module body). */
  called: string[];
  /** The same without self-recursion. */
  elsewhere: string[];
  /** Module-graph edges: `to\0kind`. */
  deps: string[];
  patterns: PatternMatch[];
}

/** One module definition of one file. */
interface Instance {
  m: ModuleInfo;
  path: string;
  /** Position among the file's modules. */
  order: number;
  c: Contribution | null;
  findings: Finding[];
}

const functionRules: RuleModule[] = RULES.filter((r) => r.checkFunction).map((r) => ({
  ...r,
  checkProject: undefined,
}));
const projectRules: RuleModule[] = RULES.filter((r) => r.checkProject).map((r) => ({
  ...r,
  checkFunction: undefined,
}));

/** Modules handled between two yields of {@link IncrementalProject.updateSteps}. */
const STEP = 64;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byEdge = (a: { from: string; to: string }, b: { from: string; to: string }) =>
  cmp(a.from, b.from) || cmp(a.to, b.to);
const byPlace = (a: Finding, b: Finding) =>
  cmp(a.file, b.file) || a.line - b.line || cmp(a.rule, b.rule);
const byInstance = (a: Instance, b: Instance) => cmp(a.path, b.path) || a.order - b.order;

/** A multiset of strings that reports which members appear or disappear. */
class Counter {
  readonly counts = new Map<string, number>();
  readonly members = new Set<string>();
  bump(key: string, by: 1 | -1, changed?: (key: string) => void): void {
    const n = (this.counts.get(key) ?? 0) + by;
    if (n === 0) {
      this.counts.delete(key);
      this.members.delete(key);
      changed?.(key);
    } else {
      if (n === 1 && by === 1) {
        this.members.add(key);
        changed?.(key);
      }
      this.counts.set(key, n);
    }
  }
}

/** Every module name `m`'s results can depend on, besides its own contents. */
function referencedNames(m: ModuleInfo): Set<string> {
  const out = new Set<string>([m.name, ...m.behaviours]);
  const addCall = (c: CallInfo) => {
    if (c.module !== null) out.add(c.module);
  };
  for (const fn of m.functions) {
    for (const c of fn.clauses) for (const call of c.calls) addCall(call);
    if (fn.delegateTo !== null) out.add(fn.delegateTo.module);
  }
  for (const call of m.bodyCalls ?? []) addCall(call);
  for (const d of [...m.imports, ...m.uses]) out.add(d.module);
  for (const d of m.dependencies) out.add(d.target);
  if (m.impl !== null) out.add(m.impl.protocol);
  return out;
}

/** The result of {@link analyzeProject}, maintained across file changes (see the module comment). */
export class IncrementalProject {
  readonly #options: Required<AnalysisOptions>;
  readonly #templates: ReadonlySet<string>;
  readonly #files = new Map<string, Instance[]>();
  readonly #byName = new Map<string, ModuleInfo[]>();
  /** The first definition of each name, in file order (what patterns look behaviours up in). */
  readonly #first = new Map<string, ModuleInfo>();
  readonly #instance = new Map<ModuleInfo, Instance>();
  readonly #functions = new Map<string, Defined>();
  /** Function keys of each module name, for rebuilding the index of one name. */
  readonly #keysOf = new Map<string, string[]>();
  /** Instances that refer to each module name. */
  readonly #refs = new Map<string, Set<Instance>>();
  readonly #edges = new Counter();
  readonly #called = new Counter();
  readonly #elsewhere = new Counter();
  /** from -> to -> `kind` counter. */
  readonly #graph = new Map<string, Map<string, Counter>>();
  readonly #cycles = new CycleIndex();
  #sortedPaths: string[] | null = [];
  #result: ProjectAnalysis | null = null;

  constructor(options: AnalysisOptions = {}, inputs: ProjectInputs = {}) {
    this.#options = resolveOptions(options);
    this.#templates = new Set(inputs.templates ?? []);
  }

  /** Number of files holding modules. */
  get fileCount(): number {
    return this.#files.size;
  }

  /**
   * Applies a change: `changed` files (added or new content; a file that failed to parse is
   * passed in `removed`) and `removed` paths. Cost: proportional to what the change affects.
   */
  update(changed: readonly FileExtraction[], removed: readonly string[] = []): void {
    const steps = this.updateSteps(changed, removed);
    let step = steps.next();
    while (step.done !== true) step = steps.next();
  }

  /**
   * {@link IncrementalProject.update} in steps: the generator yields every {@link STEP} modules,
   * so that a caller can let other work run in between (a whole project at start-up). The state
   * is consistent again only when the generator has finished. Loading a project in one update
   * costs each module once; in many smaller updates, modules that refer to later ones are
   * computed again.
   */
  *updateSteps(
    changed: readonly FileExtraction[],
    removed: readonly string[] = [],
  ): Generator<void, void, undefined> {
    // Module names whose findings must be computed again; touched names are among them.
    const findingNames = new Set<string>();
    const graphSeeds = new Set<string>();
    // A function that becomes called or uncalled changes its module's findings.
    const onCalled = (key: string) => {
      const d = this.#functions.get(key);
      if (d !== undefined) findingNames.add(d.module.name);
    };
    const affected = new Set<Instance>();
    this.#result = null;
    let n = 0;
    for (const path of [...removed, ...changed.map((f) => f.path)]) {
      this.#dropFile(path, findingNames, onCalled, graphSeeds);
      if (++n % STEP === 0) yield;
    }
    for (const f of changed) {
      this.#addFile(f, findingNames, affected);
      if (++n % STEP === 0) yield;
    }
    const touched = [...findingNames];
    for (const name of touched) {
      this.#reindexFunctions(name);
      graphSeeds.add(name);
      for (const i of this.#refs.get(name) ?? []) affected.add(i);
      if (++n % STEP === 0) yield;
    }
    for (const i of affected) {
      this.#withdraw(i, onCalled, graphSeeds);
      if (++n % STEP === 0) yield;
    }
    for (const i of affected) {
      this.#contribute(i, onCalled, graphSeeds);
      findingNames.add(i.m.name);
      if (++n % STEP === 0) yield;
    }
    const facts = this.#facts();
    for (const name of findingNames) {
      this.#refreshFindings(name, facts);
      if (++n % STEP === 0) yield;
    }
    this.#cycles.update(graphSeeds, (name) => this.#successors(name));
    this.#result = null;
  }

  /**
   * About how many module definitions an update would compute again: the new ones and those
   * that refer to a name the change touches (an edit of a module everything uses is large).
   * Lets a caller choose between updating at once and in steps.
   */
  impactOf(changed: readonly FileExtraction[], removed: readonly string[] = []): number {
    const names = new Set<string>();
    let n = 0;
    for (const f of changed) {
      n += f.modules.length;
      for (const m of f.modules) names.add(m.name);
    }
    for (const path of [...removed, ...changed.map((f) => f.path)])
      for (const i of this.#files.get(path) ?? []) names.add(i.m.name);
    for (const name of names) n += this.#refs.get(name)?.size ?? 0;
    return n;
  }

  /** The project analysis now; equal to a cold {@link analyzeProject} over the same files. */
  analysis(): ProjectAnalysis {
    this.#result ??= this.#assemble();
    return this.#result;
  }

  /** Every module definition, in file order (as the cold analysis orders them). */
  modules(): ModuleInfo[] {
    return this.#instancesInOrder().map((i) => i.m);
  }

  #dropFile(
    path: string,
    touched: Set<string>,
    onCalled: (key: string) => void,
    graphSeeds: Set<string>,
  ): void {
    const old = this.#files.get(path);
    if (old === undefined) return;
    this.#files.delete(path);
    this.#sortedPaths = null;
    for (const i of old) {
      touched.add(i.m.name);
      this.#withdraw(i, onCalled, graphSeeds);
      for (const name of referencedNames(i.m)) this.#refs.get(name)?.delete(i);
      this.#setDefinitions(
        i.m.name,
        (this.#byName.get(i.m.name) ?? []).filter((m) => m !== i.m),
      );
      this.#instance.delete(i.m);
    }
  }

  /** Sets the definitions of a name (in file order), keeping the first-definition map. */
  #setDefinitions(name: string, list: ModuleInfo[]): void {
    if (list.length === 0) {
      this.#byName.delete(name);
      this.#first.delete(name);
      return;
    }
    this.#byName.set(name, list);
    this.#first.set(name, list[0]);
  }

  #addFile(f: FileExtraction, touched: Set<string>, affected: Set<Instance>): void {
    if (f.modules.length === 0) return;
    const instances = f.modules.map(
      (m, order): Instance => ({ m, path: f.path, order, c: null, findings: [] }),
    );
    this.#files.set(f.path, instances);
    this.#sortedPaths = null;
    for (const i of instances) {
      touched.add(i.m.name);
      affected.add(i);
      this.#instance.set(i.m, i);
      for (const name of referencedNames(i.m)) {
        let set = this.#refs.get(name);
        if (set === undefined) {
          set = new Set();
          this.#refs.set(name, set);
        }
        set.add(i);
      }
      const list = [...(this.#byName.get(i.m.name) ?? []), i.m];
      list.sort((a, b) =>
        byInstance(this.#instance.get(a) as Instance, this.#instance.get(b) as Instance),
      );
      this.#setDefinitions(i.m.name, list);
    }
  }

  /** Rebuilds the function index entries of one module name: first definition in file order. */
  #reindexFunctions(name: string): void {
    for (const key of this.#keysOf.get(name) ?? []) this.#functions.delete(key);
    const keys: string[] = [];
    for (const m of this.#byName.get(name) ?? []) {
      for (const fn of m.functions) {
        const key = functionKey(m.name, fn.name, fn.arity);
        if (this.#functions.has(key)) continue;
        this.#functions.set(key, { module: m, fn });
        keys.push(key);
      }
    }
    if (keys.length === 0) this.#keysOf.delete(name);
    else this.#keysOf.set(name, keys);
  }

  /** The function a call reaches inside the project, or null (as the cold analysis resolves). */
  #resolve(call: CallInfo, caller: ModuleInfo): string | null {
    if (call.module !== null) {
      const key = functionKey(call.module, call.name, call.arity);
      return this.#functions.has(key) ? key : null;
    }
    if (call.kind !== "imported") return null;
    const na = `${call.name}/${call.arity}`;
    for (const imp of caller.imports) {
      if (imp.only !== null && !imp.only.includes(na)) continue;
      if (imp.except?.includes(na)) continue;
      const key = functionKey(imp.module, call.name, call.arity);
      if (this.#functions.get(key)?.fn.visibility === "public") return key;
    }
    return null;
  }

  #computeContribution(i: Instance): Contribution {
    const m = i.m;
    const c: Contribution = { edges: [], called: [], elsewhere: [], deps: [], patterns: [] };
    for (const fn of m.functions) {
      const from = functionKey(m.name, fn.name, fn.arity);
      const targets: string[] = [];
      for (const clause of fn.clauses)
        for (const call of clause.calls) {
          const to = this.#resolve(call, m);
          if (to !== null) targets.push(to);
        }
      if (fn.delegateTo !== null) {
        const to = functionKey(fn.delegateTo.module, fn.delegateTo.name, fn.arity);
        if (this.#functions.has(to)) targets.push(to);
      }
      for (const to of targets) {
        c.edges.push(`${from}\u0000${to}`);
        c.called.push(to);
        if (to !== from) c.elsewhere.push(to);
      }
    }
    for (const call of m.bodyCalls ?? []) {
      const to = this.#resolve(call, m);
      if (to === null) continue;
      c.called.push(to);
      c.elsewhere.push(to);
    }
    for (const d of m.dependencies)
      if (d.target !== m.name && this.#byName.has(d.target))
        c.deps.push(`${d.target}\u0000${d.kind}`);
    c.patterns = findPatterns([m], this.#first, this.#templates);
    return c;
  }

  #contribute(i: Instance, onCalled: (k: string) => void, graphSeeds: Set<string>): void {
    i.c = this.#computeContribution(i);
    this.#apply(i, 1, onCalled, graphSeeds);
  }

  #withdraw(i: Instance, onCalled: (k: string) => void, graphSeeds: Set<string>): void {
    if (i.c === null) return;
    this.#apply(i, -1, onCalled, graphSeeds);
    i.c = null;
  }

  #apply(i: Instance, by: 1 | -1, onCalled: (k: string) => void, graphSeeds: Set<string>): void {
    const c = i.c as Contribution;
    for (const e of c.edges) this.#edges.bump(e, by);
    for (const k of c.called) this.#called.bump(k, by, onCalled);
    for (const k of c.elsewhere) this.#elsewhere.bump(k, by, onCalled);
    const from = i.m.name;
    for (const dep of c.deps) {
      const [to, kind] = dep.split("\u0000");
      let out = this.#graph.get(from);
      if (out === undefined) {
        out = new Map();
        this.#graph.set(from, out);
      }
      let kinds = out.get(to);
      if (kinds === undefined) {
        kinds = new Counter();
        out.set(to, kinds);
        graphSeeds.add(from);
      }
      kinds.bump(kind, by);
      if (kinds.members.size === 0) {
        out.delete(to);
        graphSeeds.add(from);
        if (out.size === 0) this.#graph.delete(from);
      }
    }
  }

  #successors(name: string): ReadonlySet<string> | undefined {
    if (!this.#byName.has(name)) return undefined;
    return new Set(this.#graph.get(name)?.keys() ?? []);
  }

  /** The facts the rules read, over the current state (the graph and patterns built on demand). */
  #facts(
    moduleGraph: () => ModuleGraph = () => this.analysis().moduleGraph,
    patterns: () => PatternMatch[] = () => this.analysis().patterns,
  ): ProjectFacts {
    const patternsOf = (name: string) =>
      (this.#byName.get(name) ?? []).flatMap((m) => this.#instance.get(m)?.c?.patterns ?? []);
    return {
      options: this.#options,
      modules: this.#byName,
      called: this.#called.members,
      calledFromElsewhere: this.#elsewhere.members,
      get moduleGraph() {
        return moduleGraph();
      },
      get patterns() {
        return patterns();
      },
      contract: (m) => {
        const out = knownCallbacks(m);
        for (const p of patternsOf(m.name)) for (const d of p.defined) out.add(d);
        for (const name of [...m.behaviours, ...m.uses.map((u) => u.module)])
          for (const provider of this.#byName.get(name) ?? []) calledBack(provider, out);
        return out;
      },
    };
  }

  #refreshFindings(name: string, facts: ProjectFacts): void {
    for (const m of this.#byName.get(name) ?? []) {
      const i = this.#instance.get(m) as Instance;
      i.findings = computeFindings([m], facts, functionRules);
    }
  }

  #instancesInOrder(): Instance[] {
    this.#sortedPaths ??= [...this.#files.keys()].sort(cmp);
    return this.#sortedPaths.flatMap((p) => this.#files.get(p) ?? []);
  }

  #assemble(): ProjectAnalysis {
    const instances = this.#instancesInOrder();
    const patterns = instances.flatMap((i) => i.c?.patterns ?? []);
    const moduleGraph = this.#moduleGraph();
    const facts = this.#facts(
      () => moduleGraph,
      () => patterns,
    );
    const findings = [
      ...computeFindings([], facts, projectRules),
      ...instances.flatMap((i) => i.findings),
    ].sort(byPlace);
    return { patterns, findings, moduleGraph, callGraph: this.#callGraph() };
  }

  #moduleGraph(): ProjectAnalysis["moduleGraph"] {
    const edges: ProjectAnalysis["moduleGraph"]["edges"] = [];
    for (const [from, out] of this.#graph)
      for (const [to, kinds] of out)
        edges.push({ from, to, kinds: [...kinds.members].sort() as DependencyKind[] });
    edges.sort(byEdge);
    return { nodes: [...this.#byName.keys()].sort(cmp), edges, cycles: this.#cycles.cycles() };
  }

  #callGraph(): ProjectAnalysis["callGraph"] {
    const edges: CallEdge[] = [];
    for (const [k, count] of this.#edges.counts) {
      const [from, to] = k.split("\u0000");
      edges.push({ from, to, count });
    }
    edges.sort(byEdge);
    const nodes = [...this.#functions.keys()].sort(cmp);
    return { nodes, edges, ...indexEdges(edges) };
  }
}

/** What `provider` makes callable in modules that use it (as the cold analysis's contract). */
function calledBack(provider: ModuleInfo, into: Set<string>): void {
  for (const cb of provider.callbacks) into.add(`${cb.name}/${cb.arity}`);
  for (const fn of provider.functions)
    for (const c of fn.clauses)
      for (const call of c.calls)
        if (call.kind === "dynamic") into.add(`${call.name}/${call.arity}`);
}
