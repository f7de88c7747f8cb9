import { z } from "zod";
import { systemClock, type TimerClock } from "../clock.js";
import { settlesWithin } from "../common/deadline.js";
import { notifyListeners } from "../common/emitter.js";
import {
  clockSchema,
  fnSchema,
  namespaceSchema,
  registrySchema,
  telemetrySchema,
  timeoutMsSchema,
} from "../common/schemas.js";
import { ElixirScopeError } from "../errors/error.js";
import { parseOptions } from "../options.js";
import type { HealthProbeResult, Namespace, RegistryApi } from "../registry/types.js";
import { addExitListener, describeReason } from "../service/service.js";
import {
  type ExitListener,
  type ExitReason,
  isAbnormal,
  NORMAL,
  SHUTDOWN,
  type Supervisable,
} from "../service/types.js";
import type { TelemetryEmitter } from "../telemetry/types.js";

export type Strategy = "one_for_one" | "one_for_all" | "rest_for_one";
/**
 * - `permanent`: always restarted.
 * - `transient`: restarted only after an abnormal exit (crash or kill).
 * - `temporary`: never restarted; removed when it exits.
 */
export type RestartType = "permanent" | "transient" | "temporary";

/** How long a child may take to stop before it is killed, by default, in ms. */
export const DEFAULT_SHUTDOWN_MS = 5_000;
/** How long a child's `start` may take before the start fails, by default, in ms. */
export const DEFAULT_START_TIMEOUT_MS = 5_000;

const ChildSpecSchema = z.strictObject({
  id: z.string().min(1),
  /** Starts the child and resolves once it runs (e.g. `() => new MyService(opts).start()`). */
  start: fnSchema<() => Supervisable | Promise<Supervisable>>(
    "start, a function returning a started child",
  ),
  restart: z.enum(["permanent", "transient", "temporary"]).optional(),
  /** How long the child may take to stop before it is killed, in ms. */
  shutdownMs: timeoutMsSchema.optional(),
  /**
   * How long `start` may take, in ms (`Infinity`: no limit). Past it the start fails with
   * CHILD_START_FAILED (cause TIMEOUT), and a child that still comes up later is killed.
   */
  startTimeoutMs: timeoutMsSchema.optional(),
});
export type ChildSpec = z.input<typeof ChildSpecSchema>;

const SupervisorOptionsSchema = z.strictObject({
  strategy: z.enum(["one_for_one", "one_for_all", "rest_for_one"]).optional(),
  /** At most this many restarts within `withinMs`; one more and the supervisor gives up. */
  maxRestarts: z.number().int().min(0).optional(),
  withinMs: z.number().positive().optional(),
  children: z.array(z.unknown()).optional(),
  name: z.string().min(1).optional(),
  namespace: namespaceSchema.optional(),
  registry: registrySchema.optional(),
  /** Restart intensity is measured, and start and shutdown timeouts scheduled, on this clock. */
  clock: clockSchema.optional(),
  telemetry: telemetrySchema.optional(),
});
export type SupervisorOptions = z.input<typeof SupervisorOptionsSchema>;

interface ChildState {
  spec: Required<Pick<ChildSpec, "id" | "start">> & {
    restart: RestartType;
    shutdownMs: number;
    startTimeoutMs: number;
  };
  instance: Supervisable | undefined;
  unsubscribe: (() => void) | undefined;
}

export interface ChildInfo {
  id: string;
  restart: RestartType;
  alive: boolean;
  instance: Supervisable | undefined;
}

type SupervisorStatus = "new" | "starting" | "running" | "stopping" | "stopped" | "failed";

function parseChildSpec(spec: unknown): ChildState["spec"] {
  const s = parseOptions(ChildSpecSchema, spec, "ChildSpec");
  return {
    id: s.id,
    start: s.start,
    restart: s.restart ?? "permanent",
    shutdownMs: s.shutdownMs ?? DEFAULT_SHUTDOWN_MS,
    startTimeoutMs: s.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
  };
}

