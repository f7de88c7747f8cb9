#!/usr/bin/env node
import "./commands/index.js";
import { runCli } from "./program.js";

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
process.exitCode = code;
