import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventStore } from "../../../src/foundation/index.js";

const writer = fileURLToPath(new URL("./fixtures/writer.ts", import.meta.url));

describe("EventStore crash safety (real process, real file, SIGKILL)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "es-crash-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a process killed in the middle of a batch commits nothing of it and loses nothing before", async () => {
    const path = join(dir, "events.sqlite");
    const child = spawn(process.execPath, ["--import", "tsx", writer, path, "1000", "300000"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    let walAtStart = -1;
    let killedMidBatch = false;
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (walAtStart < 0 && out.includes("big-start")) {
        walAtStart = statSync(`${path}-wal`).size;
        // Kill once the big transaction has spilled pages into the WAL: it is surely in flight.
        const poll = setInterval(() => {
          const size = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
          if (size > walAtStart + 1024 * 1024) {
            clearInterval(poll);
            killedMidBatch = true;
            child.kill("SIGKILL");
          }
        }, 2);
        child.on("exit", () => clearInterval(poll));
      }
    });
    const signal = await exited;
    expect(out).toMatch(/committed 1000 \d+/);
    expect(out).not.toContain("big-done");
    expect(signal).toBe("SIGKILL");
    expect(killedMidBatch).toBe(true);

    // A new process (this one) opens the same file: recovery drops the torn transaction.
    const es = await new EventStore({ path }).start();
    try {
      expect(await es.query({ type: "doomed", limit: 1 })).toEqual([]);
      const committed = await es.query({ type: "committed", limit: 10_000 });
      expect(committed).toHaveLength(1000);
      expect(committed.map((e) => (e.data as { i: number }).i)).toEqual([...Array(1000).keys()]);
      expect(await es.count()).toBe(1000);
    } finally {
      await es.stop();
    }
  });
});
