/**
 * Against the compiler: the public functions and macros extracted statically from Elixir 1.14's
 * standard library source must equal what the installed, compiled modules report through
 * `__info__(:functions)` and `__info__(:macros)`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFileWithDiagnostics } from "../../../src/ast/extract/index.js";
import { CORPUS, ELIXIR, hasElixir, skipUnlessAvailable } from "../../support/prerequisites.js";
import { oracleParseFiles } from "../support/oracle-ast.js";

const ROOT = "corpus/elixir";
const LIB = join(ROOT, "lib/elixir/lib");
const INFO_SCRIPT = "test/ast/support/stdlib-info.exs";

/**
 * Modules whose functions a macro generates from data, so no static reading can list them
 * (each reason checked against the 1.14 source).
 */
const MACRO_GENERATED: Record<string, string> = {
  HashDict: "`use Dict` defines most of its functions",
  "IO.ANSI": "`defsequence` (a macro of IO.ANSI.Sequence) defines the colour functions",
  "Inspect.Macro.Env":
    "`defimpl Inspect, for: unquote(module)` inside a quoted `for` (Inspect.Any)",
};

function listEx(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listEx(p));
    else if (name.endsWith(".ex")) out.push(p);
  }
  return out.sort();
}

interface Info {
  module: string;
  source: string;
  functions: string[];
  macros: string[];
}

const skip =
  skipUnlessAvailable(CORPUS, existsSync(LIB)) || skipUnlessAvailable(ELIXIR, hasElixir());

describe.skipIf(skip)("standard library against the compiled modules", () => {
  it("finds the same public functions and macros for at least 95% of modules", () => {
    const infos = execFileSync("elixir", [INFO_SCRIPT], { encoding: "utf8", maxBuffer: 1 << 26 })
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Info);
    const files = listEx(LIB);
    const parsed = oracleParseFiles(files);
    const found = new Map<string, Set<string>>();
    const dynamic: string[] = [];
    for (const f of files) {
      const { extraction, diagnostics } = extractFileWithDiagnostics(
        parsed[f].ast,
        parsed[f].comments,
        f,
      );
      for (const l of diagnostics.dynamicModules) dynamic.push(`${f}:${l}`);
      for (const m of extraction.modules) {
        const set = found.get(m.name) ?? new Set<string>();
        for (const fn of m.functions) {
          if (fn.visibility !== "public") continue;
          // defmacro and defguard compile to macros; every other kind to functions.
          const macro = fn.kind === "defmacro" || fn.kind === "defguard";
          set.add(`${macro ? "macro" : "fun"} ${fn.name}/${fn.arity}`);
        }
        found.set(m.name, set);
      }
    }

    const excluded: string[] = [];
    const mismatches: string[] = [];
    let agree = 0;
    let considered = 0;
    for (const info of infos) {
      if (!info.source.startsWith("lib/elixir/lib/")) {
        excluded.push(`${info.module} (source ${info.source} is outside lib/elixir/lib)`);
        continue;
      }
      const reason = MACRO_GENERATED[info.module];
      if (reason !== undefined) {
        excluded.push(`${info.module} (${reason})`);
        continue;
      }
      considered++;
      const expected = new Set([
        ...info.functions.map((f) => `fun ${f}`),
        ...info.macros.map((m) => `macro ${m}`),
      ]);
      const got = found.get(info.module);
      if (got === undefined) {
        mismatches.push(`${info.module}: not found in source`);
        continue;
      }
      const missing = [...expected].filter((x) => !got.has(x));
      const extra = [...got].filter((x) => !expected.has(x));
      if (missing.length === 0 && extra.length === 0) agree++;
      else
        mismatches.push(
          `${info.module}: missing [${missing.join(", ")}] extra [${extra.join(", ")}]`,
        );
    }
    const pct = (100 * agree) / considered;
    console.log(
      [
        `stdlib agreement: ${agree}/${considered} modules (${pct.toFixed(1)}%); ${infos.length} compiled modules, ${excluded.length} excluded`,
        `counting the excluded modules as disagreements: ${agree}/${infos.length} (${((100 * agree) / infos.length).toFixed(1)}%)`,
        `excluded (cannot be seen statically):`,
        ...excluded.map((e) => `  ${e}`),
        `mismatches (module: missing / extra):`,
        ...(mismatches.length === 0 ? ["  none"] : mismatches.map((m) => `  ${m}`)),
        `module definitions with non-literal names: ${dynamic.length === 0 ? "none" : dynamic.join(", ")}`,
      ].join("\n"),
    );
    expect(considered).toBeGreaterThan(200);
    expect(pct).toBeGreaterThanOrEqual(95);
  });
});
