import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  CORE_SERVICES,
  FOUNDATION_DEFAULTS,
  FoundationConfigSchema,
  Registry,
} from "../../../src/foundation/index.js";
import { startIsolatedFoundation } from "../../../src/foundation/testing/index.js";

describe("test isolation", () => {
  it("starts every core service in a fresh namespace, and stop tears them all down", async () => {
    const registry = new Registry();
    const config = {
      schema: FoundationConfigSchema.extend({ app: z.strictObject({ flag: z.boolean() }) }),
      defaults: { ...FOUNDATION_DEFAULTS, app: { flag: false } },
      updatable: ["app"],
    };
    const [a, b] = await Promise.all([
      startIsolatedFoundation({ registry, config }),
      startIsolatedFoundation({ registry, config }),
    ]);
    expect(a.namespace).not.toBe(b.namespace);
    expect(a.namespace).toMatch(/^test:/);
    for (const name of Object.values(CORE_SERVICES)) {
      expect(registry.lookup(a.namespace, name), name).toBeDefined();
      expect(registry.lookup(a.namespace, name)).not.toBe(registry.lookup(b.namespace, name));
    }
    await a.events.store({ type: "only-in-a" });
    await a.config.update("app.flag", true);
    expect(await b.events.count()).toBe(0);
    expect(b.config.get("app.flag")).toBe(false);
    await a.stop();
    expect(registry.count(a.namespace)).toBe(0);
    expect(registry.count(b.namespace)).toBe(4);
    await b.stop();
    expect(registry.namespaces()).toEqual([]);
  });

  it("a crashed core service is restarted and found again through the registry", async () => {
    const f = await startIsolatedFoundation({ storage: "sqlite" });
    const before = f.events;
    await before.store({ type: "kept" });
    before.kill("test");
    const after = await f.registry.waitFor(f.namespace, CORE_SERVICES.events, { timeoutMs: 2_000 });
    expect(after).not.toBe(before);
    expect(f.events).toBe(after);
    expect((await f.events.query()).map((e) => e.type)).toEqual(["kept"]);
    await f.stop();
  });

  it("configures the supervisor and services from the layered config", async () => {
    const f = await startIsolatedFoundation({
      config: { overrides: { supervisor: { maxRestarts: 7, withinMs: 2_000 } } },
    });
    expect([f.supervisor.maxRestarts, f.supervisor.withinMs]).toEqual([7, 2_000]);
    expect(f.config.get("supervisor.maxRestarts")).toBe(7);
    await f.stop();
  });

  it("rejects unknown options", async () => {
    await expect(startIsolatedFoundation({ storge: "memory" } as never)).rejects.toThrow(
      /unknown option "storge"/,
    );
  });
});
