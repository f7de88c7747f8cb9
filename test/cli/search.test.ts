import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { excerpt, palette, wantColor } from "../../src/cli/report/excerpt.js";

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "es-search-cli-"));
writeFileSync(
  join(dir, "a.ex"),
  'defmodule A do\n  def f(x) do\n    IO.inspect(x, label: "x")\n  end\nend\n',
);
// It spells out IO.inspect, so the name prefilter must parse it (and report its error).
writeFileSync(join(dir, "bad.ex"), "IO.inspect(\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("elixirscope search", () => {
  it("prints the documented JSON document, paths relative to the current directory", async () => {
    const r = await cli("search", "IO.inspect(_v, ...)", dir, "--json", "--elixir", "1.14");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(["pattern", "matches", "files", "errors"]);
    expect(doc.pattern).toBe("IO.inspect(_v, ...)");
    expect(doc.files).toBe(2);
    expect(doc.matches).toHaveLength(1);
    const m = doc.matches[0];
    expect(m.file.endsWith("a.ex")).toBe(true);
    expect(m.file.startsWith("/")).toBe(false);
    expect(m).toMatchObject({ line: 3, column: 8, endLine: 3, endColumn: 30, module: "A" });
    expect(m.function).toBe("f/1");
    expect(m.captures).toEqual({ v: "x" });
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0]).toMatchObject({ line: 2, column: 1 });
    expect(doc.errors[0].message).toBe('missing terminator: ) (for "(" starting at line 1)');
    expect(doc.errors[0].file.endsWith("bad.ex")).toBe(true);
    expect(r.err).toContain("bad.ex:2:1: skipped");
  });

  it("prints file:line:column, the line and a caret under the match", async () => {
    const r = await cli("search", "IO.inspect(...)", join(dir, "a.ex"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("a.ex:3:8 A f/1\n");
    expect(r.out).toContain(
      '3 |     IO.inspect(x, label: "x")\n  |        ^^^^^^^^^^^^^^^^^^^^^^\n',
    );
    expect(r.out).toContain("1 match in 1 file (1 searched)");
  });

  it("rejects a bad pattern, a missing path and an unknown option with exit 2", async () => {
    const bad = await cli("search", "foo(", dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/invalid pattern at 1:\d+: missing terminator/);
    const missing = await cli("search", "x", join(dir, "nope"));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no such file or directory");
    expect((await cli("search", "x", "--bogus")).code).toBe(2);
    expect((await cli("search", "x", dir, "--workers", "x")).code).toBe(2);
  });

  it("colors only on a terminal and never with NO_COLOR", () => {
    expect(wantColor(true, {})).toBe(true);
    expect(wantColor(false, {})).toBe(false);
    expect(wantColor(true, { NO_COLOR: "1" })).toBe(false);
    const colored = excerpt(
      "abc\n",
      { line: 1, column: 2, endLine: 1, endColumn: 3 },
      palette(true),
    );
    expect(colored).toContain("\u001b[1;31m^\u001b[0m");
  });
});
