import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AnalysisCache, CacheError } from "../../../src/ast/repository/cache.js";
import { file, fn, mod } from "./fixtures.js";

const C = { modules: 1, functions: 2, clauses: 3 };

describe("AnalysisCache", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "es-cache-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const extraction = file("lib/a.ex", [mod("lib/a.ex", "A", (id) => [fn(id, "lib/a.ex", "f", 0)])]);

  it("creates its directory, stores in WAL mode and reads back across reopen", () => {
    const path = join(dir, "nested", "deeper", "cache.sqlite");
    const c1 = AnalysisCache.open(path, "v1");
    c1.putMany([
      {
        path: "lib/a.ex",
        hash: "aa",
        size: 10,
        counts: C,
        extractionJson: JSON.stringify(extraction),
        error: null,
      },
      {
        path: "lib/bad.ex",
        hash: "bb",
        size: 3,
        counts: C,
        extractionJson: null,
        error: { line: 1, column: null, message: "x" },
      },
    ]);
    c1.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
    const c2 = AnalysisCache.open(path, "v1");
    const hit = c2.get("lib/a.ex", "aa");
    expect(JSON.parse(hit!.extractionJson!)).toEqual(extraction);
    expect(c2.get("lib/bad.ex", "bb")?.error).toEqual({ line: 1, column: null, message: "x" });
    expect(c2.size()).toBe(2);
    expect(c2.peek("lib/a.ex", "aa")).toEqual({ hasExtraction: true, error: null, counts: C });
    expect(c2.peek("lib/bad.ex", "bb")?.hasExtraction).toBe(false);
    expect(c2.peek("lib/a.ex", "other")).toBeUndefined();
    expect(JSON.parse(c2.loadExtraction("lib/a.ex", "aa")!)).toEqual(extraction);
    expect(c2.loadExtraction("lib/a.ex", "other")).toBeUndefined();
    expect(c2.stats()).toMatchObject({ hits: 4, misses: 1 });
    c2.close();
  });

  it("stores extractions and the project analysis compressed, and reads back the same text", () => {
    const path = join(dir, "z.sqlite");
    // Many functions with long, repeated IDs: the shape of real extractions.
    const big = file("lib/big.ex", [
      mod("lib/big.ex", "Big.Module.Name", (id) =>
        Array.from({ length: 200 }, (_, i) => fn(id, "lib/big.ex", `function_${i}`, i % 4)),
      ),
    ]);
    const json = JSON.stringify(big);
    const c = AnalysisCache.open(path, "v1");
    c.putMany([
      { path: "lib/big.ex", hash: "h", size: 1, counts: C, extractionJson: json, error: null },
    ]);
    const detail = JSON.stringify({
      edges: Array.from({ length: 2000 }, (_, i) => ["A.f/1", `B.g${i}/0`]),
    });
    c.putProject("fp", { summary: '{"a":1}', detail });
    c.close();
    const raw = new Database(path, { readonly: true });
    const stored = raw.prepare("SELECT length(extraction) AS n FROM files").get() as { n: number };
    const project = raw.prepare("SELECT length(detail) AS n FROM project").get() as { n: number };
    raw.close();
    expect(stored.n).toBeLessThan(json.length / 4);
    expect(project.n).toBeLessThan(detail.length / 4);
    const c2 = AnalysisCache.open(path, "v1");
    expect(c2.loadExtraction("lib/big.ex", "h")).toBe(json);
    expect(c2.get("lib/big.ex", "h")?.extractionJson).toBe(json);
    const p = c2.getProject("fp");
    expect(p?.summary).toBe('{"a":1}');
    expect(p?.detail()).toBe(detail);
    expect(c2.getProject("other")).toBeUndefined();
    c2.close();
  });

  it("misses on another hash or another extractor version", () => {
    const path = join(dir, "c.sqlite");
    const c1 = AnalysisCache.open(path, "v1");
    c1.putMany([
      { path: "lib/a.ex", hash: "aa", size: 1, counts: C, extractionJson: "{}", error: null },
    ]);
    expect(c1.get("lib/a.ex", "changed")).toBeUndefined();
    expect(c1.get("lib/other.ex", "aa")).toBeUndefined();
    c1.close();
    const c2 = AnalysisCache.open(path, "v2");
    expect(c2.get("lib/a.ex", "aa")).toBeUndefined();
    expect(c2.stats().misses).toBe(1);
    c2.close();
  });

  it("replaces rows and drops rows of files that are gone", () => {
    const c = AnalysisCache.open(join(dir, "c.sqlite"), "v1");
    c.putMany([
      { path: "a.ex", hash: "1", size: 1, counts: C, extractionJson: "{}", error: null },
      { path: "b.ex", hash: "1", size: 1, counts: C, extractionJson: "{}", error: null },
    ]);
    c.putMany([{ path: "a.ex", hash: "2", size: 2, counts: C, extractionJson: "[]", error: null }]);
    expect(c.get("a.ex", "2")?.extractionJson).toBe("[]");
    expect(c.retainOnly(new Set(["a.ex"]))).toBe(1);
    expect(c.size()).toBe(1);
    c.close();
  });

  it("writes a batch all or nothing", () => {
    const path = join(dir, "c.sqlite");
    const c = AnalysisCache.open(path, "v1");
    c.putMany([{ path: "a.ex", hash: "1", size: 1, counts: C, extractionJson: "{}", error: null }]);
    // A row that violates NOT NULL in the middle of a batch must roll the whole batch back.
    const bad = {
      path: "c.ex",
      hash: null as unknown as string,
      size: 1,
      counts: C,
      extractionJson: "{}",
      error: null,
    };
    expect(() =>
      c.putMany([
        { path: "b.ex", hash: "1", size: 1, counts: C, extractionJson: "{}", error: null },
        bad,
      ]),
    ).toThrow();
    expect(c.get("b.ex", "1")).toBeUndefined();
    expect(c.get("a.ex", "1")).toBeDefined();
    c.close();
  });

  it("refuses a database that is not its own and a file that is not SQLite", () => {
    const foreign = join(dir, "app.db");
    const db = new Database(foreign);
    db.exec("CREATE TABLE users (id INTEGER)");
    db.close();
    expect(() => AnalysisCache.open(foreign, "v1")).toThrow(CacheError);
    expect(() => AnalysisCache.open(foreign, "v1")).toThrow(/not an ElixirScope cache/);
    const db2 = new Database(foreign);
    expect(db2.prepare("SELECT name FROM sqlite_master").all()).toEqual([{ name: "users" }]);
    db2.close();
    const text = join(dir, "notes.txt");
    writeFileSync(
      text,
      "this is not a database, just some text that is long enough to have a header",
    );
    expect(() => AnalysisCache.open(text, "v1")).toThrow(CacheError);
  });
});
