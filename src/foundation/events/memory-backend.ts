import { toStoredEvent } from "./rows.js";
import type { EventBackend, EventRow, NormalizedQuery, StoredEvent } from "./types.js";

interface MemRow extends EventRow {
  id: number;
}

function byTime(a: MemRow, b: MemRow): number {
  return a.timestamp - b.timestamp || a.id - b.id;
}

/**
 * Events in process memory, for tests and throwaway runs. Data is kept serialized, so callers
 * get fresh copies exactly as from SQLite. Queries scan: fine at test sizes.
 */
export class MemoryBackend implements EventBackend {
  #rows = new Map<number, MemRow>();
  #nextId = 1;

  append(rows: readonly EventRow[]): number[] {
    const ids = new Array<number>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const id = this.#nextId++;
      this.#rows.set(id, { ...rows[i]!, id });
      ids[i] = id;
    }
    return ids;
  }

  get(id: number): StoredEvent | undefined {
    const r = this.#rows.get(id);
    return r && toStoredEvent(r, r.json);
  }

  query(q: NormalizedQuery): StoredEvent[] {
    let tree: Set<number> | undefined;
    if (q.treeOf !== undefined) {
      tree = new Set();
      if (this.#rows.has(q.treeOf)) {
        const children = new Map<number, number[]>();
        for (const r of this.#rows.values()) {
          if (r.parentId === null) continue;
          const list = children.get(r.parentId);
          if (list) list.push(r.id);
          else children.set(r.parentId, [r.id]);
        }
        const stack = [q.treeOf];
        while (stack.length) {
          const id = stack.pop()!;
          if (tree.has(id)) continue;
          tree.add(id);
          stack.push(...(children.get(id) ?? []));
        }
      }
    }
    const types = q.types && new Set(q.types);
    const hits: MemRow[] = [];
    for (const r of this.#rows.values()) {
      if (types && !types.has(r.type)) continue;
      if (q.from !== undefined && r.timestamp < q.from) continue;
      if (q.to !== undefined && r.timestamp > q.to) continue;
      if (q.correlationId !== undefined && r.correlationId !== q.correlationId) continue;
      if (q.parentId !== undefined && r.parentId !== q.parentId) continue;
      if (tree && !tree.has(r.id)) continue;
      hits.push(r);
    }
    hits.sort(byTime);
    if (q.order === "desc") hits.reverse();
    return hits.slice(q.offset, q.offset + q.limit).map((r) => toStoredEvent(r, r.json));
  }

  count(): number {
    return this.#rows.size;
  }

  deleteBefore(timestamp: number): number {
    let n = 0;
    for (const [id, r] of this.#rows) {
      if (r.timestamp < timestamp) {
        this.#rows.delete(id);
        n++;
      }
    }
    return n;
  }

  trimTo(max: number): number {
    const excess = this.#rows.size - max;
    if (excess <= 0) return 0;
    const oldest = [...this.#rows.values()].sort(byTime).slice(0, excess);
    for (const r of oldest) this.#rows.delete(r.id);
    return excess;
  }

  close(): void {
    this.#rows.clear();
  }
}
