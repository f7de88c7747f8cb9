/**
 * L1 Foundation: OTP-style services for Node (registry, supervision, config, events, telemetry)
 * and resilience infrastructure. Usable on its own as `elixirscope/foundation`.
 * @packageDocumentation
 */
export * from "./infra/index.js";
