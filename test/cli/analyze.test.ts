import { existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyzeRoot } from "../../src/ast/population/run.js";
import "../../src/cli/commands/analyze.js";
import { runCli } from "../../src/cli/program.js";
import { analyzeJson, writeAnalyzeJson } from "../../src/cli/report/json.js";
import { copyExample, EXAMPLE } from "../ast/population/support.js";

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const KINDS = new Set([
  "def",
  "defp",
  "defmacro",
  "defmacrop",
  "defguard",
  "defguardp",
  "defdelegate",
]);
const METRICS = ["cyclomatic", "perceived", "abc", "nesting", "arity", "cognitive", "loc"];

describe("elixirscope analyze", () => {
  let root: string;
  beforeEach(() => {
    root = copyExample("es-cli-");
  });
  afterEach(() => rmSync(dirname(root), { recursive: true, force: true }));

  it("prints the whole result as JSON of the documented shape", async () => {
    const { code, out, err } = await cli("analyze", root, "--json");
    expect(err).toBe("");
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.root).toBe(root);
    expect(doc.files.length).toBeGreaterThan(10);
    for (const f of doc.files) {
      expect(f.path.startsWith("/")).toBe(false);
      expect(f.error).toBeNull();
    }
    expect(doc.modules.length).toBeGreaterThan(10);
    let clauses = 0;
    for (const m of doc.modules) {
      expect(typeof m.name).toBe("string");
      expect(m.file.startsWith("/")).toBe(false);
      expect(m.endLine).toBeGreaterThanOrEqual(m.line);
      expect(Array.isArray(m.behaviours)).toBe(true);
      for (const fn of m.functions) {
        expect(KINDS.has(fn.kind)).toBe(true);
        expect(typeof fn.generated).toBe("boolean");
        if (fn.generated) expect(fn.kind).toBe("def");
        for (const c of fn.clauses) {
          clauses++;
          expect(c.file).toBe(m.file);
          for (const k of METRICS) expect(typeof c.metrics[k]).toBe("number");
        }
      }
    }
    expect(clauses).toBeGreaterThan(50);
    expect(
      doc.modules.some((m: { behaviours: string[] }) => m.behaviours.includes("GenServer")),
    ).toBe(true);
    expect(Array.isArray(doc.findings)).toBe(true);
    expect(Array.isArray(doc.moduleGraph.cycles)).toBe(true);
    expect(doc.summary.parsed).toBe(doc.files.length);
  });

  it("prints a report for people, with parse errors, and exits 0", async () => {
    writeFileSync(join(root, "lib", "broken.ex"), "defmodule Broken do\n  def f(\nend\n");
    const { code, out } = await cli("analyze", root, "--no-cache");
    expect(code).toBe(0);
    for (const section of [
      "Most complex functions",
      "Behaviours and patterns",
      "Findings",
      "Dependency cycles",
      "Parse errors (1)",
    ]) {
      expect(out).toContain(section);
    }
    expect(out).toMatch(/lib\/broken\.ex:\d+/);
    expect(out).toContain("GenServer");
  });

  it("uses the cache by default and --no-cache leaves none", async () => {
    await cli("analyze", root, "--no-cache", "--json");
    expect(existsSync(join(root, ".elixirscope"))).toBe(false);
    await cli("analyze", root, "--json");
    expect(existsSync(join(root, ".elixirscope", "cache.sqlite"))).toBe(true);
    const { out } = await cli("analyze", root, "--json");
    expect(JSON.parse(out).summary.parsed).toBe(0);
    const custom = join(dirname(root), "c", "cache.sqlite");
    await cli("analyze", root, "--cache", custom, "--json");
    expect(existsSync(custom)).toBe(true);
  });

  it("analyzes the bundled example by default", async () => {
    const { code, out } = await cli("analyze", "--no-cache", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(out).root).toMatch(/examples[/\\]inventory$/);
  });

  it("exits 2 on usage errors and 1 on a bad path", async () => {
    expect((await cli("analyze", root, "--bogus")).code).toBe(2);
    expect((await cli("analyze", root, "--workers", "many")).code).toBe(2);
    expect((await cli("analyze", root, "--top", "0")).code).toBe(2);
    expect((await cli("analyze", root, "extra")).code).toBe(2);
    const missing = await cli("analyze", join(root, "nope"), "--json");
    expect(missing.code).toBe(1);
    expect(missing.out).toBe("");
    expect(missing.err).toMatch(/nope: no such directory/);
    const notDb = join(root, "notes.sqlite");
    writeFileSync(notDb, "x".repeat(200));
    const badCache = await cli("analyze", root, "--cache", notDb);
    expect(badCache.code).toBe(1);
    expect(badCache.err).toMatch(/cache/);
  });
});

describe("the --json writer", () => {
  it("streams exactly the document analyzeJson builds", async () => {
    const run = await analyzeRoot(EXAMPLE, { cache: false });
    const chunks: string[] = [];
    writeAnalyzeJson(run, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(run.summary.modules);
    expect(chunks.join("")).toBe(`${JSON.stringify(analyzeJson(run))}\n`);
  });
});
