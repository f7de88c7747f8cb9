// The bundled examples (examples/**) must be valid Elixir: every .ex/.exs file
// parses with the real Elixir parser, and every Mix project compiles.
// Both checks need an Elixir install; without one they are skipped, visibly (and fail in CI).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ELIXIR, hasElixir, hasMix, MIX, skipUnlessAvailable } from "../support/prerequisites.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXAMPLES = join(ROOT, "examples");
const PARSE_SCRIPT = fileURLToPath(new URL("./parse-all.exs", import.meta.url));

// Build output and fetched deps are not example sources.
const SKIPPED_DIRS = new Set(["_build", "deps", "node_modules", ".elixir_ls"]);

function walk(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(full, keep, out);
    } else if (entry.isFile() && keep(entry.name)) {
      out.push(full);
    }
  }
  return out.sort();
}

const elixirFiles = walk(EXAMPLES, (name) => name.endsWith(".ex") || name.endsWith(".exs"));
const mixProjects = walk(EXAMPLES, (name) => name === "mix.exs").map((file) => join(file, ".."));

const skipElixir = skipUnlessAvailable(ELIXIR, hasElixir());
const skipMix = skipUnlessAvailable(MIX, hasMix());
const noElixir = " [skipped: `elixir` is not on PATH; install Elixir to run]";
const noMix = " [skipped: `mix` is not on PATH; install Elixir with Mix to run]";

describe("bundled Elixir examples", () => {
  it("contains Elixir sources to check", () => {
    expect(elixirFiles.length).toBeGreaterThan(0);
    expect(mixProjects.length).toBeGreaterThan(0);
  });

  it.skipIf(skipElixir)(
    `every .ex/.exs file parses with Code.string_to_quoted!/2${skipElixir ? noElixir : ""}`,
    () => {
      const rel = elixirFiles.map((file) => relative(ROOT, file));
      const run = spawnSync("elixir", [PARSE_SCRIPT, ...rel], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(run.error).toBeUndefined();
      expect(run.status, run.stderr).toBe(0);

      const results = new Map<string, string>();
      for (const line of run.stdout.split("\n")) {
        const [status, path, message] = line.split("\t");
        if (status === "ok" || status === "error") {
          results.set(path, status === "ok" ? "ok" : `error: ${message}`);
        }
      }
      // One verdict per file, and all of them "ok"; failures show their message.
      expect(Object.fromEntries(results)).toEqual(
        Object.fromEntries(rel.map((path) => [path, "ok"])),
      );
    },
  );

  for (const project of mixProjects) {
    const name = relative(ROOT, project);
    it.skipIf(skipMix)(`${name} compiles with mix compile${skipMix ? noMix : ""}`, () => {
      // Compile a copy so that no _build directory is left in the repository.
      const work = mkdtempSync(join(tmpdir(), "elixirscope-example-"));
      try {
        const copy = join(work, "project");
        cpSync(project, copy, {
          recursive: true,
          filter: (src) => !SKIPPED_DIRS.has(relative(project, src).split(/[\\/]/)[0]),
        });
        const run = spawnSync("mix", ["compile", "--force"], {
          cwd: copy,
          encoding: "utf8",
          timeout: 25_000,
          env: { ...process.env, MIX_ENV: "dev", MIX_HOME: join(work, "mix-home") },
        });
        const output = `${run.stdout}\n${run.stderr}`;
        expect(run.error).toBeUndefined();
        expect(run.status, output).toBe(0);
        expect(output).not.toContain("Compilation error");
        expect(output).toMatch(/Generated \w+ app/);
        if (name.endsWith("inventory")) {
          // The example keeps one unused private function on purpose (see its README).
          expect(output).toContain("function normalize_legacy_sku/1 is unused");
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
});
