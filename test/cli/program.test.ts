import { describe, expect, it } from "vitest";
import "../../src/cli/commands/index.js";
import { buildProgram, runCli } from "../../src/cli/program.js";
import { VERSION } from "../../src/version.js";

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runCli(argv, {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
  });
  return { code, out, err };
}

describe("elixirscope CLI", () => {
  it("prints help listing its name and exits 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: elixirscope");
  });

  it("prints the package version", async () => {
    const r = await run("--version");
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(VERSION);
  });

  it("rejects an unknown option with one line and exit code 2", async () => {
    const r = await run("--no-such-flag");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain("--no-such-flag");
  });

  it("treats a missing command as a usage error: help on stderr, exit code 2", async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.err).toContain("Usage: elixirscope");
    expect((await run("help", "bogus")).code).toBe(2);
    expect((await run("help", "parse")).code).toBe(0);
  });

  it("rejects an unknown command with exit code 2", async () => {
    const r = await run("frobnicate");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  it("loads every command for help, and only the command a command line runs", async () => {
    const ctx = { stdout: () => {}, stderr: () => {}, setExitCode: () => {} };
    const all = (await buildProgram(ctx)).commands.map((c) => c.name());
    expect(all).toEqual(["analyze", "parse", "search", "query", "check", "serve"]);
    const one = await buildProgram(ctx, "search");
    expect(one.commands.map((c) => c.name())).toEqual(["search"]);
    const help = await run("--help");
    for (const name of all) expect(help.out).toContain(`  ${name} `);
    const searchHelp = await run("search", "--help");
    expect(searchHelp.code).toBe(0);
    for (const flag of ["--json", "--workers", "--elixir"]) expect(searchHelp.out).toContain(flag);
  });

  it("suggests the command a typo meant, which needs every command loaded", async () => {
    const r = await run("serach", "x");
    expect(r.code).toBe(2);
    expect(r.err).toContain("search");
  });
});
