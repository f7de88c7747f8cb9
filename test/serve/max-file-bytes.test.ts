import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServe } from "../../src/serve/start.js";
import { copyExample, serveReady, until } from "./support.js";

// Three files of the example are over 4,000 bytes (stock_server.ex 5,372, router.ex 5,001,
// pricing.ex 4,679); catalog.ex (3,177) is under.
const LIMIT = 4_000;
let project: ReturnType<typeof copyExample>;
let server: RunningServe | undefined;
const moduleStatus = async (s: RunningServe, name: string) =>
  (await fetch(`${s.url}/api/modules/${encodeURIComponent(name)}`)).status;

beforeAll(async () => {
  project = copyExample();
  server = await serveReady(project.root, { settings: { maxFileBytes: LIMIT } });
});
afterAll(async () => {
  await server?.stop();
  project?.cleanup();
});

describe("serve honours maxFileBytes", () => {
  it("indexes a file over the limit as failed with the reason, in the initial build", async () => {
    const s = server as RunningServe;
    const error = s.live().repository.errorOf("lib/inventory/stock_server.ex");
    expect(error?.message).toBe(
      `file too large to analyze: 5372 bytes, limit ${LIMIT} bytes (maxFileBytes)`,
    );
    expect(error?.line).toBeNull();
    expect(await moduleStatus(s, "Inventory.StockServer")).toBe(404);
    expect(await moduleStatus(s, "Inventory.Catalog")).toBe(200);
  });

  it("skips a live edit that grows a file over the limit, and indexes it once it shrinks", async () => {
    const s = server as RunningServe;
    const file = join(project.root, "lib", "big.ex");
    const padding = `  # ${"x".repeat(LIMIT)}\n`;
    writeFileSync(file, `defmodule Big do\n${padding}  def run(x), do: x\nend\n`);
    const error = await until(async () => s.live().repository.errorOf("lib/big.ex") ?? undefined);
    expect(error.message).toMatch(/^file too large to analyze: \d+ bytes, limit 4000 bytes/);
    expect(await moduleStatus(s, "Big")).toBe(404);
    writeFileSync(file, "defmodule Big do\n  def run(x), do: x\nend\n");
    await until(async () => ((await moduleStatus(s, "Big")) === 200 ? true : undefined));
    expect(s.live().repository.errorOf("lib/big.ex")).toBeNull();
  });

  it("caches nothing for a skipped file: a restart with a higher limit parses it", async () => {
    await server?.stop();
    server = undefined;
    server = await serveReady(project.root, { settings: { maxFileBytes: 1_000_000 } });
    expect(server.live().repository.errorOf("lib/inventory/stock_server.ex")).toBeNull();
    expect(await moduleStatus(server, "Inventory.StockServer")).toBe(200);
    // Exactly the three skipped files are parsed; every other file comes from the cache.
    expect(server.live().indexStatus().build).toMatchObject({ files: 25, parsed: 3, cached: 22 });
  });
});
