/**
 * Rules about how the Foundation's code is put together, checked on the sources: one place for
 * each shared concern (listeners, dependency checks) and small functions (protect is composed of
 * layers rather than one long closure).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/foundation/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({
  name: relative(SRC, path),
  text: readFileSync(path, "utf8"),
}));

describe("Foundation source structure", () => {
  it("has no function longer than 80 lines", () => {
    const long: string[] = [];
    for (const f of files) {
      const sf = ts.createSourceFile(f.name, f.text, ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
          const from = sf.getLineAndCharacterOfPosition(node.getStart()).line;
          const to = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
          if (to - from + 1 > 80) long.push(`${f.name}:${from + 1} (${to - from + 1} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(long).toEqual([]);
  });

  it("checks injected clocks, telemetry, registries and namespaces in one place", () => {
    const custom = /z\s*\.custom<\s*(Clock|TimerClock|TelemetryEmitter|RegistryApi|Namespace)\s*>/;
    const offenders = files
      .filter((f) => f.name !== join("common", "schemas.ts") && custom.test(f.text))
      .map((f) => f.name);
    expect(offenders).toEqual([]);
  });

  it("reports throwing listeners in one place", () => {
    const offenders = files
      .filter((f) => f.name !== join("common", "emitter.ts") && f.text.includes("emitWarning"))
      .map((f) => f.name);
    expect(offenders).toEqual([]);
  });
});
