/**
 * `elixirscope analyze` under hostile but realistic conditions (issue 12), on the compiled
 * command run as real processes: concurrent first runs, foreign and corrupt caches, a config
 * given through a pipe, a full stdout, unreadable trees, pathological patterns.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyExample } from "../ast/population/support.js";
import { runBin, runBinSync } from "./bin.js";

/** The parts of a `--json` document that must not depend on how the run went (cache, timing). */
function stable(json: string): unknown {
  const doc = JSON.parse(json) as { summary: Record<string, unknown> };
  const { files, modules, functions, clauses, failed, fingerprint } = doc.summary;
  return { ...doc, summary: { files, modules, functions, clauses, failed, fingerprint } };
}

describe("analyze under hostile conditions", () => {
  let root: string;
  beforeEach(() => {
    root = copyExample("es-hostile-");
  });
  afterEach(() => rmSync(dirname(root), { recursive: true, force: true }));

  it("two first runs at once on a new cache both succeed, 20 times, like a single run", async () => {
    const single = runBinSync(["analyze", root, "--json", "--no-cache"]);
    expect(single.err).toBe("");
    expect(single.code).toBe(0);
    const expected = stable(single.out);
    for (let round = 0; round < 20; round++) {
      rmSync(join(root, ".elixirscope"), { recursive: true, force: true });
      const [a, b] = await Promise.all([
        runBin(["analyze", root, "--json"]),
        runBin(["analyze", root, "--json"]),
      ]);
      expect({ round, err: a.err, code: a.code }).toEqual({ round, err: "", code: 0 });
      expect({ round, err: b.err, code: b.code }).toEqual({ round, err: "", code: 0 });
      expect(stable(a.out)).toEqual(expected);
      expect(stable(b.out)).toEqual(expected);
    }
  }, 240_000);

  it("never writes to a foreign SQLite database given as --cache: its bytes stay the same", () => {
    const foreign = join(dirname(root), "other.sqlite");
    const db = new Database(foreign);
    db.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'a')",
    );
    db.close();
    const before = readFileSync(foreign);
    const r = runBinSync(["analyze", root, "--cache", foreign]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not an ElixirScope cache; refusing to change it/);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(readFileSync(foreign).equals(before)).toBe(true);
  });

  it("says what to do about a cache it cannot use", () => {
    const bad = join(dirname(root), "broken.sqlite");
    writeFileSync(bad, "this is not a database, only text long enough to fill a header page.");
    const r = runBinSync(["analyze", root, "--cache", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /cannot use cache .*broken\.sqlite: .*; delete it, or run with --no-cache/,
    );
  });
});
