/**
 * Health checks: registered probes split into liveness (is the process working at all) and
 * readiness (can it serve now), each with its own timeout, with dependencies between checks,
 * aggregated into healthy, degraded or unhealthy with the reasons, a recent history, a JSON
 * report and a plain-text status page.
 *
 * A check whose dependency is unhealthy is not run: it reports unhealthy, naming the dependency,
 * so one root cause is not reported as a dozen unrelated timeouts.
 * @packageDocumentation
 */
import { z } from "zod";
import { systemClock, type TimerClock } from "../clock.js";
import { runWithTimeout } from "../common/deadline.js";
import { type Disposable, Emitter, type Event } from "../common/emitter.js";
import {
  clockSchema,
  countSchema,
  fnSchema,
  positiveMsSchema,
  telemetrySchema,
} from "../common/schemas.js";
import { parseOptions } from "../options.js";
import type { HealthProbeResult, HealthStatus } from "../registry/types.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import { describeError, HealthCheckTimeoutError } from "./errors.js";
import { type ComponentHealth, emitTelemetry, type InfraComponent } from "./telemetry.js";

/** Which question a check answers. */
export type CheckKind = "liveness" | "readiness" | "both";

/** A probe: returns a status (or true/false, or nothing for healthy) or throws for unhealthy. */
export type CheckFn = (
  signal: AbortSignal,
) => HealthProbeResult | undefined | Promise<HealthProbeResult | undefined>;

/** One registered check. Unknown keys are rejected. */
export interface HealthCheckDefinition {
  readonly name: string;
  readonly check: CheckFn;
  /** Default `"readiness"`. */
  readonly kind?: CheckKind;
  /** Budget of one run in ms (default 1 000). */
  readonly timeoutMs?: number;
  /** Checks that must be healthy or degraded before this one runs. */
  readonly dependsOn?: readonly string[];
  /** A failing non-critical check degrades the aggregate instead of making it unhealthy (default true). */
  readonly critical?: boolean;
}

/** The outcome of one check in one run. */
export interface CheckResult {
  readonly name: string;
  readonly status: HealthStatus;
  readonly critical: boolean;
  readonly reason?: string;
  readonly details?: Record<string, unknown>;
  /** ms the check took (0 when skipped). */
  readonly durationMs: number;
  /** Set when the check did not run because a dependency was unhealthy. */
  readonly skippedBecause?: string;
}

/** The aggregate of one run. */
export interface HealthSnapshot {
  readonly status: HealthStatus;
  readonly kind: "liveness" | "readiness";
  /** Epoch ms of the run's start. */
  readonly at: number;
  readonly durationMs: number;
  /** `"<check>: <reason>"` for every check that is not healthy. */
  readonly reasons: readonly string[];
  readonly checks: readonly CheckResult[];
}

const definitionSchema = z.strictObject({
  name: z.string().min(1),
  check: fnSchema<CheckFn>("check"),
  kind: z.enum(["liveness", "readiness", "both"]).optional(),
  timeoutMs: positiveMsSchema.optional(),
  dependsOn: z.array(z.string().min(1)).optional(),
  critical: z.boolean().optional(),
});
const optionsSchema = z.strictObject({
  name: z.string().min(1),
  /** Runs kept in history (default 20). */
  historySize: countSchema.max(10_000).optional(),
  clock: clockSchema.optional(),
  telemetry: telemetrySchema.optional(),
});
/** Options of {@link HealthChecker}. Unknown keys are rejected. */
export type HealthCheckerOptions = z.input<typeof optionsSchema>;

interface Registered {
  readonly name: string;
  readonly check: CheckFn;
  readonly kind: CheckKind;
  readonly timeoutMs: number;
  readonly dependsOn: readonly string[];
  readonly critical: boolean;
}

