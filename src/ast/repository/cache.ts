/**
 * The persistent analysis cache: one SQLite database (better-sqlite3, WAL mode) holding, per
 * source file, the per-file extraction (or the parse error) keyed by the file's path, the SHA-256
 * of its bytes and the extractor version. A row is used only when all three match, so an
 * unchanged file is never parsed again and a new extractor invalidates every row.
 *
 * Writes happen in transactions: a crash leaves either the old row or the new one, never half of
 * a batch. The cache holds derived data only; deleting the file is always safe.
 * @packageDocumentation
 */
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from "node:zlib";
import Database from "better-sqlite3";
import type { FileError } from "../model.js";
import type { FileCounts } from "./repository.js";

/** Bumped when the table layout changes; an older layout is dropped and rebuilt. */
const SCHEMA_VERSION = 6;
const APP_ID = "elixirscope-analysis-cache";

/** A cached per-file outcome as stored. */
export interface CacheEntry {
  /** Path relative to the project root. */
  path: string;
  /** SHA-256 of the file's bytes, hex. */
  hash: string;
  /** Size of the file in bytes. */
  size: number;
  /** The {@link FileExtraction} as JSON text, or null when the file failed to parse. */
  extractionJson: string | null;
  /** The parse error, or null. */
  error: FileError | null;
  /** Modules, functions and clauses of the extraction (zeros for an error). */
  counts: FileCounts;
}

/** What {@link AnalysisCache.peek} tells without reading the extraction itself. */
export interface CachePeek {
  /** False when the file failed to parse (then `error` is set). */
  hasExtraction: boolean;
  error: FileError | null;
  counts: FileCounts;
}

/** A stored project-level analysis: two JSON texts chosen by the caller. */
export interface ProjectRecord {
  /** What every run needs. */
  summary: string;
  /** What only some uses need (parsed lazily). */
  detail: string;
}

/** A project-level analysis read back: the detail is decompressed only when asked for. */
export interface StoredProject {
  summary: string;
  /** The detail's JSON text (decompressed on each call). */
  detail: () => string;
}

/** Raised when the cache file cannot be opened or is not an ElixirScope cache. */
export class CacheError extends Error {
  override name = "CacheError";
  constructor(
    message: string,
    /** The database file. */
    readonly path: string,
  ) {
    super(message);
  }
}

/** What to do about a cache that cannot be used; it holds derived data only. */
const ADVICE = "delete it, or run with --no-cache";

/**
 * How long opening the cache waits for another process holding its lock (ms): two runs started
 * together on a new cache both set it up.
 */
export const CACHE_BUSY_TIMEOUT_MS = 10_000;

const SCHEMA = `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE files (
    path TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    extractor TEXT NOT NULL,
    size INTEGER NOT NULL,
    analyzed_at INTEGER NOT NULL,
    modules INTEGER NOT NULL,
    functions INTEGER NOT NULL,
    clauses INTEGER NOT NULL,
    error TEXT,
    -- Last: reading any column after a large value walks its overflow pages. Compressed JSON.
    extraction BLOB
  );
  CREATE TABLE project (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    analysis BLOB NOT NULL,
    detail BLOB NOT NULL,
    analyzed_at INTEGER NOT NULL
  );`;

/**
 * The stored form of a JSON text: Brotli at quality 1. Extractions are JSON of about 7 bytes per
 * byte of source with long repeated IDs; compressed they take a seventh of the space. Measured on
 * a 40,000-module project (716 MB of extraction JSON, 133 MB of project analysis): writing them
 * uncompressed, through the WAL and then into the database, took about 60 s of a 216 s cold run,
 * most of it waiting on the disk; compressing costs about 10 ms per MB on one core.
 */
