/**
 * A whole analysis: population (discovery, cache, parse on workers, indexes) followed by the
 * project-level analysis (behaviours, findings, module graph and cycles, call graph) and the
 * ranking of the most complex functions.
 *
 * The project analysis is recomputed from the per-file extractions whenever any file changed: a
 * changed file can change conclusions about unchanged ones (a cycle, an unused function), so it
 * is never cached per file. When no file changed (same fingerprint, same options) the stored
 * project analysis is reused, and the per-file extractions stay in the cache until a lookup needs
 * them.
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type AnalysisOptions, analyzeProject, resolveOptions } from "../analysis/project.js";
import type {
  CallGraph,
  ClauseMetrics,
  FileExtraction,
  ModuleInfo,
  ProjectAnalysis,
} from "../model.js";
import { AnalysisCache } from "../repository/cache.js";
import type { AstRepository } from "../repository/repository.js";
import {
  type FileRecord,
  type PopulateOptions,
  type PopulationResult,
  type PopulationSummary,
  populate,
} from "./populate.js";

/** Options of {@link analyzeRoot}: population's, plus the thresholds of the findings. */
export interface AnalyzeRootOptions extends PopulateOptions {
  analysis?: AnalysisOptions;
}

/** Counters and timings of a whole run, in ms. */
export interface AnalysisSummary extends PopulationSummary {
  /** Time of the project-level analysis (or of loading it from the cache). */
  analyzeMs: number;
  /** Edges of the call graph between project functions. */
  callEdges: number;
  /** `cache` when the project was unchanged and its analysis was loaded from the cache. */
  analysisFrom: "computed" | "cache";
  /** Population plus analysis. */
  runMs: number;
}

/** A function in the complexity ranking. */
export interface RankedFunction {
  module: string;
  file: string;
  name: string;
  arity: number;
  line: number;
  metrics: ClauseMetrics;
}

/** How many functions the stored ranking keeps. */
export const RANKING_SIZE = 100;

/** The result of {@link analyzeRoot}. */
export interface AnalysisRun {
  root: string;
  files: FileRecord[];
  /** Directories that could not be read (their files are missing), with the reason. */
  unreadable: PopulationResult["unreadable"];
  repository: AstRepository;
  analysis: ProjectAnalysis;
  /** The most complex written functions (cyclomatic, then cognitive), at most {@link RANKING_SIZE}. */
  ranking: RankedFunction[];
  summary: AnalysisSummary;
}

/** Orders ranked functions: cyclomatic, then cognitive (both descending), then by name. */
function byComplexity(a: RankedFunction, b: RankedFunction): number {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    b.metrics.cyclomatic - a.metrics.cyclomatic ||
    b.metrics.cognitive - a.metrics.cognitive ||
    cmp(a.module, b.module) ||
    cmp(a.name, b.name) ||
    a.arity - b.arity ||
    cmp(a.file, b.file)
  );
}

/** Cyclomatic then cognitive complexity as one number that orders the same way. */
function scoreOf(m: ClauseMetrics): number {
  return m.cyclomatic * 2 ** 26 + Math.min(m.cognitive, 2 ** 26 - 1);
}

/**
 * The `top` most complex written functions (generated ones, default arities and functions that
 * are only bodiless heads excluded), by cyclomatic then cognitive complexity, then by name for
 * a stable order. Only the candidates that can make the cut are sorted with names: on a
 * 40,000-module project sorting all 190,000 functions by name took seconds.
 */
export function rankFunctions(modules: Iterable<ModuleInfo>, top: number): RankedFunction[] {
  const all: RankedFunction[] = [];
  for (const m of modules) {
    for (const fn of m.functions) {
      if (fn.generated || !fn.clauses.some((c) => !c.head)) continue;
      all.push({
        module: m.name,
        file: m.file,
        name: fn.name,
        arity: fn.arity,
        line: fn.line,
        metrics: fn.metrics,
      });
    }
  }
  if (top <= 0) return [];
  let candidates = all;
  if (all.length > top) {
    const scores = Float64Array.from(all, (r) => scoreOf(r.metrics)).sort();
    const cut = scores[scores.length - top]!;
    candidates = all.filter((r) => scoreOf(r.metrics) >= cut);
  }
  return candidates.sort(byComplexity).slice(0, top);
}

