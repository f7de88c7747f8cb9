/**
 * Entry of a parse worker thread: answers each {@link ParseJob} with its {@link FileOutcome}.
 * @packageDocumentation
 */
import { parentPort } from "node:worker_threads";
import { processSource } from "./process.js";
import type { JobResult, ParseJob, WorkerReady } from "./protocol.js";

if (parentPort === null) throw new Error("worker.ts runs only as a worker thread");
const port = parentPort;
port.on("message", (job: ParseJob) => {
  const result: JobResult = {
    id: job.id,
    outcome: processSource(job.path, job.source, {
      asJson: true,
      ...(job.elixir === undefined ? {} : { elixir: job.elixir }),
    }),
  };
  port.postMessage(result);
});
const ready: WorkerReady = { ready: true };
port.postMessage(ready);
