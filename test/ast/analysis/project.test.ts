/**
 * Project analysis: each finding on a minimal source that triggers it (and a near miss that
 * does not), patterns with defined and missing callbacks, the module graph with its cycle and
 * the call graph, then the whole examples/inventory app end to end.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeProject } from "../../../src/ast/analysis/project.js";
import { extractFile } from "../../../src/ast/extract/index.js";
import type { FileExtraction } from "../../../src/ast/model.js";
import {
  describeUnless,
  ELIXIR,
  hasElixir,
  skipUnlessAvailable,
} from "../../support/prerequisites.js";
import { oracleParseFiles, oracleParseMany } from "../support/oracle-ast.js";

function project(sources: Record<string, string>): FileExtraction[] {
  const parsed = oracleParseMany(sources);
  return Object.keys(sources).map((p) => extractFile(parsed[p].ast, parsed[p].comments, p));
}

const SOURCES: Record<string, string> = {
  "lib/a.ex": `defmodule A do
  alias B
  def run(x), do: B.go(x) |> helper()
  defp helper(x), do: x
  defp dead(x), do: x
  def to_atom_var(s), do: String.to_atom(s)
  def to_atom_literal, do: String.to_atom("fixed")
  def wide(a, b, c, d, e, f, g, h, i), do: [a, b, c, d, e, f, g, h, i]
  def deep(x) do
    if x do
      case x do
        _ -> fn y -> if y, do: 1 end
      end
    end
  end
end
`,
  "lib/b.ex": `defmodule B do
  def go(x), do: %A{} && A.run(x)
  def never_called, do: :ok
end
`,
  "lib/server.ex": `defmodule Server do
  use GenServer
  def start_link(arg), do: GenServer.start_link(__MODULE__, arg)
  def handle_call(:ping, _from, s), do: {:reply, :pong, s}
end
`,
  "lib/sup.ex": `defmodule Sup do
  @behaviour Supervisor
  def init(_), do: Supervisor.init([], strategy: :one_for_one)
end
`,
  "test/a_test.exs": `defmodule ATest do
  use ExUnit.Case
  test "deep" do
    assert A.deep(true)
    A.wide(1, 2, 3, 4, 5, 6, 7, 8, 9)
    A.to_atom_var("x")
    A.to_atom_literal()
  end
end
`,
};

describeUnless(skipUnlessAvailable(ELIXIR, hasElixir()), "analyzeProject", () => {
  const files = project(SOURCES);
  const analysis = analyzeProject(files, { maxFunctionLines: 50 });
  const findings = analysis.findings.map((f) => `${f.rule} ${f.module}.${f.function ?? ""}`);

  it("reports each finding where it applies and nowhere else", () => {
    expect(findings).toEqual(
      expect.arrayContaining([
        "unused-private-function A.dead/1",
        "string-to-atom A.to_atom_var/1",
        "many-parameters A.wide/9",
        "deep-nesting A.deep/1",
        "unused-public-function B.never_called/0",
        "dependency-cycle A.",
      ]),
    );
    expect(findings).not.toContain("unused-private-function A.helper/1");
    expect(findings).not.toContain("string-to-atom A.to_atom_literal/0");
    // Called from a test block, from another module, or a callback: used.
    expect(findings).not.toContain("unused-public-function A.to_atom_var/1");
    expect(findings).not.toContain("unused-public-function A.run/1");
    expect(findings).not.toContain("unused-public-function Server.handle_call/3");
    expect(findings).not.toContain("unused-public-function Server.start_link/1");
    expect(findings.filter((f) => f.startsWith("long-function"))).toEqual([]);
  });

  it("applies thresholds from options and rejects unknown options", () => {
    const strict = analyzeProject(files, { maxFunctionLines: 3, maxNesting: 5, maxArity: 9 });
    const rules = strict.findings.map((f) => `${f.rule} ${f.function}`);
    expect(rules).toContain("long-function deep/1");
    expect(rules).not.toContain("deep-nesting deep/1");
    expect(rules).not.toContain("many-parameters wide/9");
    expect(() => analyzeProject(files, { maxDepth: 3 } as never)).toThrow(
      /unknown option "maxDepth"/,
    );
  });

  it("finds behaviours with defined and missing callbacks", () => {
    const p = analysis.patterns.map(
      (x) => `${x.module} ${x.pattern} ${x.evidence} [${x.defined}] [${x.missing}]`,
    );
    expect(p).toContain("Server GenServer use GenServer [handle_call/3] [init/1]");
    expect(p).toContain("Sup Supervisor @behaviour Supervisor [init/1] []");
  });

  it("builds the module graph with kinds and the A-B cycle", () => {
    expect(analysis.moduleGraph.cycles).toEqual([["A", "B"]]);
    const ab = analysis.moduleGraph.edges.find((e) => e.from === "A" && e.to === "B");
    expect(ab?.kinds).toEqual(["alias", "call"]);
    const ba = analysis.moduleGraph.edges.find((e) => e.from === "B" && e.to === "A");
    expect(ba?.kinds).toEqual(["call", "struct"]);
  });

  it("builds the call graph with callers and callees", () => {
    expect(analysis.callGraph.callees["A.run/1"]).toEqual(["A.helper/1", "B.go/1"]);
    expect(analysis.callGraph.callers["A.run/1"]).toEqual(["B.go/1"]);
    expect(
      analysis.callGraph.edges.find((e) => e.from === "A.run/1" && e.to === "B.go/1")?.count,
    ).toBe(1);
  });

  it("does not depend on the order of the files", () => {
    expect(analyzeProject([...files].reverse())).toEqual(analyzeProject(files));
  });
});

const INVENTORY = "examples/inventory";

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listSources(p));
    else if (name.endsWith(".ex") || name.endsWith(".exs")) out.push(p);
  }
  return out.sort();
}

describe.skipIf(
  skipUnlessAvailable(ELIXIR, hasElixir()) || skipUnlessAvailable(INVENTORY, existsSync(INVENTORY)),
)("the inventory example end to end", () => {
  it("finds its OTP structure, protocol, unused private function and cycle", () => {
    const paths = listSources(INVENTORY);
    const parsed = oracleParseFiles(paths);
    const files = paths.map((p) =>
      extractFile(parsed[p].ast, parsed[p].comments, relative(INVENTORY, p)),
    );
    const a = analyzeProject(files);
    const kinds = new Set(a.patterns.map((p) => p.pattern));
    for (const k of [
      "Application",
      "GenServer",
      "DynamicSupervisor",
      "Registry",
      "Task",
      "Agent",
      "Protocol",
      "ProtocolImpl",
    ]) {
      expect(kinds).toContain(k);
    }
    expect(a.findings.some((f) => f.rule === "unused-private-function")).toBe(true);
    expect(a.findings.some((f) => f.rule === "dependency-cycle")).toBe(true);
    expect(a.moduleGraph.cycles.length).toBeGreaterThan(0);
    const modules = files.flatMap((f) => f.modules);
    expect(
      modules.some((m) => m.functions.some((f) => f.generated && f.name === "child_spec")),
    ).toBe(true);
  });
});
