import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// Imports the built package by its own name, as a user would, so the `exports` map, the compiled
// output and the layering (foundation usable alone) are checked together. `npm test` builds first.
function importInNode(source: string): string {
  return execFileSync(process.execPath, ["--input-type=module", "-e", source], {
    encoding: "utf8",
  }).trim();
}

describe("package exports", () => {
  it("elixirscope/foundation stands alone", () => {
    const out = importInNode(`
      const f = await import("elixirscope/foundation");
      console.log([typeof f.startFoundation, typeof f.Registry, typeof f.ElixirScopeError, typeof f.CircuitBreaker].join(","));
    `);
    expect(out).toBe("function,function,function,function");
  });

  it("elixirscope/ast parses Elixir", () => {
    const out = importInNode(`
      const { parse, termToJson } = await import("elixirscope/ast");
      console.log(JSON.stringify(termToJson(parse("1 + 2").ast)));
    `);
    expect(JSON.parse(out)).toEqual({
      tuple: [
        { atom: "+" },
        [{ tuple: [{ atom: "line" }, 1] }, { tuple: [{ atom: "column" }, 3] }],
        [1, 2],
      ],
    });
  });

  it("elixirscope/ast holds what a library user needs and nothing internal", () => {
    const out = importInNode(`
      const m = await import("elixirscope/ast");
      const user = ["parse", "tryParse", "termToJson", "extractFile", "analyzeProject", "populate", "analyzeRoot", "AstRepository", "functionKey", "search", "query", "parseQuery", "openQueryEngine", "check"];
      const internal = ["ParsePool", "processSource", "compileGlob", "matchPath", "callKey", "stronglyConnectedComponents", "firstDifference"];
      console.log(JSON.stringify({
        user: user.filter((n) => typeof m[n] !== "function"),
        internal: internal.filter((n) => n in m),
      }));
    `);
    expect(JSON.parse(out)).toEqual({ user: [], internal: [] });
  });

  it("elixirscope/ast answers a structural search and parses a query", () => {
    const out = importInNode(`
      const { search, parseQuery } = await import("elixirscope/ast");
      const { mkdtempSync, writeFileSync } = await import("node:fs");
      const { join } = await import("node:path");
      const dir = mkdtempSync(join((await import("node:os")).tmpdir(), "es-exports-"));
      writeFileSync(join(dir, "a.ex"), "defmodule A do\\n  def f(x), do: IO.inspect(x)\\nend\\n");
      const r = await search("IO.inspect(_)", [dir], { cwd: dir, workers: 0 });
      console.log(JSON.stringify({ lines: r.matches.map((m) => m.line), entity: parseQuery("modules").entity }));
    `);
    expect(JSON.parse(out)).toEqual({ lines: [2], entity: "modules" });
  });

  it("elixirscope exposes every layer", () => {
    const out = importInNode(`
      const m = await import("elixirscope");
      console.log([typeof m.foundation.startFoundation, typeof m.ast.analyzeProject, typeof m.VERSION].join(","));
    `);
    expect(out).toBe("function,function,string");
  });
});
