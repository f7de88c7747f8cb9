/**
 * The public surface of `elixirscope/foundation` changes only on purpose: the committed report
 * must match what the sources export. After a deliberate change, run `npm run api:report` and
 * commit the new report with it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildApiReport, REPORT } from "../../scripts/api-report.js";

describe("API report of elixirscope/foundation", () => {
  it("matches api/foundation.api.md (regenerate with `npm run api:report`)", () => {
    const committed = readFileSync(REPORT, "utf8");
    const current = `${buildApiReport()}\n`;
    if (current !== committed) {
      const a = committed.split("\n");
      const b = current.split("\n");
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      expect.fail(
        `the public surface changed; first difference at line ${i + 1}:\n` +
          `  committed: ${a[i] ?? "(end)"}\n  current:   ${b[i] ?? "(end)"}\n` +
          "run `npm run api:report` if the change is deliberate",
      );
    }
  });
});
