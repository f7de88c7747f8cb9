/**
 * What every CLI command shares: exit codes, output streams, the installer type and the usage
 * error. Kept apart from program.ts so that command files do not import the program that lists
 * them.
 * @packageDocumentation
 */
import type { Command } from "commander";

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

/** Adds one command to the program; each command file exports one (see program.ts). */
export type CommandInstaller = (program: Command, ctx: CommandContext) => void;

/** Thrown by a command for bad arguments that commander cannot check itself; exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
