/**
 * Timers: every wait of the Foundation goes through the injected clock; a wait someone awaits
 * keeps the process alive while background housekeeping does not; delays past Node's 2^31−1 ms
 * timer limit are honoured instead of firing after 1 ms.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CircuitBreaker,
  ConnectionPool,
  MAX_TIMER_DELAY_MS,
  ManualClock,
  protect,
  Registry,
  Service,
  systemClock,
} from "../../src/foundation/index.js";

const SRC = fileURLToPath(new URL("../../src/foundation/", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixtures/keep-alive.ts", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function runFixture(mode: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, mode], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", () => resolve(out.trim()));
  });
}

describe("timers", () => {
  it("no file of src/foundation but clock.ts touches Node's timers", () => {
    // A call with arguments; `setTimeout()` in prose (a comment, a message) is not one.
    const raw =
      /(^|[^.\w])(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval)\s*\(\s*[^\s)]/m;
    const offenders = sourceFiles(SRC)
      .filter((f) => !f.endsWith(`${join("foundation", "clock.ts")}`))
      .filter((f) => raw.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("a protected call's retry backoff keeps the process alive until the call settles", async () => {
    expect(await runFixture("retry")).toBe("ok");
  });

  it("registry.waitFor's timeout keeps the process alive until it rejects", async () => {
    expect(await runFixture("wait-for")).toBe("TIMEOUT");
  });

  it("a background timer does not keep the process alive", async () => {
    expect(await runFixture("background")).toBe("");
  });

  it("a system timer past 2^31−1 ms does not fire early and raises no overflow warning", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    let fired = false;
    const t = systemClock.setTimeout(() => {
      fired = true;
    }, MAX_TIMER_DELAY_MS + 1_000);
    await new Promise((resolve) => setTimeout(resolve, 40));
    t.cancel();
    process.off("warning", onWarning);
    expect(fired).toBe(false);
    expect(warnings).not.toContain("TimeoutOverflowWarning");
  });

  it("a system timer with an Infinity delay never fires", async () => {
    let fired = false;
    systemClock.setTimeout(() => {
      fired = true;
    }, Number.POSITIVE_INFINITY);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(false);
  });

  it("protect's and service.call's huge timeouts on the real clock do not cut a 30 ms call", async () => {
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve("ok"), 30));
    const call = protect("huge", { timeoutMs: 2 ** 32 }, slow);
    class Slow extends Service<string, string> {
      protected override handleCall(): Promise<string> {
        return slow();
      }
    }
    const s = await new Slow().start();
    await expect(Promise.all([call(), s.call("x", 2 ** 32)])).resolves.toEqual(["ok", "ok"]);
    await s.stop();
  });

  it("a manual clock holds a timer past 2^31−1 ms until its time", () => {
    const clock = new ManualClock(0);
    let fired = 0;
    clock.setTimeout(() => fired++, 2 ** 33);
    clock.advance(MAX_TIMER_DELAY_MS + 1);
    expect(fired).toBe(0);
    clock.advance(2 ** 33);
    expect(fired).toBe(1);
  });
});

describe("timeouts past 2^31−1 ms wait on the component's clock until their time", () => {
  const HUGE = 2 ** 32;
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  const never = () => new Promise<never>(() => {});

  /** Advances past the point where Node would have fired an overflowed timer, then to the end. */
  async function expectTimesOutAtHuge(
    clock: ManualClock,
    pending: Promise<unknown>,
    code = "TIMEOUT",
  ) {
    let settled: unknown = "pending";
    pending.then(
      (v) => {
        settled = v;
      },
      (e: { code?: string }) => {
        settled = e.code;
      },
    );
    await flush();
    clock.advance(MAX_TIMER_DELAY_MS + 10);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a real ms for a raw timer
    await flush();
    expect(settled).toBe("pending");
    clock.advance(HUGE);
    await flush();
    expect(settled).toBe(code);
  }

  it("protect timeoutMs and a breaker's timeoutMs", async () => {
    const clock = new ManualClock(0);
    await expectTimesOutAtHuge(clock, protect("p", { timeoutMs: HUGE, clock }, never)());
    const breaker = new CircuitBreaker({ name: "b", timeoutMs: HUGE, clock });
    await expectTimesOutAtHuge(clock, breaker.execute(never));
  });

  it("service.call and registry.waitFor", async () => {
    const clock = new ManualClock(0);
    class Hang extends Service<string, string> {
      protected override handleCall(): Promise<string> {
        return never();
      }
    }
    const s = await new Hang({ clock }).start();
    await expectTimesOutAtHuge(clock, s.call("x", HUGE), "CALL_TIMEOUT");
    s.kill();
    const registry = new Registry({ clock });
    await expectTimesOutAtHuge(clock, registry.waitFor("production", "x", { timeoutMs: HUGE }));
  });

  it("a pool's acquireTimeoutMs and acquire({ timeoutMs })", async () => {
    const clock = new ManualClock(0);
    const pool = new ConnectionPool({
      name: "p",
      factory: { create: async () => ({}), destroy: async () => {} },
      max: 1,
      acquireTimeoutMs: HUGE,
      clock,
    });
    await pool.acquire();
    await expectTimesOutAtHuge(clock, pool.acquire(), "POOL_TIMEOUT");
    await expectTimesOutAtHuge(clock, pool.acquire({ timeoutMs: HUGE }), "POOL_TIMEOUT");
  });
});
