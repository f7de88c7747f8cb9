import { z } from "zod";
import { systemClock, type TimerClock, type TimerHandle } from "../clock.js";
import { settlesWithin } from "../common/deadline.js";
import { notifyListeners } from "../common/emitter.js";
import {
  clockSchema,
  namespaceSchema,
  registrySchema,
  telemetrySchema,
  timeoutMsSchema,
} from "../common/schemas.js";
import { ElixirScopeError } from "../errors/error.js";
import { parseOptions } from "../options.js";
import type { HealthProbeResult, Namespace, RegistryApi } from "../registry/types.js";
import type { TelemetryEmitter } from "../telemetry/types.js";
import {
  type ExitListener,
  type ExitReason,
  NORMAL,
  type ServiceStatus,
  SHUTDOWN,
  type Supervisable,
} from "./types.js";

export const DEFAULT_CALL_TIMEOUT_MS = 5_000;
export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

const CALL = 0;
const CAST = 1;
const INFO = 2;

/** One message waiting in the mailbox. */
interface Envelope {
  kind: typeof CALL | typeof CAST | typeof INFO;
  msg: unknown;
  resolve: ((value: unknown) => void) | undefined;
  reject: ((error: unknown) => void) | undefined;
  timer: TimerHandle | undefined;
  /** Settled (replied, timed out or rejected): skip it. */
  done: boolean;
}

const ServiceOptionsSchema = z.strictObject({
  /** Registers the service under this name while it runs (needs `registry`). */
  name: z.string().min(1).optional(),
  namespace: namespaceSchema.optional(),
  registry: registrySchema.optional(),
  /** Default timeout of `call`, in ms (`Infinity`: wait for ever). */
  callTimeoutMs: timeoutMsSchema.optional(),
  /** How long `terminate` may take on a crash or kill before it is abandoned, in ms. */
  terminateTimeoutMs: timeoutMsSchema.optional(),
  /** Where every wait of the service (call and stop timeouts, `sendAfter`) is scheduled. */
  clock: clockSchema.optional(),
  telemetry: telemetrySchema.optional(),
});
export type ServiceOptions = z.input<typeof ServiceOptionsSchema>;

let nextId = 1;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}

/**
 * The GenServer analogue: a mailbox that handles one message at a time, private state (the
 * subclass's own fields), and crash isolation.
 *
 * Messages are serialized: `call` (with a reply and a timeout), `cast` (no reply) and info
 * messages (`send`, `sendAfter`). When the mailbox is idle a message is handled at once, in the
 * caller's stack, with no timer and no extra tick; that is what keeps a call round trip near a
 * microsecond. A message that arrives while another is being handled waits in the queue, and only
 * then does a call get a timeout timer.
 *
 * A handler that throws (or whose promise rejects) crashes the service: the caller gets
 * SERVICE_CRASHED, every queued call is rejected, `terminate` runs, and exit listeners (its
 * supervisor) are told. A crashed or stopped service answers SERVICE_NOT_RUNNING at once. A
 * service instance runs once; a supervisor restarts by starting a fresh instance.
 */
