import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ConfigChange,
  ConfigServer,
  FOUNDATION_DEFAULTS,
  FOUNDATION_UPDATABLE_PATHS,
  FoundationConfigSchema,
  isElixirScopeError,
} from "../../../src/foundation/index.js";
import {
  type IsolatedFoundation,
  startIsolatedFoundation,
} from "../../../src/foundation/testing/index.js";

const fail = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
};

/**
 * An application section next to the Foundation's own, updatable at run time: what these tests
 * read, update and layer, so they do not depend on which Foundation settings are updatable.
 */
const APP_DEFAULTS = { maxResults: 1000, queryTimeoutMs: 10_000, debugMode: false, verbose: false };
const appConfig = {
  schema: FoundationConfigSchema.extend({
    app: z.strictObject({
      maxResults: z.number().int().positive(),
      queryTimeoutMs: z.number().positive(),
      debugMode: z.boolean(),
      verbose: z.boolean(),
    }),
  }),
  defaults: { ...FOUNDATION_DEFAULTS, app: APP_DEFAULTS },
  updatable: [...FOUNDATION_UPDATABLE_PATHS, "app"],
};

describe("ConfigServer in a Foundation", () => {
  let f: IsolatedFoundation;
  beforeEach(async () => {
    f = await startIsolatedFoundation({ config: appConfig });
  });
  afterEach(() => f.stop());

  it("reads the whole config or a path; a missing path is CONFIG_PATH_NOT_FOUND", () => {
    const c = f.config;
    expect(c.get("app.maxResults")).toBe(APP_DEFAULTS.maxResults);
    expect(c.get(["app", "debugMode"])).toBe(false);
    expect(c.get().supervisor).toEqual(FOUNDATION_DEFAULTS.supervisor);
    expect(Object.isFrozen(c.get("app"))).toBe(true);
    expect(
      isElixirScopeError(
        fail(() => c.get("app.nope")),
        "CONFIG_PATH_NOT_FOUND",
      ),
    ).toBe(true);
    expect(c.getOr("app.nope", 7)).toBe(7);
  });

  it("updates declared paths, tells subscribers, and records the change as an event", async () => {
    const c = f.config;
    const seen: ConfigChange[] = [];
    const off = c.subscribe((ch) => seen.push(ch));
    const change = await c.update("app.maxResults", 50);
    expect(change).toEqual({ path: "app.maxResults", oldValue: 1000, newValue: 50 });
    expect(c.get("app.maxResults")).toBe(50);
    expect(seen).toEqual([change]);
    const [event] = await f.events.query({ type: "config.updated" });
    expect(event!.data).toEqual(change);
    off();
    await c.update("app.debugMode", true);
    expect(seen).toHaveLength(1);
  });

  it("refuses paths not declared updatable, and unsafe paths and values", async () => {
    const c = f.config;
    await expect(c.update("eventStore.path", "/tmp/x")).rejects.toMatchObject({
      code: "CONFIG_PATH_NOT_UPDATABLE",
    });
    await expect(c.update("app.__proto__", 1)).rejects.toMatchObject({
      code: "CONFIG_UNSAFE_PATH",
    });
    await expect(c.update("app.debugMode", () => true)).rejects.toMatchObject({
      code: "CONFIG_UNSAFE_VALUE",
    });
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 30; i++) deep = deep.x = {} as Record<string, unknown>;
    await expect(c.update("app", root)).rejects.toMatchObject({ code: "CONFIG_UNSAFE_VALUE" });
  });

  it("a value with a throwing getter, or a Proxy, is CONFIG_UNSAFE_VALUE and changes nothing", async () => {
    const c = f.config;
    const before = c.get();
    const getter = {
      get debugMode(): boolean {
        throw new Error("getter exploded");
      },
    };
    const proxy = new Proxy({ debugMode: true }, {});
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("trap exploded");
        },
      },
    );
    for (const value of [getter, proxy, trap]) {
      const err = await c.update("app", value).catch((e: unknown) => e);
      expect(isElixirScopeError(err, "CONFIG_UNSAFE_VALUE")).toBe(true);
    }
    expect(c.get()).toBe(before);
    expect(c.alive).toBe(true);
  });

  it("an update that makes the config invalid is refused with a structured error, and the old config stays", async () => {
    const c = f.config;
    const before = c.get();
    const err = await c.update("app.maxResults", -5).catch((e) => e);
    expect(isElixirScopeError(err, "CONFIG_INVALID")).toBe(true);
    expect(err.context.issues[0].path).toBe("app.maxResults");
    await expect(c.update("app", { debugMode: true })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
    });
    await expect(c.update("app.debugMod", true)).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    expect(c.get()).toBe(before);
    expect(c.alive).toBe(true);
    expect(await f.events.count()).toBe(0);
  });

  it("reset goes back to the initial config", async () => {
    const c = f.config;
    await c.update("app.verbose", true);
    await c.reset();
    expect(c.get("app.verbose")).toBe(false);
    expect((await f.events.recent(1))[0]!.data).toMatchObject({ path: "" });
  });
});

