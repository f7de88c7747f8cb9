/**
 * IncrementalProject against a cold analyzeProject: after any sequence of edits (files added,
 * removed, duplicated at another path, and edited: functions dropped, calls retargeted,
 * dependencies added and removed, visibility toggled, modules renamed), the incremental state
 * equals a cold run over the same files. The files are real: Mix's sources, parsed once.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { IncrementalProject } from "../../../src/ast/analysis/incremental.js";
import { analyzeProject } from "../../../src/ast/analysis/project.js";
import type { DependencyKind, FileExtraction } from "../../../src/ast/model.js";
import { discoverFiles } from "../../../src/ast/population/discover.js";
import { extractionOf, processSource } from "../../../src/ast/population/process.js";

const ROOT = join(import.meta.dirname, "../../../corpus/elixir/lib/mix");
let pool: FileExtraction[] = [];

beforeAll(() => {
  const files = discoverFiles(ROOT)
    .files.filter((f) => f.startsWith("lib/mix/") && !f.includes("/compilers/"))
    .slice(0, 90);
  for (const path of files) {
    const out = processSource(path, readFileSync(join(ROOT, path)), {});
    if (out.ok) pool.push(extractionOf(out));
  }
  pool = pool.filter((f) => f.modules.length > 0);
}, 120_000);

/** One edit, its choices drawn as numbers and resolved against the state when applied. */
type Edit = { op: number; a: number; b: number; c: number };
const edit = fc.record({
  op: fc.nat(8),
  a: fc.nat(10_000),
  b: fc.nat(10_000),
  c: fc.nat(10_000),
});
const KINDS: DependencyKind[] = ["call", "alias", "import", "require", "use", "struct"];

const pick = <T>(xs: readonly T[], n: number): T | undefined =>
  xs.length === 0 ? undefined : xs[n % xs.length];

/** Applies one edit to `files`; returns the changed paths and the removed ones. */
function apply(
  files: Map<string, FileExtraction>,
  e: Edit,
): { changed: string[]; removed: string[] } {
  const paths = [...files.keys()];
  const names = [...files.values()].flatMap((f) => f.modules.map((m) => m.name));
  if (e.op === 0 || paths.length === 0) {
    const f = pick(pool, e.a) as FileExtraction;
    files.set(f.path, structuredClone(f));
    return { changed: [f.path], removed: [] };
  }
  if (e.op === 1) {
    const path = pick(paths, e.a) as string;
    files.delete(path);
    return { changed: [], removed: [path] };
  }
  if (e.op === 2) {
    // The same modules defined a second time, in a file sorting before or after the first.
    const f = pick(pool, e.a) as FileExtraction;
    const path = e.b % 2 === 0 ? `a/dup${e.c % 5}.ex` : `z/dup${e.c % 5}.ex`;
    const copy = structuredClone(f);
    copy.path = path;
    for (const m of copy.modules) m.file = path;
    files.set(path, copy);
    return { changed: [path], removed: [] };
  }
  const path = pick(paths, e.a) as string;
  const f = structuredClone(files.get(path) as FileExtraction);
  const m = pick(f.modules, e.b);
  if (m === undefined) return { changed: [], removed: [] };
  const fn = pick(m.functions, e.c);
  switch (e.op) {
    case 3:
      if (fn !== undefined) m.functions = m.functions.filter((x) => x !== fn);
      break;
    case 4: {
      // A call now reaching a function of another module of the project.
      const target = pick(
        [...files.values()].flatMap((x) => x.modules),
        e.c,
      );
      const call = pick(fn?.clauses.flatMap((c) => c.calls) ?? [], e.a);
      const tf = pick(target?.functions ?? [], e.b);
      if (call !== undefined && target !== undefined && tf !== undefined) {
        Object.assign(call, {
          kind: "remote",
          module: target.name,
          name: tf.name,
          arity: tf.arity,
        });
      }
      break;
    }
    case 5:
      m.dependencies.push({
        target: pick(names, e.c) as string,
        kind: pick(KINDS, e.a) as DependencyKind,
        line: 1,
      });
      break;
    case 6:
      m.dependencies = m.dependencies.filter((_, i) => i % 2 === e.c % 2);
      break;
    case 7:
      if (fn !== undefined) fn.visibility = fn.visibility === "public" ? "private" : "public";
      break;
    default:
      m.name = pick(names, e.c) as string;
  }
  files.set(path, f);
  return { changed: [path], removed: [] };
}

describe("IncrementalProject", () => {
  it("equals a cold analysis after random edit sequences over real files", () => {
    expect(pool.length).toBeGreaterThan(40);
    fc.assert(
      fc.property(
        fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        (batches) => {
          const files = new Map<string, FileExtraction>();
          const start = pool.slice(0, 30);
          for (const f of start) files.set(f.path, structuredClone(f));
          const inc = new IncrementalProject();
          inc.update([...files.values()]);
          for (const batch of batches) {
            const changed = new Set<string>();
            const removed = new Set<string>();
            for (const e of batch) {
              const r = apply(files, e);
              for (const p of r.changed) {
                changed.add(p);
                removed.delete(p);
              }
              for (const p of r.removed) {
                removed.add(p);
                changed.delete(p);
              }
            }
            inc.update(
              [...changed].map((p) => files.get(p) as FileExtraction),
              [...removed],
            );
            expect(inc.analysis()).toEqual(analyzeProject([...files.values()]));
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);

  it("applies a batch added in several updates like one added at once", () => {
    const inc = new IncrementalProject();
    for (let i = 0; i < pool.length; i += 7) inc.update(pool.slice(i, i + 7));
    expect(inc.analysis()).toEqual(analyzeProject(pool));
    expect(inc.analysis().moduleGraph.nodes.length).toBeGreaterThan(40);
    expect(inc.analysis().callGraph.edges.length).toBeGreaterThan(100);
  });

  it("passes the thresholds and templates on as the cold analysis does", () => {
    const options = { maxFunctionLines: 5, maxNesting: 1 };
    const inc = new IncrementalProject(options, { templates: ["lib/mix/task.html.heex"] });
    inc.update(pool);
    const cold = analyzeProject(pool, options, { templates: ["lib/mix/task.html.heex"] });
    expect(inc.analysis()).toEqual(cold);
    expect(cold.findings.some((f) => f.rule === "long-function")).toBe(true);
  });

  it("rejects unknown options as the cold analysis does", () => {
    expect(() => new IncrementalProject({ bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
  });
});
