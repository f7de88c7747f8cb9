#!/usr/bin/env node
import { runCli } from "./program.js";

/**
 * A reader that goes away early (`elixirscope analyze --json | head`) is normal use, not a crash:
 * stop writing and exit quietly. Any other write error (a full disk: `> /dev/full`, ENOSPC; an
 * I/O error) means the output is incomplete: one line on stderr and exit code 1, never a stack.
 */
function onWriteError(stream: "stdout" | "stderr", error: NodeJS.ErrnoException): void {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  if (stream === "stdout") {
    try {
      process.stderr.write(`elixirscope: cannot write to stdout: ${error.message}\n`);
    } catch {
      // stderr is gone too: the exit code is all that is left.
    }
  }
  process.exit(1);
}

process.stdout.on("error", (error: NodeJS.ErrnoException) => onWriteError("stdout", error));
process.stderr.on("error", (error: NodeJS.ErrnoException) => onWriteError("stderr", error));

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
process.exitCode = code;
