import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EventQuery, EventStore, type StoredEvent } from "../../../src/foundation/index.js";

interface Gen {
  type: string;
  timestamp: number;
  correlationId: string | null;
  parentPick: number | null;
}

const genEvent = fc.record({
  type: fc.constantFrom("a", "b", "c"),
  timestamp: fc.integer({ min: 0, max: 20 }),
  correlationId: fc.constantFrom(null, "x", "y"),
  parentPick: fc.option(fc.nat(), { nil: null }),
});

const genQuery = fc.record(
  {
    type: fc.oneof(fc.constantFrom("a", "b", "c"), fc.subarray(["a", "b", "c"], { minLength: 1 })),
    from: fc.integer({ min: 0, max: 20 }),
    to: fc.integer({ min: 0, max: 20 }),
    correlationId: fc.constantFrom("x", "y"),
    parentPick: fc.nat(),
    treePick: fc.nat(),
    order: fc.constantFrom("asc" as const, "desc" as const),
    limit: fc.integer({ min: 0, max: 30 }),
    offset: fc.integer({ min: 0, max: 10 }),
  },
  { requiredKeys: [] },
);

/** The specification, written as plainly as possible. */
function model(all: StoredEvent[], q: EventQuery): StoredEvent[] {
  let tree: Set<number> | undefined;
  if (q.treeOf !== undefined) {
    tree = new Set(all.some((e) => e.id === q.treeOf) ? [q.treeOf] : []);
    let grew = true;
    while (grew) {
      grew = false;
      for (const e of all) {
        if (e.parentId !== null && tree.has(e.parentId) && !tree.has(e.id)) {
          tree.add(e.id);
          grew = true;
        }
      }
    }
  }
  const types = q.type === undefined ? undefined : typeof q.type === "string" ? [q.type] : q.type;
  const hits = all.filter(
    (e) =>
      (!types || types.includes(e.type)) &&
      (q.from === undefined || e.timestamp >= q.from) &&
      (q.to === undefined || e.timestamp <= q.to) &&
      (q.correlationId === undefined || e.correlationId === q.correlationId) &&
      (q.parentId === undefined || e.parentId === q.parentId) &&
      (!tree || tree.has(e.id)),
  );
  hits.sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
  if (q.order === "desc") hits.reverse();
  const offset = q.offset ?? 0;
  return hits.slice(offset, offset + (q.limit ?? 1000));
}

describe("EventStore queries (property)", () => {
  for (const storage of ["memory", "sqlite"] as const) {
    it(`${storage}: every query returns exactly what the specification says`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(genEvent, { maxLength: 40 }),
          fc.array(genQuery, { minLength: 1, maxLength: 8 }),
          async (events: Gen[], queries) => {
            const es = await new EventStore(
              storage === "memory" ? { storage } : { path: ":memory:" },
            ).start();
            try {
              const all: StoredEvent[] = [];
              for (const g of events) {
                const parentId =
                  g.parentPick === null || all.length === 0
                    ? null
                    : all[g.parentPick % all.length]!.id;
                all.push(
                  await es.store({
                    type: g.type,
                    timestamp: g.timestamp,
                    correlationId: g.correlationId,
                    parentId,
                    data: all.length,
                  }),
                );
              }
              for (const raw of queries) {
                const { parentPick, treePick, ...rest } = raw;
                const q: EventQuery = { ...rest };
                if (parentPick !== undefined && all.length)
                  q.parentId = all[parentPick % all.length]!.id;
                if (treePick !== undefined && all.length) q.treeOf = all[treePick % all.length]!.id;
                expect(await es.query(q)).toEqual(model(all, q));
              }
            } finally {
              await es.stop();
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});
