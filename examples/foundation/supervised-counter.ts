/**
 * A small supervised service on the ElixirScope Foundation.
 *
 * Run it: npx tsx examples/foundation/supervised-counter.ts
 * (In an application, import from "elixirscope/foundation" instead of the source path.)
 */
import {
  type ExitReason,
  isElixirScopeError,
  Service,
  type ServiceOptions,
  Supervisor,
  startFoundation,
} from "../../src/foundation/index.js";

type CounterCall = { op: "increment"; by: number } | { op: "value" } | { op: "fail" };

/** A GenServer-style counter: private state, one message at a time. */
class Counter extends Service<CounterCall, number> {
  #value = 0;

  constructor(options: ServiceOptions) {
    super(options);
  }

  protected override init(): void {
    this.#value = 0;
  }

  protected override handleCall(msg: CounterCall): number {
    switch (msg.op) {
      case "increment":
        this.#value += msg.by;
        return this.#value;
      case "value":
        return this.#value;
      case "fail":
        throw new Error("counter asked to fail");
    }
  }

  protected override terminate(reason: ExitReason): void {
    console.log(`counter#${this.id} terminating: ${reason.kind}`);
  }

  increment(by = 1): Promise<number> {
    return this.call({ op: "increment", by });
  }
}

// The core services (config, telemetry, event store) in their own namespace, in memory.
const foundation = await startFoundation({
  namespace: "production",
  config: { env: {}, overrides: { eventStore: { storage: "memory" } } },
});
const { registry, namespace } = foundation;

// Count service crashes through telemetry.
let exits = 0;
foundation.telemetry.attach("example-exits", "foundation.service.exit", () => exits++);

// Our own supervisor: restarts the counter when it crashes, at most 3 times in 5 s.
const app = await new Supervisor({
  name: "app",
  namespace,
  registry,
  strategy: "one_for_one",
  maxRestarts: 3,
  withinMs: 5_000,
  children: [
    {
      id: "counter",
      start: () =>
        new Counter({
          name: "counter",
          namespace,
          registry,
          telemetry: foundation.telemetry,
        }).start(),
    },
  ],
}).start();

const counter = () => registry.get<Counter>(namespace, "counter");
await counter().increment(2);
console.log(`value: ${await counter().increment(3)}`);

// A crash: the caller gets a clear error, and the supervisor starts a fresh counter.
try {
  await counter().call({ op: "fail" });
} catch (err) {
  if (isElixirScopeError(err)) console.log(`call failed: ${err.code}`);
}
const restarted = await registry.waitFor<Counter>(namespace, "counter", { timeoutMs: 1_000 });
console.log(`after restart: ${await restarted.call({ op: "value" })}`);

// Record what happened, and read it back newest first.
await foundation.events.store({ type: "example.done", data: { restarts: app.restartCount } });
const [last] = await foundation.events.recent(1);
console.log(`last event: ${last?.type} ${JSON.stringify(last?.data)}`);
console.log(`service exits seen by telemetry: ${exits}`);

await app.stop();
await foundation.stop();
console.log("stopped");
