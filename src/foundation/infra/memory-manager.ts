/**
 * Memory manager: samples heap and RSS on an interval, derives a pressure level (normal,
 * elevated, high, critical) with hysteresis so it does not flap around a threshold, and runs the
 * cleanup actions consumers registered for each level (trim caches at high, drop everything that
 * can be rebuilt at critical).
 *
 * Pressure is the larger of heapUsed / heapLimit and rss / rssLimit (when an RSS limit is set).
 * A level is entered as soon as pressure reaches its threshold, and left only once pressure is
 * `hysteresis` below it.
 * @packageDocumentation
 */
import { getHeapStatistics } from "node:v8";
import { z } from "zod";
import { systemClock, type TimerClock, type TimerHandle } from "../clock.js";
import { type Disposable, Emitter, type Event, reportListenerError } from "../common/emitter.js";
import { clockSchema, fnSchema, positiveMsSchema, telemetrySchema } from "../common/schemas.js";
import { parseOptions } from "../options.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import { describeError } from "./errors.js";
import { type ComponentHealth, emitTelemetry, type InfraComponent } from "./telemetry.js";

/** Pressure levels, lowest first. */
export const PRESSURE_LEVELS = ["normal", "elevated", "high", "critical"] as const;
/** One pressure level. */
export type PressureLevel = (typeof PRESSURE_LEVELS)[number];

/** One reading of the process's memory, in bytes. */
export interface MemorySample {
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** V8's heap size limit. */
  readonly heapLimit: number;
  readonly rss: number;
  readonly external: number;
}

/** Where samples come from; tests inject one, production reads V8 and `process.memoryUsage`. */
export type MemorySource = () => MemorySample;

/** Reads the real process. */
export const processMemorySource: MemorySource = () => {
  const usage = process.memoryUsage();
  return {
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    heapLimit: getHeapStatistics().heap_size_limit,
    rss: usage.rss,
    external: usage.external,
  };
};

/** Fired when the level changes. */
export interface LevelChange {
  readonly from: PressureLevel;
  readonly to: PressureLevel;
  readonly pressure: number;
  readonly sample: MemorySample;
}

/** A cleanup action; receives the level being entered and the sample that caused it. */
export type CleanupAction = (level: PressureLevel, sample: MemorySample) => void | Promise<void>;

const fraction = z.number().gt(0).lt(1);
const optionsSchema = z
  .strictObject({
    name: z.string().min(1),
    /** Sampling interval in ms while started (default 5 000). */
    intervalMs: positiveMsSchema.optional(),
    /** Pressure (0..1) at which each level starts (defaults 0.7, 0.85, 0.95). */
    thresholds: z
      .strictObject({
        elevated: fraction.optional(),
        high: fraction.optional(),
        critical: fraction.optional(),
      })
      .optional(),
    /** How far below a level's threshold pressure must fall to leave it (default 0.05). */
    hysteresis: z.number().gte(0).lt(0.5).optional(),
    /** Heap size that counts as 100% (default: V8's heap limit from the sample). */
    heapLimitBytes: z.number().positive().optional(),
    /** RSS that counts as 100% (off by default). */
    rssLimitBytes: z.number().positive().optional(),
    /** Where samples come from (default: this process's memory usage). */
    source: fnSchema<MemorySource>("source").optional(),
    clock: clockSchema.optional(),
    telemetry: telemetrySchema.optional(),
  })
  .refine(
    (o) => {
      const t = { elevated: 0.7, high: 0.85, critical: 0.95, ...o.thresholds };
      return t.elevated < t.high && t.high < t.critical;
    },
    { message: "thresholds must rise: elevated < high < critical", path: ["thresholds"] },
  );
/** Options of {@link MemoryManager}. Unknown keys are rejected. */
export type MemoryManagerOptions = z.input<typeof optionsSchema>;

/** Samples memory, tracks the pressure level, and runs cleanup actions. */
export class MemoryManager implements InfraComponent {
  readonly kind = "memory_manager";
  readonly name: string;
  readonly #intervalMs: number;
  readonly #thresholds: readonly [number, number, number, number];
  readonly #hysteresis: number;
  readonly #heapLimit: number | undefined;
  readonly #rssLimit: number | undefined;
  readonly #source: MemorySource;
  readonly #clock: TimerClock;
  readonly #telemetry: TelemetryEmitter | undefined;
  readonly #actions: Array<Set<CleanupAction>> = PRESSURE_LEVELS.map(() => new Set());
  readonly #changes = new Emitter<LevelChange>("memory level change");
  #level = 0;
  #pressure = 0;
  #last: MemorySample | undefined;
  #timer: TimerHandle | undefined;
  #running = false;
  #stopped = false;
  #cleanups = 0;

