import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { installAnalyze } from "./commands/analyze.js";
import { installCheck } from "./commands/check.js";
import { installParse } from "./commands/parse.js";
import { installQuery } from "./commands/query.js";
import { installSearch } from "./commands/search.js";
import { installServe } from "./commands/serve.js";
import {
  type CliIo,
  type CommandContext,
  type CommandInstaller,
  EXIT,
  UsageError,
} from "./context.js";

export {
  type CliIo,
  type CommandContext,
  type CommandInstaller,
  EXIT,
  UsageError,
} from "./context.js";

/**
 * Every command, in the order `elixirscope --help` lists them. Each lives in its own file under
 * src/cli/commands/ and exports its installer; adding a command means adding it here.
 */
const COMMANDS: readonly CommandInstaller[] = [
  installAnalyze,
  installParse,
  installSearch,
  installQuery,
  installCheck,
  installServe,
];

/** Builds the `elixirscope` program with every command of {@link COMMANDS}. */
export function buildProgram(ctx: CommandContext): Command {
  const io = ctx;
  const program = new Command();
  program
    .name("elixirscope")
    .description("Exact, fast code intelligence for Elixir projects.")
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // Commander prints multi-line help after some errors; we want one line and exit code 2.
      outputError: (s, write) => write(`elixirscope: ${s.replace(/^error: /, "").trim()}\n`),
    });
  for (const install of COMMANDS) install(program, ctx);
  return program;
}

/**
 * Runs the CLI on `argv` (without node and script path) and resolves to the exit code.
 * Never throws: usage errors give exit code 2, failures exit code 1.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram({ ...io, setExitCode: (c) => (code = c) });
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help that was asked for succeeds; help shown because the command line was incomplete
      // (no command at all, `help bogus`) is a usage error, as commander signals by exitCode 1.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") {
        return EXIT.ok;
      }
      if (error.code === "commander.help") return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`elixirscope: ${error.message}\n`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`elixirscope: ${message}\n`);
    return EXIT.failure;
  }
}
