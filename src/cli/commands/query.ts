/**
 * `elixirscope query QUERY [PATH]`: runs a text query (docs/QUERY.md) over an analyzed project
 * and prints the rows as a table, or `--json` as one document.
 * @packageDocumentation
 */
import { resolve } from "node:path";
import { Option } from "commander";
import {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  type ElixirVersion,
} from "../../ast/parser/index.js";
import type { AnalyzeRootOptions } from "../../ast/population/run.js";
import { openQueryEngine, parseQuery, QuerySyntaxError, type Row } from "../../ast/query/index.js";
import { type CommandContext, type CommandInstaller, EXIT, UsageError } from "../context.js";
import { tuneForColdRun } from "../v8-tuning.js";

interface QueryFlags {
  json?: boolean;
  explain?: boolean;
  cache?: boolean;
  elixir: ElixirVersion;
}

/** The columns shown per entity in text output (every field is in `--json`). */
const COLUMNS: Record<string, string[]> = {
  modules: ["name", "file", "line", "functions", "cyclomatic"],
  functions: ["key", "file", "line", "cyclomatic", "loc"],
  clauses: ["function", "index", "file", "line", "cyclomatic"],
  calls: ["from", "to", "file", "line", "column"],
  findings: ["rule", "severity", "file", "line", "message"],
  files: ["path", "modules", "functions", "error"],
};

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  return Array.isArray(v) ? v.join(",") : String(v);
}

/** Rows as an aligned text table with a header. */
export function renderTable(columns: readonly string[], rows: readonly Row[]): string {
  const cells = rows.map((r) =>
    columns.map((c) => cell((r as unknown as Record<string, unknown>)[c])),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return `${[line(columns), ...cells.map(line)].join("\n")}\n`;
}

async function run(text: string, path: string | undefined, flags: QueryFlags, ctx: CommandContext) {
  tuneForColdRun();
  let spec: ReturnType<typeof parseQuery>;
  try {
    spec = parseQuery(text);
  } catch (e) {
    if (e instanceof QuerySyntaxError) {
      throw new UsageError(`${e.message}\n  ${text}\n  ${" ".repeat(e.column - 1)}^`);
    }
    throw e;
  }
  const root = resolve(path ?? ".");
  const options: AnalyzeRootOptions = { elixir: flags.elixir };
  if (flags.cache === false) options.cache = false;
  const engine = await openQueryEngine(root, options);
  const result = engine.run(spec);
  if (flags.json) {
    const { cached: _cached, ...doc } = result;
    ctx.stdout(`${JSON.stringify({ query: text, ...doc })}\n`);
  } else {
    const view = spec.origin.kind === "path" ? ["step", ...COLUMNS.modules] : COLUMNS[spec.entity];
    const cols =
      spec.origin.kind === "callers" || spec.origin.kind === "callees" ? [...view, "depth"] : view;
    ctx.stdout(renderTable(cols, result.items));
    ctx.stdout(`${result.items.length} of ${result.total} ${spec.entity}\n`);
    if (flags.explain) {
      for (const s of result.explain) ctx.stdout(`  ${s.step}: ${s.index} (${s.detail})\n`);
    }
  }
  ctx.setExitCode(EXIT.ok);
}

/** Installs `elixirscope query`. */
export const installQuery: CommandInstaller = (program, ctx) => {
  program
    .command("query")
    .description("ask the code base a question in the query language (see docs/QUERY.md)")
    .argument("<query>", 'e.g. "functions where cyclomatic > 10 order by cyclomatic desc limit 5"')
    .argument("[path]", "project directory (default: .)")
    .option("--json", "print one JSON document: query, entity, items, total, explain, version")
    .option("--explain", "also print which index served each step")
    .option("--no-cache", "neither read nor write the analysis cache")
    .addOption(
      new Option("--elixir <version>", "parse the project with this Elixir version's syntax")
        .choices([...ELIXIR_VERSIONS])
        .default(DEFAULT_ELIXIR_VERSION),
    )
    .addHelpText(
      "after",
      `
Examples:
  functions where cyclomatic > 10 and module ~ "MyApp.Billing.*"
  callers of Repo.delete!/1 depth 2
  modules implementing GenServer lacking handle_info/2
  path from MyApp.Web to MyApp.Repo
Exit codes: 0 answered (even with no rows), 1 the project could not be analyzed,
2 bad usage (a query error is shown with a caret under its column).`,
    )
    .action(async (text: string, path: string | undefined, flags: QueryFlags) => {
      await run(text, path, flags, ctx);
    });
};
