import { readFileSync } from "node:fs";
import { z } from "zod";
import { notifyListeners } from "../common/emitter.js";
import { ElixirScopeError, isElixirScopeError } from "../errors/error.js";
import { parseOptions } from "../options.js";
import type { Registrable } from "../registry/types.js";
import { Service, type ServiceOptions } from "../service/service.js";
import {
  checkValue,
  deepFreeze,
  deepMerge,
  getIn,
  isPlainObject,
  matchesPattern,
  parsePath,
  screamingSnake,
  setIn,
} from "./paths.js";
import {
  FOUNDATION_DEFAULTS,
  FOUNDATION_UPDATABLE_PATHS,
  FoundationConfigSchema,
} from "./schema.js";

export const DEFAULT_ENV_PREFIX = "ELIXIRSCOPE_";
export const CONFIG_UPDATED_EVENT = "config.updated";

export interface ConfigChange {
  /** Dotted path that changed ("" for a reset). */
  path: string;
  oldValue: unknown;
  newValue: unknown;
}

export type ConfigListener = (change: ConfigChange) => void;

/** Something that records config changes; the EventStore satisfies it. */
export interface ConfigEventSink {
  store(event: { type: string; data: unknown }): Promise<unknown>;
}

const ConfigOptions = z.strictObject({
  /** A zod schema for the whole config (strict objects recommended). Default: the Foundation's. */
  schema: z.custom<z.ZodType>((v) => typeof (v as z.ZodType)?.safeParse === "function").optional(),
  /** The lowest layer. Default: the Foundation's defaults when the schema is the Foundation's. */
  defaults: z.record(z.string(), z.unknown()).optional(),
  /** A JSON file layered over the defaults. */
  file: z.string().min(1).optional(),
  /** Environment variables (default `process.env`), layered over the file. */
  env: z.record(z.string(), z.string().optional()).optional(),
  /** Prefix of the config variables. Default "ELIXIRSCOPE_". */
  envPrefix: z.string().min(1).optional(),
  /** Explicit options: the top layer. */
  overrides: z.record(z.string(), z.unknown()).optional(),
  /** Paths that `update` may change ("*" matches one segment; a path covers its subpaths). */
  updatable: z.array(z.string()).optional(),
  /** Where updates are recorded. Default: the "event_store" service of the same namespace. */
  events: z
    .custom<ConfigEventSink>((v) => typeof (v as ConfigEventSink)?.store === "function")
    .optional(),
  /** Registry name of the event store to look up when `events` is not given. */
  eventStoreName: z.string().min(1).optional(),
});

const CONFIG_KEYS = new Set(Object.keys(ConfigOptions.shape));

export type ConfigServerOptions = z.input<typeof ConfigOptions> & ServiceOptions;

type Msg =
  | { op: "update"; segs: readonly string[]; path: string; value: unknown }
  | { op: "reset" };

type UpdateResult = { ok: true; change: ConfigChange } | { ok: false; error: ElixirScopeError };

/**
 * Configuration as a service: layered (defaults < file < environment < explicit options),
 * validated whole by a zod schema, readable with `get` without a round trip (the config is an
 * immutable snapshot), and changed only through `update` on declared paths. An update that makes
 * the config invalid is refused with CONFIG_INVALID and the old config stays.
 */
export class ConfigServer<T = z.output<typeof FoundationConfigSchema>> extends Service<
  Msg,
  unknown
