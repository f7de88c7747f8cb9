/**
 * Messages between the population and its parse workers. Plain data only (structured clone).
 * @packageDocumentation
 */
import type { FileError } from "../model.js";

/** One file to parse and extract. */
export interface ParseJob {
  /** Set by the pool; echoed in the outcome. */
  id: number;
  /** Path relative to the project root. */
  path: string;
  /** The file's bytes (copied to the worker). */
  source: Uint8Array;
}

/** What parsing and extracting one file gave. */
export type FileOutcome =
  | {
      path: string;
      ok: true;
      /** The {@link FileExtraction} as JSON: the cache stores it as is, the main thread parses it once. */
      extractionJson: string;
      /** Time spent parsing, ms. */
      parseMs: number;
      /** Time spent extracting, ms. */
      extractMs: number;
    }
  | {
      path: string;
      ok: false;
      error: FileError;
      parseMs: number;
      extractMs: number;
    };

/** A worker's answer to a {@link ParseJob}. */
export interface JobResult {
  id: number;
  outcome: FileOutcome;
}

/** Posted once by a worker when its code is loaded and it takes jobs. */
export interface WorkerReady {
  ready: true;
}
