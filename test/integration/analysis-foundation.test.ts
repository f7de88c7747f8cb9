import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createTestNamespace,
  ElixirScopeError,
  ManualClock,
  type MemorySample,
  Registry,
} from "../../src/foundation/index.js";
import {
  ANALYSIS_CONFIG_DEFAULTS,
  type AnalysisFoundation,
  type AnalysisFoundationOptions,
  startAnalysisFoundation,
} from "../../src/integration/index.js";
import { copyExample } from "../ast/population/support.js";

describe("the analysis Foundation: the analysis section of the config", () => {
  let root: string;
  let dir: string;
  const started: AnalysisFoundation[] = [];

  async function start(options: AnalysisFoundationOptions): Promise<AnalysisFoundation> {
    const a = await startAnalysisFoundation({
      namespace: createTestNamespace("analysis-foundation"),
      registry: new Registry(),
      memory: false,
      ...options,
    });
    started.push(a);
    return a;
  }

  beforeEach(() => {
    root = copyExample("es-af-");
    dir = mkdtempSync(join(tmpdir(), "es-af-cfg-"));
  });
  afterEach(async () => {
    for (const a of started.splice(0)) await a.stop();
    rmSync(dirname(root), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("defaults to the CLI's defaults, next to the Foundation's own sections", async () => {
    const a = await start({
      config: { env: {}, overrides: { eventStore: { storage: "memory" } } },
    });
    expect(a.settings()).toEqual({
      workers: "auto",
      include: [],
      exclude: [],
      gitignore: true,
      top: 10,
      maxFileBytes: 5_000_000,
    });
    expect(a.settings()).toEqual(ANALYSIS_CONFIG_DEFAULTS);
    expect(a.foundation.config.get("eventStore.storage")).toBe("memory");
    expect(a.foundation.config.isUpdatable("analysis.workers")).toBe(true);
    expect(a.foundation.config.isUpdatable("eventStore.storage")).toBe(false);
  });

  it("layers defaults < file < environment < overrides", async () => {
    const file = join(dir, "config.json");
    writeFileSync(
      file,
      JSON.stringify({ analysis: { workers: 1, exclude: ["lib/"], top: 3, gitignore: false } }),
    );
    const a = await start({
      config: {
        file,
        env: { ELIXIRSCOPE_ANALYSIS__WORKERS: "0", ELIXIRSCOPE_ANALYSIS__EXCLUDE: '["test/"]' },
        overrides: { eventStore: { storage: "memory" }, analysis: { top: 5 } },
      },
    });
    expect(a.settings()).toEqual({
      workers: 0, // env over file
      include: [], // default
      exclude: ["test/"], // env over file
      gitignore: false, // file over default
      top: 5, // override over file
      maxFileBytes: 5_000_000, // default
    });
  });

  it("an environment variable reaches a real analysis run", async () => {
    const cache = join(dir, "env-cache.sqlite");
    const a = await start({
      config: {
        env: {
          ELIXIRSCOPE_ANALYSIS__ROOT: root,
          ELIXIRSCOPE_ANALYSIS__CACHE: cache,
          ELIXIRSCOPE_ANALYSIS__WORKERS: "0",
          ELIXIRSCOPE_ANALYSIS__EXCLUDE: '["test/"]',
          ELIXIRSCOPE_EVENT_STORE__STORAGE: "memory",
        },
      },
    });
    const run = await a.population.analyze();
    expect(run.root).toBe(root);
    expect(run.summary.workers).toBe(0);
    expect(run.summary.cacheFile).toBe(cache);
    expect(run.files.length).toBeGreaterThan(0);
    expect(run.files.some((f) => f.path.startsWith("test/"))).toBe(false);
    // The section is read at each run: an update applies to the next one.
    await a.foundation.config.update("analysis.exclude", []);
    const next = await a.population.analyze();
    expect(next.files.some((f) => f.path.startsWith("test/"))).toBe(true);
  });

  it("reports the project analysis as the last phase of a run's progress", async () => {
    const a = await start({
      config: { env: {}, overrides: { eventStore: { storage: "memory" } } },
    });
    const seen: string[] = [];
    const run = await a.population.analyze(root, {
      onProgress: (p) => seen.push(`${p.phase} ${p.done}/${p.total}`),
    });
    expect(seen.slice(-2)).toEqual(["analyze 0/1", "analyze 1/1"]);
    const parsed = run.summary.parsed;
    expect(parsed).toBeGreaterThan(0);
    expect(seen).toContain(`parse ${parsed}/${parsed}`);
    expect(seen.filter((s) => s.startsWith("analyze"))).toHaveLength(2);
  });

  it("rejects unknown keys in every layer with an error naming them", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ analysis: { wrokers: 2 } }));
    const attempts: [AnalysisFoundationOptions["config"], string, RegExp][] = [
      [{ env: {}, file }, "CONFIG_INVALID", /analysis: .*wrokers/],
      [{ env: { ELIXIRSCOPE_ANALYSIS__WROKERS: "2" } }, "CONFIG_UNKNOWN_ENV", /WROKERS/],
      [{ env: {}, overrides: { analysis: { top: 0 } } }, "CONFIG_INVALID", /analysis\.top/],
      [{ env: {}, overrides: { analysis: { cache: true } } }, "CONFIG_INVALID", /analysis\.cache/],
    ];
    for (const [config, code, message] of attempts) {
      const error = await start({ config }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ElixirScopeError);
      expect((error as ElixirScopeError).code).toBe(code);
      expect((error as ElixirScopeError).message).toMatch(message);
    }
    await expect(start({ config: { env: {} }, bogus: 1 } as never)).rejects.toThrow(/bogus/);
  });
});

