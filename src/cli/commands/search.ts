/**
 * `elixirscope search PATTERN [PATH...]`: structural search with an Elixir-syntax pattern
 * (docs/SEARCH.md). Text output lists each match with an excerpt; `--json` prints one document.
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { InvalidArgumentError, Option } from "commander";
import {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  type ElixirVersion,
} from "../../ast/parser/index.js";
import { PatternError, type SearchResult, search } from "../../ast/search/index.js";
import { compile } from "../../ast/search/source.js";
import { rootHasPosition } from "../../ast/search/walk.js";
import { type CommandContext, type CommandInstaller, EXIT, UsageError } from "../context.js";
import { excerpt, palette, wantColor } from "../report/excerpt.js";
import { tuneForColdRun } from "../v8-tuning.js";

interface SearchFlags {
  json?: boolean;
  workers?: number;
  elixir: ElixirVersion;
}

function workerCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 64) {
    throw new InvalidArgumentError("--workers must be an integer from 0 to 64");
  }
  return n;
}

/** The text report: one block per match, then a summary; parse errors go to stderr. */
export function renderSearch(result: SearchResult, color: boolean, cwd: string): string {
  const colors = palette(color);
  const sources = new Map<string, string>();
  let out = "";
  for (const m of result.matches) {
    let source = sources.get(m.file);
    if (source === undefined) {
      source = readFileSync(`${cwd}/${m.file}`, "utf8");
      sources.set(m.file, source);
    }
    const where = [m.module, m.function].filter((x) => x !== null).join(" ");
    out += `${colors.location(`${m.file}:${m.line}:${m.column}`)}${where === "" ? "" : ` ${colors.dim(where)}`}\n`;
    out += excerpt(source, m, colors);
    const caps = Object.entries(m.captures);
    if (caps.length > 0) out += `${caps.map(([k, v]) => `  _${k} = ${v}`).join("\n")}\n`;
  }
  const inFiles = new Set(result.matches.map((m) => m.file)).size;
  out += `${result.matches.length} match${result.matches.length === 1 ? "" : "es"} in ${inFiles} file${inFiles === 1 ? "" : "s"} (${result.files} searched`;
  out +=
    result.errors.length > 0 ? `, ${result.errors.length} skipped with parse errors)\n` : ")\n";
  return out;
}

async function run(pattern: string, paths: string[], flags: SearchFlags, ctx: CommandContext) {
  tuneForColdRun();
  let compiled: ReturnType<typeof compile>;
  try {
    compiled = compile(pattern, flags.elixir);
  } catch (e) {
    if (e instanceof PatternError) throw new UsageError(e.message);
    throw e;
  }
  const cwd = process.cwd();
  let result: SearchResult;
  try {
    result = await search(pattern, paths, { cwd, workers: flags.workers, elixir: flags.elixir });
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("no such file")) throw new UsageError(e.message);
    throw e;
  }
  if (!rootHasPosition(compiled)) {
    ctx.stderr(
      "elixirscope: note: the pattern is a literal, list or 2-tuple, which has no position in " +
        "Elixir's AST and so never matches on its own; put it in the call or match around it\n",
    );
  }
  for (const e of result.errors) {
    ctx.stderr(`${e.file}:${e.line ?? 0}:${e.column ?? 0}: skipped: ${e.message}\n`);
  }
  if (flags.json) ctx.stdout(`${JSON.stringify(result)}\n`);
  else ctx.stdout(renderSearch(result, wantColor(process.stdout.isTTY, process.env), cwd));
  ctx.setExitCode(EXIT.ok);
}

/** Installs `elixirscope search`. */
export const installSearch: CommandInstaller = (program, ctx) => {
  program
    .command("search")
    .description("find code matching an Elixir-syntax pattern (_ any, _name capture, ... many)")
    .argument("<pattern>", 'Elixir source with holes, e.g. "IO.inspect(...)" or "_a == _a"')
    .argument("[paths...]", "files or directories to search (default: .)")
    .option("--json", "print one JSON document: pattern, matches, files, errors")
    .option(
      "--workers <n>",
      "worker threads (0: in-process; default in-process on 2 cores, else one per further pair)",
      workerCount,
    )
    .addOption(
      new Option("--elixir <version>", "parse pattern and files with this Elixir version's syntax")
        .choices([...ELIXIR_VERSIONS])
        .default(DEFAULT_ELIXIR_VERSION),
    )
    .addHelpText(
      "after",
      `
Exit codes: 0 searched (with or without matches; files that fail to parse are listed and
skipped), 2 bad usage (invalid pattern, missing path, unknown option).
See docs/SEARCH.md for the pattern language.`,
    )
    .action(async (pattern: string, paths: string[], flags: SearchFlags) => {
      await run(pattern, paths, flags, ctx);
    });
};
