/**
 * `elixirscope serve [PATH]`: a live index of an Elixir project behind an HTTP API and a web UI,
 * following the file system until interrupted (SIGINT/SIGTERM). See docs/SERVE.md.
 * @packageDocumentation
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { ELIXIR_VERSIONS, type ElixirVersion } from "../../ast/parser/index.js";
import { ElixirScopeError } from "../../foundation/index.js";
import { type RunningServe, startServe } from "../../serve/start.js";
import { type CommandContext, EXIT, UsageError } from "../context.js";

interface ServeFlags {
  port: number;
  host: string;
  token?: string;
  insecure?: boolean;
  redis?: string;
  config?: string;
  cache?: string | boolean;
  log?: boolean;
  rateLimit?: number;
  elixir?: ElixirVersion;
}

function portArg(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) {
    throw new InvalidArgumentError("expected a port number from 0 to 65535");
  }
  return n;
}

function tokenArg(value: string): string {
  if (value.length < 16) throw new InvalidArgumentError("use a token of at least 16 characters");
  return value;
}

function rateArg(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value))
    throw new InvalidArgumentError("expected a positive whole number");
  return Number(value);
}

function redisArg(value: string): string {
  if (!/^rediss?:\/\//.test(value)) {
    throw new InvalidArgumentError("expected a redis:// or rediss:// URL");
  }
  return value;
}

/** Resolves on the first SIGINT or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}

/** Installs `elixirscope serve` on the program. */
export function installServe(program: Command, ctx: CommandContext): void {
  program
    .command("serve")
    .description("serve a live index of an Elixir project: HTTP API and web UI")
    .argument("[path]", "project directory", ".")
    .option("--port <n>", "port to listen on (0: any free port)", portArg, 4000)
    .option("--host <host>", "address to bind (other than loopback needs --token)", "127.0.0.1")
    .option(
      "--token <secret>",
      "require Authorization: Bearer <secret> on every API call",
      tokenArg,
    )
    .option("--insecure", "allow a non-loopback --host without a token")
    .option("--redis <url>", "share the rate limiter's budget through Redis", redisArg)
    .option("--config <file>", "JSON config file (Foundation sections and `analysis`)")
    .option("--cache <file>", "cache file (default: <path>/.elixirscope/cache.sqlite)")
    .option("--no-cache", "keep the index in memory only")
    .option(
      "--rate-limit <n>",
      "requests per second per client (bursts of 2n; default 200)",
      rateArg,
    )
    .addOption(
      new Option(
        "--elixir <version>",
        "parse files and search patterns with this Elixir version's syntax (default 1.18)",
      ).choices([...ELIXIR_VERSIONS]),
    )
    .option("--no-log", "do not log requests to stderr")
    .action(async (path: string, flags: ServeFlags) => {
      let running: RunningServe;
      try {
        running = await startServe({
          root: path,
          port: flags.port,
          host: flags.host,
          ...(flags.token === undefined ? {} : { token: flags.token }),
          insecure: flags.insecure === true,
          ...(flags.redis === undefined ? {} : { redis: flags.redis }),
          ...(flags.config === undefined ? {} : { config: { file: flags.config } }),
          settings: {
            ...(flags.cache === false ? { cache: false } : {}),
            ...(typeof flags.cache === "string" ? { cache: flags.cache } : {}),
            ...(flags.elixir === undefined ? {} : { elixir: flags.elixir }),
          },
          logger: flags.log !== false,
          ...(flags.rateLimit === undefined
            ? {}
            : {
                rateLimit: { rate: flags.rateLimit, intervalMs: 1_000, burst: 2 * flags.rateLimit },
              }),
        });
      } catch (error) {
        if (error instanceof ElixirScopeError && error.code.startsWith("CONFIG_")) {
          throw new UsageError(error.message);
        }
        if (
          error instanceof Error &&
          /--host|no such directory|not a directory/.test(error.message)
        ) {
          throw new UsageError(error.message);
        }
        throw error;
      }
      ctx.stderr(`elixirscope: serving ${running.url} (building the index)\n`);
      const stop = interrupted();
      await Promise.race([running.built, stop]);
      const s = running.live().indexStatus();
      if (s.phase === "ready") ctx.stderr(`elixirscope: ready at ${running.url}\n`);
      else if (s.phase === "failed") {
        ctx.stderr(`elixirscope: ${s.error}\n`);
        await running.stop();
        ctx.setExitCode(EXIT.failure);
        return;
      }
      await stop;
      await running.stop();
      ctx.setExitCode(EXIT.ok);
    });
}
