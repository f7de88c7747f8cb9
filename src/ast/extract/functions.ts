/**
 * The second extraction phase: groups a module's clauses into functions by name and arity,
 * expands default arguments, adds generated functions, and walks every clause once for its
 * metrics and calls. {@link finishModule} runs the phases in order: group, measure written
 * functions, add default arities, add generated functions, walk the module body.
 * @packageDocumentation
 */
import { walkClause } from "../analysis/clause-walk.js";
import { emptyMetrics, functionMetrics, moduleMetrics } from "../analysis/metrics.js";
import type {
  CallInfo,
  ClauseInfo,
  DocState,
  FunctionInfo,
  ModuleDependency,
  ModuleInfo,
} from "../model.js";
import { Atom, Tuple } from "../term.js";
import { measureClauseWithCalls } from "./measure.js";
import type { ClauseDraft, ModuleDraft } from "./module.js";
import { print } from "./print.js";

const PRIVATE_KINDS = new Set(["defp", "defmacrop", "defguardp"]);

/** What the phases of {@link finishModule} share. */
interface Finishing {
  draft: ModuleDraft;
  file: string;
  id: string;
  ectoQuery: boolean;
  /** Clauses by `name/arity`, in order of first appearance. */
  groups: Map<string, ClauseDraft[]>;
  /** Every `name/arity` callable locally: written, default arities, generated. */
  locals: Set<string>;
  specs: Set<string>;
  functions: FunctionInfo[];
  dependencies: ModuleDependency[];
  depKeys: Set<string>;
}

function visibilityOf(kind: string): FunctionInfo["visibility"] {
  return PRIVATE_KINDS.has(kind) ? "private" : "public";
}

/** Adds a module reference unless it is to the module itself or already known. */
function addDependency(f: Finishing, dep: ModuleDependency): void {
  const k = `${dep.kind} ${dep.target}`;
  if (dep.target === f.draft.name || f.depKeys.has(k)) return;
  f.depKeys.add(k);
  f.dependencies.push({ target: dep.target, kind: dep.kind, line: dep.line });
}

function groupClauses(draft: ModuleDraft): Map<string, ClauseDraft[]> {
  const groups = new Map<string, ClauseDraft[]>();
  for (const c of draft.clauses) {
    const key = `${c.name}/${c.arity}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [c]);
    else g.push(c);
  }
  return groups;
}

/** The arities default arguments create that no written function has, by `name/arity`. */
function defaultArities(f: Finishing): Map<string, { base: ClauseDraft; arity: number }> {
  const out = new Map<string, { base: ClauseDraft; arity: number }>();
  for (const g of f.groups.values()) {
    const first = g[0];
    let defaults = 0;
    for (const c of g) if (c.defaults > defaults) defaults = c.defaults;
    for (let ar = first.arity - defaults; ar < first.arity; ar++) {
      const key = `${first.name}/${ar}`;
      if (!f.groups.has(key) && !out.has(key)) out.set(key, { base: first, arity: ar });
    }
  }
  return out;
}

function clauseOf(f: Finishing, c: ClauseDraft, cid: string): ClauseInfo {
  const r = measureClauseWithCalls(
    {
      module: f.draft.name,
      aliases: c.aliases,
      locals: f.locals,
      importedOnly: c.importedOnly,
      name: c.name,
      arity: c.arity,
      ectoQuery: f.ectoQuery,
      idPrefix: cid,
    },
    c.defArgs,
    c.kind,
    { params: c.headArgs, guards: c.guards, blocks: c.blocks },
    c.line,
    c.endLine,
  );
  for (const dep of r.dependencies) addDependency(f, dep);
  return {
    id: cid,
    file: f.file,
    line: c.line,
    endLine: c.endLine,
    column: c.column,
    arity: c.arity,
    guards: c.guards.map((t) => print(t)),
    head: c.blocks.length === 0,
    metrics: r.metrics,
    calls: r.calls,
  };
}

/** A written function from its clauses (bodiless heads included). */
function writtenFunction(f: Finishing, key: string, all: ClauseDraft[]): FunctionInfo {
  // `def f` in one branch of a module-level `if` and `defdelegate f` in the other define one
  // function. The delegation has no body and is not a head Credo measures, so next to written
  // clauses it contributes only `delegateTo`.
  const g = all.some((c) => c.kind !== "defdelegate")
    ? all.filter((c) => c.kind !== "defdelegate")
    : all;
  const first = g[0];
  const fid = `${f.id}.${key}`;
  const clauses = g.map((c, i) => clauseOf(f, c, `${fid}:${i}`));
  const doc: DocState =
    g.find((c) => c.doc !== null)?.doc ?? (g.some((c) => c.impl !== null) ? "false" : "none");
  const delegate = all.find((c) => c.delegateTo !== null)?.delegateTo ?? null;
  if (delegate !== null)
    addDependency(f, { target: delegate.module, kind: "call", line: first.line });
  let endLine = first.endLine;
  for (const c of all) if (c.endLine > endLine) endLine = c.endLine;
  return {
    id: fid,
    name: first.name,
    arity: first.arity,
    kind: first.kind,
    visibility: visibilityOf(first.kind),
    line: first.line,
    endLine,
    generated: false,
    generatedBy: null,
    defaultOf: null,
    doc,
    hasSpec: f.specs.has(key),
    impl: g.find((c) => c.impl !== null)?.impl ?? null,
    delegateTo: delegate,
    clauses,
    metrics: functionMetrics(clauses, first.arity),
  };
}

/** `f/1` of `def f(a, b \\ 1)`: it calls the written function, and has no clauses of its own. */
function defaultArityFunction(f: Finishing, key: string, base: ClauseDraft, arity: number) {
  const baseFn = f.functions.find((x) => x.name === base.name && x.arity === base.arity);
  return {
    id: `${f.id}.${key}`,
    name: base.name,
    arity,
    kind: base.kind,
    visibility: visibilityOf(base.kind),
    line: base.line,
    endLine: baseFn?.endLine ?? base.endLine,
    generated: false,
    generatedBy: null,
    defaultOf: base.arity,
    doc: baseFn?.doc ?? "none",
    hasSpec: f.specs.has(key),
    impl: baseFn?.impl ?? null,
    delegateTo: base.delegateTo,
    clauses: [],
    metrics: emptyMetrics(arity),
  } satisfies FunctionInfo;
}

/** Functions macros define (`defstruct`, `use GenServer`...) that the source does not. */
function addGenerated(f: Finishing): void {
  const seen = new Set(f.functions.map((x) => `${x.name}/${x.arity}`));
  for (const gf of f.draft.generated) {
    const key = `${gf.name}/${gf.arity}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = f.draft.generatedLines[gf.by] ?? f.draft.line;
    f.functions.push({
      id: `${f.id}.${key}`,
      name: gf.name,
      arity: gf.arity,
      kind: "def",
      visibility: "public",
      line,
      endLine: line,
      generated: true,
      generatedBy: gf.by,
      defaultOf: null,
      doc: "none",
      hasSpec: f.specs.has(key),
      impl: null,
      delegateTo: null,
      clauses: [],
      metrics: emptyMetrics(gf.arity),
    });
  }
}

