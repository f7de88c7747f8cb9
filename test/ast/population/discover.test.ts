import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type DiscoverOptions,
  DiscoveryError,
  discoverFiles,
} from "../../../src/ast/population/discover.js";
import { compileGlob, matchPath, matchRules } from "../../../src/ast/population/glob.js";

function matches(pattern: string, path: string, isDir = false): boolean | undefined {
  const rule = compileGlob(pattern);
  if (!rule) throw new Error(`no rule from ${pattern}`);
  return matchRules([rule], path, isDir);
}

describe("gitignore patterns", () => {
  it("matches an unanchored name at any depth", () => {
    expect(matches("*.log", "a.log")).toBe(true);
    expect(matches("*.log", "x/y/a.log")).toBe(true);
    expect(matches("*.log", "a.logx")).toBeUndefined();
    expect(matches("tmp", "a/tmp", true)).toBe(true);
  });

  it("anchors patterns holding a slash", () => {
    expect(matches("/build", "build", true)).toBe(true);
    expect(matches("/build", "x/build", true)).toBeUndefined();
    expect(matches("doc/frotz", "doc/frotz", true)).toBe(true);
    expect(matches("doc/frotz", "a/doc/frotz", true)).toBeUndefined();
  });

  it("keeps directory-only patterns off files", () => {
    expect(matches("gen/", "gen", true)).toBe(true);
    expect(matches("gen/", "gen", false)).toBeUndefined();
  });

  it("handles ** leading, middle and trailing", () => {
    expect(matches("**/foo", "foo")).toBe(true);
    expect(matches("**/foo", "a/b/foo")).toBe(true);
    expect(matches("a/**/b", "a/b")).toBe(true);
    expect(matches("a/**/b", "a/x/y/b")).toBe(true);
    expect(matches("a/**", "a/x/y")).toBe(true);
    expect(matches("a/**", "a", true)).toBeUndefined();
  });

  it("supports ?, classes, escapes, negation and comments", () => {
    expect(matches("f?o.ex", "foo.ex")).toBe(true);
    expect(matches("f?o.ex", "f/o.ex")).toBeUndefined();
    expect(matches("[a-c].ex", "b.ex")).toBe(true);
    expect(matches("[!a-c].ex", "b.ex")).toBeUndefined();
    expect(matches("[!a-c].ex", "d.ex")).toBe(true);
    expect(matches("\\#x", "#x")).toBe(true);
    expect(matches("!keep.ex", "keep.ex")).toBe(false);
    expect(compileGlob("# comment")).toBeNull();
    expect(compileGlob("   ")).toBeNull();
  });

  it("lets the last matching rule win and covers files under a matched directory", () => {
    const rules = ["*.ex", "!keep.ex"].map((p) => compileGlob(p)!);
    expect(matchRules(rules, "a/keep.ex", false)).toBe(false);
    expect(matchRules(rules, "a/drop.ex", false)).toBe(true);
    const dir = [compileGlob("lib/")!];
    expect(matchPath(dir, "lib/a/b.ex", false)).toBe(true);
    expect(matchPath(dir, "test/b.ex", false)).toBe(false);
  });
});

describe("discoverFiles", () => {
  let root: string;
  const put = (rel: string, text = "") => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "es-discover-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("finds .ex and .exs files, sorted, skipping build and dependency folders", () => {
    put("mix.exs");
    put("lib/b.ex");
    put("lib/a.ex");
    put("lib/notes.md");
    put("test/a_test.exs");
    put("_build/dev/x.ex");
    put("deps/dep/lib/d.ex");
    put("node_modules/n/x.ex");
    put("assets/node_modules/n/y.ex");
    put(".git/hooks/z.ex");
    put(".elixirscope/x.ex");
    expect(discoverFiles(root).files).toEqual([
      "lib/a.ex",
      "lib/b.ex",
      "mix.exs",
      "test/a_test.exs",
    ]);
  });

  it("honours nested .gitignore files, negations and directory patterns", () => {
    put(".gitignore", "# generated\n/gen/\n*.tmp.ex\n");
    put("gen/x.ex");
    put("lib/gen/kept.ex");
    put("lib/a.tmp.ex");
    put("lib/a.ex");
    put("lib/sub/.gitignore", "*.ex\n!keep.ex\n");
    put("lib/sub/drop.ex");
    put("lib/sub/keep.ex");
    expect(discoverFiles(root).files).toEqual(["lib/a.ex", "lib/gen/kept.ex", "lib/sub/keep.ex"]);
    expect(discoverFiles(root, { gitignore: false }).files).toHaveLength(6);
  });

  it("applies includes and excludes in gitignore syntax", () => {
    put("lib/a.ex");
    put("lib/x/b.ex");
    put("test/t.exs");
    put("priv/p.exs");
    expect(discoverFiles(root, { include: ["lib/"] }).files).toEqual(["lib/a.ex", "lib/x/b.ex"]);
    expect(discoverFiles(root, { include: ["*.exs"] }).files).toEqual(["priv/p.exs", "test/t.exs"]);
    expect(discoverFiles(root, { exclude: ["lib/x", "/test"] }).files).toEqual([
      "lib/a.ex",
      "priv/p.exs",
    ]);
  });

  it("follows links to files but not to directories", () => {
    put("lib/a.ex");
    symlinkSync(join(root, "lib/a.ex"), join(root, "link.ex"));
    symlinkSync(join(root, "lib"), join(root, "loop"));
    expect(discoverFiles(root).files).toEqual(["lib/a.ex", "link.ex"]);
  });

  it("rejects a missing root or a file as root", () => {
    expect(() => discoverFiles(join(root, "nope"))).toThrow(DiscoveryError);
    expect(() => discoverFiles(join(root, "nope"))).toThrow(/no such directory/);
    put("f.ex");
    expect(() => discoverFiles(join(root, "f.ex"))).toThrow(/not a directory/);
  });

  it("rejects unknown or ill-typed options, naming them", () => {
    put("lib/a.ex");
    const misspelt = { includ: ["lib/"] } as unknown as DiscoverOptions;
    expect(() => discoverFiles(root, misspelt)).toThrow(/unknown option "includ"/);
    const notArray = { include: "lib/" } as unknown as DiscoverOptions;
    expect(() => discoverFiles(root, notArray)).toThrow(/"include" must be an array of strings/);
  });
});