/**
 * OTP's supervisor: starts children in order, restarts them by strategy and restart type, stops
 * them in reverse order with per-child timeouts, and gives up when restarts exceed the intensity
 * (at most `maxRestarts` in `withinMs`), stopping its children and exiting with a crash so that
 * its own supervisor sees it (fails upward).
 *
 * Restarts are serialized: one restart operation runs at a time, and an exit of a child that a
 * group restart already replaced is not counted twice.
 */
export class Supervisor implements Supervisable {
  readonly strategy: Strategy;
  readonly maxRestarts: number;
  readonly withinMs: number;
  readonly supervisorName: string | undefined;
  readonly namespace: Namespace | undefined;
  readonly #registry: RegistryApi | undefined;
  readonly #clock: TimerClock;
  readonly #telemetry: TelemetryEmitter | undefined;
  #children: ChildState[] = [];
  #status: SupervisorStatus = "new";
  #restarts: number[] = [];
  #ops: Promise<void> = Promise.resolve();
  #exitListeners: ExitListener[] = [];
  #exitReason: ExitReason | undefined;
  #exited: Promise<ExitReason>;
  #resolveExited!: (r: ExitReason) => void;
  #stopping: Promise<void> | undefined;
  #starting: Promise<this> | undefined;
  #restartCount = 0;

