import { z } from "zod";

/**
 * The Foundation's own configuration. Every object is strict, so a misspelled key in a file, an
 * environment variable or an option is an error, never a silent default. Durations are ms.
 */
export const FoundationConfigSchema = z.strictObject({
  eventStore: z.strictObject({
    storage: z.enum(["sqlite", "memory"]),
    path: z.string().min(1),
    synchronous: z.enum(["normal", "full"]),
    maxDataBytes: z.number().int().positive(),
    retention: z.strictObject({
      maxAgeMs: z.number().positive(),
      maxCount: z.number().int().positive(),
      sweepIntervalMs: z.number().positive(),
    }),
  }),
  service: z.strictObject({
    callTimeoutMs: z.number().positive(),
  }),
  supervisor: z.strictObject({
    maxRestarts: z.number().int().min(0),
    withinMs: z.number().positive(),
  }),
  interface: z.strictObject({
    queryTimeoutMs: z.number().positive(),
    maxResults: z.number().int().positive(),
  }),
  dev: z.strictObject({
    debugMode: z.boolean(),
    verboseLogging: z.boolean(),
    performanceMonitoring: z.boolean(),
  }),
});

export type FoundationConfig = z.output<typeof FoundationConfigSchema>;

export const FOUNDATION_DEFAULTS: FoundationConfig = {
  eventStore: {
    storage: "sqlite",
    path: ".elixirscope/events.sqlite",
    synchronous: "normal",
    maxDataBytes: 1_048_576,
    retention: { maxAgeMs: 7 * 24 * 3_600_000, maxCount: 1_000_000, sweepIntervalMs: 60_000 },
  },
  service: { callTimeoutMs: 5_000 },
  supervisor: { maxRestarts: 3, withinMs: 5_000 },
  interface: { queryTimeoutMs: 10_000, maxResults: 1_000 },
  dev: { debugMode: false, verboseLogging: false, performanceMonitoring: false },
};

/**
 * Paths that may change while running; everything else needs a restart. (Event store settings
 * are read when the event store starts, so they are not updatable.)
 */
export const FOUNDATION_UPDATABLE_PATHS: readonly string[] = ["interface", "dev"];
