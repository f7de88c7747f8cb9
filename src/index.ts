/**
 * ElixirScope: the whole library (L1 Foundation, L2 AST, and the integration of L2 as Foundation
 * services).
 * @packageDocumentation
 */

export * as ast from "./ast/index.js";
export * as foundation from "./foundation/index.js";
export * from "./integration/index.js";
export { VERSION } from "./version.js";
