import { describe, expect, it } from "vitest";
import { ParsePool } from "../../../src/ast/population/pool.js";
import type { FileOutcome } from "../../../src/ast/population/protocol.js";

function entry(code: string): URL {
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

const source = (text: string) => new TextEncoder().encode(text);

describe("ParsePool", () => {
  it("parses on real workers and reports each file once", async () => {
    const pool = new ParsePool(2);
    const outcomes: FileOutcome[] = [];
    try {
      await pool.run(
        [
          { path: "a.ex", source: source("defmodule A do\n  def f, do: 1\nend\n") },
          { path: "b.ex", source: source("defmodule B do\n  def g(x), do: x\nend\n") },
          { path: "bad.ex", source: source("defmodule Bad do\n") },
        ],
        (o) => outcomes.push(o),
      );
    } finally {
      await pool.close();
    }
    expect(outcomes.map((o) => o.path).sort()).toEqual(["a.ex", "b.ex", "bad.ex"]);
    const bad = outcomes.find((o) => o.path === "bad.ex")!;
    expect(bad.ok).toBe(false);
    const a = outcomes.find((o) => o.path === "a.ex")!;
    expect(a.ok && JSON.parse(a.extractionJson ?? "null").modules[0].name).toBe("A");
  });

  it("shares the files with the calling thread: smallest here, largest on the worker, each once", async () => {
    // A worker that answers with its own marker, so that each outcome says who produced it.
    const code = `import { parentPort } from "node:worker_threads";
      parentPort.postMessage({ ready: true });
      parentPort.on("message", (j) => {
        parentPort.postMessage({ id: j.id, outcome: { path: j.path, ok: false,
          error: { line: 1, column: 1, message: "worker" }, parseMs: 0, extractMs: 0 } });
      });`;
    const pool = new ParsePool(1, { entry: entry(code) });
    const files = Array.from({ length: 40 }, (_, i) => ({
      path: `f${i}`,
      source: source("x".repeat(i + 1)),
    }));
    const byWhom = new Map<string, string>();
    try {
      await pool.run(
        files,
        (o) => {
          expect(byWhom.has(o.path)).toBe(false);
          byWhom.set(o.path, o.ok ? "" : o.error.message);
        },
        (job) => ({
          path: job.path,
          ok: false,
          error: { line: null, column: null, message: "local" },
          parseMs: 0,
          extractMs: 0,
        }),
      );
    } finally {
      await pool.close();
    }
    expect([...byWhom.keys()].sort()).toEqual(files.map((f) => f.path).sort());
    const local = files.filter((f) => byWhom.get(f.path) === "local");
    const remote = files.filter((f) => byWhom.get(f.path) === "worker");
    expect(local.length + remote.length).toBe(files.length);
    expect(local.length).toBeGreaterThan(0);
    // The calling thread takes from the small end, the worker from the large end.
    expect(local.some((f) => f.path === "f0")).toBe(true);
    expect(remote.some((f) => f.path === "f39")).toBe(true);
  });

  it("fails the in-flight files of a worker that dies and goes on with a replacement", async () => {
    // Answers its first job, dies on its second.
    const code = `import { parentPort } from "node:worker_threads";
      parentPort.postMessage({ ready: true });
      let n = 0;
      parentPort.on("message", (j) => {
        if (n++ > 0) process.exit(3);
        parentPort.postMessage({ id: j.id, outcome: { path: j.path, ok: false,
          error: { line: 1, column: 1, message: "fake" }, parseMs: 0, extractMs: 0 } });
      });`;
    const pool = new ParsePool(1, { entry: entry(code) });
    const outcomes: FileOutcome[] = [];
    try {
      await pool.run(
        ["a", "b", "c"].map((p) => ({ path: p, source: source(p) })),
        (o) => outcomes.push(o),
      );
    } finally {
      await pool.close();
    }
    expect(outcomes).toHaveLength(3);
    const messages = outcomes.map((o) => (o.ok ? "" : o.error.message));
    expect(messages.filter((m) => m === "fake").length).toBeGreaterThanOrEqual(1);
    expect(messages.some((m) => m.startsWith("parse worker died on this file"))).toBe(true);
    expect(pool.restarts).toBeGreaterThanOrEqual(1);
  });

  it("fails the run when a worker cannot start at all, instead of respawning forever", async () => {
    const pool = new ParsePool(2, { entry: entry("throw new Error('no parser here');") });
    try {
      await expect(pool.run([{ path: "a", source: source("x") }], () => {})).rejects.toThrow(
        /parse worker cannot start: no parser here/,
      );
      expect(pool.restarts).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it("rejects bad sizes and unknown options", () => {
    expect(() => new ParsePool(0)).toThrow(RangeError);
    expect(() => new ParsePool(1, { entyr: new URL("file:///x") } as never)).toThrow(
      /unknown option/,
    );
  });
});

describe("ParsePool when a file kills its worker", () => {
  it("retries the innocent files that were in flight alone, and fails only the culprit, transiently", async () => {
    // A real worker protocol; a job whose source says "bomb" kills the worker mid-file.
    const code = `import { parentPort } from "node:worker_threads";
      parentPort.postMessage({ ready: true });
      parentPort.on("message", (j) => {
        if (new TextDecoder().decode(j.source).includes("bomb")) process.exit(7);
        parentPort.postMessage({ id: j.id, outcome: { path: j.path, ok: true,
          extractionJson: "{}", parseMs: 0, extractMs: 0 } });
      });`;
    const pool = new ParsePool(1, { entry: entry(code) });
    const outcomes: FileOutcome[] = [];
    // Largest first: the bomb and the next largest file are in flight together on the one worker.
    const files = [
      { path: "bomb.ex", source: source(`# bomb ${"x".repeat(100)}`) },
      { path: "big.ex", source: source("y".repeat(90)) },
      ...["a", "b", "c"].map((p) => ({ path: `${p}.ex`, source: source(p) })),
    ];
    try {
      await pool.run(files, (o) => outcomes.push(o));
    } finally {
      await pool.close();
    }
    expect(outcomes.map((o) => o.path).sort()).toEqual([
      "a.ex",
      "b.ex",
      "big.ex",
      "bomb.ex",
      "c.ex",
    ]);
    const failed = outcomes.filter((o) => !o.ok);
    expect(failed).toEqual([
      {
        path: "bomb.ex",
        ok: false,
        error: {
          line: null,
          column: null,
          message: "parse worker died on this file: parse worker exited with code 7",
        },
        transient: true,
        parseMs: 0,
        extractMs: 0,
      },
    ]);
    // The first death, with two in flight, then the bomb's solo death.
    expect(pool.restarts).toBe(2);
  });
});
