/**
 * The second extraction phase: groups a module's clauses into functions by name and arity,
 * expands default arguments, adds generated functions, and walks every clause once for its
 * metrics and calls.
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

/** Turns a module draft into its final form; `id` is the module's ID. */
export function finishModule(
  draft: ModuleDraft,
  file: string,
  id: string,
  ectoQuery: boolean,
): ModuleInfo {
  // Group clauses by name/arity in order of first appearance.
  const groups = new Map<string, ClauseDraft[]>();
  for (const c of draft.clauses) {
    const key = `${c.name}/${c.arity}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [c]);
    else g.push(c);
  }
  const locals = new Set<string>(groups.keys());
  const defaultArities = new Map<string, { base: ClauseDraft; arity: number }>();
  for (const [, g] of groups) {
    const first = g[0];
    const defaults = Math.max(...g.map((c) => c.defaults));
    for (let ar = first.arity - defaults; ar < first.arity; ar++) {
      const key = `${first.name}/${ar}`;
      if (!groups.has(key) && !defaultArities.has(key))
        defaultArities.set(key, { base: first, arity: ar });
      locals.add(key);
    }
  }
  for (const gf of draft.generated) locals.add(`${gf.name}/${gf.arity}`);

  const specs = new Set(draft.specs.map((s) => `${s.name}/${s.arity}`));
  const deps: ModuleDependency[] = [...draft.dependencies];
  const depKeys = new Set(deps.map((d) => `${d.kind} ${d.target}`));
  const functions: FunctionInfo[] = [];
  const addDeps = (found: readonly ModuleDependency[]) => {
    for (const dep of found) {
      const k = `${dep.kind} ${dep.target}`;
      if (dep.target !== draft.name && !depKeys.has(k)) {
        depKeys.add(k);
        deps.push({ target: dep.target, kind: dep.kind, line: dep.line });
      }
    }
  };

  for (const [key, g] of groups) {
    const first = g[0];
    const fid = `${id}.${key}`;
    const clauses: ClauseInfo[] = g.map((c, i) => {
      const cid = `${fid}:${i}`;
      const r = measureClauseWithCalls(
        {
          module: draft.name,
          aliases: c.aliases,
          locals,
          importedOnly: c.importedOnly,
          name: c.name,
          arity: c.arity,
          ectoQuery,
          idPrefix: cid,
        },
        c.defArgs,
        c.kind,
        { params: c.headArgs, guards: c.guards, blocks: c.blocks },
        c.line,
        c.endLine,
      );
      addDeps(r.dependencies);
      const metrics = r.metrics;
      return {
        id: cid,
        file,
        line: c.line,
        endLine: c.endLine,
        column: c.column,
        arity: c.arity,
        guards: c.guards.map((t) => print(t)),
        head: c.blocks.length === 0,
        metrics,
        calls: r.calls,
      };
    });
    const doc: DocState =
      g.find((c) => c.doc !== null)?.doc ?? (g.some((c) => c.impl !== null) ? "false" : "none");
    const delegate = g.find((c) => c.delegateTo !== null)?.delegateTo ?? null;
    functions.push({
      id: fid,
      name: first.name,
      arity: first.arity,
      kind: first.kind,
      visibility: PRIVATE_KINDS.has(first.kind) ? "private" : "public",
      line: first.line,
      endLine: Math.max(...g.map((c) => c.endLine)),
      generated: false,
      generatedBy: null,
      defaultOf: null,
      doc,
      hasSpec: specs.has(key),
      impl: g.find((c) => c.impl !== null)?.impl ?? null,
      delegateTo: delegate,
      clauses,
      metrics: functionMetrics(clauses, first.arity),
    });
    if (delegate !== null) {
      const k = `call ${delegate.module}`;
      if (delegate.module !== draft.name && !depKeys.has(k)) {
        depKeys.add(k);
        deps.push({ target: delegate.module, kind: "call", line: first.line });
      }
    }
  }

  for (const [key, { base, arity }] of defaultArities) {
    const baseFn = functions.find((f) => f.name === base.name && f.arity === base.arity);
    functions.push({
      id: `${id}.${key}`,
      name: base.name,
      arity,
      kind: base.kind,
      visibility: PRIVATE_KINDS.has(base.kind) ? "private" : "public",
      line: base.line,
      endLine: baseFn?.endLine ?? base.endLine,
      generated: false,
      generatedBy: null,
      defaultOf: base.arity,
      doc: baseFn?.doc ?? "none",
      hasSpec: specs.has(key),
      impl: baseFn?.impl ?? null,
      delegateTo: base.delegateTo,
      clauses: [],
      metrics: emptyMetrics(arity),
    });
  }

  const seen = new Set(functions.map((f) => `${f.name}/${f.arity}`));
  for (const gf of draft.generated) {
    const key = `${gf.name}/${gf.arity}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = draft.generatedLines[gf.by] ?? draft.line;
    functions.push({
      id: `${id}.${key}`,
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
      hasSpec: specs.has(key),
      impl: null,
      delegateTo: null,
      clauses: [],
      metrics: emptyMetrics(gf.arity),
    });
  }

  const bodyCalls: CallInfo[] = [];
  draft.bodyExprs.forEach((b, i) => {
    const r = walkClause(
      {
        module: draft.name,
        aliases: b.aliases,
        locals,
        importedOnly: b.importedOnly,
        name: "",
        arity: -1,
        ectoQuery,
        idPrefix: `${id}#body${i}`,
        skipDefinitions: true,
      },
      [],
      [],
      [new Tuple([Atom.of("do"), b.expr])],
      [],
    );
    bodyCalls.push(...r.calls);
    addDeps(r.dependencies);
  });

  functions.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.arity - y.arity));
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
    functions,
    bodyCalls,
    dependencies: deps,
    metrics: moduleMetrics(functions, draft.line, draft.endLine),
  };
}
