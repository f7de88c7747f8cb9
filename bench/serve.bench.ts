/**
 * `npm run bench:serve [-- --json] [-- --modules N]`: the live server on the synthetic project
 * (bench/gen-project.ts, 10,000 modules by default), run as the real command in a child process.
 *
 * - time to ready, cold (no cache) and warm (cache from the cold run);
 * - edit-to-queryable: write a file with a new function, poll `/api/functions/...` until it
 *   answers 200; 50 edits, p50/p90/p99;
 * - requests per second (autocannon, 10 connections, 5 s) for a function lookup, and for a bare
 *   fastify route in another process in the same run (the ceiling);
 * - a 5,000-file burst (every file rewritten at once): time until the backlog is empty and the
 *   first and last files' new functions answer, and the server's peak RSS during it;
 * - during both builds, the slowest `/health/live` answer (the build must not block the loop).
 *
 * Prints the machine load with the results: the figures are only comparable within a run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { generateProject } from "./gen-project.js";
import { jsonOutput } from "./lib/report.js";

const BIN = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const argModules = process.argv.indexOf("--modules");
const MODULES = argModules > 0 ? Number(process.argv[argModules + 1]) : 10_000;
const EDITS = 50;
const BURST_MAX = 5_000;

interface Row {
  group: string;
  name: string;
  value: number;
  unit: string;
  note?: string;
}
const rows: Row[] = [];
const record = (r: Row) => {
  rows.push(r);
  // Printed as measured, so a run cut short still reports what it got.
  if (jsonOutput) process.stdout.write(`${JSON.stringify(r)}\n`);
  else process.stderr.write(`  ${r.group} / ${r.name}: ${r.value.toFixed(1)} ${r.unit}\n`);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServe(root: string, args: string[] = []) {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, "serve", root, "--port", "0", "--no-log", "--rate-limit", "100000000", ...args],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  let url: string | undefined;
  while (url === undefined) {
    url = /serving (http:\/\/\S+)/.exec(err)?.[1];
    if (child.exitCode !== null) throw new Error(`serve exited: ${err}`);
    await sleep(5);
  }
  // While it builds: how long /health/live takes to answer (the event loop must stay free).
  let liveMaxMs = 0;
  for (;;) {
    const l0 = performance.now();
    const live = await fetch(`${url}/health/live`).catch(() => undefined);
    await live?.arrayBuffer();
    liveMaxMs = Math.max(liveMaxMs, performance.now() - l0);
    const r = await fetch(`${url}/health/ready`).catch(() => undefined);
    if (r?.status === 200) break;
    await r?.arrayBuffer();
    await sleep(10);
  }
  return { child, url, readyMs: performance.now() - t0, liveMaxMs, stderr: () => err };
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
}

function rssMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function status(url: string): Promise<number> {
  const r = await fetch(url);
  await r.arrayBuffer();
  return r.status;
}

/** The path of the n-th generated file and its last module, the one a def before the final `end` lands in. */
function fileOf(root: string, files: string[], n: number): { path: string; module: string } {
  const path = join(root, files[n]!);
  const names = [...readFileSync(path, "utf8").matchAll(/defmodule\s+([\w.]+)/g)];
  return { path, module: names.at(-1)![1]! };
}

async function editToQueryable(url: string, root: string, files: string[]): Promise<void> {
  const lat: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const { path, module } = fileOf(root, files, (i * 197) % files.length);
    const src = readFileSync(path, "utf8");
    const fn = `bench_edit_${i}`;
    const key = encodeURIComponent(`${module}.${fn}/0`);
    const t0 = performance.now();
    writeFileSync(path, src.replace(/\nend\s*$/, `\n  def ${fn}, do: ${i}\nend\n`));
    while ((await status(`${url}/api/functions/${key}`)) !== 200) {
      /* poll as fast as the server answers */
    }
    lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  for (const p of [50, 90, 99]) {
    record({ group: "edit-to-queryable", name: `p${p}`, value: percentile(lat, p), unit: "ms" });
  }
  record({ group: "edit-to-queryable", name: "max", value: lat.at(-1)!, unit: "ms" });
}

async function rps(url: string): Promise<number> {
  const r = await autocannon({ url, connections: 10, duration: 5, pipelining: 1 });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.average;
}

/** A bare fastify server in its own process: the ceiling for the function lookup. */
async function bareFastify(): Promise<{ child: ChildProcess; url: string }> {
  const code = `import Fastify from "fastify";
const app = Fastify();
app.get("/x", async () => ({ key: "M.f/1", ok: true }));
await app.listen({ port: 0, host: "127.0.0.1" });
process.stderr.write("serving http://127.0.0.1:" + app.server.address().port + "\\n");`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  for (;;) {
    const url = /serving (\S+)/.exec(err)?.[1];
    if (url) return { child, url: `${url}/x` };
    await sleep(5);
  }
}

