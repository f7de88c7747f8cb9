export {
  ERROR_CODES,
  type ErrorCategory,
  type ErrorCode,
  type ErrorCodeInfo,
  type ErrorSeverity,
  isErrorCode,
} from "./codes.js";
export {
  addBreadcrumb,
  type Breadcrumb,
  currentBreadcrumbs,
  currentCorrelationId,
  currentErrorContext,
  currentOperationPath,
  type ErrorContextOptions,
  type ErrorContextState,
  MAX_BREADCRUMBS,
  newCorrelationId,
  withErrorContext,
} from "./context.js";
export {
  ElixirScopeError,
  type ElixirScopeErrorOptions,
  isElixirScopeError,
  toElixirScopeError,
} from "./error.js";
