import { beforeEach, describe, expect, it } from "vitest";
import {
  createTestNamespace,
  type ExitReason,
  isElixirScopeError,
  ManualClock,
  Registry,
  Service,
  type ServiceOptions,
} from "../../../src/foundation/index.js";

type Call =
  | { op: "get" }
  | { op: "inc"; by: number }
  | { op: "boom" }
  | { op: "slow"; ms: number }
  | { op: "asyncBoom" };
type Cast = { op: "add"; by: number } | { op: "boom" };
type Info = { op: "tick" };

/** Every service of these tests runs on this clock: time moves only when a test advances it. */
let clock = new ManualClock(0);
beforeEach(() => {
  clock = new ManualClock(0);
});

/** Lets promise callbacks run (no time passes). */
const flush = () => new Promise((resolve) => setImmediate(resolve));

class Counter extends Service<Call, number, Cast, Info> {
  #count = 0;
  terminated: ExitReason[] = [];
  ticks = 0;
  constructor(
    private readonly start0 = 0,
    options: ServiceOptions = {},
  ) {
    super({ clock, ...options });
  }
  protected override init(): void {
    this.#count = this.start0;
  }
  protected override handleCall(msg: Call): number | Promise<number> {
    switch (msg.op) {
      case "get":
        return this.#count;
      case "inc":
        this.#count += msg.by;
        return this.#count;
      case "boom":
        throw new Error("boom in call");
      case "slow":
        return new Promise((r) => this.clock.setTimeout(() => r(this.#count), msg.ms));
      case "asyncBoom":
        return Promise.reject(new Error("async boom"));
    }
  }
  protected override handleCast(msg: Cast): void {
    if (msg.op === "boom") throw new Error("boom in cast");
    this.#count += msg.by;
  }
  protected override handleInfo(msg: Info): void {
    if (msg.op === "tick") this.ticks++;
  }
  protected override terminate(reason: ExitReason): void {
    this.terminated.push(reason);
  }
  tickLater(ms: number) {
    return this.sendAfter({ op: "tick" }, ms);
  }
}

describe("Service", () => {
  it("handles calls, casts and info messages in order, with private state", async () => {
    const c = await new Counter(10).start();
    expect(await c.call({ op: "get" })).toBe(10);
    c.cast({ op: "add", by: 5 });
    expect(await c.call({ op: "inc", by: 1 })).toBe(16);
    c.send({ op: "tick" });
    expect(c.ticks).toBe(1);
    await c.stop();
    expect(c.status).toBe("stopped");
    expect(c.terminated).toEqual([{ kind: "normal" }]);
  });

  it("serializes: messages sent while an async handler runs wait their turn", async () => {
    const c = await new Counter().start();
    const slow = c.call({ op: "slow", ms: 20 });
    const inc = c.call({ op: "inc", by: 1 });
    expect(c.queueLength).toBe(1);
    clock.advance(20);
    expect(await slow).toBe(0);
    expect(await inc).toBe(1);
    await c.stop();
  });

  it("a throwing handler crashes only that service: the caller gets SERVICE_CRASHED, terminate runs", async () => {
    const a = await new Counter().start();
    const b = await new Counter().start();
    const queuedBehind = a.call({ op: "slow", ms: 5 });
    const crashing = a.call({ op: "asyncBoom" });
    const afterCrash = a.call({ op: "get" });
    clock.advance(5);
    await queuedBehind;
    await expect(crashing).rejects.toMatchObject({ code: "SERVICE_CRASHED" });
    await expect(afterCrash).rejects.toMatchObject({ code: "SERVICE_CRASHED" });
    const reason = await a.whenExited();
    expect(reason.kind).toBe("crash");
    expect(a.terminated[0]!.kind).toBe("crash");
    await expect(a.call({ op: "get" })).rejects.toMatchObject({ code: "SERVICE_NOT_RUNNING" });
    expect(await b.call({ op: "inc", by: 2 })).toBe(2);
    await b.stop();
  });

  it("a sync throw crashes too, and so does a throwing cast", async () => {
    const a = await new Counter().start();
    const err = await a.call({ op: "boom" }).catch((e) => e);
    expect(isElixirScopeError(err, "SERVICE_CRASHED")).toBe(true);
    expect((err as Error).cause).toBeInstanceOf(Error);
    const b = await new Counter().start();
    b.cast({ op: "boom" });
    expect((await b.whenExited()).kind).toBe("crash");
  });

  it("times out a call that waits too long, and the service keeps going", async () => {
    const c = await new Counter().start();
    const slow = c.call({ op: "slow", ms: 50 });
    const get = c.call({ op: "get" }, 5).catch((e) => e);
    clock.advance(4);
    await flush();
    expect(c.queueLength).toBe(1); // not timed out yet
    clock.advance(1);
    const err = await get;
    expect(isElixirScopeError(err, "CALL_TIMEOUT")).toBe(true);
    clock.advance(45);
    expect(await slow).toBe(0);
    expect(await c.call({ op: "inc", by: 1 })).toBe(1);
    await c.stop();
  });

  it("kill ends it at once and rejects pending calls; stop is idempotent", async () => {
    const c = await new Counter().start();
    const pending = c.call({ op: "slow", ms: 1_000 });
    c.kill("test");
    await expect(pending).rejects.toMatchObject({ code: "SERVICE_CRASHED" });
    expect(await c.whenExited()).toEqual({ kind: "killed", why: "test" });
    await c.stop();
    expect(c.status).toBe("crashed");
  });

  it("stop handles what is queued, refuses later messages, and kills on timeout", async () => {
    const c = await new Counter().start();
    const slow = c.call({ op: "slow", ms: 10 });
    const queued = c.call({ op: "inc", by: 1 });
    const stopping = c.stop();
    await expect(c.call({ op: "get" })).rejects.toMatchObject({ code: "SERVICE_NOT_RUNNING" });
    clock.advance(10);
    expect(await slow).toBe(0);
    expect(await queued).toBe(1);
    await stopping;
    const stuck = await new Counter().start();
    void stuck.call({ op: "slow", ms: 200 }).catch(() => {});
    const stuckStopping = stuck.stop("normal", 10);
    await flush();
    clock.advance(9);
    await flush();
    expect(stuck.status).toBe("stopping");
    clock.advance(1);
    await stuckStopping;
    expect((await stuck.whenExited()).kind).toBe("killed");
  });

  it("registers under its name while alive and unregisters on exit", async () => {
    const registry = new Registry();
    const ns = createTestNamespace();
    const c = await new Counter(0, { name: "counter", namespace: ns, registry }).start();
    expect(registry.get(ns, "counter")).toBe(c);
    await expect(
      new Counter(0, { name: "counter", namespace: ns, registry }).start(),
    ).rejects.toMatchObject({
      code: "REGISTRY_NAME_TAKEN",
    });
    c.kill();
    expect(registry.lookup(ns, "counter")).toBeUndefined();
    await new Counter(0, { name: "counter", namespace: ns, registry }).start();
    await registry.stopNamespace(ns);
  });

  it("a failing init fails start with SERVICE_START_FAILED", async () => {
    class Bad extends Service {
      protected override init() {
        throw new Error("no db");
      }
    }
    await expect(new Bad().start()).rejects.toMatchObject({ code: "SERVICE_START_FAILED" });
  });

  it("info timers are cancelled on exit and rejects unknown options", async () => {
    const c = await new Counter().start();
    c.tickLater(5);
    c.tickLater(10);
    clock.advance(5);
    expect(c.ticks).toBe(1);
    await c.stop();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(15);
    expect(c.ticks).toBe(1);
    expect(() => new Counter(0, { callTimeout: 5 } as never)).toThrow(
      /unknown option "callTimeout"/,
    );
  });

  it("start on a stopped or crashed instance rejects SERVICE_NOT_RUNNING and runs nothing", async () => {
    let inits = 0;
    class Once extends Service {
      protected override init() {
        inits++;
      }
    }
    const a = new Once({ clock });
    const first = a.start();
    expect(a.start()).toBe(first); // while starting or running: the same start
    await first;
    expect(a.start()).toBe(first);
    await a.stop();
    await expect(a.start()).rejects.toMatchObject({ code: "SERVICE_NOT_RUNNING" });
    expect(a.status).toBe("stopped");
    const b = await new Once({ clock }).start();
    b.kill();
    await expect(b.start()).rejects.toMatchObject({ code: "SERVICE_NOT_RUNNING" });
    const never = new Once({ clock });
    await never.stop();
    await expect(never.start()).rejects.toMatchObject({ code: "SERVICE_NOT_RUNNING" });
    expect(inits).toBe(2);
  });

  it("waits for stop and terminate on its own clock, not on Node's timers", async () => {
    class SlowStop extends Service {
      protected override terminate(): Promise<void> {
        return new Promise((r) => this.clock.setTimeout(r, 1_000));
      }
    }
    const s = await new SlowStop({ clock }).start();
    const stopping = s.stop("normal", 5_000);
    await flush();
    expect(s.status).toBe("stopping");
    clock.advance(1_000);
    await stopping;
    expect(await s.whenExited()).toEqual({ kind: "normal" });
  });
});
