/**
 * `elixirscope parse`: parses Elixir files and prints, per file, either the AST in the oracle's
 * exact line format (`--format terms`, diffable against `elixir tools/oracle/quoted.exs`), a
 * human summary, or (`--quiet`) one timing line for all files.
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import { ParseError, parse } from "../../ast/parser/index.js";
import {
  Atom,
  Bin,
  type Comment,
  Float,
  type Meta,
  Node,
  type Term,
  Tuple,
} from "../../ast/term.js";
import { type CommandContext, EXIT } from "../context.js";

const MAX_SAFE = 2 ** 53;

/**
 * Formats a float exactly as Erlang's `:erlang.float_to_binary(f, [:short])` (the oracle's
 * encoding): shortest round-trip digits; fixed notation unless scientific is strictly shorter,
 * and always scientific from 2^53 up.
 */
export function erlangShortFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // toExponential() without digits gives the shortest digits that round-trip.
  const [mantissa, e] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(e);
  const sci = digits.length === 1 ? `${digits}.0e${exp}` : `${digits[0]}.${digits.slice(1)}e${exp}`;
  if (Math.abs(x) >= MAX_SAFE) return sign + sci;
  const place = exp + 1; // the decimal point goes after `place` digits
  let fixed: string;
  if (place <= 0) fixed = `0.${"0".repeat(-place)}${digits}`;
  else if (place >= digits.length) fixed = `${digits}${"0".repeat(place - digits.length)}.0`;
  else return `${sign}${digits.slice(0, place)}.${digits.slice(place)}`;
  return `${sign}${fixed.length <= sci.length ? fixed : sci}`;
}

/** A JSON string escaped as the oracle escapes it (only `"`, `\` and control characters). */
export function oracleString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = "\\\\";
    else if (c < 0x20) rep = `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate cannot come from UTF-8; the oracle writes U+FFFD for bad input.
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      rep = "\\ufffd";
    }
    if (rep !== null) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return `${out + s.slice(from)}"`;
}

type Work = string | { term: Term } | { meta: Meta };

/**
 * The canonical JSON of `term` (see src/ast/term-json.ts) as the oracle prints it: no spaces,
 * Erlang float syntax. Iterative, so 100,000-deep ASTs print without exhausting the stack.
 */
export function oracleTermJson(term: Term): string {
  const parts: string[] = [];
  const stack: Work[] = [{ term }];
  const pushList = (open: string, items: readonly Work[], close: string) => {
    stack.push(close);
    for (let i = items.length - 1; i >= 0; i--) {
      stack.push(items[i]);
      if (i > 0) stack.push(",");
    }
    stack.push(open);
  };
  while (stack.length > 0) {
    const w = stack.pop()!;
    if (typeof w === "string") {
      parts.push(w);
      continue;
    }
    if ("meta" in w) {
      // Each entry is {"tuple":[{"atom":key},value]}, value a nested keyword list or a term.
      stack.push("]");
      for (let i = w.meta.length - 1; i >= 0; i--) {
        const [k, v] = w.meta[i];
        stack.push("]}");
        stack.push(Array.isArray(v) ? { meta: v } : { term: v });
        stack.push(`{"tuple":[{"atom":${oracleString(k)}},`);
        if (i > 0) stack.push(",");
      }
      stack.push("[");
      continue;
    }
    const t = w.term;
    switch (typeof t) {
      case "number":
        parts.push(Math.abs(t) > MAX_SAFE ? `{"int":"${BigInt(t)}"}` : String(t));
        continue;
      case "bigint":
        parts.push(t >= -BigInt(MAX_SAFE) && t <= BigInt(MAX_SAFE) ? String(t) : `{"int":"${t}"}`);
        continue;
      case "string":
        parts.push(oracleString(t));
        continue;
      case "boolean":
        parts.push(t ? '{"atom":"true"}' : '{"atom":"false"}');
        continue;
    }
    if (t === null) parts.push('{"atom":"nil"}');
    else if (Array.isArray(t))
      pushList(
        "[",
        t.map((x) => ({ term: x })),
        "]",
      );
    else if (t instanceof Node) {
      const args: Term = t.args;
      pushList('{"tuple":[', [{ term: t.form }, { meta: t.meta }, { term: args }], "]}");
    } else if (t instanceof Atom) parts.push(`{"atom":${oracleString(t.name)}}`);
    else if (t instanceof Tuple)
      pushList(
        '{"tuple":[',
        t.items.map((x) => ({ term: x })),
        "]}",
      );
    else if (t instanceof Float) parts.push(`{"float":${erlangShortFloat(t.value)}}`);
    else if (t instanceof Bin) parts.push(`{"bin":[${Array.from(t.bytes).join(",")}]}`);
    else throw new TypeError(`not a term: ${String(t)}`);
  }
  return parts.join("");
}

function oracleComment(c: Comment): string {
  return (
    `{"line":${c.line},"column":${c.column},"previous_eol_count":${c.previous_eol_count},` +
    `"next_eol_count":${c.next_eol_count},"text":${oracleString(c.text)}}`
  );
}

/** One file's result in the oracle's line format (without the newline). */
export function oracleLine(
  file: string,
  result: { ast: Term; comments: readonly Comment[] } | ParseError,
): string {
  if (result instanceof ParseError) {
    return (
      `{"file":${oracleString(file)},"error":{"line":${result.line},"column":${result.column ?? "null"},` +
      `"message":${oracleString(result.description)}}}`
    );
  }
  return (
    `{"file":${oracleString(file)},"ok":${oracleTermJson(result.ast)},` +
    `"comments":[${result.comments.map(oracleComment).join(",")}]}`
  );
}

/** The number of AST nodes (3-tuples) in `term`, counted without recursion. */
export function countNodes(term: Term): number {
  let n = 0;
  const stack: Term[] = [term];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (Array.isArray(t)) for (const x of t) stack.push(x);
    else if (t instanceof Node) {
      n++;
      stack.push(t.form);
      if (Array.isArray(t.args)) for (const x of t.args) stack.push(x);
    } else if (t instanceof Tuple) for (const x of t.items) stack.push(x);
  }
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("must be a positive integer");
  }
  return n;
}

interface ParseCommandOptions {
  format: "terms" | "summary";
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
          parse(bytes, { file });
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
      result = parse(bytes, { file });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      result = e;
      failed = true;
    }
    if (opts.format === "terms") ctx.stdout(`${oracleLine(file, result)}\n`);
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
  terms    one JSON line per file, exactly as \`elixir tools/oracle/quoted.exs FILE\` prints it:
           {"file":...,"ok":<ast>,"comments":[...]} or {"file":...,"error":{"line","column","message"}}

Exit codes:
  0  every file was read and (except with --quiet) parsed without error
  1  a file could not be read (reported on stderr; the other files are still parsed), or,
     without --quiet, a file has a syntax error (reported in the output; --quiet counts it
     in errors=E and still exits 0, since it measures speed)
  2  bad usage: unknown option, bad --format, --repeat not a positive integer or without --quiet`,
    )
    .action((files: string[], opts: ParseCommandOptions, cmd: Command) => {
      if (opts.repeat !== undefined && !opts.quiet) {
        cmd.error("--repeat requires --quiet", { exitCode: EXIT.usage });
      }
      run(files, opts, ctx);
    });
}
