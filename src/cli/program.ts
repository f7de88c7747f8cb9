import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Where a command writes; injected so that tests run the CLI in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** What a command's action may use: its output streams and a way to set the exit code. */
export interface CommandContext extends CliIo {
  /** Sets the process exit code for this run (0 ok, 1 failure, 2 usage); the last call wins. */
  setExitCode: (code: number) => void;
}

/** A command module adds itself to the program; each lives in its own file under src/cli/commands/. */
export type CommandInstaller = (program: Command, ctx: CommandContext) => void;

const installers: CommandInstaller[] = [];

/** Registers a command installer (called by src/cli/commands/index.ts). */
export function addCommand(install: CommandInstaller): void {
  installers.push(install);
}

/** Builds the `elixirscope` program with every registered command. */
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
  for (const install of installers) install(program, ctx);
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

/** Thrown by a command for bad arguments that commander cannot check itself; exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
