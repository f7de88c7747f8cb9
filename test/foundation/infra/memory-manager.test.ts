import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import {
  type LevelChange,
  LruCache,
  ManualClock,
  MemoryManager,
  type MemorySample,
} from "../../../src/foundation/index.js";
import { advance } from "./helpers.js";

function injected(): { source: () => MemorySample; set: (ratio: number) => void } {
  let used = 0;
  return {
    source: () => ({ heapUsed: used, heapTotal: used, heapLimit: 1000, rss: used, external: 0 }),
    set: (ratio) => {
      used = ratio * 1000;
    },
  };
}

describe("MemoryManager (injected memory source)", () => {
  it("derives levels with hysteresis so it does not flap", async () => {
    const mem = injected();
    const m = new MemoryManager({ name: "mem", source: mem.source, hysteresis: 0.05 });
    const seen: string[] = [];
    m.onLevelChange((c) => seen.push(`${c.from}->${c.to}`));
    for (const r of [0.5, 0.7, 0.69, 0.66, 0.7, 0.64, 0.9, 0.96, 0.93, 0.5]) {
      mem.set(r);
      await m.sample();
    }
    expect(seen).toEqual([
      "normal->elevated",
      "elevated->normal",
      "normal->high",
      "high->critical",
      "critical->normal",
    ]);
  });

  it("runs cleanup actions of every level crossed, lowest first, and survives a failing one", async () => {
    const mem = injected();
    const m = new MemoryManager({ name: "mem", source: mem.source });
    const ran: string[] = [];
    m.onLevel("elevated", () => {
      ran.push("elevated");
    });
    m.onLevel("high", () => {
      throw new Error("cleanup bug");
    });
    const sub = m.onLevel("critical", () => {
      ran.push("critical");
    });
    mem.set(0.97);
    await m.sample();
    expect(ran).toEqual(["elevated", "critical"]);
    expect(m.health()).toMatchObject({ status: "unhealthy" });
    sub.dispose();
    mem.set(0.1);
    await m.sample();
    mem.set(0.97);
    await m.sample();
    expect(ran).toEqual(["elevated", "critical", "elevated"]);
  });

  it("samples on its interval with the injected clock, and stops cleanly", async () => {
    const mem = injected();
    const clock = new ManualClock(0);
    const m = new MemoryManager({
      name: "mem",
      source: mem.source,
      intervalMs: 1000,
      clock,
      rssLimitBytes: 500,
    });
    const changes: LevelChange[] = [];
    m.onLevelChange((c) => changes.push(c));
    m.start();
    mem.set(0.45); // heap 45%, RSS 90% of its limit: RSS decides
    await advance(clock, 1000, 500);
    expect(m.level).toBe("high");
    expect(changes[0].pressure).toBeCloseTo(0.9);
    await m.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it("a registered LRU cache trims at high and empties at critical", async () => {
    const mem = injected();
    const m = new MemoryManager({ name: "mem", source: mem.source });
    const cache = new LruCache<string, string>({ name: "ast", maxEntries: 100, memoryManager: m });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, "v");
    mem.set(0.86);
    await m.sample();
    expect(cache.size).toBe(5);
    expect(cache.has("k9")).toBe(true);
    expect(cache.has("k0")).toBe(false);
    mem.set(0.96);
    await m.sample();
    expect(cache.size).toBe(0);
  });

  it("rejects thresholds that do not rise", () => {
    expect(() => new MemoryManager({ name: "m", thresholds: { high: 0.6 } })).toThrow(
      /elevated < high < critical/,
    );
  });
});

describe("LruCache", () => {
  it("bounds entries and bytes, evicting least recently used", () => {
    const c = new LruCache<string, string>({
      name: "c",
      maxEntries: 3,
      maxBytes: 10,
      sizeOf: (v) => v.length,
    });
    c.set("a", "1111").set("b", "2222");
    c.get("a");
    c.set("c", "333");
    expect([c.has("a"), c.has("b"), c.has("c")]).toEqual([true, false, true]);
    expect(c.bytes).toBe(7);
    c.set("d", "1").set("e", "1");
    expect(c.size).toBe(3);
    c.set("huge", "x".repeat(11));
    expect(c.has("huge")).toBe(false);
    expect(() => new LruCache({ name: "c", maxEntries: 1, maxBytes: 5 })).toThrow(/sizeOf/);
  });
});

describe("MemoryManager (real allocation)", () => {
  it("sees real heap growth, cleans up at critical, and returns to normal after GC", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const base = process.memoryUsage().heapUsed;
    // 100 MB above the current heap counts as full: ~60 MB of live arrays is "elevated" or more.
    const m = new MemoryManager({
      name: "real",
      heapLimitBytes: base + 100e6,
      thresholds: { elevated: 0.7, high: 0.85, critical: 0.9 },
    });
    const cache = new LruCache<number, number[]>({
      name: "blocks",
      maxEntries: 1000,
      sizeOf: (v) => v.length * 8,
      memoryManager: m,
    });
    const levels: string[] = [];
    m.onLevelChange((c) => levels.push(c.to));
    for (let i = 0; i < 12 && m.level !== "critical"; i++) {
      cache.set(
        i,
        Array.from({ length: 1_000_000 }, (_, j) => j + 0.5),
      );
      await m.sample();
    }
    expect(levels).toContain("critical");
    expect(cache.size).toBe(0); // the critical action dropped everything
    gc();
    await m.sample();
    expect(m.level).toBe("normal");
  });
});
