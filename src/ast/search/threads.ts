/**
 * A small pool of search worker threads fed in batches: each worker holds one batch in flight
 * beyond the one it works on, and the next batch goes to whichever worker answers first.
 *
 * From `dist/` the compiled `worker.js` beside this file runs; from the TypeScript sources (tsx,
 * vitest) a bootstrap registers tsx inside the worker first.
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SearchBatch, SearchBatchResult, SearchFile, SearchWorkerData } from "./protocol.js";
import { readAndSearch, type SourceOutcome } from "./source.js";
import type { CompiledPattern } from "./walk.js";

/** Files per batch: small enough to balance two cores, large enough that messages are few. */
const BATCH = 8;

function entry(): { filename: string | URL; eval: boolean } {
  const js = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(js))) return { filename: js, eval: false };
  const ts = new URL("./worker.ts", import.meta.url);
  const api = import.meta.resolve("tsx/esm/api");
  const code =
    `import(${JSON.stringify(api)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); })`;
  return { filename: code, eval: true };
}

/** Lets queued messages (worker answers) be handled between two batches the main thread runs. */
const yieldToEvents = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Searches `files` on `workers` threads, and on the calling thread too when `mainToo` (it takes
 * batches from the same queue between worker messages, so one core fewer needs a thread
 * started and warmed up), and calls `onOutcome` with each file's outcome (in completion order).
 * Resolves when all are done; the threads are stopped either way.
 */
export function searchOnWorkers(
  pattern: CompiledPattern,
  files: readonly SearchFile[],
  workers: number,
  onOutcome: (file: SearchFile, outcome: SourceOutcome) => void,
  mainToo = false,
): Promise<void> {
  const batches: SearchBatch[] = [];
  for (let i = 0; i < files.length; i += BATCH) {
    batches.push({ id: batches.length, files: files.slice(i, i + BATCH) });
  }
  const spec = entry();
  const data: SearchWorkerData = { pattern: pattern.source, elixir: pattern.elixir };
  const threads: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let pending = batches.length;
    let failed = false;
    const finish = (error?: Error): void => {
      if (failed) return;
      if (error !== undefined) failed = true;
      for (const t of threads) void t.terminate();
      if (error !== undefined) reject(error);
      else resolve();
    };
    const feed = (t: Worker): void => {
      if (next < batches.length) t.postMessage(batches[next++]);
    };
    const runMain = async (): Promise<void> => {
      while (!failed && next < batches.length) {
        const batch = batches[next++];
        for (const f of batch.files) onOutcome(f, readAndSearch(pattern, f));
        if (--pending === 0) finish();
        await yieldToEvents();
      }
    };
    const count = Math.max(mainToo ? 0 : 1, Math.min(workers, batches.length));
    for (let w = 0; w < count; w++) {
      const t = new Worker(spec.filename, { eval: spec.eval, execArgv: [], workerData: data });
      threads.push(t);
      t.on("message", (msg: SearchBatchResult) => {
        const batch = batches[msg.id];
        for (let k = 0; k < msg.outcomes.length; k++) onOutcome(batch.files[k], msg.outcomes[k]);
        feed(t);
        if (--pending === 0) finish();
      });
      t.on("error", (e) => finish(new Error(`search worker failed: ${e.message}`)));
      t.on("exit", (code) => {
        if (pending > 0) finish(new Error(`search worker exited with code ${code}`));
      });
      feed(t);
      feed(t);
    }
    if (pending === 0) finish();
    else if (mainToo)
      runMain().catch((e: unknown) => finish(e instanceof Error ? e : new Error(String(e))));
  });
}