describe("ConfigServer layers", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cfg-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("defaults < config file < environment < explicit options", async () => {
    const file = join(dir, "config.json");
    writeFileSync(
      file,
      JSON.stringify({
        app: { maxResults: 10, queryTimeoutMs: 111 },
        supervisor: { withinMs: 222 },
      }),
    );
    const c = await new ConfigServer({
      ...appConfig,
      file,
      env: {
        ELIXIRSCOPE_APP__MAX_RESULTS: "20",
        ELIXIRSCOPE_EVENT_STORE__RETENTION__MAX_AGE_MS: "5000",
        OTHER: "x",
      },
      overrides: { app: { maxResults: 30 } },
    }).start();
    expect(c.get("app.maxResults")).toBe(30); // option beats env beats file
    expect(c.get("app.queryTimeoutMs")).toBe(111); // file beats default
    expect(c.get("supervisor.withinMs")).toBe(222); // file, in a Foundation section
    expect(c.get("eventStore.retention.maxAgeMs")).toBe(5000); // env, parsed as JSON
    expect(c.get("supervisor.maxRestarts")).toBe(3); // default
    await c.stop();
  });

  it("rejects unknown keys in every layer, and unreadable files", () => {
    expect(
      () => new ConfigServer({ env: {}, overrides: { supervisor: { maxRestart: 1 } } }),
    ).toThrow(/maxRestart/);
    expect(() => new ConfigServer({ env: { ELIXIRSCOPE_SUPERVISOR__MAX_RESTART: "1" } })).toThrow(
      /ELIXIRSCOPE_SUPERVISOR__MAX_RESTART names no configuration path/,
    );
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ not json");
    expect(() => new ConfigServer({ env: {}, file: bad })).toThrow(/Cannot read config file/);
    expect(() => new ConfigServer({ env: {}, updatable: [], defaultz: {} } as never)).toThrow(
      /unknown option "defaultz"/,
    );
  });

  it("works with any zod schema and its own updatable paths", async () => {
    const schema = z.strictObject({ port: z.number().int().min(1).max(65535), name: z.string() });
    const c = await new ConfigServer({
      schema,
      defaults: { port: 8080, name: "app" },
      env: { APP_PORT: "9090" },
      envPrefix: "APP_",
      updatable: ["port"],
    }).start();
    expect(c.get()).toEqual({ port: 9090, name: "app" });
    await c.update("port", 9091);
    await expect(c.update("port", 70000)).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(c.update("name", "x")).rejects.toMatchObject({
      code: "CONFIG_PATH_NOT_UPDATABLE",
    });
    expect(c.stats()).toMatchObject({ updates: 1, unrecordedUpdates: 1 });
    await c.stop();
    expect(() => c.get()).toThrow(/stopped/);
  });
});
