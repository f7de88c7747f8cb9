/**
 * `kill -9` at any moment, then a restart, gives the same answers as a cold run: the cache is
 * written in transactions and every row is checked against the file's content hash on start.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN } from "../cli/bin.js";
import { copyExample, until } from "./support.js";

const project = copyExample();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  project.cleanup();
});

/** Starts `elixirscope serve` as a process and resolves to its URL once the index is ready. */
async function serve(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [BIN, "serve", project.root, "--port", "0", "--no-log", ...args],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  children.push(child);
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const url = await until(async () => /serving (http:\/\/\S+)/.exec(err)?.[1], 30_000);
  await until(async () => {
    const r = await fetch(`${url}/health/ready`).catch(() => undefined);
    return r?.status === 200 ? true : undefined;
  }, 30_000);
  return { child, url };
}

/** Everything the API says about the project, for comparison. */
async function answers(url: string): Promise<unknown> {
  const json = async (p: string) => (await fetch(`${url}${p}`)).json();
  const modules = (await json("/api/modules?limit=1000")) as { items: { name: string }[] };
  const details: unknown[] = [];
  for (const m of modules.items) {
    const d = (await json(`/api/modules/${encodeURIComponent(m.name)}`)) as {
      functions: { key: string }[];
      analysisVersion?: number;
    };
    delete d.analysisVersion;
    details.push(d);
    for (const f of d.functions.slice(0, 3)) {
      details.push(await json(`/api/functions/${encodeURIComponent(f.key)}`));
    }
  }
  return details;
}

function edit(i: number): void {
  const lib = join(project.root, "lib");
  writeFileSync(
    join(lib, `crash_${i % 7}.ex`),
    `defmodule Crash${i % 7} do\n  def v, do: ${i}\n  def call(x), do: Inventory.Pricing.discount_rate(x, ${i}, 2, 3)\nend\n`,
  );
  if (i % 5 === 4) unlinkSync(join(lib, `crash_${(i + 3) % 7}.ex`));
}

describe("kill -9", () => {
  it("a restart after SIGKILL mid-update answers exactly as a cold run", async () => {
    let edits = 0;
    for (let round = 0; round < 3; round++) {
      const { child } = await serve([]);
      // Edits land while the index is committing them; the kill comes at a different point of
      // the update in each round (right away, a few ms in, after the commit).
      for (let k = 0; k < 6; k++) {
        try {
          edit(edits++);
        } catch {
          // The file to delete may not exist yet: that is fine.
        }
      }
      await new Promise((r) => setTimeout(r, [0, 15, 300][round]));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
    const warm = await serve([]);
    const warmAnswers = await answers(warm.url);
    warm.child.kill("SIGTERM");
    await new Promise((r) => warm.child.once("exit", r));
    rmSync(join(project.root, ".elixirscope"), { recursive: true, force: true });
    const cold = await serve(["--no-cache"]);
    const coldAnswers = await answers(cold.url);
    cold.child.kill("SIGTERM");
    expect(warmAnswers).toEqual(coldAnswers);
    expect(JSON.stringify(coldAnswers)).toContain("Crash");
  });
});
