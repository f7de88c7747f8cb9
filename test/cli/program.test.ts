import { describe, expect, it } from "vitest";
import "../../src/cli/commands/index.js";
import { runCli } from "../../src/cli/program.js";
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
});
