import { describe, expect, it } from "vitest";
import {
  CORE_SERVICES,
  type EventStore,
  isElixirScopeError,
  type Supervisable,
  Supervisor,
} from "../../../src/foundation/index.js";
import { startIsolatedFoundation } from "../../../src/foundation/testing/index.js";
import { withSeed } from "../seed.js";
import { Worker } from "../supervisor/helpers.js";

/** How long services are killed at random; the issue asks for 30 s. */
const DURATION_MS = Number(process.env.CHAOS_DURATION_MS ?? 30_000);
const PRODUCERS = 6;
const SUB_MAX_RESTARTS = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Errors a caller may see while the service it talks to is being killed and restarted. */
function isChaosError(err: unknown): boolean {
  return (
    isElixirScopeError(err, "SERVICE_CRASHED") ||
    isElixirScopeError(err, "SERVICE_NOT_RUNNING") ||
    isElixirScopeError(err, "SERVICE_NOT_FOUND")
  );
}

function workerGroup(id: string, strategy: "one_for_all" | "rest_for_one", log: string[]) {
  return {
    id,
    start: () =>
      new Supervisor({
        strategy,
        maxRestarts: SUB_MAX_RESTARTS,
        withinMs: 1_000,
        children: ["w0", "w1", "w2"].map((w) => ({
          id: w,
          start: () => new Worker(`${id}.${w}`, log).start(),
        })),
      }).start(),
  };
}

