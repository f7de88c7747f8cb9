/**
 * `elixirscope check [PATH]`: runs the rules and the analysis findings, subtracts a baseline,
 * prints text, JSON, SARIF or GitHub annotations, and exits 1 when findings at or above
 * `--fail-on` remain.
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Option } from "commander";
import {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  type ElixirVersion,
} from "../../ast/parser/index.js";
import {
  check,
  newFindings,
  RuleError,
  readBaseline,
  SEVERITIES,
  type Severity,
  writeBaseline,
} from "../../ast/rules/index.js";
import { type CommandContext, type CommandInstaller, EXIT, UsageError } from "../context.js";
import { wantColor } from "../report/excerpt.js";
import {
  type CheckReport,
  renderGithub,
  renderJson,
  renderSarif,
  renderText,
} from "../report/findings.js";
import { tuneForColdRun } from "../v8-tuning.js";

interface CheckFlags {
  rules?: string;
  format: "text" | "json" | "sarif" | "github";
  baseline?: string;
  writeBaseline?: string;
  failOn: Severity;
  builtin: boolean;
  cache: boolean;
  elixir: ElixirVersion;
}

async function run(path: string | undefined, flags: CheckFlags, ctx: CommandContext) {
  tuneForColdRun();
  const root = resolve(path ?? ".");
  if (!existsSync(root)) throw new UsageError(`no such directory: ${path}`);
  const defaultRules = join(root, ".elixirscope/rules");
  const rules = flags.rules ?? (existsSync(defaultRules) ? defaultRules : undefined);
  if (flags.rules !== undefined && !existsSync(flags.rules)) {
    throw new UsageError(`--rules: no such directory: ${flags.rules}`);
  }
  let result: Awaited<ReturnType<typeof check>>;
  try {
    result = await check(root, {
      rules,
      builtin: flags.builtin,
      elixir: flags.elixir,
      ...(flags.cache ? {} : { cache: false }),
    });
  } catch (e) {
    if (e instanceof RuleError) throw new UsageError(e.message);
    throw e;
  }
  if (flags.writeBaseline !== undefined)
    writeBaseline(resolve(flags.writeBaseline), result.findings);
  let findings = result.findings;
  if (flags.baseline !== undefined) {
    let baseline: ReturnType<typeof readBaseline>;
    try {
      baseline = readBaseline(resolve(flags.baseline));
    } catch (e) {
      throw new UsageError(`--baseline: ${(e as Error).message}`);
    }
    findings = newFindings(findings, baseline);
  }
  const report: CheckReport = {
    root: result.root,
    findings,
    rules: result.rules,
    files: result.files,
    baselined: result.findings.length - findings.length,
    suppressed: result.suppressed,
    errors: result.errors,
  };
  for (const e of result.errors)
    ctx.stderr(`${e.file}:${e.line ?? 0}:${e.column ?? 0}: skipped: ${e.message}\n`);
  if (flags.format === "json") ctx.stdout(renderJson(report));
  else if (flags.format === "sarif") ctx.stdout(renderSarif(report));
  else if (flags.format === "github") ctx.stdout(renderGithub(report));
  else ctx.stdout(renderText(report, wantColor(process.stdout.isTTY, process.env)));
  const threshold = SEVERITIES.indexOf(flags.failOn);
  const failing = findings.some((f) => SEVERITIES.indexOf(f.severity) <= threshold);
  ctx.setExitCode(failing && flags.writeBaseline === undefined ? EXIT.failure : EXIT.ok);
}

/** Installs `elixirscope check`. */
export const installCheck: CommandInstaller = (program, ctx) => {
  program
    .command("check")
    .description(
      "run the rules and findings, for CI: baseline, SARIF, GitHub annotations, exit code",
    )
    .argument("[path]", "project directory (default: .)")
    .option(
      "--rules <dir>",
      "rule files (*.yml) to add; default PATH/.elixirscope/rules if present",
    )
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json", "sarif", "github"])
        .default("text"),
    )
    .option("--baseline <file>", "ignore the findings recorded in this baseline")
    .option("--write-baseline <file>", "record every current finding as the baseline (exits 0)")
    .addOption(
      new Option("--fail-on <severity>", "lowest severity that fails the run")
        .choices([...SEVERITIES])
        .default("warning"),
    )
    .option("--no-builtin", "only the rules of --rules, and the analysis findings")
    .addOption(
      new Option(
        "--elixir <version>",
        "parse rule patterns and files with this Elixir version's syntax",
      )
        .choices([...ELIXIR_VERSIONS])
        .default(DEFAULT_ELIXIR_VERSION),
    )
    .option("--no-cache", "neither read nor write the analysis cache")
    .addHelpText(
      "after",
      `
Suppress one finding with a comment on the line before it:
  # elixirscope:disable-next-line io-inspect
Exit codes: 0 no finding at or above --fail-on remains (after the baseline), 1 some do,
2 bad usage (unknown option, invalid rule file, unreadable baseline).`,
    )
    .action(async (path: string | undefined, flags: CheckFlags) => {
      await run(path, flags, ctx);
    });
};
