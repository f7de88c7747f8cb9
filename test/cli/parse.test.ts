import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import "../../src/cli/commands/index.js";
import { erlangShortFloat } from "../../src/ast/term-json.js";
import { runCli } from "../../src/cli/program.js";
import { ORACLE, ROOT } from "../ast/parser/support/oracle.js";
import { ELIXIR, hasElixir, skipUnlessAvailable } from "../support/prerequisites.js";

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

const dir = mkdtempSync(join(tmpdir(), "elixirscope-parse-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const GOOD = "defmodule A do\n  # hi\n  def f(x), do: x + 1\nend\n";
const BAD = "defmodule A do\n  def f(x) do\n";
const good = file("good.ex", GOOD);
const bad = file("bad.ex", BAD);
// Floats in every spelling Erlang picks, integers past 2^53, a non-UTF-8 binary, escapes.
const values = file(
  "values.exs",
  [
    "[1.0, 0.1, 100.0, 1000.0, 0.0001, 0.00001, 1.5e-7, 123456789.0, 1.0e15, 9.007199254740992e15,",
    " 9007199254740990.0, 1.0e16, 4.5e16, 1.7976931348623157e308, 5.0e-324, 2.5, 0.0015, 1.0e100]",
    "x = 9007199254740993 + 123456789012345678901234567890 - 0x1F",
    'y = "\\xFF\\x00" <> "tab\\tquote\\"back\\\\slash\\e\\u0001"',
    'z = :"quoted atom" # trailing comment',
    "",
  ].join("\n"),
);
const unicode = file("unicode.ex", '# é comment\ns = "Jößé • ü"\n:ünïcode\n');

/** The oracle's own output for `paths`, as files (its literal command line). */
function oracleOnFiles(paths: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("elixir", [ORACLE, ...paths], { cwd: ROOT });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  });
}

describe("elixirscope parse", () => {
  it("prints one summary line per file and exits 1 when a file has a syntax error", async () => {
    const ok = await run("parse", good);
    expect(ok.code).toBe(0);
    // defmodule, __aliases__, def, f, x, +, x: seven 3-tuples.
    expect(ok.out).toBe(`${good}: ok, 7 nodes, 1 comments, ${GOOD.length} bytes\n`);
    const r = await run("parse", good, bad);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    // The file and position once, then the bare message (Elixir 1.18's: at the opener).
    expect(lines[1]).toBe(`${bad}: error at 2:12: missing terminator: end (${BAD.length} bytes)`);
    const old = await run("parse", "--elixir", "1.14", bad);
    expect(old.out.trimEnd()).toBe(
      `${bad}: error at 3:1: missing terminator: end (for "do" starting at line 2) (${BAD.length} bytes)`,
    );
  });

  it("reports an unreadable file on stderr, still parses the others, and exits 1", async () => {
    const missing = join(dir, "missing.ex");
    const r = await run("parse", missing, good);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`cannot read ${missing}`);
    expect(r.out).toContain("good.ex: ok");
  });

  it("--quiet prints one timing line, counts errors, and exits 0 for syntax errors", async () => {
    const r = await run("parse", "--quiet", "--repeat", "3", good, bad);
    expect(r.code).toBe(0);
    const bytes = GOOD.length + BAD.length;
    expect(r.out).toMatch(new RegExp(`^files=2 bytes=${bytes} errors=1 best_ms=\\d+\\.\\d\\d\n$`));
  });

  it.each([
    [["--repeat", "0", "--quiet"], "--repeat"],
    [["--repeat", "abc", "--quiet"], "--repeat"],
    [["--repeat", "1.5", "--quiet"], "--repeat"],
    [["--repeat", "2"], "--repeat requires --quiet"],
    [["--format", "xml"], "--format"],
    [["--elixir", "1.15"], "--elixir"],
    [["--elixir"], "--elixir"],
    [["--quiet", "--format", "terms"], "--quiet"],
    [["--bogus"], "--bogus"],
  ])("rejects %j with one line and exit code 2", async (args, mention) => {
    const r = await run("parse", ...args, good);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain(mention);
    expect(r.out).toBe("");
  });

  it("requires at least one file", async () => {
    const r = await run("parse");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  it("documents the exit codes in --help", async () => {
    const r = await run("parse", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Exit codes:");
    expect(r.out).toContain("--repeat");
  });

  it("spells floats as Erlang's float_to_binary(f, [:short])", () => {
    expect(
      [1, 0.1, 100, 1000, 1e-4, 1e-5, 1.5e-7, 123456789, 2 ** 53, 9007199254740990, -0].map(
        erlangShortFloat,
      ),
    ).toEqual([
      "1.0",
      "0.1",
      "100.0",
      "1.0e3",
      "0.0001",
      "1.0e-5",
      "1.5e-7",
      "123456789.0",
      "9.007199254740992e15",
      "9007199254740990.0",
      "-0.0",
    ]);
  });
});

describe.skipIf(skipUnlessAvailable(ELIXIR, hasElixir()))(
  "elixirscope parse --format terms against the oracle",
  () => {
    it("prints exactly what `elixir tools/oracle/quoted.exs FILE...` prints", async () => {
      const paths = [good, bad, values, join(ROOT, "examples/inventory/lib/inventory/order.ex")];
      const ours = await run("parse", "--elixir", "1.14", "--format", "terms", ...paths);
      expect(ours.code).toBe(1);
      const theirs = (await oracleOnFiles(paths)).trimEnd().split("\n");
      const mine = ours.out.trimEnd().split("\n");
      expect(mine).toHaveLength(paths.length);
      for (let i = 0; i < paths.length; i++) {
        if (paths[i] === bad) {
          // A missing terminator: our wording is Elixir's, so line, column and message all match.
          const [m, t] = [JSON.parse(mine[i]), JSON.parse(theirs[i])];
          expect(t.error.message).toMatch(/^missing terminator/);
          expect(m.error).toEqual(t.error);
        }
        expect(mine[i], paths[i]).toBe(theirs[i]);
      }
    });

    it("matches the oracle byte for byte on non-ASCII sources", async () => {
      const ours = await run("parse", "--elixir", "1.14", "--format", "terms", unicode);
      expect(ours.code).toBe(0);
      expect(ours.out).toBe(await oracleOnFiles([unicode]));
    });
  },
);
