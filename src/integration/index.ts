/**
 * Integration: L2 (repository, population) running as services on the L1 Foundation.
 * @packageDocumentation
 */

export * from "./analysis-foundation.js";
export * from "./analysis-services.js";
export * from "./async-api.js";
export * from "./health.js";
export * from "./sync-api.js";
