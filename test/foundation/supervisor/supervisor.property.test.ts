import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock, type Strategy, Supervisor } from "../../../src/foundation/index.js";
import { until, Worker } from "./helpers.js";

type Action = { kind: "crash"; child: number } | { kind: "advance"; ms: number };

const N = 4;

/**
 * Model of OTP restart logic: which children a crash replaces, and when the intensity is
 * exceeded (more than maxRestarts restarts within withinMs, by the supervisor's clock).
 */
function expectedGroup(strategy: Strategy, i: number): number[] {
  if (strategy === "one_for_one") return [i];
  if (strategy === "one_for_all") return [...Array(N).keys()];
  return [...Array(N).keys()].filter((k) => k >= i);
}

describe("Supervisor restart logic (property)", () => {
  it("matches the model for every strategy, intensity and crash schedule", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Strategy>("one_for_one", "one_for_all", "rest_for_one"),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 10, max: 200 }),
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant("crash" as const),
              child: fc.integer({ min: 0, max: N - 1 }),
            }),
            fc.record({
              kind: fc.constant("advance" as const),
              ms: fc.integer({ min: 1, max: 150 }),
            }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        async (strategy, maxRestarts, withinMs, actions: Action[]) => {
          const clock = new ManualClock(0);
          const log: string[] = [];
          const sup = await new Supervisor({
            strategy,
            maxRestarts,
            withinMs,
            clock,
            children: [...Array(N).keys()].map((k) => ({
              id: `c${k}`,
              start: () => new Worker(`c${k}`, log).start(),
            })),
          }).start();
          const restarts: number[] = [];
          let failed = false;
          for (const a of actions) {
            if (a.kind === "advance") {
              clock.advance(a.ms);
              continue;
            }
            const before = [...Array(N).keys()].map((k) => sup.child(`c${k}`));
            await sup
              .child<Worker>(`c${a.child}`)!
              .call("crash")
              .catch(() => {});
            const now = clock.now();
            const recent = restarts.filter((t) => t > now - withinMs);
            recent.push(now);
            restarts.length = 0;
            restarts.push(...recent);
            if (recent.length > maxRestarts) {
              const reason = await sup.whenExited();
              expect(reason.kind === "crash" && reason.error.code).toBe(
                "SUPERVISOR_INTENSITY_EXCEEDED",
              );
              expect(sup.countChildren().active).toBe(0);
              failed = true;
              break;
            }
            await until(
              () =>
                sup.countChildren().active === N && sup.child(`c${a.child}`) !== before[a.child],
            );
            const group = expectedGroup(strategy, a.child);
            for (let k = 0; k < N; k++) {
              const replaced = sup.child(`c${k}`) !== before[k];
              expect(replaced, `child c${k} after crash of c${a.child} (${strategy})`).toBe(
                group.includes(k),
              );
            }
          }
          if (!failed) {
            expect(sup.status).toBe("running");
            await sup.stop();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