describe("chaos: a supervised tree under load, services killed at random", () => {
  it(
    `every service comes back, the intensity limit escalates, and no acknowledged event is lost (${DURATION_MS} ms)`,
    () =>
      withSeed(async (random) => {
        const f = await startIsolatedFoundation({
          storage: "sqlite",
          maxRestarts: 200,
          withinMs: 1_000,
          label: "chaos",
        });
        const log: string[] = [];
        await f.supervisor.startChild(workerGroup("groupA", "one_for_all", log));
        await f.supervisor.startChild(workerGroup("groupB", "rest_for_one", log));
        const group = (id: string) => f.supervisor.child<Supervisor>(id);

        let running = true;
        const acked = new Map<string, number>();
        let callerErrors = 0;
        let kills = 0;
        let escalations = 0;

        // Load: producers store events (single and in batches of 10) through whatever EventStore is current.
        const producer = async (p: number) => {
          let seq = 0;
          while (running) {
            const es = f.registry.lookup<EventStore>(f.namespace, CORE_SERVICES.events);
            try {
              if (!es) throw new Error("no event store registered right now");
              if (seq % 5 === 0) {
                const keys = Array.from({ length: 10 }, (_, i) => `${p}-${seq}-${i}`);
                const stored = await es.storeBatch(
                  keys.map((key) => ({ type: "chaos", data: { key } })),
                );
                for (let i = 0; i < stored.length; i++) acked.set(keys[i]!, stored[i]!.id);
              } else {
                const key = `${p}-${seq}`;
                acked.set(key, (await es.store({ type: "chaos", data: { key } })).id);
              }
              seq++;
            } catch (err) {
              if (es && !isChaosError(err)) throw err;
              callerErrors++;
            }
            await sleep(1);
          }
        };
        // Load on the workers and the config too.
        const caller = async () => {
          while (running) {
            for (const g of ["groupA", "groupB"]) {
              const w = group(g)?.child<Worker>(["w0", "w1", "w2"][Math.floor(random() * 3)]!);
              await w?.call(random() < 0.5 ? "ping" : "slowPing").catch((err) => {
                if (!isChaosError(err)) throw err;
                callerErrors++;
              });
            }
            try {
              f.config.get("service.callTimeoutMs");
            } catch (err) {
              if (!isChaosError(err)) throw err;
              callerErrors++;
            }
            await sleep(1);
          }
        };

        const targets = (): Supervisable[] => {
          const out: Supervisable[] = [];
          for (const name of [
            CORE_SERVICES.config,
            CORE_SERVICES.telemetry,
            CORE_SERVICES.events,
          ]) {
            const s = f.registry.lookup<Supervisable>(f.namespace, name);
            if (s) out.push(s);
          }
          for (const g of ["groupA", "groupB"]) {
            const sup = group(g);
            if (!sup) continue;
            out.push(sup);
            for (const c of sup.whichChildren()) if (c.instance?.alive) out.push(c.instance);
          }
          return out;
        };

        // Now and then, kill one worker faster than its group allows: the group must give up, and the
        // Foundation supervisor must restart the whole group.
        const burst = async (g: string) => {
          const sup = group(g);
          if (!sup) return;
          for (let i = 0; i <= SUB_MAX_RESTARTS && sup.alive; i++) {
            const w = sup.child("w1");
            w?.kill("burst");
            const until = Date.now() + 500;
            const replaced = () => {
              const now = sup.child("w1");
              return now !== undefined && now !== w;
            };
            while (sup.alive && !replaced() && Date.now() < until) await sleep(1);
          }
          const reason = await Promise.race([sup.whenExited(), sleep(2_000).then(() => undefined)]);
          if (reason?.kind === "crash" && reason.error.code === "SUPERVISOR_INTENSITY_EXCEEDED")
            escalations++;
        };

        const killer = async () => {
          const end = Date.now() + DURATION_MS;
          let nextBurst = Date.now() + Math.min(3_000, DURATION_MS / 3);
          while (Date.now() < end) {
            if (Date.now() >= nextBurst) {
              await burst(random() < 0.5 ? "groupA" : "groupB");
              nextBurst = Date.now() + 5_000;
            } else {
              const ts = targets();
              const victim = ts[Math.floor(random() * ts.length)];
              if (victim) {
                victim.kill("chaos");
                kills++;
              }
            }
            await sleep(20 + random() * 60);
          }
        };

        const load = [...Array(PRODUCERS).keys()].map(producer).concat([caller()]);
        await killer();

        // Every service comes back.
        const deadline = Date.now() + 10_000;
        const allBack = () =>
          f.supervisor.alive &&
          f.supervisor.countChildren().active === f.supervisor.countChildren().specs &&
          ["groupA", "groupB"].every((g) => group(g)?.countChildren().active === 3) &&
          [CORE_SERVICES.config, CORE_SERVICES.telemetry, CORE_SERVICES.events].every(
            (n) => f.registry.lookup(f.namespace, n) !== undefined,
          );
        while (!allBack() && Date.now() < deadline) await sleep(5);
        running = false;
        await Promise.all(load);
        expect(allBack()).toBe(true);
        for (const name of [CORE_SERVICES.config, CORE_SERVICES.telemetry, CORE_SERVICES.events]) {
          expect((await f.registry.health(f.namespace, name)).status, name).toBe("healthy");
        }
        expect(f.supervisor.status).toBe("running");

        // The intensity limit escalated at least once, and the tree was busy and really killed.
        expect(escalations).toBeGreaterThanOrEqual(1);
        expect(kills).toBeGreaterThan(DURATION_MS / 200);
        expect(acked.size).toBeGreaterThan(1_000);

        // No acknowledged event is lost.
        const stored = await f.events.query({ type: "chaos", limit: 10_000_000 });
        const byKey = new Map(stored.map((e) => [(e.data as { key: string }).key, e.id]));
        const lost = [...acked].filter(([key, id]) => byKey.get(key) !== id);
        expect(lost).toEqual([]);
        console.log(
          `chaos: ${kills} kills, ${escalations} escalations, ${f.supervisor.restartCount} restarts, ` +
            `${acked.size} events acknowledged and all found, ${callerErrors} caller errors during chaos`,
        );
        await f.stop();
      }),
    DURATION_MS + 60_000,
  );
});
