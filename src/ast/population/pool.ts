/**
 * A pool of worker threads that parse and extract files. Each worker keeps a small number of jobs
 * in flight, so it never waits for the main thread between files, and the next job goes to whichever
 * worker answers first, so one large file does not hold up the rest.
 *
 * Workers need JavaScript: from `dist/` the compiled `worker.js` beside this file is used; when
 * running from the TypeScript sources (tsx, vitest) a small bootstrap registers tsx inside the
 * worker and then imports `worker.ts`.
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ElixirVersion } from "../parser/index.js";
import type { FileOutcome, JobResult, ParseJob, WorkerReady } from "./protocol.js";

/** Jobs posted to one worker before it answers; two keeps it busy while the main thread catches up. */
const IN_FLIGHT_PER_WORKER = 2;

/** The default number of workers: one per core (at least one). */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/** Workers per core above which a request is refused (see {@link maxWorkerCount}). */
export const MAX_WORKERS_PER_CORE = 4;

/**
 * The most worker threads a run accepts: four per core (`4 × os.availableParallelism()`, at
 * least 4). More would only add start-up time and memory; thousands exhaust the heap.
 */
export function maxWorkerCount(): number {
  return MAX_WORKERS_PER_CORE * defaultWorkerCount();
}

interface WorkerSpec {
  filename: string | URL;
  eval: boolean;
  execArgv: string[];
}

let cachedSpec: WorkerSpec | undefined;

function tsxApiUrl(): string {
  // `import.meta.resolve` honours the package's "import" condition (the ESM API of tsx).
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    const req = createRequire(import.meta.url);
    const pkg = req.resolve("tsx/package.json");
    return pathToFileURL(join(dirname(pkg), "dist/esm/api/index.mjs")).href;
  }
}

/** How to start a worker from here: the compiled entry when there is one, else tsx. */
export function workerSpec(): WorkerSpec {
  if (cachedSpec) return cachedSpec;
  const js = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(js))) {
    // Not the parent's flags: `--input-type`, `-e` and loaders make no sense for this entry.
    cachedSpec = { filename: js, eval: false, execArgv: [] };
    return cachedSpec;
  }
  const ts = new URL("./worker.ts", import.meta.url);
  if (!existsSync(fileURLToPath(ts))) {
    throw new Error(`parse worker entry not found next to ${fileURLToPath(import.meta.url)}`);
  }
  const code =
    `import(${JSON.stringify(tsxApiUrl())})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); })`;
  // The parent's execArgv may hold loaders (vitest, tsx preflight) that workers cannot take.
  cachedSpec = { filename: code, eval: true, execArgv: [] };
  return cachedSpec;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, ParseJob>;
  ready: boolean;
  /** True once the worker said it is ready; a worker that dies before that cannot start. */
  started: boolean;
  /** True while the slot runs a suspect alone (see {@link ParsePool}). */
  solo: boolean;
}

/** Options of {@link ParsePool}. */
export interface ParsePoolOptions {
  /**
   * Another worker entry (a JavaScript file or data: URL) speaking the same protocol; for tests
   * of the pool itself.
   */
  entry?: URL;
  /**
   * Heap limit of each worker in MB (V8's old generation): a file that needs more kills its
   * worker, not the process. Default: Node's own limit.
   */
  heapMb?: number;
}

/**
 * Runs parse jobs on worker threads. Create, {@link ParsePool.run} any number of batches, then
 * {@link ParsePool.close}.
 *
 * A worker that dies (its memory limit, a crash) is replaced. When it had one file in flight,
 * that file killed it: it gets a `transient` error (reported, never cached). When it had several,
 * the culprit is unknown, so each becomes a suspect and is run again alone on a worker with
 * nothing else in flight: innocent files then parse normally, and only the culprit fails.
 */
export class ParsePool {
  readonly size: number;
  readonly #slots: Slot[] = [];
  /** Jobs not yet taken, smallest first: workers take from the end, the calling thread from #head. */
  #queue: (ParseJob | undefined)[] = [];
  #head = 0;
  /** Files that were in flight on a worker that died beside others; each is retried alone. */
  #suspects: ParseJob[] = [];
  #nextId = 1;
  #onOutcome: ((o: FileOutcome) => void) | null = null;
  #pending = 0;
  #drained: (() => void) | null = null;
  #rejectRun: ((error: Error) => void) | null = null;
  #failure: Error | null = null;
  #closed = false;
  /** Workers that died and were replaced. */
  restarts = 0;

  readonly #spec: WorkerSpec;
  readonly #heapMb: number | undefined;

