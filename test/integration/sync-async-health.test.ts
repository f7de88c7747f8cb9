import { describe, expect, it } from "vitest";
import { ElixirScopeError, isElixirScopeError, ManualClock } from "../../src/foundation/index.js";
import { EventHub } from "../../src/integration/async-api.js";
import { LayeredHealth } from "../../src/integration/health.js";
import { SyncApi } from "../../src/integration/sync-api.js";

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (error) {
    return isElixirScopeError(error) ? error.code : `untyped ${String(error)}`;
  }
}

describe("SyncApi", () => {
  it("fails a call past its deadline with TIMEOUT", async () => {
    const api = new SyncApi({ defaultDeadlineMs: 20 });
    const slow = new Promise((resolve) => setTimeout(resolve, 500));
    expect(await codeOf(api.call("repository", "slow", () => slow))).toBe("TIMEOUT");
  });

  it("opens the breaker of a failing dependency only, and fails fast with CIRCUIT_OPEN", async () => {
    const api = new SyncApi({ consecutiveFailures: 2, resetTimeoutMs: 60_000 });
    const boom = () => {
      throw new Error("disk on fire");
    };
    expect(await codeOf(api.call("search", "run", boom))).toBe("ANALYSIS_FAILED");
    expect(await codeOf(api.call("search", "run", boom))).toBe("ANALYSIS_FAILED");
    let ran = false;
    const probe = () => {
      ran = true;
      return 1;
    };
    expect(await codeOf(api.call("search", "run", probe))).toBe("CIRCUIT_OPEN");
    expect(ran).toBe(false);
    expect(await api.call("repository", "lookup", () => 42)).toBe(42);
    const states = Object.fromEntries(api.breakers().map((b) => [b.name, b.state.kind]));
    expect(states).toEqual({ "sync-api.search": "open", "sync-api.repository": "closed" });
  });

  it("does not count the caller's errors (NOT_FOUND) against the dependency", async () => {
    const api = new SyncApi({ consecutiveFailures: 1 });
    const missing = () => {
      throw new ElixirScopeError("NOT_FOUND", "no such module");
    };
    for (let i = 0; i < 3; i++) {
      expect(await codeOf(api.call("repository", "module", missing))).toBe("NOT_FOUND");
    }
    expect(api.breakers()[0]!.state.kind).toBe("closed");
  });

  it("keeps the wrapped error's message and names the call", async () => {
    const api = new SyncApi();
    const err = await api
      .call("source", "read", () => {
        throw new TypeError("bad bytes");
      })
      .catch((e: unknown) => e as ElixirScopeError);
    expect(err.message).toBe("source.read failed: bad bytes");
    expect(err.context).toEqual({ dependency: "source", operation: "read" });
  });

  it("rejects unknown options", () => {
    expect(() => new SyncApi({ deadline: 5 } as never)).toThrow(/deadline/);
  });

  it("runs with an injected clock", async () => {
    const clock = new ManualClock();
    const api = new SyncApi({ clock, defaultDeadlineMs: 100 });
    const never = new Promise(() => {});
    const p = codeOf(api.call("repository", "hang", () => never));
    clock.advance(100);
    expect(await p).toBe("TIMEOUT");
  });
});

describe("EventHub", () => {
  it("delivers to every subscriber in order", async () => {
    const hub = new EventHub<number>();
    const a = hub.subscribe();
    const b = hub.subscribe();
    hub.publish(1);
    hub.publish(2);
    for (const s of [a, b]) {
      expect(await s.next()).toEqual({ kind: "event", event: 1 });
      expect(await s.next()).toEqual({ kind: "event", event: 2 });
    }
  });

  it("lets a slow subscriber lag (told how many it missed) without holding the publisher", async () => {
    const hub = new EventHub<number>();
    const slow = hub.subscribe({ bufferSize: 3 });
    const fast = hub.subscribe({ bufferSize: 100 });
    for (let i = 0; i < 10; i++) hub.publish(i);
    expect(slow.buffered).toBe(3);
    expect(await slow.next()).toEqual({ kind: "lagged", dropped: 7 });
    expect(await slow.next()).toEqual({ kind: "event", event: 7 });
    expect(fast.buffered).toBe(10);
    expect(slow.droppedTotal).toBe(7);
  });

  it("drops a subscriber that asked to be dropped on overflow", async () => {
    const hub = new EventHub<number>();
    const s = hub.subscribe({ bufferSize: 2, onOverflow: "drop" });
    for (let i = 0; i < 3; i++) hub.publish(i);
    expect(s.closed).toBe(true);
    expect(hub.subscribers).toBe(0);
    expect(await s.next()).toEqual({ kind: "event", event: 0 });
    expect(await s.next()).toEqual({ kind: "event", event: 1 });
    expect(await s.next()).toBeUndefined();
  });

  it("wakes a waiting reader, and ends iteration on close", async () => {
    const hub = new EventHub<string>();
    const s = hub.subscribe();
    const got: string[] = [];
    const reading = (async () => {
      for await (const d of s) if (d.kind === "event") got.push(d.event);
    })();
    hub.publish("x");
    await new Promise((r) => setImmediate(r));
    hub.closeAll();
    await reading;
    expect(got).toEqual(["x"]);
  });

  it("rejects bad subscription options", () => {
    const hub = new EventHub<number>();
    expect(() => hub.subscribe({ bufferSize: 0 })).toThrow(/bufferSize/);
    expect(() => hub.subscribe({ overflow: "lag" } as never)).toThrow(/overflow/);
  });
});

describe("LayeredHealth", () => {
  it("reports each layer with its reason and the worst status overall", async () => {
    const h = new LayeredHealth({ timeoutMs: 50 })
      .layer("a", () => true)
      .layer("b", () => ({ status: "degraded", reason: "backlog of 500 files" }));
    expect(await h.readiness()).toEqual({
      status: "degraded",
      layers: {
        a: { status: "healthy" },
        b: { status: "degraded", reason: "backlog of 500 files" },
      },
    });
    h.layer("c", () => {
      throw new Error("redis down");
    });
    const r = await h.readiness();
    expect(r.status).toBe("not_ready");
    expect(r.layers.c).toEqual({ status: "unhealthy", reason: "redis down" });
  });

  it("counts a probe that does not answer in time as unhealthy", async () => {
    const h = new LayeredHealth({ timeoutMs: 20 }).layer("slow", () => new Promise(() => {}));
    const r = await h.readiness();
    expect(r.layers.slow).toEqual({ status: "unhealthy", reason: "no answer within 20 ms" });
  });
});
