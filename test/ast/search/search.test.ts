import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoWorkers, search } from "../../../src/ast/search/search.js";

let root: string;
const FILES = 120;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "es-search-"));
  mkdirSync(join(root, "lib"));
  const body = Array.from({ length: 60 }, (_, i) => `  def f${i}(x), do: IO.inspect(x + ${i})`);
  for (let i = 0; i < FILES; i++) {
    writeFileSync(join(root, "lib", `m${i}.ex`), `defmodule M${i} do\n${body.join("\n")}\nend\n`);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("search in-process", () => {
  it("lets the event loop run while a long search goes on", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t0 = performance.now();
    const result = await search("IO.inspect(_)", ["lib"], { cwd: root, workers: 0 });
    const ms = performance.now() - t0;
    clearInterval(timer);
    expect(result.matches).toHaveLength(FILES * 60);
    // It yields every 50 ms of searching: a search that long let the timer fire.
    if (ms > 120) expect(ticks).toBeGreaterThan(0);
  });

  it("starts threads only with cores to spare and enough files", () => {
    expect(autoWorkers(500, 1)).toBe(0);
    expect(autoWorkers(500, 2)).toBe(0);
    expect(autoWorkers(500, 3)).toBe(0);
    expect(autoWorkers(500, 4)).toBe(1);
    expect(autoWorkers(500, 8)).toBe(3);
    expect(autoWorkers(31, 8)).toBe(0);
  });
});
