import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigServer,
  createTestNamespace,
  EventStore,
  MemoryManager,
  type MemorySample,
  type Namespace,
  Registry,
  startIsolatedFoundation,
  TelemetryServer,
} from "../../src/foundation/index.js";
import {
  ANALYSIS_SUPERVISOR,
  AnalysisConfigSchema,
  AST_REPOSITORY_SERVICE,
  type AstRepositoryService,
  POPULATION_SERVICE,
  type PopulationService,
  startAnalysisOnFoundation,
  startAnalysisServices,
} from "../../src/integration/analysis-services.js";
import { copyExample } from "../ast/population/support.js";

describe("analysis services on the Foundation", () => {
  let root: string;
  let dir: string;
  let registry: Registry;
  let ns: Namespace;
  let events: EventStore;
  let telemetry: TelemetryServer;

  beforeEach(async () => {
    root = copyExample("es-int-");
    dir = mkdtempSync(join(tmpdir(), "es-int-store-"));
    registry = new Registry();
    ns = createTestNamespace("analysis");
    events = await new EventStore({ storage: "sqlite", path: join(dir, "events.sqlite") }).start();
    telemetry = await new TelemetryServer().start();
  });

  afterEach(async () => {
    await registry.stopNamespace(ns);
    await telemetry.stop();
    await events.stop();
    rmSync(dirname(root), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers supervised services that populate the repository and report through L1", async () => {
    const seen: { event: string; m: Record<string, number> }[] = [];
    telemetry.attach(
      "t",
      ["elixirscope.population.run", "elixirscope.population.file.parsed"],
      (event, m) => seen.push({ event, m: { ...m } }),
    );
    await startAnalysisServices({
      registry,
      namespace: ns,
      telemetry,
      events,
      config: { root, cache: join(dir, "cache.sqlite") },
    });
    expect(registry.lookup(ns, ANALYSIS_SUPERVISOR)?.alive).toBe(true);
    const population = registry.get<PopulationService>(ns, POPULATION_SERVICE);
    const repoService = registry.get<AstRepositoryService>(ns, AST_REPOSITORY_SERVICE);

    writeFileSync(join(root, "lib", "broken.ex"), "defmodule Broken do\n");
    const run = await population.analyze();
    expect(run.summary.failed).toBe(1);
    const stats = await repoService.call({ op: "stats" });
    expect(stats).toMatchObject({ files: run.files.length, failedFiles: 1 });
    expect(
      await repoService.call({ op: "modulesWithBehaviour", behaviour: "GenServer" }),
    ).not.toHaveLength(0);

    const stored = await events.query({
      type: ["population.run.started", "population.file.failed", "population.run.finished"],
    });
    expect(stored.map((e) => e.type)).toEqual([
      "population.run.started",
      "population.file.failed",
      "population.run.finished",
    ]);
    expect((stored[1]!.data as { path: string }).path).toBe("lib/broken.ex");
    expect(seen.filter((s) => s.event === "elixirscope.population.file.parsed")).toHaveLength(
      run.files.length,
    );
    expect(seen.find((s) => s.event === "elixirscope.population.run")!.m.files).toBe(
      run.files.length,
    );

    // The second run refreshes the same indexes in place: nothing is re-extracted.
    const again = await population.analyze();
    expect(again.summary).toMatchObject({ parsed: 0, unchanged: run.files.length });
    expect(again.repository).toBe(repoService.repository);
  });

  it("reads its settings from a ConfigServer at each run and rejects unknown keys", async () => {
    const config = await new ConfigServer({
      schema: z.strictObject({ analysis: AnalysisConfigSchema }),
      defaults: { analysis: { root, cache: false, workers: 0 } },
      updatable: ["analysis"],
      env: {},
      events,
    }).start();
    try {
      await startAnalysisServices({ registry, namespace: ns, configSource: config });
      const population = registry.get<PopulationService>(ns, POPULATION_SERVICE);
      const first = await population.analyze();
      expect(first.summary).toMatchObject({ workers: 0, cacheFile: null });
      await config.update("analysis.exclude", ["test/"]);
      const second = await population.analyze(root);
      expect(second.files.some((f) => f.path.startsWith("test/"))).toBe(false);
      expect(first.files.some((f) => f.path.startsWith("test/"))).toBe(true);
    } finally {
      await config.stop();
    }
  });

  it("fails a run with a clear error for an unknown setting", async () => {
    await startAnalysisServices({
      registry,
      namespace: ns,
      configSource: { get: () => ({ root, cache: false, wrokers: 2 }) },
    });
    const population = registry.get<PopulationService>(ns, POPULATION_SERVICE);
    await expect(population.analyze()).rejects.toThrow(/wrokers/);
  });

  it("runs inside an isolated Foundation, reporting to its event store and telemetry", async () => {
    const foundation = await startIsolatedFoundation({ label: "analysis", storage: "sqlite" });
    try {
      const parsed: number[] = [];
      foundation.telemetry.attach("t", "elixirscope.population.run", (_e, m) =>
        parsed.push(m.parsed!),
      );
      await startAnalysisOnFoundation(foundation, { config: { cache: false } });
      const population = foundation.registry.get<PopulationService>(
        foundation.namespace,
        POPULATION_SERVICE,
      );
      const run = await population.analyze(root);
      expect(parsed).toEqual([run.files.length]);
      const finished = await foundation.events.query({ type: "population.run.finished" });
      expect(finished).toHaveLength(1);
      expect((finished[0]!.data as { files: number }).files).toBe(run.files.length);
      // A bad root is the caller's error; the service stays up for the next request.
      await expect(population.analyze(join(root, "missing"))).rejects.toThrow(/no such directory/);
      expect(population.alive).toBe(true);
    } finally {
      await foundation.stop();
    }
  });

  it("drops the repository's rebuildable lists when the MemoryManager reports high pressure", async () => {
    let heapUsed = 10;
    const source = (): MemorySample => ({
      heapUsed,
      heapTotal: 100,
      heapLimit: 100,
      rss: 0,
      external: 0,
    });
    const memory = new MemoryManager({ name: "analysis-test", source });
    await startAnalysisServices({
      registry,
      namespace: ns,
      memory,
      config: { root, cache: false },
    });
    const population = registry.get<PopulationService>(ns, POPULATION_SERVICE);
    const repoService = registry.get<AstRepositoryService>(ns, AST_REPOSITORY_SERVICE);
    await population.analyze();
    const key = "Inventory.Catalog.fetch/1";
    const before = repoService.repository.callers(key);
    expect(before.length).toBeGreaterThan(0);
    expect(repoService.repository.callers(key)).toBe(before);
    heapUsed = 90;
    await memory.sample();
    expect(repoService.droppedUnderPressure).toBeGreaterThan(0);
    const after = repoService.repository.callers(key);
    expect(after).not.toBe(before);
    expect(after).toEqual(before);
  });
});
