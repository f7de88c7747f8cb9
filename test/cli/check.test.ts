import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { copyExample } from "../ast/population/support.js";

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

let root: string;
beforeAll(() => {
  root = copyExample("es-check-");
});
afterAll(() => rmSync(dirname(root), { recursive: true, force: true }));

const CATALOG = "lib/inventory/catalog.ex";

function addInspect(comment = ""): void {
  const file = join(root, CATALOG);
  const text = readFileSync(file, "utf8");
  const at = text.lastIndexOf("\nend");
  const fn = `\n  def debug(x) do\n${comment}    IO.inspect(x, label: "debug")\n  end\n`;
  writeFileSync(file, text.slice(0, at) + fn + text.slice(at));
}

describe("elixirscope check on examples/inventory, end to end", () => {
  const baseline = () => join(dirname(root), "baseline.json");

  it("fails on the seeded problems, passes after --write-baseline, fails on a new IO.inspect", async () => {
    const first = await cli("check", root, "--no-cache");
    expect(first.code).toBe(1);
    expect(first.out).toContain("warning string-to-atom: String.to_atom(field)");
    expect(first.out).toContain("warning long-function: dispatch is longer than 50 lines");

    const write = await cli("check", root, "--no-cache", "--write-baseline", baseline());
    expect(write.code).toBe(0);
    const stored = JSON.parse(readFileSync(baseline(), "utf8"));
    expect(stored.version).toBe(1);
    expect(stored.findings.length).toBeGreaterThan(3);

    const clean = await cli("check", root, "--no-cache", "--baseline", baseline());
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/^0 findings .*; \d+ in the baseline, 0 suppressed\n$/);

    addInspect();
    const again = await cli(
      "check",
      root,
      "--no-cache",
      "--baseline",
      baseline(),
      "--format",
      "json",
    );
    expect(again.code).toBe(1);
    const doc = JSON.parse(again.out);
    // The new function is also unused (info); the IO.inspect is the warning that fails the run.
    const rules = doc.findings.map((f: { rule: string }) => f.rule).sort();
    expect(rules).toEqual(["io-inspect", "unused-public-function"]);
    const inspect = doc.findings.find((f: { rule: string }) => f.rule === "io-inspect");
    expect(inspect).toMatchObject({
      file: CATALOG,
      severity: "warning",
      column: 8,
      function: "debug/1",
    });
    expect(inspect.message).toBe("IO.inspect left in the code: x");
    expect(
      (await cli("check", root, "--no-cache", "--baseline", baseline(), "--fail-on", "error")).code,
    ).toBe(0);
  });
});

describe("elixirscope check: rules, suppression and formats", () => {
  let dir: string;
  const lib = () => join(dir, "lib/app.ex");
  beforeAll(() => {
    dir = join(dirname(root), "small");
    mkdirSync(join(dir, "lib"), { recursive: true });
    mkdirSync(join(dir, ".elixirscope/rules"), { recursive: true });
    writeFileSync(
      lib(),
      [
        "defmodule App do",
        "  def a(x) do",
        "    # elixirscope:disable-next-line io-inspect",
        "    IO.inspect(x)",
        "    IO.inspect(:kept)",
        "    Repo.delete!(x)",
        "  end",
        "",
        "  defp b(y), do: Repo.delete!(y)",
        "  def c, do: b(1)",
        "end",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, ".elixirscope/rules/repo.yml"),
      [
        "id: no-delete-in-public",
        "severity: error",
        'message: "Repo.delete!({{arg}}) in a public function"',
        "docs: Deletes belong in private helpers that check permissions first.",
        "pattern: Repo.delete!(_arg)",
        "inside:",
        "  function-kind: def",
        '  module: "App*"',
        "where:",
        "  arg:",
        '    matches: "^[a-z]"',
        "",
      ].join("\n"),
    );
  });

  it("applies user rules from .elixirscope/rules with inside, where and interpolation", async () => {
    const r = await cli("check", dir, "--no-cache", "--format", "json");
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    const got = doc.findings
      .filter((f: { severity: string }) => f.severity !== "info")
      .map((f: { rule: string; line: number }) => `${f.rule}@${f.line}`);
    expect(got).toEqual(["io-inspect@5", "no-delete-in-public@6"]);
    const del = doc.findings.find((f: { rule: string }) => f.rule === "no-delete-in-public");
    expect(del.message).toBe("Repo.delete!(x) in a public function");
    expect(doc.suppressed).toBe(1);
  });

  it("prints GitHub annotations", async () => {
    const r = await cli("check", dir, "--no-cache", "--format", "github");
    expect(r.out.split("\n").find((l) => l.startsWith("::warning"))).toBe(
      "::warning file=lib/app.ex,line=5,col=8,endLine=5,endColumn=22,title=io-inspect::IO.inspect left in the code: :kept",
    );
    expect(r.out).toContain("::error file=lib/app.ex,line=6,");
  });

  it("prints SARIF 2.1.0 that the official schema accepts", async () => {
    const r = await cli("check", dir, "--no-cache", "--format", "sarif");
    const require = createRequire(import.meta.url);
    const Ajv = require("ajv-draft-04");
    const schema = JSON.parse(
      readFileSync(new URL("../data/sarif-2.1.0-rtm.5.json", import.meta.url), "utf8"),
    );
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
      schema,
    );
    const log = JSON.parse(r.out);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0].results.filter((x: { level: string }) => x.level !== "note");
    expect(results.map((x: { ruleId: string }) => x.ruleId)).toEqual([
      "io-inspect",
      "no-delete-in-public",
    ]);
    expect(results[1].level).toBe("error");
    expect(results[1].locations[0].physicalLocation.region).toEqual({
      startLine: 6,
      startColumn: 10,
      endLine: 6,
      endColumn: 20,
    });
    // The schema must reject what is not SARIF, or the check above proves nothing.
    expect(validate({ version: "2.1.0", runs: [{ results: [] }] })).toBe(false);
  });

  it("rejects an invalid rule file naming it, and unknown options, with exit 2", async () => {
    const bad = join(dirname(root), "bad-rules");
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, "x.yml"), "id: x\nmessage: m\npattern: foo(\n");
    const r = await cli("check", dir, "--no-cache", "--rules", bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(bad, "x.yml")}: rule x.pattern: invalid pattern at 1:4`);
    writeFileSync(join(bad, "x.yml"), "id: x\nmessage: [unclosed\n");
    expect((await cli("check", dir, "--no-cache", "--rules", bad)).err).toMatch(/x\.yml:\d+:\d+: /);
    expect((await cli("check", dir, "--format", "xml")).code).toBe(2);
    expect((await cli("check", dir, "--fail-on", "fatal")).code).toBe(2);
  });
});
