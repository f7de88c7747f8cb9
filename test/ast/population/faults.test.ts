/**
 * Fault injection on real parse workers: a file that needs more memory than a worker has kills
 * that worker mid-file (V8's heap limit, as a 63 MB generated file did). No innocent file may be
 * reported or cached as failed, the culprit's failure is not cached, and the next run parses
 * everything.
 */
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultCachePath, populate } from "../../../src/ast/population/populate.js";
import { AnalysisCache } from "../../../src/ast/repository/cache.js";
import { copyExample } from "./support.js";

/** A valid module whose parse needs far more than 64 MB of heap (3.1 MB of list literal). */
function bomb(): string {
  const items = Array.from({ length: 400_000 }, (_, i) => i).join(", ");
  return `defmodule Bomb do\n  def data, do: [${items}]\nend\n`;
}

describe("a worker killed mid-file by its memory limit", () => {
  let root: string;
  beforeEach(() => {
    root = copyExample("es-faults-");
    writeFileSync(join(root, "lib", "bomb.ex"), bomb());
  });
  afterEach(() => rmSync(dirname(root), { recursive: true, force: true }));

  it("fails only the culprit, caches nothing failed, and the next run parses everything", async () => {
    // One worker keeps two files in flight, the largest first: the bomb and an innocent file
    // die together, and the innocent one must be retried alone.
    const first = await populate(root, { workers: 1, workerHeapMb: 64 });
    const failed = first.files.filter((f) => f.error !== null);
    expect(failed.map((f) => f.path)).toEqual(["lib/bomb.ex"]);
    expect(failed[0]!.error!.message).toMatch(/^parse worker died on this file: .*memory limit/);
    expect(first.summary.failed).toBe(1);
    expect(first.repository.modulesInFile("lib/bomb.ex")).toEqual([]);

    const cache = AnalysisCache.open(defaultCachePath(root), first.summary.extractorVersion);
    const rows = cache.peekAll();
    cache.close();
    expect(rows.has("lib/bomb.ex")).toBe(false);
    expect([...rows.values()].filter((r) => r.peek.error !== null)).toEqual([]);
    expect(rows.size).toBe(first.files.length - 1);

    const second = await populate(root, { workers: 1 });
    expect(second.summary).toMatchObject({ failed: 0, parsed: 1, cached: first.files.length - 1 });
    expect(second.repository.modulesInFile("lib/bomb.ex").map((m) => m.name)).toEqual(["Bomb"]);
  }, 120_000);

  it("reports a file over the size limit without parsing or caching it", async () => {
    const run = await populate(root, { workers: 0, maxFileBytes: 1_000_000 });
    const bombRecord = run.files.find((f) => f.path === "lib/bomb.ex")!;
    expect(bombRecord).toMatchObject({
      source: "skipped",
      error: { line: null, column: null, message: "file too large to analyze: 3.1 MB, limit 1 MB" },
    });
    expect(run.summary.failed).toBe(1);
    const again = await populate(root, { workers: 0 });
    expect(again.summary).toMatchObject({ failed: 0, parsed: 1 });
  }, 120_000);

  it("rejects a size limit or heap limit that is not a positive integer", async () => {
    await expect(populate(root, { maxFileBytes: 0 })).rejects.toThrow(
      /option "maxFileBytes" must be a positive integer/,
    );
    await expect(populate(root, { workerHeapMb: 1.5 })).rejects.toThrow(
      /option "workerHeapMb" must be a positive integer/,
    );
  });
});

describe("the Elixir version parsed for", () => {
  let root: string;
  beforeEach(() => {
    root = copyExample("es-elixir-");
    // A multi-letter sigil: valid since Elixir 1.15, an error for 1.14.
    writeFileSync(
      join(root, "lib", "sigil.ex"),
      'defmodule Sigil do\n  def f, do: ~HTML"x"\nend\n',
    );
  });
  afterEach(() => rmSync(dirname(root), { recursive: true, force: true }));

  it("is part of the cache key: a file parsed for another version is parsed again", async () => {
    const old = await populate(root, { workers: 0, elixir: "1.14" });
    expect(old.files.find((f) => f.path === "lib/sigil.ex")!.error?.message).toMatch(
      /invalid sigil delimiter/,
    );
    expect(old.summary).toMatchObject({ elixir: "1.14", failed: 1 });
    const current = await populate(root, { workers: 1 });
    expect(current.summary).toMatchObject({
      elixir: "1.18",
      failed: 0,
      cached: 0,
      parsed: old.files.length,
    });
    expect(current.repository.modulesInFile("lib/sigil.ex").map((m) => m.name)).toEqual(["Sigil"]);
    const again = await populate(root, { workers: 0, elixir: "1.18" });
    expect(again.summary).toMatchObject({ parsed: 0, cached: old.files.length });
    await expect(populate(root, { elixir: "1.99" as never })).rejects.toThrow(
      /option "elixir" must be one of "1.14", "1.18"/,
    );
  }, 120_000);
});
