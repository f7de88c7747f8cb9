import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { clockSchema } from "../common/schemas.js";
import { deepMerge } from "../config/paths.js";
import { type Foundation, startFoundation } from "../foundation.js";
import { parseOptions } from "../options.js";
import { createTestNamespace, Registry } from "../registry/registry.js";

const IsolatedOptions = z.strictObject({
  /** Namespace label, to recognise it in logs (the namespace is still unique). */
  label: z.string().optional(),
  /** Share one registry between several isolated Foundations (each still in its own namespace). */
  registry: z.custom<Registry>((v) => v instanceof Registry).optional(),
  /** "memory" (default) or "sqlite" in a fresh temporary file that `stop` removes. */
  storage: z.enum(["memory", "sqlite"]).optional(),
  /** ConfigServer options; `env` defaults to {} so the developer's environment does not leak in. */
  config: z.record(z.string(), z.unknown()).optional(),
  clock: clockSchema.optional(),
  maxRestarts: z.number().int().min(0).optional(),
  withinMs: z.number().positive().optional(),
});
export type IsolatedFoundationOptions = z.input<typeof IsolatedOptions>;

export interface IsolatedFoundation extends Foundation {
  /** The SQLite file, when storage is "sqlite". */
  readonly eventStorePath: string | undefined;
}

/**
 * Starts a complete Foundation (every core service) in a fresh `test:<id>` namespace, so tests
 * can run concurrently with no shared state. `stop()` tears it all down (and deletes its files).
 */
export async function startIsolatedFoundation(
  options: IsolatedFoundationOptions = {},
): Promise<IsolatedFoundation> {
  const o = parseOptions(IsolatedOptions, options, "startIsolatedFoundation");
  const namespace = createTestNamespace(o.label);
  const storage = o.storage ?? "memory";
  const path =
    storage === "sqlite"
      ? join(tmpdir(), `elixirscope-${namespace.replace(/[^a-zA-Z0-9-]/g, "_")}.sqlite`)
      : undefined;
  const config = deepMerge({ env: {} }, o.config ?? {}, {
    overrides: { eventStore: { storage, ...(path ? { path } : {}) } },
  }) as Record<string, unknown>;
  const f = await startFoundation({
    namespace,
    registry: o.registry ?? new Registry(),
    config,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.maxRestarts !== undefined ? { maxRestarts: o.maxRestarts } : {}),
    ...(o.withinMs !== undefined ? { withinMs: o.withinMs } : {}),
  });
  const stop = f.stop.bind(f);
  return Object.assign(f, {
    eventStorePath: path,
    async stop() {
      await stop();
      if (path) for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
    },
  });
}
