import { z } from "zod";
import { currentCorrelationId } from "../errors/context.js";
import { ElixirScopeError } from "../errors/error.js";
import { parseOptions } from "../options.js";
import { Service, type ServiceOptions } from "../service/service.js";
import { MemoryBackend } from "./memory-backend.js";
import { SqliteBackend } from "./sqlite-backend.js";
import type {
  EventBackend,
  EventQuery,
  EventRow,
  NewEvent,
  NormalizedQuery,
  StoredEvent,
} from "./types.js";

export const DEFAULT_MAX_DATA_BYTES = 1_048_576;
export const DEFAULT_QUERY_LIMIT = 1_000;
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;
const MAX_TYPE_LENGTH = 256;

const StoreOptions = z.strictObject({
  /** "sqlite" (default) or "memory". */
  storage: z.enum(["sqlite", "memory"]).optional(),
  /** SQLite file (":memory:" for a private in-memory database). Required for sqlite. */
  path: z.string().min(1).optional(),
  synchronous: z.enum(["normal", "full"]).optional(),
  /** Largest serialized `data`, in bytes (UTF-8). Default 1 MiB. */
  maxDataBytes: z.number().int().positive().optional(),
  retention: z
    .strictObject({
      /** Events older than this (by timestamp, against the clock) are deleted. */
      maxAgeMs: z.number().positive().optional(),
      /** At most this many events are kept; the oldest go first. */
      maxCount: z.number().int().positive().optional(),
      /** How often retention runs by itself, in ms. Default 60 000. */
      sweepIntervalMs: z.number().positive().optional(),
    })
    .optional(),
});
export type EventStoreOptions = z.input<typeof StoreOptions> & ServiceOptions;

const QuerySchema = z.strictObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  from: z.number().optional(),
  to: z.number().optional(),
  correlationId: z.string().optional(),
  parentId: z.number().int().optional(),
  treeOf: z.number().int().optional(),
  order: z.enum(["asc", "desc"]).optional(),
  limit: z.number().int().min(0).optional(),
  offset: z.number().int().min(0).optional(),
});

type Msg =
  | { op: "append"; rows: EventRow[] }
  | { op: "get"; id: number }
  | { op: "query"; q: NormalizedQuery }
  | { op: "count" }
  | { op: "prune" };
type Info = { op: "sweep" };

export interface PruneResult {
  byAge: number;
  byCount: number;
}

const STORE_KEYS = new Set(["storage", "path", "synchronous", "maxDataBytes", "retention"]);

/**
 * The event store service: append-only events with queries, on SQLite (WAL) by default or in
 * memory. Input is validated in the caller (a bad event is refused with EVENT_INVALID or
 * EVENT_TOO_LARGE and does not disturb the service); storage runs inside the service, where a
 * storage failure crashes it so that its supervisor reopens the database.
 */
export class EventStore extends Service<Msg, unknown, never, Info> {
  readonly #opts: z.output<typeof StoreOptions>;
  readonly #maxBytes: number;
  #backend: EventBackend | undefined;

