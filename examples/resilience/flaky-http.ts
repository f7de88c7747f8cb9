/**
 * Runnable example: protecting calls to a flaky HTTP service.
 *
 *   npx tsx examples/resilience/flaky-http.ts
 *
 * It starts a real HTTP server on 127.0.0.1 that answers 503 to every fourth request, hangs on
 * some others, and can be switched to a full outage. A protected client (rate limit, retry,
 * circuit breaker, per-attempt timeout) calls it through three phases: flaky, down, recovered.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import {
  CircuitBreaker,
  HealthChecker,
  isElixirScopeError,
  protect,
  RateLimiter,
  renderHealthText,
} from "../../src/foundation/index.js";

/** A local HTTP server that fails on purpose. */
export interface FlakyServer {
  readonly url: string;
  /** While true, every request gets a 503. */
  outage: boolean;
  readonly requests: () => number;
  close(): Promise<void>;
}

export async function startFlakyServer(): Promise<FlakyServer> {
  let n = 0;
  const state = { outage: false };
  const server: Server = createServer((req, res) => {
    n++;
    if (state.outage || n % 4 === 0) {
      res.writeHead(503, { "content-type": "text/plain" }).end("unavailable");
      return;
    }
    // Every tenth request hangs for a while: the client's timeout must cut it short.
    const delay = n % 10 === 7 ? 2000 : 2;
    const timer = setTimeout(
      () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ n })),
      delay,
    );
    req.on("close", () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    get outage() {
      return state.outage;
    },
    set outage(v: boolean) {
      state.outage = v;
    },
    requests: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What the example observed. */
export interface ExampleSummary {
  readonly outcomes: Record<string, number>;
  readonly breakerTransitions: string[];
  readonly serverRequests: number;
  readonly finalState: string;
  readonly statusPage: string;
}

/** Runs the three phases against a fresh flaky server and returns what happened. */
export async function runExample(log: (line: string) => void = () => {}): Promise<ExampleSummary> {
  const server = await startFlakyServer();
  const breaker = new CircuitBreaker({
    name: "flaky-http",
    consecutiveFailures: 5,
    resetTimeoutMs: 300,
  });
  const limiter = new RateLimiter({
    name: "flaky-http",
    algorithm: "token-bucket",
    rate: 200,
    intervalMs: 1000,
    burst: 50,
  });
  const health = new HealthChecker({ name: "example" });
  health.registerComponent(breaker);
  const transitions: string[] = [];
  breaker.onStateChange((e) => transitions.push(`${e.from}->${e.to} (${e.reason})`));

  // A 5xx is thrown so that the breaker counts it and the retry policy retries it.
  const getJson = protect(
    "flaky-http GET",
    {
      rateLimit: { limiter },
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      circuitBreaker: breaker,
      timeoutMs: 100,
    },
    async ({ signal }) => {
      const res = await fetch(server.url, { signal });
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
      return (await res.json()) as { n: number };
    },
  );

  const outcomes: Record<string, number> = {};
  /** One call; returns how long to wait before the next when the error says so. */
  const attempt = async (phase: string): Promise<number> => {
    try {
      await getJson({ key: "example-client" });
      outcomes[`${phase}:ok`] = (outcomes[`${phase}:ok`] ?? 0) + 1;
      return 0;
    } catch (error) {
      const code = isElixirScopeError(error) ? error.code : "UNEXPECTED";
      outcomes[`${phase}:${code}`] = (outcomes[`${phase}:${code}`] ?? 0) + 1;
      if (code === "CIRCUIT_OPEN") log(`  ${phase}: ${(error as Error).message}`);
      return isElixirScopeError(error) ? (error.retryAfterMs ?? 0) : 0;
    }
  };

  try {
    log("phase 1: flaky (every 4th answer is a 503, some hang)");
    for (let i = 0; i < 20; i++) await attempt("flaky");
    log("phase 2: outage");
    server.outage = true;
    for (let i = 0; i < 10; i++) await attempt("down");
    log(renderHealthText(await health.run()));
    log("phase 3: recovered (after the reset timeout)");
    server.outage = false;
    // A well-behaved caller waits out the retry-after it is given. A probe can still hit one of
    // the server's regular 503s and reopen the breaker; waiting again lets the next probe through.
    for (let tries = 0; (outcomes["recovered:ok"] ?? 0) < 10 && tries < 100; tries++) {
      const waitMs = await attempt("recovered");
      if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs + 5));
    }
    const statusPage = renderHealthText(await health.run());
    log(statusPage);
    return {
      outcomes,
      breakerTransitions: transitions,
      serverRequests: server.requests(),
      finalState: breaker.state.kind,
      statusPage,
    };
  } finally {
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const summary = await runExample((line) => console.log(line));
  console.log(JSON.stringify(summary.outcomes, null, 2));
  console.log(summary.breakerTransitions.join("\n"));
}