  /** Fired when the level changes. */
  readonly onLevelChange: Event<LevelChange> = this.#changes.event;

  /** @throws ElixirScopeError (UNKNOWN_OPTION / INVALID_ARGUMENT) on bad options. */
  constructor(options: MemoryManagerOptions) {
    const o = parseOptions(optionsSchema, options, "MemoryManager");
    this.name = o.name;
    this.#intervalMs = o.intervalMs ?? 5_000;
    const t = { elevated: 0.7, high: 0.85, critical: 0.95, ...o.thresholds };
    this.#thresholds = [0, t.elevated, t.high, t.critical];
    this.#hysteresis = o.hysteresis ?? 0.05;
    this.#heapLimit = o.heapLimitBytes;
    this.#rssLimit = o.rssLimitBytes;
    this.#source = o.source ?? processMemorySource;
    this.#clock = o.clock ?? systemClock;
    this.#telemetry = o.telemetry;
  }

  /** Alive until stopped (`sample()` works without starting the interval). */
  get alive(): boolean {
    return !this.#stopped;
  }

  /** The current level. */
  get level(): PressureLevel {
    return PRESSURE_LEVELS[this.#level];
  }

  /** The last computed pressure (0..1+). */
  get pressure(): number {
    return this.#pressure;
  }

  /** Starts sampling every `intervalMs` (the first sample is taken at once). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopped = false;
    const tick = (): void => {
      if (!this.#running) return;
      this.sample().catch((error: unknown) =>
        reportListenerError(`memory manager "${this.name}"`, error),
      );
      // Background sampling: it must not keep an otherwise finished process alive.
      this.#timer = this.#clock.setTimeout(tick, this.#intervalMs, { background: true });
    };
    tick();
  }

  /** Stops sampling. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /**
   * Registers `action` for `level`: it runs whenever the level rises to `level` or above from
   * below it. Actions of every level crossed run, lowest first.
   */
  onLevel(level: Exclude<PressureLevel, "normal">, action: CleanupAction): Disposable {
    const i = PRESSURE_LEVELS.indexOf(level);
    if (i < 1) throw new RangeError(`MemoryManager "${this.name}": unknown level "${level}"`);
    if (typeof action !== "function")
      throw new TypeError(`MemoryManager "${this.name}": action must be a function`);
    this.#actions[i].add(action);
    return { dispose: () => this.#actions[i].delete(action) };
  }

  /** Takes one sample, updates the level, and runs cleanup actions for levels entered. */
  async sample(): Promise<MemorySample> {
    const s = this.#source();
    this.#last = s;
    const heapRatio = s.heapUsed / (this.#heapLimit ?? s.heapLimit);
    const rssRatio = this.#rssLimit ? s.rss / this.#rssLimit : 0;
    const pressure = Math.max(heapRatio, rssRatio);
    this.#pressure = pressure;
    const up = this.#rawLevel(pressure);
    const down = this.#rawLevel(pressure + this.#hysteresis);
    const from = this.#level;
    let to = from;
    if (up > from) to = up;
    else if (down < from) to = down;
    if (to === from) return s;
    this.#level = to;
    const change: LevelChange = {
      from: PRESSURE_LEVELS[from],
      to: PRESSURE_LEVELS[to],
      pressure,
      sample: s,
    };
    this.#changes.emit(change);
    emitTelemetry(
      this.#telemetry,
      this.kind,
      "level_change",
      { pressure, heapUsed: s.heapUsed, rss: s.rss },
      {
        manager: this.name,
        from: change.from,
        to: change.to,
      },
    );
    for (let level = from + 1; level <= to; level++) {
      for (const action of [...this.#actions[level]]) {
        try {
          await action(PRESSURE_LEVELS[level], s);
          this.#cleanups++;
        } catch (error) {
          reportListenerError(
            `memory cleanup at ${PRESSURE_LEVELS[level]}: ${describeError(error)}`,
            error,
          );
        }
      }
    }
    return s;
  }

  #rawLevel(pressure: number): number {
    for (let i = 3; i > 0; i--) if (pressure >= this.#thresholds[i]) return i;
    return 0;
  }

  /** Normal and elevated are healthy, high degraded, critical unhealthy. */
  health(): ComponentHealth {
    const details = {
      level: this.level,
      pressure: this.#pressure,
      lastSample: this.#last,
      cleanupsRun: this.#cleanups,
    };
    if (this.#level <= 1) return { status: "healthy", details };
    const reason = `memory pressure ${(this.#pressure * 100).toFixed(1)}% (${this.level})`;
    return { status: this.#level === 2 ? "degraded" : "unhealthy", reason, details };
  }
}