interface ProjectSnapshot {
  analysis: ProjectAnalysis;
  ranking: RankedFunction[];
  /** Edges of the call graph, so that reports need not load the call graph itself. */
  callEdges: number;
}

/**
 * Rebuilds a stored snapshot. The call graph (the bulk of it) stays JSON text until something
 * reads `analysis.callGraph`: a report does not, `--json` and API users do, and see a plain
 * enumerable property either way.
 */
function restoreSnapshot(summary: string, detail: () => string): ProjectSnapshot {
  const stored = JSON.parse(summary) as Omit<ProjectSnapshot, "analysis"> & {
    analysis: Omit<ProjectAnalysis, "callGraph">;
  };
  let callGraph: CallGraph | undefined;
  const analysis = stored.analysis as ProjectAnalysis;
  Object.defineProperty(analysis, "callGraph", {
    enumerable: true,
    configurable: true,
    get: () => {
      callGraph ??= JSON.parse(detail()) as CallGraph;
      return callGraph;
    },
    set: (value: CallGraph) => {
      callGraph = value;
    },
  });
  return { analysis, ranking: stored.ranking, callEdges: stored.callEdges };
}

/**
 * The Phoenix templates (`.html.heex`, `.html.leex`) in the folders of the project's files,
 * relative to `root` and sorted: one directory listing per folder, not one lookup per file.
 */
function templatesNextTo(root: string, files: readonly FileRecord[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const slash = f.path.lastIndexOf("/");
    dirs.add(slash < 0 ? "" : f.path.slice(0, slash));
  }
  const out: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(join(root, dir));
    } catch {
      continue; // a folder removed since discovery has no templates
    }
    for (const name of names) {
      if (name.endsWith(".html.heex") || name.endsWith(".html.leex"))
        out.push(dir === "" ? name : `${dir}/${name}`);
    }
  }
  return out.sort();
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

/**
 * Populates the repository for `root` and analyzes the project. With a cache, the project-level
 * analysis is stored under the population's fingerprint (plus the analysis options) and reused
 * as long as no file changed: the analysis is a pure function of the per-file extractions.
 */
export async function analyzeRoot(
  root: string,
  options: AnalyzeRootOptions = {},
): Promise<AnalysisRun> {
  const t0 = performance.now();
  const { analysis: analysisOptions, ...populateOptions } = options;
  const resolved = resolveOptions(analysisOptions);
  const population = await populate(root, populateOptions);
  const t1 = performance.now();
  const s = population.summary;
  const templates = templatesNextTo(population.root, population.files);
  const key = createHash("sha256")
    .update(`${s.fingerprint}\n${JSON.stringify(Object.entries(resolved).sort())}`)
    .update(`\n${templates.join("\n")}`)
    .digest("hex");
  const cache = s.cacheFile === null ? null : AnalysisCache.open(s.cacheFile, s.extractorVersion);
  let snapshot: ProjectSnapshot;
  let analysisFrom: AnalysisSummary["analysisFrom"] = "computed";
  try {
    const stored = cache?.getProject(key);
    if (stored !== undefined) {
      snapshot = restoreSnapshot(stored.summary, stored.detail);
      analysisFrom = "cache";
    } else {
      const extractions = extractionsOf(population.files, population.repository);
      const analysis = analyzeProject(extractions, resolved, { templates });
      snapshot = {
        analysis,
        ranking: rankFunctions(
          extractions.flatMap((x) => x.modules),
          RANKING_SIZE,
        ),
        callEdges: analysis.callGraph.edges.length,
      };
      if (cache !== null) {
        const { callGraph, ...rest } = analysis;
        cache.putProject(key, {
          summary: JSON.stringify({ ...snapshot, analysis: rest }),
          detail: JSON.stringify(callGraph),
        });
      }
    }
  } finally {
    cache?.close();
  }
  const analyzeMs = performance.now() - t1;
  options.observer?.telemetry?.(
    "population.analysis",
    { durationMs: analyzeMs },
    { root: population.root },
  );
  return {
    root: population.root,
    files: population.files,
    unreadable: population.unreadable,
    repository: population.repository,
    analysis: snapshot.analysis,
    ranking: snapshot.ranking,
    summary: {
      ...population.summary,
      analyzeMs,
      analysisFrom,
      callEdges: snapshot.callEdges,
      runMs: performance.now() - t0,
    },
  };
}