/** Calls of the module body outside any function (attribute values, `test` blocks...). */
function bodyCalls(f: Finishing): CallInfo[] {
  const out: CallInfo[] = [];
  f.draft.bodyExprs.forEach((b, i) => {
    const r = walkClause(
      {
        module: f.draft.name,
        aliases: b.aliases,
        locals: f.locals,
        importedOnly: b.importedOnly,
        name: "",
        arity: -1,
        ectoQuery: f.ectoQuery,
        idPrefix: `${f.id}#body${i}`,
        skipDefinitions: true,
      },
      [],
      [],
      [new Tuple([Atom.of("do"), b.expr])],
      [],
    );
    for (const c of r.calls) out.push(c);
    for (const dep of r.dependencies) addDependency(f, dep);
  });
  return out;
}

function byNameArity(x: FunctionInfo, y: FunctionInfo): number {
  return x.name < y.name ? -1 : x.name > y.name ? 1 : x.arity - y.arity;
}

/** Turns a module draft into its final form; `id` is the module's ID. */
export function finishModule(
  draft: ModuleDraft,
  file: string,
  id: string,
  ectoQuery: boolean,
): ModuleInfo {
  const groups = groupClauses(draft);
  const f: Finishing = {
    draft,
    file,
    id,
    ectoQuery,
    groups,
    locals: new Set(groups.keys()),
    specs: new Set(draft.specs.map((s) => `${s.name}/${s.arity}`)),
    functions: [],
    dependencies: [...draft.dependencies],
    depKeys: new Set(draft.dependencies.map((d) => `${d.kind} ${d.target}`)),
  };
  const defaults = defaultArities(f);
  for (const key of defaults.keys()) f.locals.add(key);
  for (const gf of draft.generated) f.locals.add(`${gf.name}/${gf.arity}`);
  for (const [key, g] of groups) f.functions.push(writtenFunction(f, key, g));
  for (const [key, { base, arity }] of defaults)
    f.functions.push(defaultArityFunction(f, key, base, arity));
  addGenerated(f);
  const calls = bodyCalls(f);
  f.functions.sort(byNameArity);
  return {
    id,
    name: draft.name,
    kind: draft.kind,
    file,
    line: draft.line,
    endLine: draft.endLine,
    parent: draft.parent,
    moduledoc: draft.moduledoc,
    behaviours: draft.behaviours,
    uses: draft.uses,
    imports: draft.imports,
    aliases: draft.aliases,
    requires: draft.requires,
    attributes: draft.attributes,
    types: draft.types,
    specs: draft.specs,
    callbacks: draft.callbacks,
    impl: draft.impl,
    structFields: draft.structFields,
    exception: draft.exception,
    functions: f.functions,
    bodyCalls: calls,
    dependencies: f.dependencies,
    metrics: moduleMetrics(f.functions, draft.line, draft.endLine),
  };
}
