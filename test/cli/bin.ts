/**
 * Runs the compiled `elixirscope` command as a real process (`npm test` builds dist/ first), for
 * the tests that need what only a process has: its exit code, its own stdout file descriptor,
 * another user's permissions, a rival process on the same cache.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The compiled command. */
export const BIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** What a finished run gave. */
export interface BinResult {
  code: number | null;
  out: string;
  err: string;
}

function checkBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
}

/** Options of {@link runBin}: another user (uid/gid), a shell-free stdout file descriptor. */
export interface BinOptions {
  uid?: number;
  gid?: number;
  cwd?: string;
  env?: Record<string, string>;
}

/** Runs the command to completion, synchronously. */
export function runBinSync(args: readonly string[], options: BinOptions = {}): BinResult {
  checkBuilt();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...process.env, ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs the command, resolving when it exits. */
export function runBin(args: readonly string[], options: BinOptions = {}): Promise<BinResult> {
  checkBuilt();
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...options.env },
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    let out = "";
    let err = "";
    child.stdout?.setEncoding("utf8").on("data", (s: string) => {
      out += s;
    });
    child.stderr?.setEncoding("utf8").on("data", (s: string) => {
      err += s;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}
