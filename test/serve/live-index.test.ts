import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeProject } from "../../src/ast/analysis/project.js";
import type { FileExtraction } from "../../src/ast/model.js";
import { discoverFiles } from "../../src/ast/population/discover.js";
import { extractionOf, processSource } from "../../src/ast/population/process.js";
import { templatesBeside } from "../../src/serve/index-build.js";
import type { RunningServe } from "../../src/serve/start.js";
import { copyExample, serveReady, until } from "./support.js";

let project: ReturnType<typeof copyExample>;
let server: RunningServe;
const status = async (key: string) =>
  (await fetch(`${server.url}/api/functions/${encodeURIComponent(key)}`)).status;

beforeAll(async () => {
  project = copyExample();
  server = await serveReady(project.root, { index: { degradedBacklog: 50 } });
});
afterAll(async () => {
  await server?.stop();
  project?.cleanup();
});

function moduleSource(name: string, calls = ""): string {
  return `defmodule ${name} do\n  def run(x) do\n    ${calls || "x"}\n  end\nend\n`;
}

describe("live index", () => {
  it("coalesces a burst, reports degraded while the backlog is high, and ends consistent", async () => {
    const dir = join(project.root, "lib", "burst");
    mkdirSync(dir);
    let degraded = false;
    const sampler = setInterval(() => {
      if (server.live().indexStatus().degraded) degraded = true;
    }, 1);
    for (let i = 0; i < 300; i++) {
      writeFileSync(
        join(dir, `m${i}.ex`),
        moduleSource(`Burst.M${i}`, `Burst.M${(i + 1) % 300}.run(x)`),
      );
    }
    await until(async () => ((await status("Burst.M299.run/1")) === 200 ? true : undefined));
    await until(async () => (server.live().indexStatus().backlog === 0 ? true : undefined));
    clearInterval(sampler);
    expect(degraded).toBe(true);
    const ready = (await (await fetch(`${server.url}/health/ready`)).json()) as { status: string };
    expect(ready.status).toBe("ready");
    for (let i = 0; i < 300; i += 37) expect(await status(`Burst.M${i}.run/1`)).toBe(200);
    // The project analysis moves with the commits: the 300-module ring is one cycle.
    const graph = await until(async () => {
      const g = (await (await fetch(`${server.url}/api/graph/modules`)).json()) as {
        cycles: string[][];
      };
      return g.cycles.some((c) => c.length === 300) ? g : undefined;
    });
    expect(graph.cycles.find((c) => c.length === 300)).toContain("Burst.M0");
  });

  it("withdraws a deleted file, and finds files moved with their directory", async () => {
    writeFileSync(join(project.root, "lib", "gone.ex"), moduleSource("Gone"));
    await until(async () => ((await status("Gone.run/1")) === 200 ? true : undefined));
    rmSync(join(project.root, "lib", "gone.ex"));
    await until(async () => ((await status("Gone.run/1")) === 404 ? true : undefined));
    const from = join(project.root, "lib", "movable");
    mkdirSync(from);
    writeFileSync(join(from, "mover.ex"), moduleSource("Mover"));
    await until(async () => ((await status("Mover.run/1")) === 200 ? true : undefined));
    renameSync(from, join(project.root, "lib", "moved"));
    await until(async () => {
      const r = await fetch(`${server.url}/api/functions/${encodeURIComponent("Mover.run/1")}`);
      const f = r.status === 200 ? ((await r.json()) as { file: string }) : undefined;
      return f?.file === "lib/moved/mover.ex" ? true : undefined;
    });
  });

  it("ignores files .gitignore excludes and files that are not Elixir", async () => {
    writeFileSync(join(project.root, ".gitignore"), "lib/ignored/\n");
    mkdirSync(join(project.root, "lib", "ignored"));
    writeFileSync(join(project.root, "lib", "ignored", "x.ex"), moduleSource("Ignored"));
    writeFileSync(join(project.root, "lib", "notes.txt"), "defmodule NotElixir do end");
    writeFileSync(join(project.root, "lib", "seen.ex"), moduleSource("Seen"));
    await until(async () => ((await status("Seen.run/1")) === 200 ? true : undefined));
    await until(async () => (server.live().indexStatus().backlog === 0 ? true : undefined));
    expect(await status("Ignored.run/1")).toBe(404);
    expect((await fetch(`${server.url}/api/modules/NotElixir`)).status).toBe(404);
  });

  it("indexes a file that fails to parse as a failed file and recovers when it is fixed", async () => {
    const file = join(project.root, "lib", "broken.ex");
    writeFileSync(file, "defmodule Broken do\n  def run(x) do\nend\n");
    const change = await until(async () => {
      const s = server.live().indexStatus();
      return s.backlog === 0 && server.live().repository.errorOf("lib/broken.ex") ? s : undefined;
    });
    expect(change.phase).toBe("ready");
    writeFileSync(file, moduleSource("Broken"));
    await until(async () => ((await status("Broken.run/1")) === 200 ? true : undefined));
    expect(server.live().repository.errorOf("lib/broken.ex")).toBeNull();
  });

  it("keeps the project analysis equal to a cold run's through edits, removals and new cycles", async () => {
    const lib = join(project.root, "lib");
    const steps: (() => void)[] = [
      () => writeFileSync(join(lib, "ring_a.ex"), moduleSource("Ring.A", "Ring.B.run(x)")),
      () => writeFileSync(join(lib, "ring_b.ex"), moduleSource("Ring.B", "Ring.A.run(x)")),
      () =>
        writeFileSync(
          join(lib, "ring_b.ex"),
          moduleSource("Ring.B", "Inventory.Pricing.discount_rate(x, 1, 2, 3)"),
        ),
      () => rmSync(join(lib, "ring_a.ex")),
      () => writeFileSync(join(lib, "dup.ex"), moduleSource("Ring.B", "Ring.B.run(x)")),
      () => writeFileSync(join(lib, "broken.ex"), "defmodule Broken do\n  def x(, do: 1\nend\n"),
    ];
    for (const step of steps) {
      const before = server.live().indexStatus().version;
      step();
      await until(async () => (server.live().indexStatus().version > before ? true : undefined));
      await until(async () => {
        const s = server.live().indexStatus();
        return s.backlog === 0 && s.analysisVersion === s.version ? true : undefined;
      });
      const files = discoverFiles(project.root).files;
      const cold: FileExtraction[] = [];
      for (const path of files) {
        const out = processSource(path, readFileSync(join(project.root, path)), {});
        if (out.ok) cold.push(extractionOf(out));
      }
      const live = server.live().snapshot;
      const templates = templatesBeside(project.root, files);
      expect(live?.analysis).toEqual(analyzeProject(cold, {}, { templates }));
      expect(live?.version).toBe(server.live().indexStatus().version);
    }
  });
});