function pack(json: string): Buffer {
  return brotliCompressSync(json, {
    params: {
      [zlib.BROTLI_PARAM_QUALITY]: 1,
      [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
      [zlib.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
}

/** The JSON text of a value stored by {@link pack}. */
function unpack(blob: Buffer): string {
  return brotliDecompressSync(blob).toString("utf8");
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
  );
}

/**
 * Runs `step`, retrying while SQLite reports the database busy or locked. SQLite does not call
 * the busy handler for every lock (changing the journal mode, upgrading a read to a write), so
 * these are retried here, with a short synchronous sleep, up to {@link CACHE_BUSY_TIMEOUT_MS}.
 */
function retryBusy<T>(step: () => T): T {
  const deadline = Date.now() + CACHE_BUSY_TIMEOUT_MS;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(sleeper, 0, 0, Math.min(5 + attempt * 5, 100));
    }
  }
}

/** The app id of an ElixirScope cache's `meta` table, or undefined; throws for a non-database. */
function appOf(db: Database.Database): { tables: number; app: string | undefined } {
  const names = new Set(
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name),
  );
  const row = names.has("meta")
    ? (db.prepare("SELECT value FROM meta WHERE key = 'app'").get() as
        | { value: string }
        | undefined)
    : undefined;
  return { tables: names.size, app: row?.value };
}

function notOurs(file: string): CacheError {
  return new CacheError(
    `${file} is a SQLite database but not an ElixirScope cache; refusing to change it ` +
      "(give another --cache file, or run with --no-cache)",
    file,
  );
}

/**
 * Refuses, before any write, an existing non-empty file that is not an ElixirScope cache: it is
 * opened read-only, so a foreign database stays byte-for-byte as it was.
 */
function checkOwnership(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // Not there yet: it will be created.
  }
  if (size === 0) return; // Being created by a concurrent run, or empty: nothing to protect.
  let ro: Database.Database | undefined;
  try {
    ro = new Database(file, {
      readonly: true,
      fileMustExist: true,
      timeout: CACHE_BUSY_TIMEOUT_MS,
    });
    const { tables, app } = retryBusy(() => appOf(ro!));
    if (tables > 0 && app !== APP_ID) throw notOurs(file);
  } catch (error) {
    if (error instanceof CacheError) throw error;
    throw new CacheError(`cannot use cache ${file}: ${(error as Error).message}; ${ADVICE}`, file);
  } finally {
    ro?.close();
  }
}

/** True when the schema is current; throws when the database is not ours. */
function isCurrent(db: Database.Database, file: string): boolean {
  const { tables, app } = appOf(db);
  if (tables === 0) return false;
  if (app !== APP_ID) throw notOurs(file);
  return (db.pragma("user_version", { simple: true }) as number) === SCHEMA_VERSION;
}

interface Row {
  hash: string;
  extractor: string;
  size: number;
  extraction: Buffer | null;
  error: string | null;
  modules: number;
  functions: number;
  clauses: number;
}

type PeekRow = Omit<Row, "extraction" | "size"> & { has: number };

/** Counters of one cache's use since it was opened. */
export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
  deletes: number;
}

/**
 * The cache of per-file results. Open with {@link AnalysisCache.open}; close when done.
 */
export class AnalysisCache {
  readonly #db: Database.Database;
  readonly #extractor: string;
  readonly #get: Database.Statement<[string], Row>;
  readonly #peek: Database.Statement<[string], PeekRow>;
  readonly #load: Database.Statement<[string, string, string], { extraction: Buffer | null }>;
  readonly #put: Database.Statement<
    [string, string, string, number, Buffer | null, string | null, number, number, number, number]
  >;
  readonly #delete: Database.Statement<[string]>;
  readonly #paths: Database.Statement<[], { path: string }>;
  readonly #stats: CacheStats = { hits: 0, misses: 0, writes: 0, deletes: 0 };