> {
  readonly #schema: z.ZodType;
  readonly #initial: T;
  readonly #updatable: readonly (readonly string[])[];
  readonly #events: ConfigEventSink | undefined;
  readonly #eventStoreName: string;
  #config: T;
  #listeners = new Set<ConfigListener>();
  #updates = 0;
  #unrecorded = 0;

  constructor(options: ConfigServerOptions = {}) {
    const own: Record<string, unknown> = {};
    const service: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options)) (CONFIG_KEYS.has(k) ? own : service)[k] = v;
    super(service as ServiceOptions);
    const o = parseOptions(ConfigOptions, own, "ConfigServer");
    this.#schema = o.schema ?? FoundationConfigSchema;
    const defaults = o.defaults ?? (o.schema ? {} : FOUNDATION_DEFAULTS);
    const file = o.file === undefined ? undefined : readConfigFile(o.file);
    const env = envLayer(this.#schema, o.env ?? process.env, o.envPrefix ?? DEFAULT_ENV_PREFIX);
    this.#initial = deepFreeze(
      this.#validate(deepMerge(defaults, file, env, o.overrides), "initial configuration"),
    );
    this.#config = this.#initial;
    this.#updatable = (o.updatable ?? (o.schema ? [] : FOUNDATION_UPDATABLE_PATHS)).map((p) =>
      parsePath(p),
    );
    this.#events = o.events;
    this.#eventStoreName = o.eventStoreName ?? "event_store";
  }

  #validate(candidate: unknown, what: string): T {
    const r = this.#schema.safeParse(candidate);
    if (r.success) return r.data as T;
    const issues = r.error.issues.map((i) => ({
      path: i.path.map(String).join("."),
      message: i.message,
      ...(i.code === "unrecognized_keys" ? { keys: (i as { keys: string[] }).keys } : {}),
    }));
    const first = issues[0]!;
    const detail = first.keys ? `${first.message}: ${first.keys.join(", ")}` : first.message;
    throw new ElixirScopeError(
      "CONFIG_INVALID",
      `Invalid ${what}: ${first.path || "(root)"}: ${detail}`,
      {
        context: { issues },
      },
    );
  }

  /** The layered, validated configuration this server starts with (readable before start). */
  get initialConfig(): T {
    return this.#initial;
  }

  // ---- reading (no round trip: the config is an immutable snapshot) ------------------------------

  /**
   * The whole config (frozen), or the value at a dotted path; CONFIG_PATH_NOT_FOUND if absent.
   * It reads the current snapshot directly, without a mailbox round trip.
   */
  get(): T;
  get<V = unknown>(path: string | readonly string[]): V;
  get(path?: string | readonly string[]): unknown {
    if (!this.alive) this.#notRunning();
    if (path === undefined) return this.#config;
    const segs = parsePath(path);
    const r = getIn(this.#config, segs);
    if (!r.found) {
      const shown = segs.join(".");
      throw new ElixirScopeError("CONFIG_PATH_NOT_FOUND", `No config value at "${shown}"`, {
        context: { path: shown },
      });
    }
    return r.value;
  }

  /** The value at `path`, or `fallback` when the path does not exist. */
  getOr<V>(path: string | readonly string[], fallback: V): V {
    if (!this.alive) this.#notRunning();
    const r = getIn(this.#config, parsePath(path));
    return r.found ? (r.value as V) : fallback;
  }

  /** The declared updatable path patterns, dotted (for messages and introspection). */
  updatablePaths(): string[] {
    return this.#updatable.map((p) => p.join("."));
  }

  /** Whether `update` may change `path` (a declared pattern covers it); values are not checked. */
  isUpdatable(path: string | readonly string[]): boolean {
    const segs = parsePath(path);
    return this.#updatable.some((p) => matchesPattern(p, segs));
  }

  // ---- changing ----------------------------------------------------------------------------

  /**
   * Sets the value at `path` (declared updatable), validating the whole new config. Subscribers
   * are told, and the change is recorded as a `config.updated` event with old and new value.
   */
  async update(path: string | readonly string[], value: unknown): Promise<ConfigChange> {
    const segs = parsePath(path);
    const shown = segs.join(".");
    if (segs.length === 0 || !this.#updatable.some((p) => matchesPattern(p, segs))) {
      throw new ElixirScopeError(
        "CONFIG_PATH_NOT_UPDATABLE",
        `Config path "${shown}" is not updatable at run time`,
        {
          context: { path: shown, updatable: this.updatablePaths() },
        },
      );
    }
    const copy = snapshotValue(value, shown);
    const r = (await this.call({ op: "update", segs, path: shown, value: copy })) as UpdateResult;
    if (!r.ok) throw r.error;
    await this.#record(r.change);
    return r.change;
  }

  /** Goes back to the initial layered config. */
  async reset(): Promise<void> {
    const r = (await this.call({ op: "reset" })) as UpdateResult;
    if (r.ok) await this.#record(r.change);
  }

  /** Calls `listener` after every change; returns a function that unsubscribes. */
  subscribe(listener: ConfigListener): () => void {
    this.#listeners.add(listener);
    return () => this.unsubscribe(listener);
  }

  /** Stops telling `listener` about changes; false when it was not subscribed. */
  unsubscribe(listener: ConfigListener): boolean {
    return this.#listeners.delete(listener);
  }

  /**
   * Counters for monitoring: updates applied, updates that could not be recorded as events (no
   * event store reachable), and current subscribers.
   */
  stats(): { updates: number; unrecordedUpdates: number; subscribers: number } {
    return {
      updates: this.#updates,
      unrecordedUpdates: this.#unrecorded,
      subscribers: this.#listeners.size,
    };
  }

  protected override handleCall(msg: Msg): UpdateResult {
    if (msg.op === "reset") return this.#commit("", this.#config, this.#initial, this.#initial);
    const oldValue = getIn(this.#config, msg.segs).value;
    let next: T;
    try {
      next = this.#validate(setIn(this.#config, msg.segs, msg.value), `update of "${msg.path}"`);
    } catch (error) {
      return { ok: false, error: error as ElixirScopeError };
    }
    deepFreeze(next);
    return this.#commit(msg.path, oldValue, getIn(next, msg.segs).value, next);
  }

  #commit(path: string, oldValue: unknown, newValue: unknown, next: T): UpdateResult {
    this.#config = next;
    this.#updates++;
    const change: ConfigChange = { path, oldValue, newValue };
    notifyListeners([...this.#listeners], change, "config subscriber");
    this.telemetry?.execute(
      "foundation.config.updated",
      { count: 1 },
      { path, namespace: this.namespace },
    );
    return { ok: true, change };
  }

  async #record(change: ConfigChange): Promise<void> {
    const sink =
      this.#events ??
      (this.namespace && this.registry
        ? (this.registry.lookup(this.namespace, this.#eventStoreName) as
            | (Registrable & ConfigEventSink)
            | undefined)
        : undefined);
    if (!sink) {
      this.#unrecorded++;
      return;
    }
    await sink.store({ type: CONFIG_UPDATED_EVENT, data: change });
  }

  #notRunning(): never {
    throw new ElixirScopeError("SERVICE_NOT_RUNNING", `${this.describe()} is ${this.status}`, {
      context: { status: this.status },
    });
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new ElixirScopeError(
      "CONFIG_FILE_UNREADABLE",
      `Cannot read config file ${path}: ${(cause as Error).message}`,
      {
        context: { file: path },
        cause,
      },
    );
  }
  if (!isPlainObject(parsed)) {
    throw new ElixirScopeError(
      "CONFIG_FILE_UNREADABLE",
      `Config file ${path} must hold a JSON object`,
      {
        context: { file: path },
      },
    );
  }
  return parsed;
}

/** Every leaf path of an object schema, unwrapping optional, default and nullable. */
function leafPaths(schema: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  let s = schema as {
    _zod?: { def?: { type?: string; innerType?: unknown; shape?: Record<string, unknown> } };
  };
  for (;;) {
    const def = s?._zod?.def;
    if (
      def &&
      (def.type === "optional" ||
        def.type === "default" ||
        def.type === "nullable" ||
        def.type === "prefault")
    ) {
      s = def.innerType as typeof s;
    } else break;
  }
  const def = s?._zod?.def;
  if (def?.type === "object" && def.shape) {
    for (const [k, v] of Object.entries(def.shape)) leafPaths(v, [...prefix, k], out);
  } else if (prefix.length) {
    out.push(prefix);
  }
  return out;
}

/**
 * The environment layer: `PREFIX` + path segments in SCREAMING_SNAKE joined by "__"
 * (eventStore.retention.maxAgeMs is ELIXIRSCOPE_EVENT_STORE__RETENTION__MAX_AGE_MS). Values are
 * JSON when they parse as JSON, else strings. A prefixed variable that names no path is an error.
 */
function envLayer(
  schema: unknown,
  env: Record<string, string | undefined>,
  prefix: string,
): Record<string, unknown> | undefined {
  const names = new Map<string, string[]>();
  for (const p of leafPaths(schema)) names.set(prefix + p.map(screamingSnake).join("__"), p);
  let layer: unknown;
  for (const [key, raw] of Object.entries(env)) {
    if (!key.startsWith(prefix) || raw === undefined) continue;
    const path = names.get(key);
    if (!path) {
      throw new ElixirScopeError(
        "CONFIG_UNKNOWN_ENV",
        `Environment variable ${key} names no configuration path`,
        {
          context: { variable: key, known: [...names.keys()] },
        },
      );
    }
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: the raw string is the value.
    }
    layer = setIn(layer, path, value);
  }
  return layer as Record<string, unknown> | undefined;
}

/**
 * Checks `value` and takes a plain copy of it, so the config never holds the caller's object.
 * Anything that cannot be read or copied (a throwing getter, a Proxy, a class instance with
 * private state) is CONFIG_UNSAFE_VALUE, and the config stays as it was.
 */
function snapshotValue(value: unknown, path: string): unknown {
  try {
    checkValue(value, path);
    return structuredClone(value);
  } catch (err) {
    if (isElixirScopeError(err)) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new ElixirScopeError(
      "CONFIG_UNSAFE_VALUE",
      `Config value for "${path}" cannot be read as plain data: ${why}`,
      { context: { path }, cause: err },
    );
  }
}
