import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { writeProject } from "../ast/query/project.js";

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const root = writeProject();
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("elixirscope query", () => {
  it("parses the project with the --elixir version's syntax", async () => {
    const dir = mkdtempSync(join(tmpdir(), "es-query-elixir-"));
    try {
      mkdirSync(join(dir, "lib"));
      // Sigils of several letters are Elixir 1.15+ syntax.
      writeFileSync(join(dir, "lib/s.ex"), 'defmodule S do\n  def f, do: ~EXLA"x"\nend\n');
      const at = async (...v: string[]) => {
        const r = await cli("query", "files", dir, "--json", "--no-cache", ...v);
        expect(r.code, r.err).toBe(0);
        return JSON.parse(r.out).items[0].error as string | null;
      };
      expect(await at()).toBeNull();
      expect(await at("--elixir", "1.18")).toBeNull();
      expect(await at("--elixir", "1.14")).toMatch(/sigil|EXLA|syntax/i);
      const bad = await cli("query", "files", dir, "--elixir", "1.99");
      expect(bad.code).toBe(2);
      expect(bad.err).toContain("--elixir");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints one JSON document with the rows and the plan", async () => {
    const r = await cli("query", "callers of Repo.delete!/1 depth 2", root, "--json", "--no-cache");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(["query", "entity", "items", "total", "explain", "version"]);
    expect(doc.total).toBe(3);
    expect(doc.explain[0].index).toBe("callIndex");
  });

  it("prints a table with --explain", async () => {
    const r = await cli(
      "query",
      "modules implementing GenServer lacking handle_info/2",
      root,
      "--explain",
      "--no-cache",
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^name\s+file\s+line\s+functions\s+cyclomatic\nMyApp\.Worker\s+lib\/my_app\/worker\.ex/,
    );
    expect(r.out).toContain("1 of 1 modules\n  candidates: modulesByBehaviour (GenServer)");
  });

  it("shows a query error with a caret under its column, exit 2", async () => {
    const r = await cli("query", "functions where cyclomatic >> 3", root);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'elixirscope: query error at column 29: expected a value, found ">"\n' +
        "  functions where cyclomatic >> 3\n" +
        `  ${" ".repeat(28)}^\n`,
    );
  });
});
