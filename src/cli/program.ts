import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
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

/** A command: its name, and how to load the module that installs it. */
interface CommandEntry {
  readonly name: string;
  readonly load: () => Promise<CommandInstaller>;
}

/**
 * Every command, in the order `elixirscope --help` lists them. Each lives in its own file under
 * src/cli/commands/ and exports its installer; adding a command means adding it here. The
 * modules are imported only when needed: `serve` alone pulls in its web server and `check` its
 * rule engine, start-up that `elixirscope analyze` would otherwise pay on every run (about a
 * third of a second of CPU, measured).
 */
const COMMANDS: readonly CommandEntry[] = [
  { name: "analyze", load: async () => (await import("./commands/analyze.js")).installAnalyze },
  { name: "parse", load: async () => (await import("./commands/parse.js")).installParse },
  { name: "search", load: async () => (await import("./commands/search.js")).installSearch },
  { name: "query", load: async () => (await import("./commands/query.js")).installQuery },
  { name: "check", load: async () => (await import("./commands/check.js")).installCheck },
  { name: "serve", load: async () => (await import("./commands/serve.js")).installServe },
];

/**
 * The commands to install for `argv`: when it starts with a command's name, that command alone
 * (what runs, its help and its errors are the same); otherwise every command, so that the
 * program's help lists them all and an unknown command gets suggestions.
 */
function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const named = COMMANDS.find((c) => c.name === argv[0]);
  return named === undefined ? COMMANDS : [named];
}

/** Builds the `elixirscope` program with the commands `argv` needs (every one by default). */
export async function buildProgram(
  ctx: CommandContext,
  argv: readonly string[] = [],
): Promise<Command> {
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
  const installers = await Promise.all(commandsFor(argv).map((c) => c.load()));
  for (const install of installers) install(program, ctx);
  return program;
}

/**
 * Runs the CLI on `argv` (without node and script path) and resolves to the exit code.
 * Never throws: usage errors give exit code 2, failures exit code 1.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = await buildProgram({ ...io, setExitCode: (c) => (code = c) }, argv);
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
