import { type ExitReason, Service } from "../../../src/foundation/index.js";

/** A worker that logs its lifecycle and can be told to crash, exit normally or hang on stop. */
export class Worker extends Service<"ping" | "slowPing" | "crash", string> {
  constructor(
    readonly label: string,
    private readonly log: string[],
    private readonly hangOnStopMs = 0,
  ) {
    super();
  }
  protected override init(): void {
    this.log.push(`start ${this.label}`);
  }
  protected override handleCall(msg: "ping" | "slowPing" | "crash"): string | Promise<string> {
    if (msg === "crash") throw new Error(`${this.label} crashed`);
    if (msg === "slowPing") return new Promise((r) => setTimeout(() => r(`pong ${this.label}`), 2));
    return `pong ${this.label}`;
  }
  protected override async terminate(reason: ExitReason): Promise<void> {
    this.log.push(`stop ${this.label} ${reason.kind}`);
    if (this.hangOnStopMs) await new Promise((r) => setTimeout(r, this.hangOnStopMs));
  }
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond` holds (polling every ms), failing after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await tick(1);
  }
}
