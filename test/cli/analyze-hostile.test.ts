/**
 * `elixirscope analyze` under hostile but realistic conditions (issue 12), on the compiled
 * command run as real processes: concurrent first runs, foreign and corrupt caches, a config
 * given through a pipe, a full stdout, unreadable trees, pathological patterns.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyExample } from "../ast/population/support.js";
import { BIN, runBin, runBinSync } from "./bin.js";

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

  it("reads --config once, so a config given through a pipe works", () => {
    const r = spawnSync(
      "bash",
      [
        "-c",
        `"$0" "$1" analyze "$2" --no-cache --config <(echo '{"analysis": {"top": 3}}')`,
        process.execPath,
        BIN,
        root,
      ],
      { encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Most complex functions (top 3)");
  });

  it("rejects a __proto__ key in a config file as unknown, at any depth (exit 2)", () => {
    const dir = dirname(root);
    for (const [name, text] of [
      ["top.json", '{"__proto__": {"analysis": {"top": 3}}}'],
      ["nested.json", '{"analysis": {"__proto__": {"top": 3}}}'],
    ] as const) {
      writeFileSync(join(dir, name), text);
      const r = runBinSync(["analyze", root, "--no-cache", "--config", join(dir, name)]);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toMatch(/Unrecognized key: "__proto__"/);
    }
  });

  it("a write error on stdout (a full disk) is one line on stderr and exit 1, no stack", () => {
    for (const flags of [["--json"], []]) {
      const full = openSync("/dev/full", "w");
      try {
        const r = spawnSync(process.execPath, [BIN, "analyze", root, "--no-cache", ...flags], {
          encoding: "utf8",
          stdio: ["ignore", full, "pipe"],
        });
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/^elixirscope: cannot write to stdout: ENOSPC[^\n]*\n$/);
      } finally {
        closeSync(full);
      }
    }
  });

  it("escapes control characters of paths in the text report", () => {
    writeFileSync(
      join(root, "lib", "evil\nfake line\u001b[2J.ex"),
      "defmodule Evil do\n  def f(\nend\n",
    );
    const r = runBinSync(["analyze", root, "--no-cache"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("lib/evil\\nfake line\\x1b[2J.ex:");
    expect(r.out).not.toContain("\u001b");
    expect(r.out.split("\n").some((l) => l.startsWith("fake line"))).toBe(false);
  });

  it("a pattern over the length limit is a usage error (exit 2), one line", () => {
    const r = runBinSync(["analyze", root, "--no-cache", "--include", "*a".repeat(10_000)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/include.*at most 1024 characters/);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  it("pathological patterns in --include and .gitignore match in linear time", () => {
    writeFileSync(join(root, ".gitignore"), `${"**/".repeat(16)}x\n${"*a".repeat(500)}\n`);
    const deep = join(root, "lib", "a", "b", "c", "d", "e", "f");
    mkdirSync(deep, { recursive: true });
    for (let i = 0; i < 200; i++)
      writeFileSync(join(deep, `m${i}.ex`), `defmodule M${i} do\nend\n`);
    const r = spawnSync(
      process.execPath,
      [BIN, "analyze", root, "--no-cache", "--json", "--include", `${"**/".repeat(30)}m1*.ex`],
      { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { files: unknown[] }).files).toHaveLength(111);
  });
});