  constructor(options: EventStoreOptions = {}) {
    const storeOpts: Record<string, unknown> = {};
    const serviceOpts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options))
      (STORE_KEYS.has(k) ? storeOpts : serviceOpts)[k] = v;
    super(serviceOpts as ServiceOptions);
    this.#opts = parseOptions(StoreOptions, storeOpts, "EventStore");
    if ((this.#opts.storage ?? "sqlite") === "sqlite" && this.#opts.path === undefined) {
      throw new ElixirScopeError(
        "INVALID_ARGUMENT",
        'EventStore: option path is required for storage "sqlite"',
      );
    }
    if (this.#opts.storage === "memory" && this.#opts.path !== undefined) {
      throw new ElixirScopeError(
        "INVALID_ARGUMENT",
        'EventStore: option path does not apply to storage "memory"',
      );
    }
    this.#maxBytes = this.#opts.maxDataBytes ?? DEFAULT_MAX_DATA_BYTES;
  }

  protected override init(): void {
    this.#backend =
      this.#opts.storage === "memory"
        ? new MemoryBackend()
        : new SqliteBackend(this.#opts.path!, this.#opts.synchronous ?? "normal");
    if (this.#retentionOn()) this.sendAfter({ op: "sweep" }, this.#sweepInterval());
  }

  protected override terminate(): void {
    this.#backend?.close();
    this.#backend = undefined;
  }

  protected override handleCall(msg: Msg): unknown {
    const b = this.#backend!;
    switch (msg.op) {
      case "append":
        return b.append(msg.rows);
      case "get":
        return b.get(msg.id);
      case "query":
        return b.query(msg.q);
      case "count":
        return b.count();
      case "prune":
        return this.#prune();
    }
  }

  protected override handleInfo(msg: Info): void {
    if (msg.op === "sweep") {
      this.#prune();
      this.sendAfter({ op: "sweep" }, this.#sweepInterval());
    }
  }

  #retentionOn(): boolean {
    const r = this.#opts.retention;
    return r !== undefined && (r.maxAgeMs !== undefined || r.maxCount !== undefined);
  }

  #sweepInterval(): number {
    return this.#opts.retention?.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  }

  #prune(): PruneResult {
    const r = this.#opts.retention;
    const b = this.#backend!;
    const byAge = r?.maxAgeMs !== undefined ? b.deleteBefore(this.clock.now() - r.maxAgeMs) : 0;
    const byCount = r?.maxCount !== undefined ? b.trimTo(r.maxCount) : 0;
    if (byAge + byCount > 0) {
      this.telemetry?.execute(
        "foundation.event_store.pruned",
        { byAge, byCount },
        { namespace: this.namespace },
      );
    }
    return { byAge, byCount };
  }

  // ---- public API ----------------------------------------------------------------------------

  /** Stores one event and returns it with its id. */
  async store<D>(event: NewEvent<D>): Promise<StoredEvent<D>> {
    const row = this.#row(event, 0);
    const [id] = (await this.call({ op: "append", rows: [row] })) as number[];
    this.telemetry?.execute(
      "foundation.event_store.stored",
      { count: 1 },
      { namespace: this.namespace },
    );
    return stored(id!, row, event.data);
  }

  /** Stores all events in one transaction, or none of them (any invalid event refuses the batch). */
  async storeBatch<D>(events: readonly NewEvent<D>[]): Promise<StoredEvent<D>[]> {
    if (!Array.isArray(events)) throw invalid("storeBatch takes an array of events", {});
    const rows = new Array<EventRow>(events.length);
    for (let i = 0; i < events.length; i++) rows[i] = this.#row(events[i]!, i);
    if (rows.length === 0) return [];
    const ids = (await this.call({ op: "append", rows })) as number[];
    this.telemetry?.execute(
      "foundation.event_store.stored",
      { count: rows.length },
      { namespace: this.namespace },
    );
    const out = new Array<StoredEvent<D>>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = stored(ids[i]!, rows[i]!, events[i]!.data);
    return out;
  }

  /** The event with this id, or EVENT_NOT_FOUND. */
  async get<D = unknown>(id: number): Promise<StoredEvent<D>> {
    const e = (await this.call({ op: "get", id })) as StoredEvent<D> | undefined;
    if (!e)
      throw new ElixirScopeError("EVENT_NOT_FOUND", `No event with id ${id}`, { context: { id } });
    return e;
  }

  /** Events matching every given filter, ordered by timestamp then id. */
  async query<D = unknown>(query: EventQuery = {}): Promise<StoredEvent<D>[]> {
    return (await this.call({ op: "query", q: normalizeQuery(query) })) as StoredEvent<D>[];
  }

  /** The newest `limit` events, newest first. */
  recent<D = unknown>(
    limit = 100,
    query: Omit<EventQuery, "order" | "limit"> = {},
  ): Promise<StoredEvent<D>[]> {
    return this.query<D>({ ...query, order: "desc", limit });
  }

  /** Every event with this correlation id, oldest first. */
  byCorrelation<D = unknown>(
    correlationId: string,
    limit = DEFAULT_QUERY_LIMIT,
  ): Promise<StoredEvent<D>[]> {
    return this.query<D>({ correlationId, limit });
  }

  /** An event and all its descendants, oldest first. */
  tree<D = unknown>(rootId: number, limit = DEFAULT_QUERY_LIMIT): Promise<StoredEvent<D>[]> {
    return this.query<D>({ treeOf: rootId, limit });
  }

  async count(): Promise<number> {
    return (await this.call({ op: "count" })) as number;
  }

  /** Runs retention now (it also runs by itself every sweepIntervalMs). */
  async prune(): Promise<PruneResult> {
    return (await this.call({ op: "prune" })) as PruneResult;
  }

  #row(e: NewEvent, index: number): EventRow {
    if (typeof e !== "object" || e === null)
      throw invalid(`event ${index} must be an object`, { index });
    for (const k in e) {
      if (
        k !== "type" &&
        k !== "data" &&
        k !== "timestamp" &&
        k !== "correlationId" &&
        k !== "parentId"
      ) {
        throw invalid(`event ${index}: unknown field "${k}"`, { index, field: k });
      }
    }
    const { type } = e;
    if (typeof type !== "string" || type.length === 0 || type.length > MAX_TYPE_LENGTH) {
      throw invalid(
        `event ${index}: type must be a non-empty string of at most ${MAX_TYPE_LENGTH} characters`,
        {
          index,
          field: "type",
        },
      );
    }
    let timestamp = e.timestamp;
    if (timestamp === undefined) timestamp = this.clock.now();
    else if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
      throw invalid(`event ${index}: timestamp must be a finite number (epoch ms)`, {
        index,
        field: "timestamp",
      });
    }
    let correlationId = e.correlationId;
    if (correlationId === undefined) correlationId = currentCorrelationId() ?? null;
    else if (correlationId !== null && typeof correlationId !== "string") {
      throw invalid(`event ${index}: correlationId must be a string or null`, {
        index,
        field: "correlationId",
      });
    }
    const parentId = e.parentId ?? null;
    if (parentId !== null && !(Number.isInteger(parentId) && parentId > 0)) {
      throw invalid(`event ${index}: parentId must be a positive integer id or null`, {
        index,
        field: "parentId",
      });
    }
    const data = e.data;
    if (typeof data === "function" || typeof data === "symbol") {
      throw invalid(`event ${index}: data must be JSON-serializable`, { index, field: "data" });
    }
    let json: string;
    try {
      json = data === undefined ? "null" : JSON.stringify(data);
    } catch (cause) {
      throw new ElixirScopeError("EVENT_INVALID", `event ${index}: data is not JSON-serializable`, {
        context: { index, field: "data" },
        cause,
      });
    }
    // UTF-8 needs at most 3 bytes per UTF-16 unit: measure exactly only when it could matter.
    if (json.length * 3 > this.#maxBytes) {
      const bytes = Buffer.byteLength(json, "utf8");
      if (bytes > this.#maxBytes) {
        throw new ElixirScopeError(
          "EVENT_TOO_LARGE",
          `event ${index} (${type}): data is ${bytes} bytes serialized, over the limit of ${this.#maxBytes}`,
          { context: { index, type, bytes, limit: this.#maxBytes } },
        );
      }
    }
    return { type, timestamp, correlationId, parentId, json };
  }
}

