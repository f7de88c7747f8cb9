import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { toStoredEvent } from "./rows.js";
import type { EventBackend, EventRow, NormalizedQuery, StoredEvent } from "./types.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  timestamp REAL NOT NULL,
  correlation_id TEXT,
  parent_id INTEGER,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_ts ON events(timestamp);
CREATE INDEX IF NOT EXISTS events_type_ts ON events(type, timestamp);
CREATE INDEX IF NOT EXISTS events_corr ON events(correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_parent ON events(parent_id) WHERE parent_id IS NOT NULL;
`;

const COLUMNS = "id, type, timestamp, correlation_id AS correlationId, parent_id AS parentId, data";

interface Row {
  id: number;
  type: string;
  timestamp: number;
  correlationId: string | null;
  parentId: number | null;
  data: string;
}

export type Synchronous = "normal" | "full";

/**
 * Events in SQLite through better-sqlite3, in WAL mode.
 *
 * Durability: a batch is one transaction, so a crash in the middle commits none of it. With
 * `synchronous = NORMAL` (the default) a committed transaction survives the process being killed
 * at any point; only an OS crash or power loss can roll back the last transactions before a WAL
 * checkpoint. `synchronous = FULL` fsyncs every commit to survive those too, at a large cost per
 * commit. AUTOINCREMENT keeps ids from ever being reused after retention deletes the newest rows.
 */
export class SqliteBackend implements EventBackend {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #appendMany: (rows: readonly EventRow[]) => number[];
  readonly #get: Database.Statement;
  readonly #count: Database.Statement;
  readonly #deleteBefore: Database.Statement;
  readonly #trim: Database.Statement;
  readonly #queries = new Map<string, Database.Statement>();

  constructor(path: string, synchronous: Synchronous = "normal") {
    if (path !== ":memory:" && path !== "") mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma(`synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
    this.#db.pragma("busy_timeout = 5000");
    this.#db.exec(SCHEMA);
    this.#insert = this.#db.prepare(
      "INSERT INTO events (type, timestamp, correlation_id, parent_id, data) VALUES (?, ?, ?, ?, ?)",
    );
    this.#appendMany = this.#db.transaction((rows: readonly EventRow[]) => {
      const ids = new Array<number>(rows.length);
      const insert = this.#insert;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        ids[i] = Number(
          insert.run(r.type, r.timestamp, r.correlationId, r.parentId, r.json).lastInsertRowid,
        );
      }
      return ids;
    });
    this.#get = this.#db.prepare(`SELECT ${COLUMNS} FROM events WHERE id = ?`);
    this.#count = this.#db.prepare("SELECT COUNT(*) AS n FROM events").pluck();
    this.#deleteBefore = this.#db.prepare("DELETE FROM events WHERE timestamp < ?");
    this.#trim = this.#db.prepare(
      "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY timestamp ASC, id ASC LIMIT ?)",
    );
  }

  append(rows: readonly EventRow[]): number[] {
    if (rows.length === 1) {
      const r = rows[0]!;
      return [
        Number(
          this.#insert.run(r.type, r.timestamp, r.correlationId, r.parentId, r.json)
            .lastInsertRowid,
        ),
      ];
    }
    return this.#appendMany(rows);
  }

  get(id: number): StoredEvent | undefined {
    const r = this.#get.get(id) as Row | undefined;
    return r && toStoredEvent(r, r.data);
  }

  query(q: NormalizedQuery): StoredEvent[] {
    const where: string[] = [];
    const params: unknown[] = [];
    let prefix = "";
    if (q.treeOf !== undefined) {
      prefix =
        "WITH RECURSIVE tree(id) AS (SELECT id FROM events WHERE id = ? UNION SELECT e.id FROM events e JOIN tree t ON e.parent_id = t.id) ";
      params.push(q.treeOf);
      where.push("id IN tree");
    }
    if (q.types) {
      where.push(`type IN (${q.types.map(() => "?").join(", ")})`);
      params.push(...q.types);
    }
    if (q.from !== undefined) {
      where.push("timestamp >= ?");
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push("timestamp <= ?");
      params.push(q.to);
    }
    if (q.correlationId !== undefined) {
      where.push("correlation_id = ?");
      params.push(q.correlationId);
    }
    if (q.parentId !== undefined) {
      where.push("parent_id = ?");
      params.push(q.parentId);
    }
    const dir = q.order === "desc" ? "DESC" : "ASC";
    const sql = `${prefix}SELECT ${COLUMNS} FROM events${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY timestamp ${dir}, id ${dir} LIMIT ? OFFSET ?`;
    params.push(q.limit, q.offset);
    let stmt = this.#queries.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      if (this.#queries.size > 256) this.#queries.clear();
      this.#queries.set(sql, stmt);
    }
    return (stmt.all(...params) as Row[]).map((r) => toStoredEvent(r, r.data));
  }

  count(): number {
    return this.#count.get() as number;
  }

  deleteBefore(timestamp: number): number {
    return this.#deleteBefore.run(timestamp).changes;
  }

  trimTo(max: number): number {
    const excess = this.count() - max;
    return excess > 0 ? this.#trim.run(excess).changes : 0;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
