/**
 * A whole analysis: population (discovery, cache, parse on workers, indexes) followed by the
 * project-level analysis (behaviours, findings, module graph and cycles, call graph).
 *
 * The project analysis is always recomputed from the per-file extractions, cached or not: it is
 * cheap next to parsing, and a changed file can change conclusions about unchanged ones (a cycle,
 * an unused function), so caching it per file would be wrong.
 * @packageDocumentation
 */
import { analyzeProject } from "../analysis/project.js";
import type { FileExtraction, ProjectAnalysis } from "../model.js";
import type { AstRepository } from "../repository/repository.js";
import {
  type FileRecord,
  type PopulateOptions,
  type PopulationSummary,
  populate,
} from "./populate.js";

/** Counters and timings of a whole run, in ms. */
export interface AnalysisSummary extends PopulationSummary {
  /** Time of the project-level analysis. */
  analyzeMs: number;
  /** Population plus analysis. */
  runMs: number;
}

/** The result of {@link analyzeRoot}. */
export interface AnalysisRun {
  root: string;
  files: FileRecord[];
  repository: AstRepository;
  analysis: ProjectAnalysis;
  summary: AnalysisSummary;
}

/** The extractions of the repository's files, in path order. */
export function extractionsOf(
  files: readonly FileRecord[],
  repository: AstRepository,
): FileExtraction[] {
  const out: FileExtraction[] = [];
  for (const f of files) {
    const x = repository.file(f.path)?.extraction;
    if (x) out.push(x);
  }
  return out;
}

/** Populates the repository for `root` and analyzes the project. */
export async function analyzeRoot(
  root: string,
  options: PopulateOptions = {},
): Promise<AnalysisRun> {
  const t0 = performance.now();
  const population = await populate(root, options);
  const t1 = performance.now();
  const analysis = analyzeProject(extractionsOf(population.files, population.repository));
  const analyzeMs = performance.now() - t1;
  options.observer?.telemetry?.(
    "population.analysis",
    { durationMs: analyzeMs },
    { root: population.root },
  );
  return {
    root: population.root,
    files: population.files,
    repository: population.repository,
    analysis,
    summary: { ...population.summary, analyzeMs, runMs: performance.now() - t0 },
  };
}
