/**
 * Layered health: liveness (the process answers) and readiness per layer (the Foundation's
 * services, the AST services, the live index and its watcher, the cache, Redis when configured),
 * each with its reason, so an operator sees which layer holds readiness back.
 *
 * Each layer is a probe run under a timeout; a probe that throws or times out counts as
 * unhealthy with the error as its reason. Overall: `ready` when every layer is healthy,
 * `degraded` when some layer is degraded but none unhealthy (still serving), `not_ready`
 * otherwise.
 * @packageDocumentation
 */
import type { HealthProbeResult, HealthStatus } from "../foundation/index.js";

/** One layer's verdict. */
export interface LayerHealth {
  status: HealthStatus;
  reason?: string;
  details?: Record<string, unknown>;
}

/** The readiness report. */
export interface ReadinessReport {
  status: "ready" | "degraded" | "not_ready";
  layers: Record<string, LayerHealth>;
}

/** A layer's probe. */
export type LayerProbe = () => HealthProbeResult | Promise<HealthProbeResult>;

function normalize(r: HealthProbeResult): LayerHealth {
  if (typeof r === "boolean") return { status: r ? "healthy" : "unhealthy" };
  return {
    status: r.status,
    ...(r.reason === undefined ? {} : { reason: r.reason }),
    ...(r.details === undefined ? {} : { details: r.details }),
  };
}

/** Readiness over named layers, probed in parallel, each under `timeoutMs`. */
export class LayeredHealth {
  readonly #layers = new Map<string, LayerProbe>();
  readonly #timeoutMs: number;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 1_000;
  }

  /** Adds (or replaces) a layer. */
  layer(name: string, probe: LayerProbe): this {
    this.#layers.set(name, probe);
    return this;
  }

  async #probe(probe: LayerProbe): Promise<LayerHealth> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<LayerHealth>((resolve) => {
        timer = setTimeout(
          () => resolve({ status: "unhealthy", reason: `no answer within ${this.#timeoutMs} ms` }),
          this.#timeoutMs,
        );
      });
      return await Promise.race([Promise.resolve().then(probe).then(normalize), timeout]);
    } catch (error) {
      return {
        status: "unhealthy",
        reason: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Probes every layer. */
  async readiness(): Promise<ReadinessReport> {
    const names = [...this.#layers.keys()];
    const results = await Promise.all(names.map((n) => this.#probe(this.#layers.get(n)!)));
    const layers: Record<string, LayerHealth> = {};
    names.forEach((n, i) => {
      layers[n] = results[i]!;
    });
    const statuses = results.map((r) => r.status);
    const status = statuses.includes("unhealthy")
      ? "not_ready"
      : statuses.includes("degraded")
        ? "degraded"
        : "ready";
    return { status, layers };
  }
}
