import { existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { maxWorkerCount } from "../../src/ast/population/pool.js";
import { analyzeRoot } from "../../src/ast/population/run.js";
import "../../src/cli/commands/analyze.js";
import { runCli } from "../../src/cli/program.js";
import { analyzeJson, writeAnalyzeJson } from "../../src/cli/report/json.js";
import { ProgressBar } from "../../src/cli/report/progress.js";
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

describe("elixirscope analyze: settings through the Foundation config", () => {
  let root: string;
  const saved = new Map<string, string | undefined>();
  function setEnv(vars: Record<string, string>): void {
    for (const [k, v] of Object.entries(vars)) {
      if (!saved.has(k)) saved.set(k, process.env[k]);
      process.env[k] = v;
    }
  }
  beforeEach(() => {
    root = copyExample("es-cli-cfg-");
  });
  afterEach(() => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    saved.clear();
    rmSync(dirname(root), { recursive: true, force: true });
  });

  const paths = (out: string): string[] =>
    JSON.parse(out).files.map((f: { path: string }) => f.path);

  it("takes ELIXIRSCOPE_ANALYSIS__* variables, and explicit options over them", async () => {
    setEnv({ ELIXIRSCOPE_ANALYSIS__EXCLUDE: '["test/"]', ELIXIRSCOPE_ANALYSIS__WORKERS: "0" });
    const fromEnv = await cli("analyze", root, "--no-cache", "--json");
    expect(fromEnv.err).toBe("");
    expect(fromEnv.code).toBe(0);
    expect(JSON.parse(fromEnv.out).summary.workers).toBe(0);
    expect(paths(fromEnv.out).some((p) => p.startsWith("test/"))).toBe(false);
    expect(paths(fromEnv.out).some((p) => p.startsWith("lib/"))).toBe(true);

    const explicit = await cli("analyze", root, "--no-cache", "--json", "--exclude", "lib/");
    expect(explicit.code).toBe(0);
    expect(paths(explicit.out).some((p) => p.startsWith("test/"))).toBe(true);
    expect(paths(explicit.out).some((p) => p.startsWith("lib/"))).toBe(false);
  });

  it("reads a --config file under the environment, and its top for the report", async () => {
    const file = join(dirname(root), "elixirscope.json");
    writeFileSync(file, JSON.stringify({ analysis: { cache: false, top: 1, exclude: ["lib/"] } }));
    setEnv({ ELIXIRSCOPE_ANALYSIS__EXCLUDE: "[]" });
    const { code, out } = await cli("analyze", root, "--config", file);
    expect(code).toBe(0);
    expect(existsSync(join(root, ".elixirscope"))).toBe(false); // cache: false from the file
    expect(out).toContain("Most complex functions (top 1)"); // top from the file
    const two = await cli("analyze", root, "--config", file, "--top", "2");
    expect(two.out).toContain("Most complex functions (top 2)");
  });

  it("exits 2 naming an unknown setting in the environment or the config file", async () => {
    const file = join(dirname(root), "bad.json");
    writeFileSync(file, JSON.stringify({ analysis: { wrokers: 2 } }));
    const badFile = await cli("analyze", root, "--config", file, "--json");
    expect(badFile.code).toBe(2);
    expect(badFile.out).toBe("");
    expect(badFile.err).toMatch(/analysis: Unrecognized key.*wrokers/);
    const missing = await cli("analyze", root, "--config", join(dirname(root), "none.json"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/Cannot read config file/);
    setEnv({ ELIXIRSCOPE_ANALYSIS__WROKERS: "2" });
    const badEnv = await cli("analyze", root, "--json");
    expect(badEnv.code).toBe(2);
    expect(badEnv.err).toMatch(/ELIXIRSCOPE_ANALYSIS__WROKERS names no configuration path/);
  });

  it("exits 2 on more workers than the cap, from the command line, environment or file", async () => {
    const tooMany = String(maxWorkerCount() + 1);
    const flag = await cli("analyze", root, "--no-cache", "--workers", tooMany);
    expect(flag.code).toBe(2);
    expect(flag.out).toBe("");
    expect(flag.err.trim().split("\n")).toHaveLength(1);
    expect(flag.err).toMatch(/--workers.*at most/);
    const file = join(dirname(root), "many.json");
    writeFileSync(file, JSON.stringify({ analysis: { workers: 5000 } }));
    const fromFile = await cli("analyze", root, "--no-cache", "--config", file);
    expect(fromFile.code).toBe(2);
    expect(fromFile.err).toMatch(/analysis\.workers: at most/);
    setEnv({ ELIXIRSCOPE_ANALYSIS__WORKERS: tooMany });
    const fromEnv = await cli("analyze", root, "--no-cache", "--json");
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.out).toBe("");
    expect(fromEnv.err).toMatch(/analysis\.workers: at most/);
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

describe("the progress bar", () => {
  it("shows each phase as it starts, the project analysis last, and clears the line", () => {
    let screen = "";
    const bar = new ProgressBar((s) => (screen += s));
    bar.update({ phase: "read", done: 1, total: 2 });
    bar.update({ phase: "read", done: 2, total: 2 });
    bar.update({ phase: "parse", done: 0, total: 1 });
    bar.update({ phase: "parse", done: 1, total: 1 });
    bar.update({ phase: "analyze", done: 0, total: 1 });
    const lines = screen.split("\r").filter(Boolean);
    expect(lines.map((l) => l.split(" ")[0])).toEqual([
      "reading",
      "reading",
      "parsing",
      "parsing",
      "analyzing",
    ]);
    expect(lines.at(-1)).toMatch(/^analyzing project/);
    bar.done();
    expect(screen.endsWith("\r\x1b[K")).toBe(true);
  });
});
