/** A stored event. Timestamps are Unix epoch ms; ids are positive integers, increasing. */
export interface StoredEvent<D = unknown> {
  id: number;
  type: string;
  timestamp: number;
  correlationId: string | null;
  parentId: number | null;
  data: D;
}

/** What `store` takes: `type` and `data`, the rest optional. */
export interface NewEvent<D = unknown> {
  type: string;
  data?: D;
  /** Defaults to the store's clock (now). */
  timestamp?: number;
  /** Defaults to the current error context's correlation id, else null. */
  correlationId?: string | null;
  parentId?: number | null;
}

export interface EventQuery {
  /** One type or any of several. */
  type?: string | readonly string[];
  /** Inclusive lower bound on timestamp, epoch ms. */
  from?: number;
  /** Inclusive upper bound on timestamp, epoch ms. */
  to?: number;
  correlationId?: string;
  /** Direct children of this event. */
  parentId?: number;
  /** This event and all its descendants (the whole tree below it). */
  treeOf?: number;
  /** By timestamp, then id. Default "asc". */
  order?: "asc" | "desc";
  /** Default 1000. */
  limit?: number;
  offset?: number;
}

/** An event ready for storage: validated, with its data serialized. */
export interface EventRow {
  type: string;
  timestamp: number;
  correlationId: string | null;
  parentId: number | null;
  json: string;
}

export interface NormalizedQuery {
  types: readonly string[] | undefined;
  from: number | undefined;
  to: number | undefined;
  correlationId: string | undefined;
  parentId: number | undefined;
  treeOf: number | undefined;
  order: "asc" | "desc";
  limit: number;
  offset: number;
}

/** Where events live. Every method is synchronous; the EventStore service serializes access. */
export interface EventBackend {
  /** Appends all rows or none, returning their ids in order. */
  append(rows: readonly EventRow[]): number[];
  get(id: number): StoredEvent | undefined;
  query(q: NormalizedQuery): StoredEvent[];
  count(): number;
  /** Deletes events with timestamp < `timestamp`; returns how many. */
  deleteBefore(timestamp: number): number;
  /** Deletes the oldest events until at most `max` remain; returns how many. */
  trimTo(max: number): number;
  close(): void;
}
