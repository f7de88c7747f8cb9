/** SCC correctness on random graphs against mutual reachability. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cyclesOf, stronglyConnectedComponents } from "../../../src/ast/analysis/graph.js";

function reach(nodes: string[], edges: Map<string, string[]>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const n of nodes) {
    const seen = new Set<string>([n]);
    const todo = [n];
    while (todo.length > 0) {
      const v = todo.pop() as string;
      for (const w of edges.get(v) ?? []) {
        if (!seen.has(w)) {
          seen.add(w);
          todo.push(w);
        }
      }
    }
    out.set(n, seen);
  }
  return out;
}

const graphArb = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), {
      maxLength: 40,
    })
    .map((pairs) => {
      const nodes = Array.from({ length: n }, (_, i) => `M${i}`);
      const edges = new Map<string, string[]>();
      for (const [a, b] of pairs) edges.set(`M${a}`, [...(edges.get(`M${a}`) ?? []), `M${b}`]);
      return { nodes, edges };
    }),
);

describe("stronglyConnectedComponents", () => {
  it("partitions the nodes into mutually reachable classes", () => {
    fc.assert(
      fc.property(graphArb, ({ nodes, edges }) => {
        const comps = stronglyConnectedComponents(nodes, edges);
        const r = reach(nodes, edges);
        const flat = comps.flat();
        expect(flat.sort()).toEqual([...nodes].sort());
        const compOf = new Map<string, number>();
        comps.forEach((c, i) => {
          for (const v of c) compOf.set(v, i);
        });
        for (const u of nodes) {
          for (const v of nodes) {
            const mutual = (r.get(u) as Set<string>).has(v) && (r.get(v) as Set<string>).has(u);
            expect(compOf.get(u) === compOf.get(v)).toBe(mutual);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("reports cycles: components of two or more, or a self-loop", () => {
    const edges = new Map([
      ["A", ["B"]],
      ["B", ["A", "C"]],
      ["C", ["C"]],
      ["D", ["A"]],
    ]);
    expect(cyclesOf(["A", "B", "C", "D"], edges)).toEqual([["A", "B"], ["C"]]);
  });

  it("handles a long chain without exhausting the stack", () => {
    const n = 100_000;
    const nodes = Array.from({ length: n }, (_, i) => `N${i}`);
    const edges = new Map(nodes.map((v, i) => [v, [nodes[(i + 1) % n]]]));
    expect(stronglyConnectedComponents(nodes, edges)).toHaveLength(1);
  });
});