  /**
   * @param size  number of worker threads (default: one per core)
   */
  constructor(size: number = defaultWorkerCount(), options: ParsePoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`ParsePool: size must be a positive integer, got ${size}`);
    }
    for (const key of Object.keys(options)) {
      if (key !== "entry" && key !== "heapMb") {
        throw new TypeError(`ParsePool: unknown option "${key}"`);
      }
    }
    const heapMb = options.heapMb;
    if (heapMb !== undefined && (!Number.isInteger(heapMb) || heapMb < 1)) {
      throw new RangeError(`ParsePool: heapMb must be a positive integer, got ${String(heapMb)}`);
    }
    this.#heapMb = heapMb;
    this.size = size;
    this.#spec =
      options.entry === undefined
        ? workerSpec()
        : { filename: options.entry, eval: false, execArgv: [] };
    // Start every worker now: their start-up overlaps whatever the caller does next.
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot {
    const spec = this.#spec;
    const worker = new Worker(spec.filename, {
      eval: spec.eval,
      execArgv: spec.execArgv,
      ...(this.#heapMb === undefined
        ? {}
        : { resourceLimits: { maxOldGenerationSizeMb: this.#heapMb } }),
    });
    const slot: Slot = { worker, inFlight: new Map(), ready: true, started: false, solo: false };
    worker.on("message", (msg: JobResult | WorkerReady) => {
      if ("ready" in msg) {
        slot.started = true;
        return;
      }
      const job = slot.inFlight.get(msg.id);
      if (job === undefined) return;
      slot.inFlight.delete(msg.id);
      slot.solo = false;
      this.#deliver(msg.outcome);
      this.#feed(slot);
    });
    worker.on("error", (error) => this.#crashed(slot, error));
    worker.on("exit", (code) => {
      if (!this.#closed) this.#crashed(slot, new Error(`parse worker exited with code ${code}`));
    });
    // An idle pool must not keep the process alive.
    worker.unref();
    return slot;
  }

  #crashed(slot: Slot, error: Error): void {
    const index = this.#slots.indexOf(slot);
    if (index === -1 || this.#failure !== null) return;
    slot.ready = false;
    void slot.worker.terminate();
    const lost = [...slot.inFlight.values()];
    slot.inFlight.clear();
    if (!slot.started) {
      // It died before it could take work: the entry itself is broken (a missing build, a bad
      // flag), and every replacement would die the same way. Fail the run instead of the files.
      this.#fail(new Error(`parse worker cannot start: ${error.message}`));
      return;
    }
    const replacement = this.#spawn();
    this.#slots[index] = replacement;
    this.restarts++;
    if (lost.length === 1) {
      // Alone on its worker (from the start, or as a suspect): this file is the cause.
      const job = lost[0]!;
      this.#deliver({
        path: job.path,
        ok: false,
        error: {
          line: null,
          column: null,
          message: `parse worker died on this file: ${error.message}`,
        },
        transient: true,
        parseMs: 0,
        extractMs: 0,
      });
    } else {
      this.#suspects.push(...lost);
    }
    for (const s of this.#slots) this.#feed(s);
  }

  #fail(error: Error): void {
    this.#failure = error;
    this.#queue = [];
    this.#head = 0;
    this.#suspects = [];
    this.#pending = 0;
    this.#onOutcome = null;
    const reject = this.#rejectRun;
    this.#drained = null;
    this.#rejectRun = null;
    reject?.(error);
    void this.close();
  }

  #deliver(outcome: FileOutcome): void {
    this.#pending--;
    this.#onOutcome?.(outcome);
    if (this.#pending === 0 && this.#drained) {
      const done = this.#drained;
      this.#drained = null;
      done();
    }
  }

  #feed(slot: Slot): void {
    if (!slot.ready || slot.solo) return;
    if (slot.inFlight.size === 0 && this.#suspects.length > 0) {
      // A suspect runs alone, so that if it kills this worker too nothing else is lost.
      const job = this.#suspects.shift()!;
      slot.solo = true;
      slot.inFlight.set(job.id, job);
      slot.worker.postMessage(job);
      slot.worker.ref();
      return;
    }
    while (slot.inFlight.size < IN_FLIGHT_PER_WORKER && this.#queue.length > this.#head) {
      const job = this.#queue.pop()!;
      slot.inFlight.set(job.id, job);
      slot.worker.postMessage(job);
    }
    if (slot.inFlight.size > 0) slot.worker.ref();
    else slot.worker.unref();
  }

  /**
   * Parses and extracts every file, calling `onOutcome` for each as it completes (in completion
   * order), and resolves when all are done. One run at a time.
   *
   * With `local`, the calling thread works too: between events it runs `local` on the smallest
   * job left (the workers take the largest), one job per turn of the event loop so that the
   * workers' answers are taken and their queues refilled in between. On two cores the calling
   * thread and one worker share the files (see docs/ANALYZE.md).
   */
  run(
    files: readonly { path: string; source: Uint8Array; elixir?: ElixirVersion }[],
    onOutcome: (outcome: FileOutcome) => void,
    local?: (job: ParseJob) => FileOutcome,
  ): Promise<void> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new Error("ParsePool: closed"));
    if (this.#pending > 0) return Promise.reject(new Error("ParsePool: a run is in progress"));
    if (files.length === 0) return Promise.resolve();
    // Largest first: the longest files start early and do not end the run on one busy worker.
    const jobs = files
      .map((f) => ({
        id: this.#nextId++,
        path: f.path,
        source: f.source,
        ...(f.elixir === undefined ? {} : { elixir: f.elixir }),
      }))
      .sort((a, b) => a.source.length - b.source.length);
    this.#queue = jobs;
    this.#head = 0;
    this.#pending = jobs.length;
    this.#onOutcome = onOutcome;
    return new Promise<void>((resolve, reject) => {
      this.#rejectRun = reject;
      this.#drained = () => {
        this.#onOutcome = null;
        this.#rejectRun = null;
        resolve();
      };
      for (const slot of this.#slots) this.#feed(slot);
      if (local !== undefined) this.#workLocally(local);
    });
  }

  /** Runs the smallest queued job in this thread, then yields and goes on while jobs are left. */
  #workLocally(local: (job: ParseJob) => FileOutcome): void {
    const step = (): void => {
      if (this.#failure !== null || this.#head >= this.#queue.length) return;
      const job = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined; // taken: release its source
      this.#deliver(local(job));
      setImmediate(step);
    };
    setImmediate(step);
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
