/**
 * Per-file extraction: from one file's quoted AST to its modules, functions, clauses, calls
 * and metrics, as plain data ({@link FileExtraction}).
 *
 * Entry point: {@link extractFile}. It is a pure function of its arguments: the same AST and
 * path give the same result, IDs included. Cost: one pass over module bodies, then one
 * combined walk per clause (plus Credo's nesting descent), so it is linear in the AST size.
 * @packageDocumentation
 */
import type { FileExtraction, ModuleInfo } from "../model.js";
import { DEF_KINDS, lastLine } from "../syntax/ast-util.js";
import type { Comment, Term } from "../term.js";
import { countDefinitionWords } from "./def-words.js";
import { findDefinitions } from "./definitions.js";
import { finishModule } from "./functions.js";
import { collectModules, importsEctoQuery } from "./module.js";

/** Extra details about a file that are not part of the serialized extraction. */
export interface ExtractionDiagnostics {
  /** Lines of module definitions whose name is not literal and so cannot be seen statically. */
  dynamicModules: number[];
}

/**
 * Extracts everything from one parsed file.
 * @param ast the file's quoted AST, as `Code.string_to_quoted_with_comments/2` (or our parser) gives it
 * @param comments the file's comments
 * @param relPath the file's path relative to the project root, with `/` separators
 * @param source the text `ast` was parsed from, when the caller has it: the result is the same
 *   with or without it, but with it extraction can skip a walk it proves useless
 */
export function extractFile(
  ast: Term,
  comments: readonly Comment[],
  relPath: string,
  source?: string | Uint8Array,
): FileExtraction {
  return extractFileWithDiagnostics(ast, comments, relPath, source).extraction;
}

/** {@link extractFile}, also reporting what could not be extracted statically. */
export function extractFileWithDiagnostics(
  ast: Term,
  comments: readonly Comment[],
  relPath: string,
  source?: string | Uint8Array,
): { extraction: FileExtraction; diagnostics: ExtractionDiagnostics } {
  const collection = collectModules(ast);
  const ecto = importsEctoQuery(collection.modules);
  const counts = new Map<string, number>();
  const modules: ModuleInfo[] = [];
  for (const draft of collection.modules) {
    const n = (counts.get(draft.name) ?? 0) + 1;
    counts.set(draft.name, n);
    const id = `${relPath}#${draft.name}${n > 1 ? `~${n}` : ""}`;
    modules.push(finishModule(draft, relPath, id, ecto));
  }
  const taken = new Set<Term[]>();
  let takenDefs = 0;
  for (const draft of collection.modules)
    for (const c of draft.clauses) {
      // Distinct nodes: `defimpl P, for: [A, B]` reads one body, so one node, twice.
      if (!taken.has(c.defArgs) && DEF_KINDS.has(c.kind)) takenDefs++;
      taken.add(c.defArgs);
    }
  // Every definition node has its word in the source: when the modules took as many as there
  // are words, none is left to find (see def-words.ts).
  const definitions =
    source !== undefined && countDefinitionWords(source) <= takenDefs
      ? []
      : findDefinitions(ast, relPath, taken, ecto);
  let last = lastLine(ast);
  for (const c of comments) if (c.line > last) last = c.line;
  return {
    extraction: {
      path: relPath,
      modules,
      definitions,
      commentCount: comments.length,
      lastLine: last,
    },
    diagnostics: { dynamicModules: collection.dynamicModules },
  };
}
