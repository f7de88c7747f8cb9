/**
 * The cold build does not hold up the event loop: while `elixirscope serve` (the real command)
 * indexes a generated project of 3,000 modules, `/health/live` keeps answering and
 * `/health/ready` says 503 until the index is built, then 200.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateProject } from "../../bench/gen-project.js";
import { BIN } from "../cli/bin.js";
import { until } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "es-live-"));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("liveness during the cold build", () => {
  it("answers /health/live throughout, and /health/ready 503 until the index is built", async () => {
    const root = join(dir, "project");
    generateProject(root, { modules: 3_000 });
    const started = spawn(
      process.execPath,
      [BIN, "serve", root, "--port", "0", "--no-log", "--no-cache"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    child = started;
    let err = "";
    started.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const url = await until(async () => /serving (http:\/\/\S+)/.exec(err)?.[1], 30_000);
    const gaps: number[] = [];
    let notReady = 0;
    for (;;) {
      const t0 = performance.now();
      const live = await fetch(`${url}/health/live`);
      gaps.push(performance.now() - t0);
      expect(live.status).toBe(200);
      await live.arrayBuffer();
      const ready = await fetch(`${url}/health/ready`);
      const body = (await ready.json()) as { status: string };
      if (ready.status === 200) break;
      expect(ready.status).toBe(503);
      expect(body.status).toBe("not_ready");
      notReady++;
      await sleep(25);
    }
    // Many probes answered while the index was being built: the loop was never held for long.
    // (The bound is generous: a loaded machine; the build itself takes seconds.)
    expect(notReady).toBeGreaterThan(5);
    expect(Math.max(...gaps)).toBeLessThan(2_000);
    const modules = (await (await fetch(`${url}/api/modules?limit=1`)).json()) as {
      total: number;
    };
    expect(modules.total).toBeGreaterThanOrEqual(3_000);
  }, 240_000);
});
