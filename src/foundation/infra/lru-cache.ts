/**
 * A bounded LRU cache, limited by entries and optionally by bytes, that can register itself
 * with a {@link MemoryManager}: at high pressure it trims itself, at critical it empties.
 * @packageDocumentation
 */
import { z } from "zod";
import type { Disposable } from "../common/emitter.js";
import { countSchema, fnSchema } from "../common/schemas.js";
import { parseOptions } from "../options.js";
import type { MemoryManager } from "./memory-manager.js";
import type { ComponentHealth, InfraComponent } from "./telemetry.js";

/** Options of {@link LruCache}. Unknown keys are rejected. */
export interface LruCacheOptions<K, V> {
  readonly name: string;
  readonly maxEntries: number;
  /** Byte budget; requires `sizeOf`. */
  readonly maxBytes?: number;
  /** Size of one entry in bytes (an estimate is fine). */
  readonly sizeOf?: (value: V, key: K) => number;
  /** Register with this manager: trim at high, clear at critical. */
  readonly memoryManager?: MemoryManager;
  /** Fraction of entries kept when trimming at high pressure (default 0.5). */
  readonly trimTo?: number;
}

const optionsSchema = z
  .strictObject({
    name: z.string().min(1),
    maxEntries: countSchema,
    maxBytes: z.number().positive().optional(),
    sizeOf: fnSchema<(value: unknown, key: unknown) => number>("sizeOf").optional(),
    memoryManager: z
      .custom<MemoryManager>((v) => typeof (v as MemoryManager)?.onLevel === "function", {
        message: "expected a MemoryManager",
      })
      .optional(),
    trimTo: z.number().gte(0).lt(1).optional(),
  })
  .refine((o) => o.maxBytes === undefined || o.sizeOf !== undefined, {
    message: "maxBytes needs sizeOf",
    path: ["sizeOf"],
  });

/** Least-recently-used cache with entry and byte bounds. */
export class LruCache<K, V> implements InfraComponent {
  readonly kind = "cache";
  readonly name: string;
  readonly #map = new Map<K, { value: V; size: number }>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #sizeOf: ((value: V, key: K) => number) | undefined;
  readonly #trimTo: number;
  readonly #subscriptions: Disposable[] = [];
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;
  #alive = true;

  /** @throws ElixirScopeError (UNKNOWN_OPTION / INVALID_ARGUMENT) on bad options. */
  constructor(options: LruCacheOptions<K, V>) {
    const o = parseOptions(optionsSchema, options, "LruCache");
    this.name = o.name;
    this.#maxEntries = o.maxEntries;
    this.#maxBytes = o.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#sizeOf = options.sizeOf;
    this.#trimTo = o.trimTo ?? 0.5;
    if (options.memoryManager) {
      this.#subscriptions.push(
        options.memoryManager.onLevel("high", () =>
          this.trim(Math.floor(this.#map.size * this.#trimTo)),
        ),
        options.memoryManager.onLevel("critical", () => this.clear()),
      );
    }
  }

  /** False once disposed. */
  get alive(): boolean {
    return this.#alive;
  }

  /** The value, marking it most recently used. */
  get(key: K): V | undefined {
    const e = this.#map.get(key);
    if (e === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    this.#map.delete(key);
    this.#map.set(key, e);
    return e.value;
  }

  /** Whether `key` is cached (does not touch recency). */
  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** Stores a value, evicting least recently used entries past the bounds. */
  set(key: K, value: V): this {
    const size = this.#sizeOf ? this.#sizeOf(value, key) : 0;
    if (!(size >= 0) || !Number.isFinite(size)) {
      throw new RangeError(
        `LruCache "${this.name}": sizeOf returned ${size} for key ${String(key)}`,
      );
    }
    const old = this.#map.get(key);
    if (old) {
      this.#bytes -= old.size;
      this.#map.delete(key);
    }
    if (size > this.#maxBytes) return this; // could never fit; caching it would evict everything
    this.#map.set(key, { value, size });
    this.#bytes += size;
    this.#evictUntil(this.#maxEntries, this.#maxBytes);
    return this;
  }

  /** Removes one entry. */
  delete(key: K): boolean {
    const e = this.#map.get(key);
    if (!e) return false;
    this.#bytes -= e.size;
    return this.#map.delete(key);
  }

  /** Keeps only the `entries` most recently used entries. */
  trim(entries: number): void {
    this.#evictUntil(Math.max(0, entries), this.#maxBytes);
  }

  /** Removes every entry. */
  clear(): void {
    this.#evictions += this.#map.size;
    this.#map.clear();
    this.#bytes = 0;
  }

  #evictUntil(entries: number, bytes: number): void {
    for (const [key, e] of this.#map) {
      if (this.#map.size <= entries && this.#bytes <= bytes) break;
      this.#map.delete(key);
      this.#bytes -= e.size;
      this.#evictions++;
    }
  }

  get size(): number {
    return this.#map.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Unsubscribes from the memory manager and empties the cache. */
  dispose(): void {
    for (const s of this.#subscriptions.splice(0)) s.dispose();
    this.clear();
    this.#alive = false;
  }

  async stop(): Promise<void> {
    this.dispose();
  }

  /** Always healthy; details carry size and hit rate. */
  health(): ComponentHealth {
    const lookups = this.#hits + this.#misses;
    return {
      status: "healthy",
      details: {
        entries: this.#map.size,
        bytes: this.#bytes,
        maxEntries: this.#maxEntries,
        maxBytes: this.#maxBytes,
        hitRate: lookups === 0 ? 0 : this.#hits / lookups,
        evictions: this.#evictions,
      },
    };
  }
}
