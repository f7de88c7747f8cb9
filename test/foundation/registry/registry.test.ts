import { describe, expect, it } from "vitest";
import {
  createTestNamespace,
  isElixirScopeError,
  ManualClock,
  type Namespace,
  Registry,
} from "../../../src/foundation/index.js";

class Fake {
  alive = true;
  stopped: string[] = [];
  constructor(
    readonly id: string,
    private readonly log: string[] = [],
    private readonly healthImpl?: () => unknown,
  ) {}
  async stop(reason?: string) {
    this.log.push(this.id);
    this.stopped.push(reason ?? "");
    this.alive = false;
  }
  health() {
    return (this.healthImpl?.() ?? true) as boolean;
  }
}

const catchErr = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
};

describe("Registry", () => {
  it("registers, looks up, lists and counts per namespace", () => {
    const r = new Registry();
    const ns = createTestNamespace();
    const a = new Fake("a");
    r.register(ns, "a", a);
    r.register(ns, "b", new Fake("b"));
    r.register("production", "a", new Fake("pa"));
    expect(r.lookup(ns, "a")).toBe(a);
    expect(r.get(ns, "a")).toBe(a);
    expect(r.lookup(createTestNamespace(), "a")).toBeUndefined();
    expect(r.list(ns).map((e) => e.name)).toEqual(["a", "b"]);
    expect(r.count(ns)).toBe(2);
    expect(r.count()).toBe(3);
    expect(r.stats()).toMatchObject({ namespaces: 2, services: 3, registrations: 3 });
  });

  it("refuses a name held by a live service, naming the holder, and replaces a dead one", () => {
    const r = new Registry();
    const ns = createTestNamespace();
    const a = new Fake("first");
    r.register(ns, "svc", a);
    const err = catchErr(() => r.register(ns, "svc", new Fake("second")));
    expect(isElixirScopeError(err, "REGISTRY_NAME_TAKEN")).toBe(true);
    expect((err as Error).message).toContain("Fake#first");
    a.alive = false;
    expect(r.lookup(ns, "svc")).toBeUndefined();
    const b = new Fake("b");
    r.register(ns, "svc", b);
    expect(r.get(ns, "svc")).toBe(b);
    expect(r.stats().deadReplaced).toBe(1);
  });

  it("get on a miss is SERVICE_NOT_FOUND; bad namespaces are refused", () => {
    const r = new Registry();
    expect(
      isElixirScopeError(
        catchErr(() => r.get("production", "nope")),
        "SERVICE_NOT_FOUND",
      ),
    ).toBe(true);
    const bad = catchErr(() => r.register("staging" as Namespace, "x", new Fake("x")));
    expect(isElixirScopeError(bad, "REGISTRY_INVALID_NAMESPACE")).toBe(true);
  });

  it("unregisters only the given holder", () => {
    const r = new Registry();
    const ns = createTestNamespace();
    const a = new Fake("a");
    r.register(ns, "a", a);
    expect(r.unregister(ns, "a", new Fake("other"))).toBe(false);
    expect(r.unregister(ns, "a", a)).toBe(true);
    expect(r.lookup(ns, "a")).toBeUndefined();
    expect(r.namespaces()).toEqual([]);
  });

  it("waitFor resolves on registration, times out on the registry's clock, and aborts", async () => {
    const clock = new ManualClock(0);
    const r = new Registry({ clock });
    const ns = createTestNamespace();
    const waiting = r.waitFor(ns, "late", { timeoutMs: 1_000 });
    const late = new Fake("late");
    clock.advance(999);
    r.register(ns, "late", late);
    await expect(waiting).resolves.toBe(late);
    const never = r.waitFor(ns, "never", { timeoutMs: 10 });
    clock.advance(10);
    await expect(never).rejects.toMatchObject({ code: "TIMEOUT" });
    expect(clock.pendingTimers).toBe(0);
    const ac = new AbortController();
    const p = r.waitFor(ns, "never", { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("probes health with a timeout and reports why", async () => {
    const clock = new ManualClock(0);
    const r = new Registry({ clock });
    const ns = createTestNamespace();
    r.register(ns, "ok", new Fake("ok"));
    r.register(ns, "bad", new Fake("bad", [], () => false));
    r.register(
      ns,
      "throws",
      new Fake("t", [], () => {
        throw new Error("disk gone");
      }),
    );
    r.register(ns, "slow", new Fake("s", [], () => new Promise(() => {})));
    expect((await r.health(ns, "ok")).status).toBe("healthy");
    expect(await r.health(ns, "bad")).toMatchObject({ status: "unhealthy" });
    expect((await r.health(ns, "throws")).reason).toContain("disk gone");
    const slow = r.health(ns, "slow", { timeoutMs: 10 });
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(10);
    expect((await slow).reason).toContain("timed out");
    expect((await r.health(ns, "missing")).reason).toBe("not registered");
  });

  it("stops a namespace in reverse registration order", async () => {
    const r = new Registry();
    const ns = createTestNamespace();
    const log: string[] = [];
    for (const id of ["config", "events", "telemetry"]) r.register(ns, id, new Fake(id, log));
    await r.stopNamespace(ns);
    expect(log).toEqual(["telemetry", "events", "config"]);
    expect(r.count(ns)).toBe(0);
  });

  it("rejects unknown options", () => {
    expect(() => new Registry({ clok: 1 } as never)).toThrow(/unknown option "clok"/);
  });
});
