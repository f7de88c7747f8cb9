/**
 * Dev loop for the parser: parses files with our parser and compares the AST and comments with
 * the Elixir oracle's output (`tools/oracle/quoted.exs`), printing the first difference per file.
 *
 *   npx tsx tools/parser-diff.ts [--elixir 1.18|1.14] [--oracle /tmp/oracle.jsonl] [--quiet] [--bench] FILE...
 *
 * Without --oracle the oracle is run on the files (needs `elixir` on PATH; for 1.18 give the
 * 1.18 oracle's output with --oracle). Errors compare line, column and message.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import {
  DEFAULT_ELIXIR_VERSION,
  ELIXIR_VERSIONS,
  type ElixirVersion,
  ParseError,
  parse,
} from "../src/ast/parser/index.js";
import { type FileResultJson, firstDifference, termToJson } from "../src/ast/term-json.js";

const argv = process.argv.slice(2);
let oraclePath: string | undefined;
let quiet = false;
let bench = false;
let elixir: ElixirVersion = DEFAULT_ELIXIR_VERSION;
const files: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--help" || a === "-h") {
    process.stdout.write(
      "usage: npx tsx tools/parser-diff.ts [--elixir V] [--oracle ORACLE.jsonl] [--quiet] [--bench] FILE...\n" +
        `  --elixir  the target: ${ELIXIR_VERSIONS.join(" or ")} (default ${DEFAULT_ELIXIR_VERSION})\n` +
        "  --oracle  oracle output (elixir tools/oracle/quoted.exs FILE... > ORACLE.jsonl);\n" +
        "            without it the oracle is run on the files\n" +
        "  --quiet   only the summary and the most common difference kinds\n" +
        "  --bench   also time our parser on the files (best of 5; under tsx, so slower than\n" +
        "            the compiled build)\n",
    );
    process.exit(0);
  }
  if (a === "--oracle") oraclePath = argv[++i];
  else if (a === "--elixir") {
    const v = argv[++i] as ElixirVersion;
    if (!ELIXIR_VERSIONS.includes(v)) {
      process.stderr.write(`parser-diff: --elixir must be one of ${ELIXIR_VERSIONS.join(", ")}\n`);
      process.exit(2);
    }
    elixir = v;
  } else if (a === "--quiet") quiet = true;
  else if (a === "--bench") bench = true;
  else files.push(a);
}

const expected = new Map<string, FileResultJson>();
const lines = oraclePath
  ? readFileSync(oraclePath, "utf8").split("\n")
  : execFileSync("elixir", ["tools/oracle/quoted.exs", ...files], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    }).split("\n");
for (const line of lines) {
  if (line.trim() === "") continue;
  const r = JSON.parse(line) as FileResultJson;
  expected.set(r.file, r);
}

let same = 0;
let differ = 0;
const categories = new Map<string, number>();
for (const file of files) {
  const src = readFileSync(file);
  const want = expected.get(file);
  if (want === undefined) {
    console.log(`${file}: no oracle line`);
    differ++;
    continue;
  }
  let got: FileResultJson;
  try {
    const r = parse(src, { file, elixir });
    got = { file, ok: termToJson(r.ast), comments: r.comments };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    got = { file, error: { line: e.line, column: e.column, message: e.description } };
  }
  let diff: string | null;
  if ("ok" in want && "ok" in got) {
    diff =
      firstDifference(got.ok, want.ok, "ok") ??
      firstDifference(got.comments, want.comments, "comments");
  } else if ("error" in want && "error" in got) {
    const [g, w] = [got.error, want.error];
    diff =
      g.line === w.line && g.column === w.column && g.message === w.message
        ? null
        : `error ${g.line}:${g.column}: ${g.message.slice(0, 150)} != ${w.line}:${w.column}: ${w.message.slice(0, 150)}`;
  } else {
    diff =
      "error" in got
        ? `we reject (${got.error.line}:${got.error.column}: ${got.error.message.slice(0, 150)}), Elixir accepts`
        : `we accept, Elixir rejects (${"error" in want ? want.error.message.slice(0, 100) : ""})`;
  }
  if (diff === null) {
    same++;
    continue;
  }
  differ++;
  const cat = diff.replace(/\[\d+\]/g, "[]").slice(0, 60);
  categories.set(cat, (categories.get(cat) ?? 0) + 1);
  if (!quiet) {
    console.log(`${file}: ${diff}`);
    const m = /"line"\},(\d+)/.exec(diff);
    if (m !== null) {
      const l = Number(m[1]);
      const srcLines = src.toString("utf8").split("\n");
      console.log(`    ${l}| ${srcLines[l - 1]?.slice(0, 140)}`);
    }
  }
}
console.log(`\n${same}/${files.length} identical, ${differ} differ`);
if (quiet) {
  for (const [c, n] of [...categories].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${String(n).padStart(4)}  ${c}`);
  }
}

if (bench) {
  const sources = files.map((f) => readFileSync(f));
  const bytes = sources.reduce((n, s) => n + s.length, 0);
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 5; pass++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const s of sources) {
      try {
        parse(s, { elixir });
      } catch {
        // counted elsewhere
      }
    }
    best = Math.min(best, performance.now() - t0);
    const c = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
  }
  console.log(
    `parse: ${(bytes / 1e6).toFixed(2)} MB in ${best.toFixed(0)} ms (best of 5) = ${(bytes / 1e6 / (best / 1000)).toFixed(1)} MB/s wall; CPU ${bestCpu.toFixed(0)} ms = ${(bytes / 1e6 / (bestCpu / 1000)).toFixed(1)} MB/s`,
  );
}