  constructor(options: SupervisorOptions = {}) {
    const o = parseOptions(SupervisorOptionsSchema, options, "Supervisor");
    if (o.name !== undefined && !o.registry) {
      throw new ElixirScopeError(
        "INVALID_ARGUMENT",
        "Supervisor: option name needs option registry",
      );
    }
    this.strategy = o.strategy ?? "one_for_one";
    this.maxRestarts = o.maxRestarts ?? 3;
    this.withinMs = o.withinMs ?? 5_000;
    this.supervisorName = o.name;
    this.namespace = o.namespace ?? (o.name !== undefined ? "production" : undefined);
    this.#registry = o.registry;
    this.#clock = o.clock ?? systemClock;
    this.#telemetry = o.telemetry;
    const ids = new Set<string>();
    for (const c of o.children ?? []) {
      const spec = parseChildSpec(c);
      if (ids.has(spec.id)) throw duplicate(spec.id);
      ids.add(spec.id);
      this.#children.push({ spec, instance: undefined, unsubscribe: undefined });
    }
    this.#exited = new Promise((resolve) => {
      this.#resolveExited = resolve;
    });
  }

  get alive(): boolean {
    return this.#status === "running" || this.#status === "starting" || this.#status === "stopping";
  }

  get status(): SupervisorStatus {
    return this.#status;
  }

  /** Restarts performed since start. */
  get restartCount(): number {
    return this.#restartCount;
  }

  whenExited(): Promise<ExitReason> {
    return this.#exited;
  }

  /**
   * Starts every child in order, each within its `startTimeoutMs`; if one fails, stops those
   * started (in reverse) and throws CHILD_START_FAILED. If `stop()` or `kill()` comes while
   * children are starting, the start ends after the child in flight and rejects with
   * SUPERVISOR_NOT_RUNNING; `stop()` then stops every child that did start.
   */
  start(): Promise<this> {
    if (this.#status !== "new") {
      return Promise.reject(
        new ElixirScopeError(
          "INVALID_ARGUMENT",
          `Supervisor is ${this.#status}: it was already started; start a new one`,
          { context: { status: this.#status } },
        ),
      );
    }
    this.#status = "starting";
    if (this.supervisorName !== undefined)
      this.#registry!.register(this.namespace!, this.supervisorName, this);
    this.#starting = this.#startAll();
    return this.#starting;
  }

  async #startAll(): Promise<this> {
    for (const child of this.#children) {
      if (this.#status !== "starting") break;
      try {
        await this.#startChild(child);
      } catch (err) {
        if (this.#status !== "starting") break; // stopped meanwhile: stop() cleans up
        await this.#stopChildren(this.#children, SHUTDOWN);
        this.#status = "failed";
        this.#unregister();
        const error = childStartFailed(child.spec.id, err);
        this.#finishExit({ kind: "crash", error });
        throw error;
      }
    }
    if (this.#status === "starting") {
      this.#status = "running";
      return this;
    }
    throw new ElixirScopeError(
      "SUPERVISOR_NOT_RUNNING",
      `Supervisor was ${this.#status === "stopping" ? "stopped" : "killed"} while starting its children`,
      { context: { supervisor: this.supervisorName, status: this.#status } },
    );
  }

  /**
   * Stops every child in reverse start order (each within its `shutdownMs`), then exits. During
   * `start()` it first waits for the child in flight (at most its `startTimeoutMs`).
   */
  stop(reason: "normal" | "shutdown" = "normal", _timeoutMs?: number): Promise<void> {
    if (this.#stopping) return this.#stopping;
    if (!this.alive) return Promise.resolve();
    this.#status = "stopping";
    this.#stopping = (async () => {
      await this.#starting?.catch(() => undefined);
      await this.#ops;
      await this.#stopChildren(this.#children, SHUTDOWN);
      this.#status = "stopped";
      this.#unregister();
      this.#finishExit(reason === "normal" ? NORMAL : SHUTDOWN);
    })();
    return this.#stopping;
  }

  /** Kills every child at once and exits as killed. */
  kill(why?: string): void {
    if (!this.alive) return;
    this.#status = "stopped";
    for (const c of [...this.#children].reverse()) {
      const inst = c.instance;
      c.unsubscribe?.();
      c.instance = undefined;
      inst?.kill(why ?? "supervisor killed");
    }
    this.#unregister();
    this.#finishExit(why === undefined ? { kind: "killed" } : { kind: "killed", why });
  }

  onExit(listener: ExitListener): () => void {
    return addExitListener(this.#exitReason, () => this.#exitListeners, listener);
  }

  health(): HealthProbeResult {
    if (!this.alive) return { status: "unhealthy", reason: `supervisor ${this.#status}` };
    const down = this.#children.filter((c) => !c.instance?.alive && c.spec.restart !== "temporary");
    if (down.length === 0)
      return { status: "healthy", details: { children: this.#children.length } };
    return {
      status: "degraded",
      reason: `children down: ${down.map((c) => c.spec.id).join(", ")}`,
    };
  }

  // ---- dynamic children ---------------------------------------------------------------------

  /** Adds a child at the end and starts it; throws if the id is taken or it fails to start. */
  startChild(spec: ChildSpec): Promise<Supervisable> {
    const parsed = parseChildSpec(spec);
    return this.#enqueue(async () => {
      this.#checkRunning();
      if (this.#children.some((c) => c.spec.id === parsed.id)) throw duplicate(parsed.id);
      const child: ChildState = { spec: parsed, instance: undefined, unsubscribe: undefined };
      try {
        await this.#startChild(child);
      } catch (err) {
        throw childStartFailed(parsed.id, err);
      }
      this.#children.push(child);
      return child.instance!;
    });
  }

  /** Stops a child and keeps its spec (restart it with `restartChild`, drop it with `deleteChild`). */
  terminateChild(id: string): Promise<void> {
    return this.#enqueue(async () => {
      const child = this.#find(id);
      await this.#stopChildren([child], SHUTDOWN);
      if (child.spec.restart === "temporary")
        this.#children.splice(this.#children.indexOf(child), 1);
    });
  }

  /** Starts a terminated child again. */
  restartChild(id: string): Promise<Supervisable> {
    return this.#enqueue(async () => {
      this.#checkRunning();
      const child = this.#find(id);
      if (child.instance?.alive) return child.instance;
      try {
        await this.#startChild(child);
      } catch (err) {
        throw childStartFailed(id, err);
      }
      return child.instance!;
    });
  }

  /** Removes a terminated child's spec. */
  deleteChild(id: string): Promise<void> {
    return this.#enqueue(async () => {
      const child = this.#find(id);
      if (child.instance?.alive) {
        throw new ElixirScopeError(
          "INVALID_ARGUMENT",
          `Child "${id}" is running; terminate it first`,
          {
            context: { id },
          },
        );
      }
      this.#children.splice(this.#children.indexOf(child), 1);
    });
  }

  whichChildren(): ChildInfo[] {
    return this.#children.map((c) => ({
      id: c.spec.id,
      restart: c.spec.restart,
      alive: c.instance?.alive ?? false,
      instance: c.instance,
    }));
  }

  /** The running instance of a child, or undefined. */
  child<T extends Supervisable = Supervisable>(id: string): T | undefined {
    const inst = this.#children.find((c) => c.spec.id === id)?.instance;
    return inst?.alive ? (inst as T) : undefined;
  }

  countChildren(): { specs: number; active: number } {
    return {
      specs: this.#children.length,
      active: this.#children.filter((c) => c.instance?.alive).length,
    };
  }

  // ---- internals ----------------------------------------------------------------------------

  #enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#ops.then(op);
    this.#ops = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #checkRunning(): void {
    if (this.#status !== "running" && this.#status !== "starting") {
      throw new ElixirScopeError("SUPERVISOR_NOT_RUNNING", `Supervisor is ${this.#status}`, {
        context: { status: this.#status },
      });
    }
  }

  #find(id: string): ChildState {
    const child = this.#children.find((c) => c.spec.id === id);
    if (!child) {
      throw new ElixirScopeError("CHILD_NOT_FOUND", `No child "${id}" in this supervisor`, {
        context: { id },
      });
    }
    return child;
  }

  async #startChild(child: ChildState): Promise<void> {
    const { id, startTimeoutMs } = child.spec;
    let started: Promise<Supervisable>;
    try {
      started = Promise.resolve(child.spec.start());
    } catch (err) {
      started = Promise.reject(err);
    }
    if (!(await settlesWithin(started, startTimeoutMs, this.#clock))) {
      // Abandoned: a child that still comes up must not run unsupervised.
      started.then(
        (late) => late?.kill?.(`started after its ${startTimeoutMs} ms start timeout`),
        () => undefined,
      );
      throw new ElixirScopeError(
        "TIMEOUT",
        `Child "${id}" did not start within ${startTimeoutMs} ms`,
        {
          context: { id, startTimeoutMs },
        },
      );
    }
    const instance = await started;
    if (this.#status === "stopped" || this.#status === "failed") {
      // Killed or given up while this child started: it must not outlive the supervisor.
      instance?.kill?.("its supervisor exited while it started");
      throw new ElixirScopeError("SUPERVISOR_NOT_RUNNING", `Supervisor is ${this.#status}`, {
        context: { id, status: this.#status },
      });
    }
    if (!instance || typeof instance.onExit !== "function" || !instance.alive) {
      throw new ElixirScopeError(
        "CHILD_START_FAILED",
        `Child "${child.spec.id}": start() must resolve to a started service or supervisor`,
        { context: { id: child.spec.id } },
      );
    }
    child.instance = instance;
    child.unsubscribe = instance.onExit((reason) => this.#onChildExit(child, instance, reason));
  }

  #onChildExit(child: ChildState, instance: Supervisable, reason: ExitReason): void {
    if (child.instance !== instance) return; // replaced or being stopped by us
    child.instance = undefined;
    child.unsubscribe = undefined;
    if (this.#status !== "running") return;
    this.#telemetry?.execute(
      "foundation.supervisor.child_exit",
      { count: 1 },
      { id: child.spec.id, reason: reason.kind },
    );
    const restart = child.spec.restart;
    if (restart === "temporary") {
      const i = this.#children.indexOf(child);
      if (i >= 0) this.#children.splice(i, 1);
      return;
    }
    if (restart === "transient" && !isAbnormal(reason)) return;
    void this.#enqueue(() => this.#restart(child, reason));
  }

  /** One restart operation for `child`'s exit, by strategy; retried while starts fail. */
  async #restart(child: ChildState, reason: ExitReason): Promise<void> {
    for (;;) {
      if (this.#status !== "running") return;
      if (!this.#children.includes(child) || child.instance?.alive) return; // already replaced
      if (!this.#allowRestart()) {
        await this.#giveUp(child, reason);
        return;
      }
      this.#restartCount++;
      const index = this.#children.indexOf(child);
      const group =
        this.strategy === "one_for_one"
          ? [child]
          : this.strategy === "one_for_all"
            ? [...this.#children]
            : this.#children.slice(index);
      await this.#stopChildren(group, SHUTDOWN);
      let failed = false;
      for (const c of group) {
        if (this.#status !== "running") return;
        if (!this.#children.includes(c) || c.instance?.alive) continue;
        try {
          await this.#startChild(c);
        } catch (err) {
          reason = { kind: "crash", error: childStartFailed(c.spec.id, err) };
          child = c;
          failed = true;
          break;
        }
      }
      this.#telemetry?.execute(
        "foundation.supervisor.restart",
        { count: 1 },
        { id: child.spec.id, strategy: this.strategy, failed },
      );
      if (!failed) return;
    }
  }

  /** Records a restart; false when that would exceed maxRestarts within withinMs. */
  #allowRestart(): boolean {
    const now = this.#clock.now();
    const since = now - this.withinMs;
    this.#restarts = this.#restarts.filter((t) => t > since);
    this.#restarts.push(now);
    return this.#restarts.length <= this.maxRestarts;
  }

  async #giveUp(child: ChildState, last: ExitReason): Promise<void> {
    this.#status = "stopping";
    await this.#stopChildren(this.#children, SHUTDOWN);
    this.#status = "failed";
    this.#unregister();
    const error = new ElixirScopeError(
      "SUPERVISOR_INTENSITY_EXCEEDED",
      `More than ${this.maxRestarts} restarts within ${this.withinMs} ms (last: child "${child.spec.id}", ${describeReason(last)}); supervisor gave up`,
      {
        context: {
          supervisor: this.supervisorName,
          namespace: this.namespace,
          child: child.spec.id,
          maxRestarts: this.maxRestarts,
          withinMs: this.withinMs,
        },
        cause: last.kind === "crash" ? last.error : undefined,
      },
    );
    this.#finishExit({ kind: "crash", error });
  }

  /** Stops the given children in reverse order, killing any that outlast its shutdownMs. */
  async #stopChildren(children: readonly ChildState[], reason: ExitReason): Promise<void> {
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i]!;
      const inst = c.instance;
      if (!inst) continue;
      c.unsubscribe?.();
      c.instance = undefined;
      c.unsubscribe = undefined;
      if (!inst.alive) continue;
      let failed: Promise<boolean>;
      try {
        const kind = reason.kind === "normal" ? "normal" : "shutdown";
        failed = inst.stop(kind, c.spec.shutdownMs).then(
          () => false,
          () => true,
        );
      } catch {
        failed = Promise.resolve(true);
      }
      if (!(await settlesWithin(failed, c.spec.shutdownMs, this.#clock))) {
        inst.kill(`did not stop within ${c.spec.shutdownMs} ms`);
      } else if (await failed) inst.kill("stop failed");
    }
  }

  #unregister(): void {
    if (this.supervisorName !== undefined)
      this.#registry!.unregister(this.namespace!, this.supervisorName, this);
  }

  #finishExit(reason: ExitReason): void {
    if (this.#exitReason) return;
    this.#exitReason = reason;
    this.#telemetry?.execute("foundation.supervisor.exit", { count: 1 }, { reason: reason.kind });
    const listeners = this.#exitListeners;
    this.#exitListeners = [];
    notifyListeners(listeners, reason, "supervisor exit");
    this.#resolveExited(reason);
  }
}

function duplicate(id: string): ElixirScopeError {
  return new ElixirScopeError(
    "CHILD_ALREADY_EXISTS",
    `A child "${id}" already exists in this supervisor`,
    {
      context: { id },
    },
  );
}

function childStartFailed(id: string, err: unknown): ElixirScopeError {
  return new ElixirScopeError(
    "CHILD_START_FAILED",
    `Child "${id}" failed to start: ${err instanceof Error ? err.message : String(err)}`,
    { context: { id }, cause: err },
  );
}
