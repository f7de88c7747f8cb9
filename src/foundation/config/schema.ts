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
};

/**
 * Paths that may change while running; everything else needs a restart. None of the Foundation's
 * own settings can: each is read once, when the component it configures starts. Applications add
 * theirs with the ConfigServer's `updatable` option.
 */
export const FOUNDATION_UPDATABLE_PATHS: readonly string[] = [];
