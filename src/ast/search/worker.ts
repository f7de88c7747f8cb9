/**
 * Entry of a search worker thread: compiles the pattern it was started with, then answers each
 * {@link SearchBatch} by reading, parsing and matching its files.
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import type { SearchBatch, SearchBatchResult, SearchWorkerData } from "./protocol.js";
import { compile, type SourceOutcome, searchSource } from "./source.js";

if (parentPort === null) throw new Error("search worker.ts runs only as a worker thread");
const port = parentPort;
const data = workerData as SearchWorkerData;
const pattern = compile(data.pattern, data.elixir);

port.on("message", (batch: SearchBatch) => {
  const outcomes: SourceOutcome[] = batch.files.map((f) => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(f.path);
    } catch (e) {
      const message = `cannot read: ${e instanceof Error ? e.message : String(e)}`;
      return { ok: false, error: { file: f.file, line: null, column: null, message } };
    }
    return searchSource(pattern, f.file, bytes);
  });
  const result: SearchBatchResult = { id: batch.id, outcomes };
  port.postMessage(result);
});