export abstract class Service<TCall = never, TReply = unknown, TCast = never, TInfo = never>
  implements Supervisable
{
  /** Instance number, for messages and logs. */
  readonly id = nextId++;
  readonly serviceName: string | undefined;
  readonly namespace: Namespace | undefined;
  protected readonly clock: TimerClock;
  protected readonly telemetry: TelemetryEmitter | undefined;
  readonly #registry: RegistryApi | undefined;
  readonly #callTimeoutMs: number;
  readonly #terminateTimeoutMs: number;

  #status: ServiceStatus = "new";
  #busy = false;
  #queue: Envelope[] = [];
  #head = 0;
  #inflight: Envelope | undefined;
  #timers = new Set<TimerHandle>();
  #exitListeners: ExitListener[] = [];
  #exitReason: ExitReason | undefined;
  #stopping: Promise<void> | undefined;
  #started: Promise<this> | undefined;
  #idleWaiter: (() => void) | undefined;
  #exited: Promise<ExitReason>;
  #resolveExited!: (reason: ExitReason) => void;

  constructor(options: ServiceOptions = {}) {
    const o = parseOptions(ServiceOptionsSchema, options, new.target.name);
    if (o.name !== undefined && !o.registry) {
      throw new ElixirScopeError(
        "INVALID_ARGUMENT",
        `${new.target.name}: option name needs option registry`,
        {
          context: { name: o.name },
        },
      );
    }
    this.serviceName = o.name;
    this.namespace = o.namespace ?? (o.name !== undefined ? "production" : undefined);
    this.#registry = o.registry;
    this.#callTimeoutMs = o.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#terminateTimeoutMs = o.terminateTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.clock = o.clock ?? systemClock;
    this.telemetry = o.telemetry;
    this.#exited = new Promise((resolve) => {
      this.#resolveExited = resolve;
    });
  }

  // ---- callbacks ---------------------------------------------------------------------------

  /** Sets up state. A throw (or rejection) fails `start` with SERVICE_START_FAILED. */
  protected init(): void | Promise<void> {}
  /** Handles a call; the return value is the reply. */
  protected handleCall(msg: TCall): TReply | Promise<TReply> {
    throw new ElixirScopeError("NOT_SUPPORTED", `${this.describe()} handles no calls`, {
      context: { msg },
    });
  }
  /** Handles a cast. */
  protected handleCast(msg: TCast): void | Promise<void> {
    throw new ElixirScopeError("NOT_SUPPORTED", `${this.describe()} handles no casts`, {
      context: { msg },
    });
  }
  /** Handles an info message (`send`, `sendAfter`). */
  protected handleInfo(_msg: TInfo): void | Promise<void> {}
  /** Releases resources; runs on stop, crash and kill. */
  protected terminate(_reason: ExitReason): void | Promise<void> {}

  // ---- state -------------------------------------------------------------------------------

  /** The registry this service was given (to find its peers in its namespace). */
  protected get registry(): RegistryApi | undefined {
    return this.#registry;
  }

  get status(): ServiceStatus {
    return this.#status;
  }

  /** True from `start` until the service stops or crashes. */
  get alive(): boolean {
    const s = this.#status;
    return s === "running" || s === "starting" || s === "stopping";
  }

  /** Messages waiting (not counting the one being handled). */
  get queueLength(): number {
    return this.#queue.length - this.#head;
  }

  /** Resolves with the exit reason once the service has exited. */
  whenExited(): Promise<ExitReason> {
    return this.#exited;
  }

  /** The default health probe: healthy while running. */
  health(): HealthProbeResult | Promise<HealthProbeResult> {
    return this.#status === "running"
      ? { status: "healthy", details: { queueLength: this.queueLength } }
      : { status: "unhealthy", reason: `status ${this.#status}` };
  }

  describe(): string {
    const where = this.serviceName ? ` "${this.serviceName}" in ${this.namespace}` : "";
    return `${this.constructor.name}#${this.id}${where}`;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /**
   * Runs `init`, registers the service if it has a name, and starts handling messages. While the
   * service is starting or running, calling it again returns the same promise. An instance runs
   * once: on a stopped, stopping or crashed instance it rejects with SERVICE_NOT_RUNNING (a
   * supervisor restarts by starting a fresh instance).
   */
  start(): Promise<this> {
    const s = this.#status;
    if (this.#started && (s === "starting" || s === "running")) return this.#started;
    if (s !== "new") {
      return Promise.reject(
        new ElixirScopeError(
          "SERVICE_NOT_RUNNING",
          `${this.describe()} is ${s}: a service instance runs once; start a new instance`,
          { context: { ...this.#context(), status: s } },
        ),
      );
    }
    this.#started = this.#runStart();
    return this.#started;
  }

  async #runStart(): Promise<this> {
    this.#status = "starting";
    if (this.serviceName !== undefined) {
      try {
        this.#registry!.register(this.namespace!, this.serviceName, this);
      } catch (err) {
        this.#status = "stopped";
        throw err;
      }
    }
    try {
      const r = this.init();
      if (isThenable(r)) await r;
    } catch (err) {
      const error = new ElixirScopeError(
        "SERVICE_START_FAILED",
        `${this.describe()} failed to start: ${messageOf(err)}`,
        {
          cause: err,
          context: this.#context(),
        },
      );
      this.#status = "stopped";
      this.#rejectQueued(error);
      this.#unregister();
      this.#finishExit({ kind: "crash", error });
      throw error;
    }
    if ((this.#status as ServiceStatus) === "starting") this.#status = "running";
    this.#drain();
    if (!this.alive) throw this.#notRunning();
    return this;
  }

  /**
   * Asks the service to stop: messages already queued are handled, later ones are refused, then
   * `terminate` runs. If that takes longer than `timeoutMs`, the service is killed.
   */
  stop(
    reason: "normal" | "shutdown" = "normal",
    timeoutMs = DEFAULT_STOP_TIMEOUT_MS,
  ): Promise<void> {
    if (this.#stopping) return this.#stopping;
    const s = this.#status;
    if (s === "stopped" || s === "crashed") return Promise.resolve();
    if (s === "new") {
      this.#status = "stopped";
      this.#finishExit(reason === "normal" ? NORMAL : SHUTDOWN);
      return Promise.resolve();
    }
    this.#status = "stopping";
    this.#stopping = this.#runStop(reason === "normal" ? NORMAL : SHUTDOWN, timeoutMs);
    return this.#stopping;
  }

  async #runStop(reason: ExitReason, timeoutMs: number): Promise<void> {
    const deadline = this.clock.now() + timeoutMs;
    const left = (): number => Math.max(1, deadline - this.clock.now());
    if (this.#started) await this.#started.catch(() => undefined);
    if (this.#busy || this.queueLength > 0) {
      const idle = new Promise<void>((resolve) => {
        this.#idleWaiter = resolve;
      });
      if (!(await settlesWithin(idle, left(), this.clock))) {
        this.kill(`did not stop within ${timeoutMs} ms`);
        return;
      }
    }
    if (this.#status !== "stopping") return; // crashed or killed meanwhile
    this.#clearTimers();
    this.#unregister();
    const outcome = await this.#runTerminate(reason, left());
    if (this.#status !== "stopping") return;
    this.#status = "stopped";
    this.#finishExit(outcome ?? reason);
  }

  /**
   * Ends the service at once: the handler in flight is abandoned, every pending call is rejected,
   * `terminate` still runs (best effort) so resources are released, and listeners see `killed`.
   */
  kill(why?: string): void {
    if (!this.alive) return;
    const reason: ExitReason = why === undefined ? { kind: "killed" } : { kind: "killed", why };
    const error = new ElixirScopeError(
      "SERVICE_CRASHED",
      `${this.describe()} was killed${why ? `: ${why}` : ""}`,
      {
        context: this.#context(),
      },
    );
    this.#exitAbnormally(reason, error);
  }

  /** Subscribes to the exit (called once, with the reason). Returns an unsubscribe function. */
  onExit(listener: ExitListener): () => void {
    return addExitListener(this.#exitReason, () => this.#exitListeners, listener);
  }

  // ---- messages ----------------------------------------------------------------------------

  /** Sends a request and waits for the reply, at most `timeoutMs` (default 5000 ms). */
  call(msg: TCall, timeoutMs?: number): Promise<TReply> {
    if (this.#status !== "running") {
      if (this.#status !== "starting") return Promise.reject(this.#notRunning());
    } else if (!this.#busy && this.#head === this.#queue.length) {
      // Fast path: idle mailbox, handle in the caller's stack.
      this.#busy = true;
      let reply: TReply | Promise<TReply>;
      try {
        reply = this.handleCall(msg);
      } catch (err) {
        this.#busy = false;
        return Promise.reject(this.#crash(err));
      }
      if (isThenable(reply)) {
        const env: Envelope = {
          kind: CALL,
          msg,
          resolve: undefined,
          reject: undefined,
          timer: undefined,
          done: false,
        };
        const p = new Promise<TReply>((resolve, reject) => {
          env.resolve = resolve as (v: unknown) => void;
          env.reject = reject;
        });
        this.#armTimeout(env, timeoutMs);
        this.#awaitHandler(env, reply);
        return p;
      }
      this.#busy = false;
      if (this.#head !== this.#queue.length) this.#drain();
      return Promise.resolve(reply);
    }
    return new Promise<TReply>((resolve, reject) => {
      const env: Envelope = {
        kind: CALL,
        msg,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer: undefined,
        done: false,
      };
      this.#armTimeout(env, timeoutMs);
      this.#enqueue(env);
    });
  }

  /** Sends a message that needs no reply. Ignored once the service has stopped. */
  cast(msg: TCast): void {
    this.#post(CAST, msg);
  }

  /** Sends an info message (handled by `handleInfo`). Ignored once the service has stopped. */
  send(msg: TInfo): void {
    this.#post(INFO, msg);
  }

  /** Sends an info message to itself after `delayMs` (on the service's clock); cancelled on exit. */
  protected sendAfter(msg: TInfo, delayMs: number): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.#timers.delete(handle);
      this.send(msg);
    }, delayMs);
    this.#timers.add(handle);
    return handle;
  }

  #post(kind: typeof CAST | typeof INFO, msg: unknown): void {
    const s = this.#status;
    if (s !== "running" && s !== "starting") return;
    this.#enqueue({
      kind,
      msg,
      resolve: undefined,
      reject: undefined,
      timer: undefined,
      done: false,
    });
  }

  #enqueue(env: Envelope): void {
    this.#queue.push(env);
    if (!this.#busy && this.#status === "running") this.#drain();
  }

  #armTimeout(env: Envelope, timeoutMs: number | undefined): void {
    const ms = timeoutMs ?? this.#callTimeoutMs;
    if (ms === Number.POSITIVE_INFINITY) return;
    env.timer = this.clock.setTimeout(() => {
      if (env.done) return;
      env.done = true;
      env.reject!(
        new ElixirScopeError("CALL_TIMEOUT", `${this.describe()} did not reply within ${ms} ms`, {
          context: { ...this.#context(), timeoutMs: ms },
        }),
      );
    }, ms);
  }

  #dequeue(): Envelope | undefined {
    if (this.#head === this.#queue.length) return undefined;
    const env = this.#queue[this.#head++]!;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return env;
  }

  #dispatch(env: Envelope): unknown {
    switch (env.kind) {
      case CALL:
        return this.handleCall(env.msg as TCall);
      case CAST:
        return this.handleCast(env.msg as TCast);
      case INFO:
        return this.handleInfo(env.msg as TInfo);
    }
  }

  /** Handles queued messages until the queue is empty or a handler goes async. */
  #drain(): void {
    while (!this.#busy) {
      const s = this.#status;
      if (s !== "running" && s !== "stopping") return;
      const env = this.#dequeue();
      if (!env) {
        if (this.#idleWaiter) {
          const w = this.#idleWaiter;
          this.#idleWaiter = undefined;
          w();
        }
        return;
      }
      if (env.done) continue;
      this.#busy = true;
      let result: unknown;
      try {
        result = this.#dispatch(env);
      } catch (err) {
        this.#busy = false;
        this.#settle(env, undefined, this.#crash(err));
        return;
      }
      if (isThenable(result)) {
        this.#awaitHandler(env, result);
        return;
      }
      this.#busy = false;
      this.#settle(env, result, undefined);
    }
  }

  #awaitHandler(env: Envelope, pending: PromiseLike<unknown>): void {
    this.#inflight = env;
    pending.then(
      (value) => {
        if (this.#inflight !== env) return; // killed meanwhile
        this.#inflight = undefined;
        this.#busy = false;
        this.#settle(env, value, undefined);
        this.#drain();
      },
      (err) => {
        if (this.#inflight !== env) return;
        this.#inflight = undefined;
        this.#busy = false;
        this.#settle(env, undefined, this.#crash(err));
      },
    );
  }

  #settle(env: Envelope, value: unknown, error: ElixirScopeError | undefined): void {
    if (env.done) return;
    env.done = true;
    env.timer?.cancel();
    if (!env.reject) return;
    if (error) env.reject(error);
    else env.resolve!(value);
  }

  // ---- exits -------------------------------------------------------------------------------

  /** Marks the service crashed by a handler's error and returns the error for the caller. */
  #crash(err: unknown): ElixirScopeError {
    const error = new ElixirScopeError(
      "SERVICE_CRASHED",
      `${this.describe()} crashed: ${messageOf(err)}`,
      {
        cause: err,
        context: this.#context(),
      },
    );
    if (this.alive) this.#exitAbnormally({ kind: "crash", error }, error);
    return error;
  }

  #exitAbnormally(reason: ExitReason, error: ElixirScopeError): void {
    this.#status = "crashed";
    this.#busy = false;
    const inflight = this.#inflight;
    this.#inflight = undefined;
    if (inflight) this.#settle(inflight, undefined, error);
    this.#rejectQueued(error);
    this.#clearTimers();
    this.#unregister();
    if (this.#idleWaiter) {
      const w = this.#idleWaiter;
      this.#idleWaiter = undefined;
      w();
    }
    void this.#runTerminate(reason, this.#terminateTimeoutMs).then(() => this.#finishExit(reason));
  }

  /** Runs terminate within `timeoutMs`; a throw turns a clean exit into a crash. */
  async #runTerminate(reason: ExitReason, timeoutMs: number): Promise<ExitReason | undefined> {
    try {
      const r = this.terminate(reason);
      if (isThenable(r)) {
        // A rejection counts as settled here and is rethrown by the await below.
        const inTime = await settlesWithin(r, timeoutMs, this.clock);
        if (inTime) await r;
        if (!inTime && reason.kind !== "crash" && reason.kind !== "killed") {
          return {
            kind: "killed",
            why: `terminate did not finish within ${Math.round(timeoutMs)} ms`,
          };
        }
      }
      return undefined;
    } catch (err) {
      if (reason.kind === "crash" || reason.kind === "killed") return undefined;
      return {
        kind: "crash",
        error: new ElixirScopeError(
          "SERVICE_CRASHED",
          `${this.describe()} failed in terminate: ${messageOf(err)}`,
          {
            cause: err,
            context: this.#context(),
          },
        ),
      };
    }
  }

  #rejectQueued(error: ElixirScopeError): void {
    for (let env = this.#dequeue(); env; env = this.#dequeue()) this.#settle(env, undefined, error);
    this.#queue = [];
    this.#head = 0;
  }

  #clearTimers(): void {
    for (const t of this.#timers) t.cancel();
    this.#timers.clear();
  }

  #unregister(): void {
    if (this.serviceName !== undefined)
      this.#registry!.unregister(this.namespace!, this.serviceName, this);
  }

  #finishExit(reason: ExitReason): void {
    if (this.#exitReason) return;
    this.#exitReason = reason;
    this.telemetry?.execute(
      "foundation.service.exit",
      { count: 1 },
      {
        service: this.describe(),
        name: this.serviceName,
        namespace: this.namespace,
        reason: reason.kind,
      },
    );
    const listeners = this.#exitListeners;
    this.#exitListeners = [];
    notifyListeners(listeners, reason, `exit of ${this.describe()}`);
    this.#resolveExited(reason);
  }

  #notRunning(): ElixirScopeError {
    const why = this.#exitReason ? ` (exited: ${describeReason(this.#exitReason)})` : "";
    return new ElixirScopeError(
      "SERVICE_NOT_RUNNING",
      `${this.describe()} is ${this.#status}${why}`,
      {
        context: { ...this.#context(), status: this.#status },
      },
    );
  }

  #context(): Record<string, unknown> {
    return {
      service: this.constructor.name,
      id: this.id,
      name: this.serviceName,
      namespace: this.namespace,
    };
  }
}

/**
 * The `onExit` of services and supervisors. Once exited (`exitReason` set), the listener is called
 * with it in a microtask. Otherwise it joins the owner's current list; unsubscribing looks the
 * list up again, because the owner swaps in a fresh one when it exits and notifies the old one.
 */
export function addExitListener(
  exitReason: ExitReason | undefined,
  listeners: () => ExitListener[],
  listener: ExitListener,
): () => void {
  if (exitReason) {
    queueMicrotask(() => listener(exitReason));
    return () => {};
  }
  listeners().push(listener);
  return () => {
    const current = listeners();
    const i = current.indexOf(listener);
    if (i >= 0) current.splice(i, 1);
  };
}

/**
 * A short human-readable exit reason for messages ("crash: <root cause>", "killed: why",
 * "normal"); for a crash it shows the original error's message rather than the wrapper's.
 */
export function describeReason(reason: ExitReason): string {
  switch (reason.kind) {
    case "crash":
      return `crash: ${reason.error.cause instanceof Error ? reason.error.cause.message : reason.error.message}`;
    case "killed":
      return reason.why ? `killed: ${reason.why}` : "killed";
    default:
      return reason.kind;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
