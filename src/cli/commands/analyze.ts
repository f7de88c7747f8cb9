/**
 * `elixirscope analyze [PATH]`: analyzes an Elixir project (default: the bundled example
 * application) and prints a report, or with `--json` the whole result. See docs/ANALYZE.md.
 * @packageDocumentation
 */
import { fileURLToPath } from "node:url";
import { InvalidArgumentError } from "commander";
import { ELIXIR_VERSIONS, type ElixirVersion } from "../../ast/parser/index.js";
import { maxWorkerCount } from "../../ast/population/pool.js";
import type { AnalysisRun } from "../../ast/population/run.js";
import { ElixirScopeError } from "../../foundation/index.js";
import {
  type AnalysisConfig,
  type AnalysisFoundation,
  type AnalysisProgress,
  startAnalysisFoundation,
} from "../../integration/index.js";
import { type CommandInstaller, EXIT, UsageError } from "../context.js";
import { escapeControls } from "../report/escape.js";
import { writeAnalyzeJson } from "../report/json.js";
import { ProgressBar } from "../report/progress.js";
import { renderReport } from "../report/text.js";
import { tuneForColdRun } from "../v8-tuning.js";

/** The bundled example application (three levels up from src/cli/commands and dist/cli/commands). */
export const DEFAULT_PROJECT = fileURLToPath(
  new URL("../../../examples/inventory", import.meta.url),
);

interface AnalyzeFlags {
  json?: boolean;
  config?: string;
  cache?: string | boolean;
  workers?: number | "auto";
  include?: string[];
  exclude?: string[];
  gitignore?: boolean;
  top?: number;
  maxFileBytes?: number;
  elixir?: ElixirVersion;
}

/** Configuration errors are the user's: exit code 2, like a bad option. */
const CONFIG_ERRORS = new Set(["CONFIG_INVALID", "CONFIG_UNKNOWN_ENV", "CONFIG_FILE_UNREADABLE"]);

/**
 * The options given on the command line, as the top layer of the `analysis` config section:
 * only what was given, so that the config file and `ELIXIRSCOPE_ANALYSIS__*` apply otherwise.
 */
function explicitSettings(flags: AnalyzeFlags): AnalysisConfig {
  const s: AnalysisConfig = {};
  if (flags.cache === false) s.cache = false;
  else if (typeof flags.cache === "string") s.cache = flags.cache;
  if (flags.workers !== undefined) s.workers = flags.workers;
  if (flags.include !== undefined) s.include = flags.include;
  if (flags.exclude !== undefined) s.exclude = flags.exclude;
  if (flags.gitignore === false) s.gitignore = false;
  if (flags.top !== undefined) s.top = flags.top;
  if (flags.maxFileBytes !== undefined) s.maxFileBytes = flags.maxFileBytes;
  if (flags.elixir !== undefined) s.elixir = flags.elixir;
  return s;
}

function workersArg(value: string): number | "auto" {
  if (value === "auto") return "auto";
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number or "auto"');
  const n = Number(value);
  if (n > maxWorkerCount()) {
    throw new InvalidArgumentError(`at most ${maxWorkerCount()} (4 per core) is allowed`);
  }
  return n;
}

function elixirArg(value: string): ElixirVersion {
  if (!(ELIXIR_VERSIONS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${ELIXIR_VERSIONS.join(", ")}`);
  }
  return value as ElixirVersion;
}

function positiveArg(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError("expected a positive whole number");
  return Number(value);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Installs `elixirscope analyze`. */
export const installAnalyze: CommandInstaller = (program, ctx) => {
  program
    .command("analyze")
    .description("analyze an Elixir project: metrics, behaviours, findings, dependency cycles")
    .argument("[path]", "project directory (default: the bundled example application)")
    .option("--json", "print the whole result as one JSON document on stdout")
    .option("--config <file>", "JSON config file (Foundation sections and `analysis`)")
    .option("--cache <file>", "cache file (default: <path>/.elixirscope/cache.sqlite)")
    .option("--no-cache", "run cold: neither read nor write the cache")
    .option("--workers <n>", 'parse threads: a number, 0 for none, or "auto"', workersArg)
    .option("--include <pattern>", "only files matching (gitignore syntax; repeatable)", collect)
    .option("--exclude <pattern>", "skip files matching (gitignore syntax; repeatable)", collect)
    .option("--no-gitignore", "do not honour .gitignore files")
    .option("--top <n>", "how many of the most complex functions to list", positiveArg)
    .option(
      "--elixir <version>",
      'the Elixir syntax to parse: "1.18" (default) or "1.14"',
      elixirArg,
    )
    .option(
      "--max-file-bytes <n>",
      "files larger than this are reported, not parsed (default 5000000)",
      positiveArg,
    )
    .action(async (path: string | undefined, flags: AnalyzeFlags) => {
      tuneForColdRun();
      const progress =
        !flags.json && process.stdout.isTTY === true ? new ProgressBar(ctx.stderr) : null;
      // The run goes through the Foundation: settings come from its ConfigServer's `analysis`
      // section (defaults < --config file < ELIXIRSCOPE_ANALYSIS__* < these options), the
      // analysis services are supervised, a MemoryManager lets the repository drop its
      // rebuildable caches under pressure, and events and telemetry reach its EventStore (in
      // memory: a command leaves no event file in the project) and its TelemetryServer.
      let analysis: AnalysisFoundation;
      try {
        analysis = await startAnalysisFoundation({
          config: {
            ...(flags.config === undefined ? {} : { file: flags.config }),
            overrides: { eventStore: { storage: "memory" }, analysis: explicitSettings(flags) },
          },
        });
      } catch (error) {
        if (error instanceof ElixirScopeError && CONFIG_ERRORS.has(error.code)) {
          throw new UsageError(error.message);
        }
        throw error;
      }
      let run: AnalysisRun;
      let settings: AnalysisConfig;
      try {
        settings = analysis.settings();
        run = await analysis.population.analyze(path ?? settings.root ?? DEFAULT_PROJECT, {
          ...(progress ? { onProgress: (p: AnalysisProgress) => progress.update(p) } : {}),
        });
      } finally {
        progress?.done();
        await analysis.stop();
      }
      // Parts of the tree that could not be read are named on stderr too, so that neither the
      // JSON reader nor someone skimming the report misses that the analysis is incomplete.
      for (const u of run.unreadable) {
        ctx.stderr(
          `elixirscope: warning: cannot read ${escapeControls(u.path)}/ (${u.message}): not analyzed\n`,
        );
      }
      if (flags.json) writeBatched((write) => writeAnalyzeJson(run, write), ctx.stdout);
      else ctx.stdout(renderReport(run, { top: settings.top ?? 10 }));
      ctx.setExitCode(EXIT.ok);
    });
};

/** Bytes of output gathered before one write: a write per module cost a system call each. */
const OUTPUT_BATCH = 1 << 20;

/** Runs `produce` with a writer that passes its chunks on to `out` about a megabyte at a time. */
function writeBatched(
  produce: (write: (chunk: string) => void) => void,
  out: (s: string) => void,
): void {
  let parts: string[] = [];
  let size = 0;
  produce((chunk) => {
    parts.push(chunk);
    size += chunk.length;
    if (size >= OUTPUT_BATCH) {
      out(parts.join(""));
      parts = [];
      size = 0;
    }
  });
  if (parts.length > 0) out(parts.join(""));
}
