import type { StoredEvent } from "./types.js";

/** The columns every backend keeps for an event, besides its serialized data. */
export interface EventColumns {
  id: number;
  type: string;
  timestamp: number;
  correlationId: string | null;
  parentId: number | null;
}

/**
 * A stored row back to the event callers get, parsing `json` (the serialized data) afresh each
 * time, so every backend hands out its own copy and none can be mutated through another.
 */
export function toStoredEvent(r: EventColumns, json: string): StoredEvent {
  return {
    id: r.id,
    type: r.type,
    timestamp: r.timestamp,
    correlationId: r.correlationId,
    parentId: r.parentId,
    data: JSON.parse(json),
  };
}
