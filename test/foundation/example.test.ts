import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("the Foundation guide's example", () => {
  it("runs: a supervised counter crashes, restarts fresh, and everything stops cleanly", () => {
    const example = fileURLToPath(
      new URL("../../examples/foundation/supervised-counter.ts", import.meta.url),
    );
    const out = execFileSync(process.execPath, ["--import", "tsx", example], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(out.trim().split("\n")).toEqual([
      "value: 5",
      expect.stringMatching(/^counter#\d+ terminating: crash$/),
      "call failed: SERVICE_CRASHED",
      "after restart: 0",
      'last event: example.done {"restarts":1}',
      "service exits seen by telemetry: 1",
      expect.stringMatching(/^counter#\d+ terminating: shutdown$/),
      "stopped",
    ]);
  });
});