function stored<D>(id: number, row: EventRow, data: D | undefined): StoredEvent<D> {
  return {
    id,
    type: row.type,
    timestamp: row.timestamp,
    correlationId: row.correlationId,
    parentId: row.parentId,
    data: (data === undefined ? null : data) as D,
  };
}

function invalid(message: string, context: Record<string, unknown>): ElixirScopeError {
  return new ElixirScopeError("EVENT_INVALID", message, { context });
}

/**
 * Validates a query (EVENT_QUERY_INVALID naming the field, unknown keys included) and fills its
 * defaults, so backends get one shape: `type` as a list, order "asc", limit and offset set.
 */
export function normalizeQuery(query: EventQuery): NormalizedQuery {
  const r = QuerySchema.safeParse(query);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const keys =
      issue.code === "unrecognized_keys" ? ` ${(issue as { keys: string[] }).keys.join(", ")}` : "";
    throw new ElixirScopeError(
      "EVENT_QUERY_INVALID",
      `Event query: ${issue.path.join(".") || "query"}: ${issue.message}${keys}`,
      {
        context: {
          issues: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        },
      },
    );
  }
  const q = r.data;
  return {
    types: q.type === undefined ? undefined : typeof q.type === "string" ? [q.type] : q.type,
    from: q.from,
    to: q.to,
    correlationId: q.correlationId,
    parentId: q.parentId,
    treeOf: q.treeOf,
    order: q.order ?? "asc",
    limit: q.limit ?? DEFAULT_QUERY_LIMIT,
    offset: q.offset ?? 0,
  };
}
