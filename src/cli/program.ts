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

/** One command: its name and how to load its installer. */
interface CommandEntry {
  name: string;
  load: () => Promise<CommandInstaller>;
}

/**
 * Every command, in the order `elixirscope --help` lists them. Each lives in its own file under
 * src/cli/commands/ and exports its installer; adding a command means adding it here. Installers
 * load lazily: a command's file imports what its action needs (fastify, redis, the analysis, ...)
 * and importing all of them costs most of a second, which `search` and `parse` should not pay.
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
 * The command that `argv` runs: its first word when that names a command, else null (no
 * command, `help`, `--version`, a typo: all of which need every command for help or suggestions).
 */
function commandOf(argv: readonly string[]): CommandEntry | null {
  const first = argv.find((a) => !a.startsWith("-"));
  if (first === undefined || argv.indexOf(first) !== 0) return null;
  return COMMANDS.find((c) => c.name === first) ?? null;
}

/**
 * Builds the `elixirscope` program: with every command of {@link COMMANDS}, or only with `only`
 * (the one a command line runs, so that the others' dependencies are not loaded).
 */
export async function buildProgram(ctx: CommandContext, only?: string): Promise<Command> {
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
  const entries = only === undefined ? COMMANDS : COMMANDS.filter((c) => c.name === only);
  const installers = await Promise.all(entries.map((c) => c.load()));
  for (const install of installers) install(program, ctx);
  return program;
}

/**
 * Runs the CLI on `argv` (without node and script path) and resolves to the exit code.
 * Never throws: usage errors give exit code 2, failures exit code 1.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  try {
    const ctx: CommandContext = { ...io, setExitCode: (c) => (code = c) };
    const program = await buildProgram(ctx, commandOf(argv)?.name);
    for (const cmd of program.commands) cmd.exitOverride();
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
