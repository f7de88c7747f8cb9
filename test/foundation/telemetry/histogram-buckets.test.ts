import fc from "fast-check";
import client from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isElixirScopeError, type TelemetryServer } from "../../../src/foundation/index.js";
import {
  type IsolatedFoundation,
  startIsolatedFoundation,
} from "../../../src/foundation/testing/index.js";

let f: IsolatedFoundation;
let t: TelemetryServer;
beforeEach(async () => {
  f = await startIsolatedFoundation();
  t = f.telemetry;
});
afterEach(() => f.stop());

function codeOf(act: () => unknown): unknown {
  try {
    act();
  } catch (e) {
    return isElixirScopeError(e) ? e.code : e;
  }
  return undefined;
}

describe("histograms with buckets", () => {
  it("render exactly as prom-client's Histogram does, labelled and not, empty and not", async () => {
    const reg = new client.Registry();
    const ph = new client.Histogram({
      name: "http_ms",
      help: "Latency",
      labelNames: ["route", "code"],
      buckets: [1, 5.5, 10, 250],
      registers: [reg],
    });
    new client.Histogram({ name: "idle_ms", help: "Idle", buckets: [1, 2], registers: [reg] });
    const values = [0, 1, 1.0001, 5.5, 7, 10, 99, 250, 251, 1e6];
    for (const v of values) ph.observe({ route: "/a", code: "200" }, v);
    ph.observe({ route: 'b"\\', code: "500" }, 3);

    const h = t.histogram("http_ms", {
      help: "Latency",
      labelNames: ["route", "code"],
      buckets: [1, 5.5, 10, 250],
    });
    t.histogram("idle_ms", { help: "Idle", buckets: [1, 2] });
    for (const v of values) h.record(v, { route: "/a", code: "200" });
    h.labels({ route: 'b"\\', code: "500" }).record(3);
    expect(t.prometheus()).toBe(await reg.metrics());
  });

  it("count a value equal to a bound in that bound's bucket (le is inclusive)", () => {
    t.histogram("b_ms", { help: "b", buckets: [1, 2] }).record(2);
    const text = t.prometheus();
    expect(text).toContain('b_ms_bucket{le="1"} 0\n');
    expect(text).toContain('b_ms_bucket{le="2"} 1\n');
    expect(text).toContain('b_ms_bucket{le="+Inf"} 1\n');
  });

  it("hold, for any values, cumulative counts equal to the number of values at or below each bound", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: 0, max: 1e4, noNaN: true }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.double({ min: 0, max: 2e4, noNaN: true }), { maxLength: 60 }),
        (rawBounds, values) => {
          const bounds = [...rawBounds].sort((a, b) => a - b);
          const name = `p${Math.random().toString(36).slice(2)}_ms`;
          const h = t.histogram(name, { help: "p", buckets: bounds });
          for (const v of values) h.record(v);
          const text = t.prometheus();
          for (const b of bounds) {
            const expected = values.filter((v) => v <= b).length;
            expect(text).toContain(`${name}_bucket{le="${b}"} ${expected}\n`);
          }
          expect(text).toContain(`${name}_bucket{le="+Inf"} ${values.length}\n`);
          expect(h.snapshot().count).toBe(values.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuse bounds that are not finite or not strictly increasing, naming the metric", () => {
    for (const buckets of [[1, 1], [2, 1], [1, Number.POSITIVE_INFINITY], [Number.NaN]]) {
      expect(codeOf(() => t.histogram("bad_ms", { help: "bad", buckets }))).toBe("METRIC_INVALID");
    }
    expect(() => t.histogram("bad_ms", { help: "bad", buckets: [3, 2] })).toThrow(/bad_ms/);
  });

  it("reset their buckets with the rest of the series", () => {
    const h = t.histogram("r_ms", { help: "r", buckets: [1] });
    h.record(0.5);
    h.reset();
    expect(t.prometheus()).toContain('r_ms_bucket{le="1"} 0\n');
    expect(t.prometheus()).toContain("r_ms_count 0\n");
  });
});
