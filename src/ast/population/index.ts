/**
 * L2 population: discovery, parsing and extraction on worker threads, the persistent cache, and
 * whole-project analysis runs.
 * @packageDocumentation
 */
export {
  ALWAYS_SKIPPED_DIRS,
  type DiscoverOptions,
  type Discovery,
  DiscoveryError,
  discoverFiles,
} from "./discover.js";
export { extractorVersion } from "./fingerprint.js";
export { compileGlob, compileGlobs, type GlobRule, matchPath, matchRules } from "./glob.js";
export { defaultWorkerCount, MAX_WORKERS_PER_CORE, maxWorkerCount, ParsePool } from "./pool.js";
export {
  defaultCachePath,
  type FileRecord,
  IN_PROCESS_MAX_BYTES,
  type PopulateOptions,
  type PopulationObserver,
  type PopulationProgress,
  type PopulationResult,
  type PopulationSummary,
  populate,
} from "./populate.js";
export { processSource } from "./process.js";
export type { FileOutcome, JobResult, ParseJob, WorkerReady } from "./protocol.js";
export {
  type AnalysisRun,
  type AnalysisSummary,
  type AnalyzeRootOptions,
  analyzeRoot,
  extractionsOf,
  RANKING_SIZE,
  type RankedFunction,
  rankFunctions,
} from "./run.js";