  private constructor(
    db: Database.Database,
    extractor: string,
    /** The database file. */
    readonly file: string,
  ) {
    this.#db = db;
    this.#extractor = extractor;
    this.#get = db.prepare(
      "SELECT hash, extractor, size, extraction, error, modules, functions, clauses FROM files WHERE path = ?",
    );
    this.#peek = db.prepare(
      `SELECT hash, extractor, error, modules, functions, clauses, extraction IS NOT NULL AS has
       FROM files WHERE path = ?`,
    );
    this.#load = db.prepare(
      "SELECT extraction FROM files WHERE path = ? AND hash = ? AND extractor = ?",
    );
    this.#put = db.prepare(
      `INSERT INTO files (path, hash, extractor, size, extraction, error, analyzed_at,
         modules, functions, clauses)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET hash = excluded.hash, extractor = excluded.extractor,
         size = excluded.size, extraction = excluded.extraction, error = excluded.error,
         analyzed_at = excluded.analyzed_at, modules = excluded.modules,
         functions = excluded.functions, clauses = excluded.clauses`,
    );
    this.#delete = db.prepare("DELETE FROM files WHERE path = ?");
    this.#paths = db.prepare("SELECT path FROM files");
  }

  /**
   * Opens (creating the file and its directory when missing) the cache at `file`.
   *
   * An existing file is first inspected read-only: a SQLite database that is not an ElixirScope
   * cache is refused before anything could write to it (not even the journal mode). Setting WAL
   * mode and creating the schema wait for, and retry around, other processes doing the same on
   * a new cache (two first runs at once), up to {@link CACHE_BUSY_TIMEOUT_MS}.
   * @param extractorVersion  identifies the code that produced the rows; rows of another version
   *   are treated as misses and replaced.
   * @throws CacheError when the file is not a SQLite database, belongs to something else, or
   *   stays locked; its message says what to do.
   */
  static open(file: string, extractorVersion: string): AnalysisCache {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (error) {
      throw new CacheError(
        `cannot open cache ${file}: ${(error as Error).message}; ${ADVICE}`,
        file,
      );
    }
    checkOwnership(file);
    let db: Database.Database;
    try {
      db = new Database(file, { timeout: CACHE_BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new CacheError(
        `cannot open cache ${file}: ${(error as Error).message}; ${ADVICE}`,
        file,
      );
    }
    try {
      retryBusy(() => {
        if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
      });
      // WAL + NORMAL never corrupts on a crash; a power cut can lose the last commit of a cache.
      db.pragma("synchronous = NORMAL");
      retryBusy(() => AnalysisCache.#migrate(db, file));
    } catch (error) {
      db.close();
      if (error instanceof CacheError) throw error;
      throw new CacheError(
        `cannot use cache ${file}: ${(error as Error).message}; ${ADVICE}`,
        file,
      );
    }
    return new AnalysisCache(db, extractorVersion, file);
  }

  /**
   * Creates or rebuilds the schema in one IMMEDIATE transaction (the write lock is taken up
   * front, so a concurrent first run waits in the busy handler rather than failing on a lock
   * upgrade), checking again inside it whether another process has just done the work.
   */
  static #migrate(db: Database.Database, file: string): void {
    if (isCurrent(db, file)) return;
    db.transaction(() => {
      if (isCurrent(db, file)) return;
      db.exec(
        "DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS project;",
      );
      db.exec(SCHEMA);
      db.prepare("INSERT INTO meta (key, value) VALUES ('app', ?)").run(APP_ID);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  }

  /**
   * The cached outcome for `path` when its hash and the extractor version match, else undefined
   * (a miss).
   */
  get(path: string, hash: string): CacheEntry | undefined {
    const row = this.#get.get(path);
    if (row === undefined || row.hash !== hash || row.extractor !== this.#extractor) {
      this.#stats.misses++;
      return undefined;
    }
    this.#stats.hits++;
    return {
      path,
      hash,
      size: row.size,
      extractionJson: row.extraction === null ? null : unpack(row.extraction),
      error: row.error === null ? null : (JSON.parse(row.error) as FileError),
      counts: { modules: row.modules, functions: row.functions, clauses: row.clauses },
    };
  }

  /**
   * Like {@link AnalysisCache.get} without reading the extraction (the bulk of a row): whether
   * the row is valid for this hash, its error and its counts. Load the extraction later with
   * {@link AnalysisCache.loadExtraction}.
   */
  peek(path: string, hash: string): CachePeek | undefined {
    const row = this.#peek.get(path);
    if (row === undefined || row.hash !== hash || row.extractor !== this.#extractor) {
      this.#stats.misses++;
      return undefined;
    }
    this.#stats.hits++;
    return {
      hasExtraction: row.has === 1,
      error: row.error === null ? null : (JSON.parse(row.error) as FileError),
      counts: { modules: row.modules, functions: row.functions, clauses: row.clauses },
    };
  }

  /**
   * {@link AnalysisCache.peek} for every row at once, in one table scan (much cheaper than one
   * lookup per file for a whole project): path to the row's hash and peek, rows of another
   * extractor version left out.
   */
  peekAll(): Map<string, { hash: string; peek: CachePeek }> {
    const out = new Map<string, { hash: string; peek: CachePeek }>();
    const rows = this.#db
      .prepare(
        `SELECT path, hash, error, modules, functions, clauses, extraction IS NOT NULL AS has
         FROM files WHERE extractor = ?`,
      )
      .all(this.#extractor) as (Omit<PeekRow, "extractor"> & { path: string })[];
    for (const r of rows) {
      out.set(r.path, {
        hash: r.hash,
        peek: {
          hasExtraction: r.has === 1,
          error: r.error === null ? null : (JSON.parse(r.error) as FileError),
          counts: { modules: r.modules, functions: r.functions, clauses: r.clauses },
        },
      });
    }
    return out;
  }

  /** The extraction JSON stored for `path` at `hash` (this extractor), or undefined. */
  loadExtraction(path: string, hash: string): string | undefined {
    const blob = this.#load.get(path, hash, this.#extractor)?.extraction;
    return blob === undefined || blob === null ? undefined : unpack(blob);
  }

  /** Stores entries in one transaction (all or none). */
  putMany(entries: readonly CacheEntry[]): void {
    if (entries.length === 0) return;
    const now = Date.now();
    const write = this.#db.transaction(() => {
      for (const e of entries) {
        this.#put.run(
          e.path,
          e.hash,
          this.#extractor,
          e.size,
          e.extractionJson === null ? null : pack(e.extractionJson),
          e.error === null ? null : JSON.stringify(e.error),
          now,
          e.counts.modules,
          e.counts.functions,
          e.counts.clauses,
        );
      }
    });
    // IMMEDIATE: take the write lock up front (waiting for a concurrent run) instead of failing
    // when a read lock cannot be upgraded.
    retryBusy(() => write.immediate());
    this.#stats.writes += entries.length;
  }

  /** Deletes the rows of every path not in `keep` (files gone from the project); returns how many. */
  retainOnly(keep: ReadonlySet<string>): number {
    const gone = this.#paths
      .all()
      .map((r) => r.path)
      .filter((p) => !keep.has(p));
    if (gone.length === 0) return 0;
    const remove = this.#db.transaction(() => {
      for (const p of gone) this.#delete.run(p);
    });
    retryBusy(() => remove.immediate());
    this.#stats.deletes += gone.length;
    return gone.length;
  }

  /**
   * The project-level analysis stored for `fingerprint` (a digest of every file's path and hash,
   * the extractor version and the analysis options), or undefined when the project changed. It is
   * kept as two JSON texts, so that the bulky part (`detail`) can be parsed only when needed.
   */
  getProject(fingerprint: string): StoredProject | undefined {
    const row = this.#db
      .prepare("SELECT fingerprint, analysis, detail FROM project WHERE id = 1")
      .get() as { fingerprint: string; analysis: Buffer; detail: Buffer } | undefined;
    if (row === undefined || row.fingerprint !== fingerprint) return undefined;
    const detail = row.detail;
    return { summary: unpack(row.analysis), detail: () => unpack(detail) };
  }

  /** Stores the project-level analysis (one per cache: the latest replaces the previous). */
  putProject(fingerprint: string, record: ProjectRecord): void {
    this.#db
      .prepare(
        `INSERT INTO project (id, fingerprint, analysis, detail, analyzed_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET fingerprint = excluded.fingerprint,
           analysis = excluded.analysis, detail = excluded.detail,
           analyzed_at = excluded.analyzed_at`,
      )
      .run(fingerprint, pack(record.summary), pack(record.detail), Date.now());
  }

  /** Number of rows stored. */
  size(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM files").get() as { n: number }).n;
  }

  /** Hits, misses, writes and deletes since opening. */
  stats(): CacheStats {
    return { ...this.#stats };
  }

  /** Closes the database (checkpointing the WAL). */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