describe("the analysis Foundation: memory pressure", () => {
  let root: string;
  afterEach(() => rmSync(dirname(root), { recursive: true, force: true }));

  it("samples on its interval, drops the repository's caches at high pressure, and stops", async () => {
    root = copyExample("es-af-mem-");
    let heapUsed = 10;
    const source = (): MemorySample => ({
      heapUsed,
      heapTotal: 100,
      heapLimit: 100,
      rss: 0,
      external: 0,
    });
    const clock = new ManualClock();
    const a = await startAnalysisFoundation({
      namespace: createTestNamespace("analysis-memory"),
      registry: new Registry(),
      config: { env: {}, overrides: { eventStore: { storage: "memory" } } },
      memory: { intervalMs: 500, source, clock },
    });
    try {
      expect(a.memory?.level).toBe("normal");
      const run = await a.population.analyze(root, { timeoutMs: 60_000 });
      const repo = a.repository.repository;
      expect(repo).toBe(run.repository);
      const key = "Inventory.Catalog.fetch/1";
      const callers = repo.callers(key);
      const callees = await a.repository.call({ op: "callees", key });
      expect(callers.length).toBeGreaterThan(0);
      expect(repo.callers(key)).toBe(callers); // cached list

      heapUsed = 90; // above the "high" threshold (0.85)
      clock.advance(499);
      expect(a.repository.droppedUnderPressure).toBe(0); // not sampled yet
      clock.advance(1);
      await Promise.resolve();
      expect(a.memory?.level).toBe("high");
      expect(a.repository.droppedUnderPressure).toBeGreaterThan(0);

      // Lookups still answer the same, from rebuilt lists.
      const rebuilt = repo.callers(key);
      expect(rebuilt).not.toBe(callers);
      expect(rebuilt).toEqual(callers);
      expect(await a.repository.call({ op: "callees", key })).toEqual(callees);
      expect(await a.repository.call({ op: "module", name: "Inventory.Catalog" })).toBeDefined();
      // And a further run over the same repository gives the same answers.
      const again = await a.population.analyze(root, { timeoutMs: 60_000 });
      expect(again.analysis.findings).toEqual(run.analysis.findings);
      expect(again.repository.callers(key)).toEqual(callers);
    } finally {
      await a.stop();
    }
    expect(a.memory?.alive).toBe(false);
    expect(a.foundation.supervisor.alive).toBe(false);
  });
});