async function burst(url: string, pid: number, root: string, files: string[]): Promise<void> {
  const BURST = Math.min(BURST_MAX, files.length);
  const before = rssMb(pid, "VmRSS");
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid, "VmRSS"));
  }, 20);
  const t0 = performance.now();
  for (let n = 0; n < BURST; n++) {
    const path = join(root, files[n]!);
    const src = readFileSync(path, "utf8");
    writeFileSync(path, src.replace(/\nend\s*$/, `\n  def burst_${n}, do: ${n}\nend\n`));
  }
  const written = performance.now() - t0;
  const first = fileOf(root, files, 0);
  const last = fileOf(root, files, BURST - 1);
  for (;;) {
    const m = await (await fetch(`${url}/metrics`)).text();
    const depth = Number(/elixirscope_index_queue_depth (\d+)/.exec(m)?.[1] ?? "1");
    const a = await status(
      `${url}/api/functions/${encodeURIComponent(`${first.module}.burst_0/0`)}`,
    );
    const b = await status(
      `${url}/api/functions/${encodeURIComponent(`${last.module}.burst_${BURST - 1}/0`)}`,
    );
    if (depth === 0 && a === 200 && b === 200) break;
    await sleep(20);
  }
  const consistent = performance.now() - t0;
  // The project analysis (findings, graph) follows after the quiet period.
  let analysisMs = Number.NaN;
  for (;;) {
    const m = await (await fetch(`${url}/metrics`)).text();
    if (/elixirscope_index_analysis_lag 0\b/.test(m)) {
      analysisMs = Number(/elixirscope_index_analysis_duration_ms ([\d.]+)/.exec(m)?.[1]);
      break;
    }
    await sleep(50);
  }
  const analyzed = performance.now() - t0;
  clearInterval(sampler);
  record({
    group: `burst of ${BURST} files`,
    name: "writing the files",
    value: written,
    unit: "ms",
  });
  record({
    group: `burst of ${BURST} files`,
    name: "time to consistent",
    value: consistent,
    unit: "ms",
    note: "from the first write",
  });
  record({
    group: `burst of ${BURST} files`,
    name: "findings and graph current",
    value: analyzed,
    unit: "ms",
    note: "from the first write",
  });
  record({
    group: `burst of ${BURST} files`,
    name: "last project-analysis update (incremental)",
    value: analysisMs,
    unit: "ms",
  });
  record({ group: `burst of ${BURST} files`, name: "RSS before", value: before, unit: "MB" });
  record({ group: `burst of ${BURST} files`, name: "peak RSS during", value: peak, unit: "MB" });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "es-bench-serve-"));
  try {
    const root = join(dir, "project");
    const gen = generateProject(root, { modules: MODULES });
    const { discoverFiles } = await import("../src/ast/population/discover.js");
    const files = discoverFiles(root).files.filter((f) => f.startsWith("lib/"));
    const group = `time to ready, ${gen.modules} modules`;
    const cold = await startServe(root);
    record({
      group,
      name: "cold (no cache)",
      value: cold.readyMs,
      unit: "ms",
      note: "spawn to /health/ready 200",
    });
    record({
      group,
      name: "cold: slowest /health/live while building",
      value: cold.liveMaxMs,
      unit: "ms",
    });
    await stop(cold.child);
    const warm = await startServe(root);
    record({ group, name: "warm (cache)", value: warm.readyMs, unit: "ms" });
    record({
      group,
      name: "warm: slowest /health/live while building",
      value: warm.liveMaxMs,
      unit: "ms",
    });
    await editToQueryable(warm.url, root, files).catch((error: unknown) => {
      // Say what the server said: a failed request alone does not tell why.
      process.stderr.write(`serve exit ${warm.child.exitCode}, stderr:\n${warm.stderr()}\n`);
      throw error;
    });
    // Edit 0 added bench_edit_0/0 to the last module of file 0.
    const lookup = `${warm.url}/api/functions/${encodeURIComponent(`${fileOf(root, files, 0).module}.bench_edit_0/0`)}`;
    const bare = await bareFastify();
    const fnRps = await rps(lookup);
    const bareRps = await rps(bare.url);
    await stop(bare.child);
    record({
      group: "requests per second (autocannon, 10 connections, 5 s)",
      name: "GET /api/functions/{key}",
      value: fnRps,
      unit: "req/s",
      note: `${((fnRps / bareRps) * 100).toFixed(0)} % of bare fastify`,
    });
    record({
      group: "requests per second (autocannon, 10 connections, 5 s)",
      name: "bare fastify route (ceiling)",
      value: bareRps,
      unit: "req/s",
    });
    await burst(warm.url, warm.child.pid!, root, files);
    await stop(warm.child);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!jsonOutput) {
    process.stdout.write(
      `\nbench:serve, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}\n`,
    );
    const w = Math.max(...rows.map((r) => `${r.group} / ${r.name}`.length));
    for (const r of rows) {
      const v = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(1);
      process.stdout.write(
        `${`${r.group} / ${r.name}`.padEnd(w)}  ${v.padStart(9)} ${r.unit.padEnd(6)} ${r.note ?? ""}\n`,
      );
    }
  }
}

await main();
