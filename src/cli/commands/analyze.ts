/**
 * `elixirscope analyze [PATH]`: analyzes an Elixir project (default: the bundled example
 * application) and prints a report, or with `--json` the whole result. See docs/ANALYZE.md.
 * @packageDocumentation
 */
import { fileURLToPath } from "node:url";
import { InvalidArgumentError } from "commander";
import type { PopulationProgress } from "../../ast/population/populate.js";
import type { AnalysisRun } from "../../ast/population/run.js";
import { startFoundation } from "../../foundation/index.js";
import {
  type AnalysisConfig,
  POPULATION_SERVICE,
  type PopulationService,
  startAnalysisOnFoundation,
} from "../../integration/analysis-services.js";
import { addCommand, EXIT } from "../program.js";
import { writeAnalyzeJson } from "../report/json.js";
import { ProgressBar } from "../report/progress.js";
import { renderReport } from "../report/text.js";

/** The bundled example application (three levels up from src/cli/commands and dist/cli/commands). */
export const DEFAULT_PROJECT = fileURLToPath(
  new URL("../../../examples/inventory", import.meta.url),
);

interface AnalyzeFlags {
  json?: boolean;
  cache?: string | boolean;
  workers?: number | "auto";
  include?: string[];
  exclude?: string[];
  gitignore?: boolean;
  top?: number;
}

function workersArg(value: string): number | "auto" {
  if (value === "auto") return "auto";
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number or "auto"');
  return Number(value);
}

function positiveArg(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError("expected a positive whole number");
  return Number(value);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

addCommand((program, ctx) => {
  program
    .command("analyze")
    .description("analyze an Elixir project: metrics, behaviours, findings, dependency cycles")
    .argument("[path]", "project directory (default: the bundled example application)")
    .option("--json", "print the whole result as one JSON document on stdout")
    .option("--cache <file>", "cache file (default: <path>/.elixirscope/cache.sqlite)")
    .option("--no-cache", "run cold: neither read nor write the cache")
    .option("--workers <n>", 'parse threads: a number, 0 for none, or "auto"', workersArg)
    .option("--include <pattern>", "only files matching (gitignore syntax; repeatable)", collect)
    .option("--exclude <pattern>", "skip files matching (gitignore syntax; repeatable)", collect)
    .option("--no-gitignore", "do not honour .gitignore files")
    .option("--top <n>", "how many of the most complex functions to list", positiveArg)
    .action(async (path: string | undefined, flags: AnalyzeFlags) => {
      const root = path ?? DEFAULT_PROJECT;
      const progress =
        !flags.json && process.stdout.isTTY === true ? new ProgressBar(ctx.stderr) : null;
      const config: AnalysisConfig = {
        cache:
          flags.cache === false ? false : typeof flags.cache === "string" ? flags.cache : undefined,
        workers: flags.workers ?? "auto",
        include: flags.include ?? [],
        exclude: flags.exclude ?? [],
        gitignore: flags.gitignore !== false,
      };
      // The run goes through the Foundation: the analysis services are supervised, and their
      // events and telemetry reach its EventStore (in memory: a command leaves no event file in
      // the project) and its TelemetryServer.
      const foundation = await startFoundation({
        namespace: "production",
        config: { overrides: { eventStore: { storage: "memory" } } },
      });
      let run: AnalysisRun;
      try {
        await startAnalysisOnFoundation(foundation, { config });
        const population = foundation.registry.get<PopulationService>(
          foundation.namespace,
          POPULATION_SERVICE,
        );
        run = await population.analyze(root, {
          ...(progress ? { onProgress: (p: PopulationProgress) => progress.update(p) } : {}),
        });
      } finally {
        progress?.done();
        await foundation.stop();
      }
      if (flags.json) writeAnalyzeJson(run, ctx.stdout);
      else ctx.stdout(renderReport(run, { top: flags.top ?? 10 }));
      ctx.setExitCode(EXIT.ok);
    });
});
