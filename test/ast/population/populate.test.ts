import {
  appendFileSync,
  existsSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverFiles } from "../../../src/ast/population/discover.js";
import { maxWorkerCount } from "../../../src/ast/population/pool.js";
import {
  defaultCachePath,
  type PopulateOptions,
  populate,
} from "../../../src/ast/population/populate.js";
import { AstRepository } from "../../../src/ast/repository/repository.js";
import { copyExample } from "./support.js";

describe("populate on a real project", () => {
  let root: string;
  beforeEach(() => {
    root = copyExample();
  });
  afterEach(() => rmSync(dirname(root), { recursive: true, force: true }));

  it("parses everything cold, then nothing when unchanged, then only the changed file", async () => {
    const files = discoverFiles(root).files;
    expect(files.length).toBeGreaterThan(10);

    const first = await populate(root);
    expect(first.summary).toMatchObject({
      files: files.length,
      parsed: files.length,
      cached: 0,
      failed: 0,
    });
    expect(existsSync(defaultCachePath(root))).toBe(true);
    expect(first.files.map((f) => f.path)).toEqual(files);
    expect(first.summary.modules).toBeGreaterThan(10);

    const second = await populate(root);
    expect(second.summary).toMatchObject({ parsed: 0, cached: files.length, failed: 0 });
    expect(second.repository.stats()).toEqual(first.repository.stats());

    const changed = files.find((f) => f.endsWith("pricing.ex"))!;
    const text = readFileSync(join(root, changed), "utf8");
    writeFileSync(
      join(root, changed),
      text.replace(/\nend\s*$/, "\n\n  def added_for_test(x), do: x + 1\nend\n"),
    );
    const third = await populate(root);
    expect(third.summary).toMatchObject({ parsed: 1, cached: files.length - 1 });
    expect(third.files.filter((f) => f.source === "parsed").map((f) => f.path)).toEqual([changed]);
    expect(third.repository.functionsNamed("added_for_test", 1)).toHaveLength(1);

    unlinkSync(join(root, changed));
    const fourth = await populate(root);
    expect(fourth.summary).toMatchObject({ files: files.length - 1, parsed: 0, removed: 1 });
    expect(fourth.repository.functionsNamed("added_for_test", 1)).toHaveLength(0);
  });

  it("reports a file that fails to parse and goes on with the others", async () => {
    writeFileSync(
      join(root, "lib", "broken.ex"),
      "defmodule Broken do\n  def f(x) do\n    x +\nend\n",
    );
    const events: string[] = [];
    const result = await populate(root, {
      cache: false,
      observer: {
        event: (type, data) =>
          events.push(`${type}${type.endsWith("failed") ? `:${String(data.path)}` : ""}`),
      },
    });
    const broken = result.files.find((f) => f.path === "lib/broken.ex")!;
    expect(broken.error).not.toBeNull();
    expect(broken.error!.line).toBeGreaterThan(0);
    expect(broken.error!.message.length).toBeGreaterThan(0);
    expect(result.summary.failed).toBe(1);
    expect(result.summary.parsed).toBe(result.files.length);
    expect(result.repository.stats().modules).toBeGreaterThan(10);
    expect(events).toEqual([
      "population.run.started",
      "population.file.failed:lib/broken.ex",
      "population.run.finished",
    ]);
  });

  it("caches parse errors too, so an unchanged broken file is not parsed again", async () => {
    writeFileSync(join(root, "lib", "broken.ex"), "defmodule Broken do\n");
    await populate(root);
    const again = await populate(root);
    expect(again.summary).toMatchObject({ parsed: 0, failed: 1 });
    expect(again.files.find((f) => f.path === "lib/broken.ex")!.error).not.toBeNull();
  });

  it("gives the same result on worker threads as in-process", async () => {
    const inProcess = await populate(root, { cache: false, workers: 0 });
    const threaded = await populate(root, { cache: false, workers: 2 });
    expect(inProcess.summary.workers).toBe(0);
    expect(threaded.summary.workers).toBe(2);
    const dump = (r: typeof inProcess) => r.files.map((f) => r.repository.file(f.path)!.extraction);
    expect(dump(threaded)).toEqual(dump(inProcess));
  });

  it("runs cold without touching any cache with cache: false, and honours a custom cache path", async () => {
    await populate(root, { cache: false });
    expect(existsSync(join(root, ".elixirscope"))).toBe(false);
    const custom = join(dirname(root), "elsewhere", "c.sqlite");
    await populate(root, { cache: custom });
    expect(existsSync(custom)).toBe(true);
    const again = await populate(root, { cache: custom });
    expect(again.summary.parsed).toBe(0);
  });

  it("refreshes a repository in place, skipping files whose hash it already holds", async () => {
    const repository = new AstRepository();
    const first = await populate(root, { cache: false, repository });
    appendFileSync(join(root, "lib", "inventory.ex"), "\n# touched\n");
    const second = await populate(root, { cache: false, repository });
    expect(second.repository).toBe(repository);
    expect(second.summary).toMatchObject({ parsed: 1, unchanged: first.files.length - 1 });
  });

  it("honours .gitignore and excludes", async () => {
    writeFileSync(join(root, ".gitignore"), "/lib/inventory/web/\n");
    const all = discoverFiles(root, { gitignore: false }).files;
    const result = await populate(root, { cache: false, exclude: ["test/"] });
    const paths = result.files.map((f) => f.path);
    expect(paths.some((p) => p.startsWith("lib/inventory/web/"))).toBe(false);
    expect(paths.some((p) => p.startsWith("test/"))).toBe(false);
    expect(paths.length).toBeLessThan(all.length);
  });

  it("rejects a bad workers option", async () => {
    await expect(populate(root, { workers: -1 })).rejects.toThrow(/workers/);
    await expect(populate(root, { workers: maxWorkerCount() + 1 })).rejects.toThrow(
      /workers must be at most/,
    );
  });

  it("rejects unknown or invalid options before creating anything", async () => {
    const misspelt = { includ: ["lib/"] } as unknown as PopulateOptions;
    await expect(populate(root, misspelt)).rejects.toThrow(/unknown option "includ"/);
    await expect(populate(root, { workers: -1 })).rejects.toThrow(/workers/);
    const badCache = { cache: true } as unknown as PopulateOptions;
    await expect(populate(root, badCache)).rejects.toThrow(/"cache" must be/);
    const badExclude = { exclude: "test/" } as unknown as PopulateOptions;
    await expect(populate(root, badExclude)).rejects.toThrow(/"exclude" must be an array/);
    expect(existsSync(join(root, ".elixirscope"))).toBe(false);
  });

  it("never starts more workers than files to parse", async () => {
    const result = await populate(root, {
      cache: false,
      workers: 4,
      include: ["lib/inventory.ex"],
    });
    expect(result.summary.parsed).toBe(1);
    expect(result.summary.workers).toBe(1);
  });
});
