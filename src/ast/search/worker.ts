/**
 * Entry of a search worker thread: compiles the pattern it was started with, then answers each
 * {@link SearchBatch} by reading, parsing and matching its files.
 * @packageDocumentation
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SearchBatch, SearchBatchResult, SearchWorkerData } from "./protocol.js";
import { compile, readAndSearch, type SourceOutcome } from "./source.js";

if (parentPort === null) throw new Error("search worker.ts runs only as a worker thread");
const port = parentPort;
const data = workerData as SearchWorkerData;
const pattern = compile(data.pattern, data.elixir);

port.on("message", (batch: SearchBatch) => {
  const outcomes: SourceOutcome[] = batch.files.map((f) => readAndSearch(pattern, f));
  const result: SearchBatchResult = { id: batch.id, outcomes };
  port.postMessage(result);
});
