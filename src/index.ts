/**
 * ElixirScope: the whole library (L1 Foundation, L2 AST, integration).
 * @packageDocumentation
 */

export * as ast from "./ast/index.js";
export * as foundation from "./foundation/index.js";
export { VERSION } from "./version.js";
