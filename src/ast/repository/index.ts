/**
 * The L2 repository: in-memory indexes over per-file extractions, and the persistent cache.
 * @packageDocumentation
 */
export {
  AnalysisCache,
  type CacheEntry,
  CacheError,
  type CachePeek,
  type CacheStats,
  type ProjectRecord,
} from "./cache.js";
export {
  AstRepository,
  type CallRef,
  callKey,
  countsOf,
  type DeferredFile,
  type FileCounts,
  type FileEntry,
  type FunctionRef,
  functionKey,
  type RepositoryStats,
} from "./repository.js";
