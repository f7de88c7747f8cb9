/**
 * L1 Foundation: OTP-style services for Node (registry, supervision, config, events, telemetry)
 * and resilience infrastructure. Usable on its own as `elixirscope/foundation`.
 * @packageDocumentation
 */
export * from "./clock.js";
export * from "./errors/index.js";
export * from "./infra/index.js";
export { parseOptions } from "./options.js";
export * from "./registry/index.js";
export * from "./telemetry/index.js";
