import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  EventStore,
  isElixirScopeError,
  ManualClock,
  withErrorContext,
} from "../../../src/foundation/index.js";
import {
  type IsolatedFoundation,
  startIsolatedFoundation,
} from "../../../src/foundation/testing/index.js";

for (const storage of ["memory", "sqlite"] as const) {
  describe(`EventStore (${storage})`, () => {
    let f: IsolatedFoundation;
    let es: EventStore;
    beforeEach(async () => {
      f = await startIsolatedFoundation({ storage });
      es = f.events;
    });
    afterEach(() => f.stop());

    it("stores and gets an event with id, timestamp and data", async () => {
      const e = await es.store({ type: "file.parsed", data: { file: "lib/a.ex", ms: 3 } });
      expect(e.id).toBeGreaterThan(0);
      expect(Math.abs(e.timestamp - Date.now())).toBeLessThan(5_000);
      expect(await es.get(e.id)).toEqual(e);
      await expect(es.get(999_999)).rejects.toMatchObject({ code: "EVENT_NOT_FOUND" });
    });

    it("takes the correlation id from the error context when none is given", async () => {
      const e = await withErrorContext({ correlationId: "req-7" }, () => es.store({ type: "x" }));
      expect(e.correlationId).toBe("req-7");
      expect((await es.store({ type: "x" })).correlationId).toBeNull();
    });

    it("storeBatch is all or nothing: one invalid event refuses the batch", async () => {
      const ok = await es.storeBatch([{ type: "a" }, { type: "b", data: [1, 2] }]);
      expect(ok.map((e) => e.type)).toEqual(["a", "b"]);
      await expect(es.storeBatch([{ type: "c" }, { type: "" }])).rejects.toMatchObject({
        code: "EVENT_INVALID",
        context: { index: 1, field: "type" },
      });
      expect(await es.count()).toBe(2);
    });

    it("refuses data over the size limit with a clear error, and unknown fields", async () => {
      const big = "é".repeat(600_000); // 1.2 MB in UTF-8
      const err = await es.store({ type: "big", data: big }).catch((e) => e);
      expect(isElixirScopeError(err, "EVENT_TOO_LARGE")).toBe(true);
      expect((err as Error).message).toMatch(/over the limit of 1048576/);
      await expect(es.store({ type: "x", dat: 1 } as never)).rejects.toMatchObject({
        code: "EVENT_INVALID",
      });
      await expect(es.store({ type: "x", data: () => 1 })).rejects.toMatchObject({
        code: "EVENT_INVALID",
      });
      expect(es.alive).toBe(true);
    });

    it("queries by type, time range, correlation, parent and whole trees, with order, limit, offset", async () => {
      const t0 = 1_000;
      const root = await es.store({ type: "req", timestamp: t0, correlationId: "c1" });
      const a = await es.store({
        type: "parse",
        timestamp: t0 + 1,
        correlationId: "c1",
        parentId: root.id,
      });
      const b = await es.store({
        type: "parse",
        timestamp: t0 + 2,
        correlationId: "c1",
        parentId: root.id,
      });
      const a1 = await es.store({
        type: "token",
        timestamp: t0 + 3,
        correlationId: "c1",
        parentId: a.id,
      });
      const other = await es.store({ type: "req", timestamp: t0 + 4, correlationId: "c2" });
      const ids = (xs: { id: number }[]) => xs.map((x) => x.id);
      expect(ids(await es.query({ type: "parse" }))).toEqual([a.id, b.id]);
      expect(ids(await es.query({ type: ["req", "token"] }))).toEqual([root.id, a1.id, other.id]);
      expect(ids(await es.query({ from: t0 + 1, to: t0 + 3 }))).toEqual([a.id, b.id, a1.id]);
      expect(ids(await es.byCorrelation("c1"))).toEqual([root.id, a.id, b.id, a1.id]);
      expect(ids(await es.query({ parentId: root.id }))).toEqual([a.id, b.id]);
      expect(ids(await es.tree(root.id))).toEqual([root.id, a.id, b.id, a1.id]);
      expect(ids(await es.tree(a.id))).toEqual([a.id, a1.id]);
      expect(ids(await es.query({ order: "desc", limit: 2, offset: 1 }))).toEqual([a1.id, b.id]);
      await expect(es.query({ tpye: "x" } as never)).rejects.toMatchObject({
        code: "EVENT_QUERY_INVALID",
      });
    });

    it("recent returns the newest first", async () => {
      for (let i = 0; i < 5; i++) await es.store({ type: "n", timestamp: 100 + i, data: i });
      expect((await es.recent(3)).map((e) => e.data)).toEqual([4, 3, 2]);
    });
  });
}

describe("EventStore retention", () => {
  it("runs by itself on the clock: by age, then by count", async () => {
    const clock = new ManualClock(10_000);
    const es = await new EventStore({
      storage: "memory",
      clock,
      retention: { maxAgeMs: 1_000, maxCount: 3, sweepIntervalMs: 100 },
    }).start();
    for (let i = 0; i < 6; i++) await es.store({ type: "t", timestamp: 9_000 + i * 300, data: i });
    // Timestamps 9000..10500; at 10100 the cut is 9100: drops 9000. Then keep newest 3.
    clock.advance(100);
    expect((await es.query()).map((e) => e.data)).toEqual([3, 4, 5]);
    clock.advance(1_000); // now 11100: cut 10100, drops 9900 (3), keeps 10200, 10500
    expect((await es.query()).map((e) => e.data)).toEqual([4, 5]);
    await es.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it("can be run on demand and reports what it deleted", async () => {
    const clock = new ManualClock(5_000);
    const es = await new EventStore({
      storage: "memory",
      clock,
      retention: { maxCount: 2 },
    }).start();
    await es.storeBatch([{ type: "a" }, { type: "b" }, { type: "c" }]);
    expect(await es.prune()).toEqual({ byAge: 0, byCount: 1 });
    await es.stop();
  });
});

describe("EventStore on a file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "es-file-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps events across a restart of the service, and ids keep increasing", async () => {
    const path = join(dir, "events.sqlite");
    const first = await new EventStore({ path }).start();
    const stored = await first.storeBatch([
      { type: "a", data: { n: 1 } },
      { type: "b", data: { n: 2 } },
    ]);
    await first.stop();
    const second = await new EventStore({ path }).start();
    expect(await second.query()).toEqual(stored);
    const next = await second.store({ type: "c" });
    expect(next.id).toBeGreaterThan(stored[1]!.id);
    await second.stop();
  });

  it("rejects unknown and contradictory options", () => {
    expect(() => new EventStore({ path: "x", retention: { maxAge: 5 } } as never)).toThrow(
      /unknown option "maxAge"/,
    );
    expect(() => new EventStore({})).toThrow(/path is required/);
    expect(() => new EventStore({ storage: "memory", path: "x" })).toThrow(/does not apply/);
  });
});
