import { type ExitReason, Service, type ServiceOptions } from "../../../src/foundation/index.js";

/** A worker that logs its lifecycle and can be told to crash, exit normally or hang on stop. */
export class Worker extends Service<"ping" | "slowPing" | "crash", string> {
  constructor(
    readonly label: string,
    private readonly log: string[],
    private readonly hangOnStopMs = 0,
    options: ServiceOptions = {},
  ) {
    super(options);
  }
  protected override init(): void | Promise<void> {
    this.log.push(`start ${this.label}`);
  }
  protected override handleCall(msg: "ping" | "slowPing" | "crash"): string | Promise<string> {
    if (msg === "crash") throw new Error(`${this.label} crashed`);
    if (msg === "slowPing")
      return new Promise((r) => this.clock.setTimeout(() => r(`pong ${this.label}`), 2));
    return `pong ${this.label}`;
  }
  protected override async terminate(reason: ExitReason): Promise<void> {
    this.log.push(`stop ${this.label} ${reason.kind}`);
    if (this.hangOnStopMs)
      await new Promise<void>((r) => this.clock.setTimeout(r, this.hangOnStopMs));
  }
}

/** Lets queued promise callbacks and I/O run once; no time passes on any clock. */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Waits until `cond` holds, letting the event loop turn between checks (no sleeping). The
 * real-time bound only turns a bug into a failure instead of a hang.
 */
export async function until(cond: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await turn();
  }
}
