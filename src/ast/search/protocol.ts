/**
 * Messages between a search and its worker threads (plain data, structured clone).
 * @packageDocumentation
 */
import type { ElixirVersion } from "../parser/index.js";
import type { SourceOutcome } from "./source.js";

/** What a search worker is started with. */
export interface SearchWorkerData {
  pattern: string;
  elixir: ElixirVersion;
}

/** A file to search: `file` is the name reported, `path` where to read it. */
export interface SearchFile {
  file: string;
  path: string;
}

/** Files for one worker to search. */
export interface SearchBatch {
  id: number;
  files: SearchFile[];
}

/** A worker's answer to a {@link SearchBatch}, one outcome per file in the same order. */
export interface SearchBatchResult {
  id: number;
  outcomes: SourceOutcome[];
}