/** Runs registered checks and aggregates them. */
export class HealthChecker implements InfraComponent {
  readonly kind = "health_check";
  readonly name: string;
  readonly alive = true;
  readonly #checks = new Map<string, Registered>();
  readonly #history: HealthSnapshot[] = [];
  readonly #historySize: number;
  readonly #clock: TimerClock;
  readonly #telemetry: TelemetryEmitter | undefined;
  readonly #changes = new Emitter<{ from: HealthStatus | undefined; to: HealthSnapshot }>(
    "health change",
  );
  #last: HealthSnapshot | undefined;

  /** Fired when a run's aggregate status differs from the previous run's of the same kind. */
  readonly onStatusChange: Event<{ from: HealthStatus | undefined; to: HealthSnapshot }> =
    this.#changes.event;

  /** @throws ElixirScopeError (UNKNOWN_OPTION / INVALID_ARGUMENT) on bad options. */
  constructor(options: HealthCheckerOptions) {
    const o = parseOptions(optionsSchema, options, "HealthChecker");
    this.name = o.name;
    this.#historySize = o.historySize ?? 20;
    this.#clock = o.clock ?? systemClock;
    this.#telemetry = o.telemetry;
  }

  /**
   * Adds a check; `dispose()` on the result removes it.
   * @throws ElixirScopeError on bad definitions, a duplicate name or a dependency cycle.
   */
  register(definition: HealthCheckDefinition): Disposable {
    const d = parseOptions(definitionSchema, definition, `HealthChecker "${this.name}" check`);
    if (this.#checks.has(d.name))
      throw new RangeError(
        `HealthChecker "${this.name}": a check named "${d.name}" is already registered`,
      );
    const entry: Registered = {
      name: d.name,
      check: definition.check,
      kind: d.kind ?? "readiness",
      timeoutMs: d.timeoutMs ?? 1000,
      dependsOn: d.dependsOn ?? [],
      critical: d.critical ?? true,
    };
    this.#checks.set(d.name, entry);
    const cycle = this.#findCycle(d.name);
    if (cycle) {
      this.#checks.delete(d.name);
      throw new RangeError(`HealthChecker "${this.name}": dependency cycle ${cycle.join(" -> ")}`);
    }
    return { dispose: () => this.#checks.get(d.name) === entry && this.#checks.delete(d.name) };
  }

  /** Registers an infrastructure component's own health (breaker, pool, limiter, ...) as a check. */
  registerComponent(
    component: InfraComponent,
    options: Omit<HealthCheckDefinition, "name" | "check"> & { readonly name?: string } = {},
  ): Disposable {
    return this.register({
      ...options,
      name: options.name ?? `${component.kind}:${component.name}`,
      check: () => component.health(),
    });
  }

  #findCycle(start: string): string[] | undefined {
    const path: string[] = [];
    const visit = (name: string): string[] | undefined => {
      if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
      const c = this.#checks.get(name);
      if (!c) return undefined;
      path.push(name);
      for (const dep of c.dependsOn) {
        const found = visit(dep);
        if (found) return found;
      }
      path.pop();
      return undefined;
    };
    return visit(start);
  }

  /** Runs the liveness or readiness checks (and what they depend on) and aggregates them. */
  async run(kind: "liveness" | "readiness" = "readiness"): Promise<HealthSnapshot> {
    const at = this.#clock.now();
    const t0 = performance.now();
    const selected = [...this.#checks.values()].filter((c) => c.kind === kind || c.kind === "both");
    const running = new Map<string, Promise<CheckResult>>();
    const runOne = (name: string): Promise<CheckResult> => {
      let p = running.get(name);
      if (!p) {
        p = this.#runCheck(name, runOne);
        running.set(name, p);
      }
      return p;
    };
    await Promise.all(selected.map((c) => runOne(c.name)));
    const checks = await Promise.all([...running.values()]);
    checks.sort((a, b) => a.name.localeCompare(b.name));
    let status: HealthStatus = "healthy";
    const reasons: string[] = [];
    for (const c of checks) {
      if (c.status === "healthy") continue;
      reasons.push(`${c.name}: ${c.reason ?? c.status}`);
      if (c.status === "unhealthy" && c.critical) status = "unhealthy";
      else if (status === "healthy") status = "degraded";
    }
    const snapshot: HealthSnapshot = {
      status,
      kind,
      at,
      durationMs: performance.now() - t0,
      reasons,
      checks,
    };
    this.#history.push(snapshot);
    if (this.#history.length > this.#historySize) this.#history.shift();
    const previous = [...this.#history].reverse().find((h, i) => i > 0 && h.kind === kind)?.status;
    if (previous !== status) {
      this.#changes.emit({ from: previous, to: snapshot });
      emitTelemetry(
        this.#telemetry,
        this.kind,
        "status_change",
        { checks: checks.length },
        { checker: this.name, kind, from: previous, to: status },
      );
    }
    this.#last = snapshot;
    return snapshot;
  }

  async #runCheck(
    name: string,
    runDep: (name: string) => Promise<CheckResult>,
  ): Promise<CheckResult> {
    const c = this.#checks.get(name);
    if (!c)
      return {
        name,
        status: "unhealthy",
        critical: true,
        reason: "no such check is registered",
        durationMs: 0,
      };
    for (const dep of c.dependsOn) {
      const r = await runDep(dep);
      if (r.status === "unhealthy") {
        return {
          name,
          status: "unhealthy",
          critical: c.critical,
          reason: `dependency "${dep}" is unhealthy`,
          durationMs: 0,
          skippedBecause: dep,
        };
      }
    }
    const t0 = performance.now();
    try {
      const answer = await runWithTimeout(
        (signal) => c.check(signal),
        c.timeoutMs,
        this.#clock,
        `health check "${name}"`,
      ).catch((error: unknown) => {
        throw (error as { code?: string })?.code === "TIMEOUT"
          ? new HealthCheckTimeoutError(name, c.timeoutMs)
          : error;
      });
      const durationMs = performance.now() - t0;
      if (answer === undefined || answer === true)
        return { name, status: "healthy", critical: c.critical, durationMs };
      if (answer === false)
        return {
          name,
          status: "unhealthy",
          critical: c.critical,
          reason: "check returned false",
          durationMs,
        };
      return {
        name,
        status: answer.status,
        critical: c.critical,
        ...(answer.reason === undefined ? {} : { reason: answer.reason }),
        ...(answer.details === undefined ? {} : { details: answer.details }),
        durationMs,
      };
    } catch (error) {
      return {
        name,
        status: "unhealthy",
        critical: c.critical,
        reason: describeError(error),
        durationMs: performance.now() - t0,
      };
    }
  }

  /** Recent runs, oldest first. */
  history(): readonly HealthSnapshot[] {
    return [...this.#history];
  }

  /** Names of the registered checks. */
  list(): string[] {
    return [...this.#checks.keys()];
  }

  /** The last run's aggregate (healthy before any run: nothing has failed yet). */
  health(): ComponentHealth {
    const last = this.#last;
    if (!last) return { status: "healthy", details: { checks: this.#checks.size, runs: 0 } };
    return {
      status: last.status,
      ...(last.reasons.length ? { reason: last.reasons.join("; ") } : {}),
      details: { checks: this.#checks.size, lastRunAt: last.at, kind: last.kind },
    };
  }
}

/** The snapshot as a JSON document for `/health` endpoints (a stable, plain shape). */
export function healthToJSON(snapshot: HealthSnapshot): string {
  return JSON.stringify(snapshot);
}

const MARK: Record<HealthStatus, string> = { healthy: " OK ", degraded: "WARN", unhealthy: "FAIL" };

/** A plain-text status page for people. */
export function renderHealthText(snapshot: HealthSnapshot): string {
  const width = Math.max(5, ...snapshot.checks.map((c) => c.name.length));
  const lines = [
    `${snapshot.kind} ${snapshot.status.toUpperCase()} at ${new Date(snapshot.at).toISOString()} (${snapshot.durationMs.toFixed(1)} ms)`,
    "",
  ];
  for (const c of snapshot.checks) {
    const tail = c.reason ? `  ${c.reason}` : "";
    const crit = c.critical ? "" : " (non-critical)";
    lines.push(
      `[${MARK[c.status]}] ${c.name.padEnd(width)}  ${c.durationMs.toFixed(1).padStart(7)} ms${crit}${tail}`,
    );
  }
  if (snapshot.checks.length === 0) lines.push("(no checks registered)");
  return `${lines.join("\n")}\n`;
}
