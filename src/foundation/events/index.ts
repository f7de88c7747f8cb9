export {
  DEFAULT_MAX_DATA_BYTES,
  DEFAULT_QUERY_LIMIT,
  DEFAULT_SWEEP_INTERVAL_MS,
  EventStore,
  type EventStoreOptions,
  normalizeQuery,
  type PruneResult,
} from "./event-store.js";
export { MemoryBackend } from "./memory-backend.js";
export { SqliteBackend, type Synchronous } from "./sqlite-backend.js";
export type {
  EventBackend,
  EventQuery,
  EventRow,
  NewEvent,
  NormalizedQuery,
  StoredEvent,
} from "./types.js";
