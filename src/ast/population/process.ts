/**
 * Parsing and extracting one file: the work a parse worker does, also run in-process for small
 * projects. Never throws: a parse error, or a crash of the extractor on odd input, becomes a
 * file error so that every other file goes on.
 * @packageDocumentation
 */
import { extractFile } from "../extract/index.js";
import type { FileExtraction } from "../model.js";
import { type ElixirVersion, tryParse } from "../parser/index.js";
import type { ExtractedOutcome, FileOutcome } from "./protocol.js";

/** Options of {@link processSource}. */
export interface ProcessOptions {
  /**
   * Give the extraction as JSON text (what a worker posts back) rather than the object (what the
   * calling thread uses directly).
   */
  asJson?: boolean;
  /** The Elixir whose syntax to parse (the parser's default when absent). */
  elixir?: ElixirVersion;
}

/** Parses and extracts `source`, the bytes of the file at `path` (relative to the root). */
export function processSource(
  path: string,
  source: Uint8Array | string,
  options: ProcessOptions = {},
): FileOutcome {
  const asJson = options.asJson === true;
  const t0 = performance.now();
  let parsed: ReturnType<typeof tryParse>;
  try {
    parsed = tryParse(source, {
      file: path,
      ...(options.elixir === undefined ? {} : { elixir: options.elixir }),
    });
  } catch (error) {
    return failure(path, `parser crashed: ${describe(error)}`, performance.now() - t0, 0);
  }
  const t1 = performance.now();
  if (!parsed.ok) {
    const e = parsed.error;
    return {
      path,
      ok: false,
      // `description` is the message without the `file:line:column: ` prefix, which the
      // separate fields already carry.
      error: { line: e.line, column: e.column, message: e.description },
      parseMs: t1 - t0,
      extractMs: 0,
    };
  }
  try {
    const extraction = extractFile(parsed.ast, parsed.comments, path, source);
    if (!asJson) {
      return { path, ok: true, extraction, parseMs: t1 - t0, extractMs: performance.now() - t1 };
    }
    const extractionJson = JSON.stringify(extraction);
    return { path, ok: true, extractionJson, parseMs: t1 - t0, extractMs: performance.now() - t1 };
  } catch (error) {
    return failure(path, `extraction failed: ${describe(error)}`, t1 - t0, performance.now() - t1);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failure(path: string, message: string, parseMs: number, extractMs: number): FileOutcome {
  return { path, ok: false, error: { line: null, column: null, message }, parseMs, extractMs };
}

/** The extraction of a successful outcome: the object itself, or parsed from a worker's text. */
export function extractionOf(o: ExtractedOutcome): FileExtraction {
  return o.extraction ?? (JSON.parse(o.extractionJson) as FileExtraction);
}
