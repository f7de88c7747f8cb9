/**
 * `elixirscope parse`: parses Elixir files and prints, per file, either the AST in the oracle's
 * exact line format (`--format terms`, diffable against `elixir tools/oracle/quoted.exs`), a
 * human summary, or (`--quiet`) one timing line for all files.
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  type ElixirVersion,
  ParseError,
  parse,
} from "../../ast/parser/index.js";
import { type Comment, countNodes, type Term } from "../../ast/term.js";
import { fileResultLine } from "../../ast/term-json.js";
import { type CommandContext, EXIT } from "../context.js";

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("must be a positive integer");
  }
  return n;
}

interface ParseCommandOptions {
  format: "terms" | "summary";
  elixir: ElixirVersion;
  quiet?: boolean;
  repeat?: number;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ");
}

function run(files: string[], opts: ParseCommandOptions, ctx: CommandContext): void {
  let failed = false;
  // Read everything first: --quiet times parsing alone, and an unreadable file is reported
  // (exit 1) without stopping the others.
  const inputs: { file: string; bytes: Uint8Array }[] = [];
  for (const file of files) {
    try {
      inputs.push({ file, bytes: readFileSync(file) });
    } catch (e) {
      const why = e instanceof Error && "code" in e ? String(e.code) : String(e);
      ctx.stderr(`elixirscope parse: cannot read ${file}: ${why}\n`);
      failed = true;
    }
  }

  if (opts.quiet) {
    const repeat = opts.repeat ?? 1;
    let best = Number.POSITIVE_INFINITY;
    let errors = 0;
    for (let pass = 0; pass < repeat; pass++) {
      errors = 0;
      const t0 = performance.now();
      for (const { file, bytes } of inputs) {
        try {
          parse(bytes, { file, elixir: opts.elixir });
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
          errors++;
        }
      }
      best = Math.min(best, performance.now() - t0);
    }
    const bytes = inputs.reduce((s, i) => s + i.bytes.byteLength, 0);
    const ms = inputs.length ? best.toFixed(2) : "0.00";
    ctx.stdout(`files=${inputs.length} bytes=${bytes} errors=${errors} best_ms=${ms}\n`);
    ctx.setExitCode(failed ? EXIT.failure : EXIT.ok);
    return;
  }

  for (const { file, bytes } of inputs) {
    let result: { ast: Term; comments: Comment[] } | ParseError;
    try {
      result = parse(bytes, { file, elixir: opts.elixir });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      result = e;
      failed = true;
    }
    if (opts.format === "terms") ctx.stdout(`${fileResultLine(file, result)}\n`);
    else if (result instanceof ParseError) {
      const where = `${result.line}:${result.column ?? "?"}`;
      ctx.stdout(
        `${file}: error at ${where}: ${oneLine(result.description)} (${bytes.byteLength} bytes)\n`,
      );
    } else {
      ctx.stdout(
        `${file}: ok, ${countNodes(result.ast)} nodes, ${result.comments.length} comments, ${bytes.byteLength} bytes\n`,
      );
    }
  }
  ctx.setExitCode(failed ? EXIT.failure : EXIT.ok);
}

/** Adds `elixirscope parse` to the program. */
export function installParse(program: Command, ctx: CommandContext): void {
  program
    .command("parse")
    .description("parse Elixir files into Elixir's own AST (Code.string_to_quoted_with_comments)")
    .argument("<files...>", "Elixir source files")
    .addOption(
      new Option("--format <format>", "output per file: terms (the oracle's JSON line) or summary")
        .choices(["terms", "summary"])
        .default("summary"),
    )
    .addOption(
      new Option("--elixir <version>", "the Elixir whose AST and errors to reproduce")
        .choices(ELIXIR_VERSIONS)
        .default(DEFAULT_ELIXIR_VERSION),
    )
    .addOption(
      new Option(
        "--quiet",
        "print only `files=N bytes=B errors=E best_ms=T` (T: fastest pass, parse time only)",
      ).conflicts("format"),
    )
    .option(
      "--repeat <n>",
      "with --quiet: parse all files N times and report the fastest pass",
      positiveInt,
    )
    .addHelpText(
      "after",
      `
Output:
  summary  one line per file: path, ok (node count, comment count, bytes) or error at line:column
  terms    one JSON line per file, exactly as \`elixir tools/oracle/quoted.exs FILE\` prints it
           with the --elixir version's \`elixir\`:
           {"file":...,"ok":<ast>,"comments":[...]} or {"file":...,"error":{"line","column","message"}}

Exit codes:
  0  every file was read and (except with --quiet) parsed without error
  1  a file could not be read (reported on stderr; the other files are still parsed), or,
     without --quiet, a file has a syntax error (reported in the output; --quiet counts it
     in errors=E and still exits 0, since it measures speed)
  2  bad usage: unknown option, bad --format or --elixir, --repeat not a positive integer or without --quiet`,
    )
    .action((files: string[], opts: ParseCommandOptions, cmd: Command) => {
      if (opts.repeat !== undefined && !opts.quiet) {
        cmd.error("--repeat requires --quiet", { exitCode: EXIT.usage });
      }
      run(files, opts, ctx);
    });
}
