/**
 * Messages between the population and its parse workers. Plain data only (structured clone).
 * @packageDocumentation
 */
import type { FileError, FileExtraction } from "../model.js";
import type { ElixirVersion } from "../parser/index.js";

/** One file to parse and extract. */
export interface ParseJob {
  /** Set by the pool; echoed in the outcome. */
  id: number;
  /** Path relative to the project root. */
  path: string;
  /** The file's bytes (copied to the worker). */
  source: Uint8Array;
  /** The Elixir whose syntax to parse (the parser's default when absent). */
  elixir?: ElixirVersion;
}

/**
 * A successful parse and extraction. In-process, the extraction itself (`extraction`); from a
 * worker, its JSON text (`extractionJson`): the text crosses threads as one string, which the
 * main thread parses faster than it deserializes a structured clone of the object (0.55–0.73 s
 * against 1.0–1.2 s for Elixir's `lib/`, see docs/ANALYZE.md), and the cache stores it as is.
 */
export type ExtractedOutcome = {
  path: string;
  ok: true;
  /** Time spent parsing, ms. */
  parseMs: number;
  /** Time spent extracting, ms. */
  extractMs: number;
} & (
  | { extraction: FileExtraction; extractionJson?: undefined }
  | { extraction?: undefined; extractionJson: string }
);

/** A file that could not be parsed or extracted. */
export interface FailedOutcome {
  path: string;
  ok: false;
  error: FileError;
  /**
   * True when the failure is not the file's own result (its worker died, say, or it was over the
   * size limit): it is reported but never cached, so the next run tries the file again.
   */
  transient?: boolean;
  parseMs: number;
  extractMs: number;
}

/** What parsing and extracting one file gave. */
export type FileOutcome = ExtractedOutcome | FailedOutcome;

/** A worker's answer to a {@link ParseJob}. */
export interface JobResult {
  id: number;
  outcome: FileOutcome;
}

/** Posted once by a worker when its code is loaded and it takes jobs. */
export interface WorkerReady {
  ready: true;
}
