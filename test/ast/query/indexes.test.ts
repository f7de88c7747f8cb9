import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FunctionInfo, ModuleInfo } from "../../../src/ast/model.js";
import { FunctionTable } from "../../../src/ast/query/function-table.js";
import { isPrefixGlob, prefixRange, sortModules } from "../../../src/ast/query/indexes.js";
import { intersect, ModuleSets, subtract } from "../../../src/ast/query/module-sets.js";
import {
  FIELDS,
  functionField,
  functionRow,
  moduleField,
  moduleRow,
} from "../../../src/ast/query/rows.js";

/** Just enough of a module for the indexes (they read names, functions and metrics). */
function fakeModule(name: string, functions: FunctionInfo[] = []): ModuleInfo {
  return {
    name,
    file: `lib/${name}.ex`,
    line: 1,
    kind: "defmodule",
    behaviours: ["GenServer"],
    functions,
    metrics: {
      functionCount: functions.length,
      clauseCount: 2,
      cyclomaticMax: 3,
      cyclomaticSum: 5,
      cognitiveMax: 1,
      nestingMax: 2,
      abcMax: 4.5,
      loc: 10,
    },
  } as unknown as ModuleInfo;
}

function fakeFunction(name: string, arity: number, cyclomatic: number | null): FunctionInfo {
  return {
    name,
    arity,
    kind: "def",
    visibility: "public",
    line: 3,
    generated: false,
    clauses: [{}],
    metrics: { cyclomatic, perceived: 1, abc: 2.5, nesting: 0, cognitive: 1, loc: 4 },
  } as unknown as FunctionInfo;
}

const names = fc.array(fc.stringMatching(/^[AB]{1,3}(\.[ab\u00e9]{0,2}){0,2}$/), {
  maxLength: 40,
});

describe("module prefix ranges", () => {
  it("hold exactly the modules whose names start with the prefix", () => {
    fc.assert(
      fc.property(names, fc.stringMatching(/^[AB.ab]{0,3}$/), (list, prefix) => {
        const sorted = sortModules(list.map((n) => fakeModule(n)));
        const [from, to] = prefixRange(sorted, prefix);
        const want = sorted.filter((m) => m.name.startsWith(prefix));
        expect(sorted.slice(from, to)).toEqual(want);
      }),
    );
  });

  it("know which globs their range serves exactly", () => {
    expect(isPrefixGlob("MyApp.Billing.*")).toBe(true);
    expect(isPrefixGlob("MyApp.*.Worker")).toBe(false);
    expect(isPrefixGlob("MyApp.Billin?")).toBe(false);
    expect(isPrefixGlob("MyApp.**")).toBe(false);
    expect(isPrefixGlob("MyApp")).toBe(false);
  });
});

describe("module bitsets", () => {
  it("intersect, subtract and enumerate as sets do, in numbering order", () => {
    const mods = Array.from({ length: 70 }, (_, i) => fakeModule(`M${i}`));
    const sets = new ModuleSets(mods);
    const subset = fc.uniqueArray(fc.nat(69), { maxLength: 70 });
    fc.assert(
      fc.property(subset, subset, (a, b) => {
        const A = sets.of(a.map((i) => mods[i]));
        const B = sets.of(b.map((i) => mods[i]));
        const inB = new Set(b);
        const ids = (xs: ModuleInfo[]) => xs.map((m) => mods.indexOf(m));
        const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
        expect(ids(sets.members(A))).toEqual(sorted(a));
        expect(ids(sets.members(intersect(A, B)))).toEqual(sorted(a.filter((i) => inB.has(i))));
        expect(ids(sets.members(subtract(A, B)))).toEqual(sorted(a.filter((i) => !inB.has(i))));
        expect(sets.members(sets.all())).toEqual(mods);
        const list = sets.list(A);
        expect(list.length).toBe(a.length);
        const members = sets.members(A);
        for (const [from, to] of [
          [0, 3],
          [2, 40],
          [31, 33],
          [5, Infinity],
          [69, 70],
        ]) {
          expect(list.slice(from, to)).toEqual(members.slice(from, to));
        }
      }),
    );
    expect(sets.of([fakeModule("Elsewhere")]).every((w) => w === 0)).toBe(true);
  });
});

describe("in-place field readers", () => {
  const fns = [fakeFunction("run", 2, 7), fakeFunction("stop", 0, null)];
  const mod = fakeModule("MyApp.Worker", fns);

  it("read every function field as functionRow sets it", () => {
    const table = new FunctionTable([fakeModule("A"), mod]);
    for (const field of FIELDS.functions) {
      fns.forEach((fn, k) => {
        const row = functionRow(mod, fn, null) as unknown as Record<string, unknown>;
        expect(functionField(field)?.({ module: mod, function: fn }), field).toEqual(row[field]);
        // Function k of the second module is number k (the first has none).
        expect(table.reader(field)(k), field).toEqual(row[field]);
      });
    }
    expect([...table.ofModules(0, 2)]).toEqual([0, 1]);
    expect([...table.ofModules(0, 1)]).toEqual([]);
  });

  it("read every module field as moduleRow sets it", () => {
    const row = moduleRow(mod, ["Supervisor"]) as unknown as Record<string, unknown>;
    for (const field of FIELDS.modules) {
      const read = moduleField(field, () => ["Supervisor"]);
      expect(read === undefined ? undefined : read(mod), field).toEqual(row[field]);
    }
  });
});
