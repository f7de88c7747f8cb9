/**
 * Deep nesting: 2,000 levels of every nesting form parse without a stack overflow, on the main
 * thread and in a worker with a small stack, give exactly Elixir's AST (each version), and past
 * MAX_DEPTH the error names the token where the limit is crossed.
 */
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ELIXIR_VERSIONS,
  type ElixirVersion,
  MAX_DEPTH,
  tryParse,
} from "../../../../src/ast/parser/index.js";
import { fileResultLine } from "../../../../src/ast/term-json.js";
import {
  describeUnless,
  ELIXIR,
  ELIXIR_1_18,
  hasElixir,
  hasElixir118,
  skipUnlessAvailable,
} from "../../../support/prerequisites.js";
import { OracleStream } from "../support/oracle.js";

const N = 2000;

const FORMS_LIST = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;

/** Every construct the parser recurses on, nested `n` deep. */
const FORMS: Record<string, (n: number) => string> = {
  lists: (n) => `${"[".repeat(n)}1${"]".repeat(n)}`,
  tuples: (n) => `${"{".repeat(n)}1${"}".repeat(n)}`,
  parens: (n) => `${"(".repeat(n)}1${")".repeat(n)}`,
  maps: (n) => `${"%{a: ".repeat(n)}1${"}".repeat(n)}`,
  "map values": (n) => `${"%{1 => ".repeat(n)}1${"}".repeat(n)}`,
  bitstrings: (n) => `${"<< ".repeat(n)}1${" >>".repeat(n)}`,
  calls: (n) => `${"f(".repeat(n)}1${")".repeat(n)}`,
  "calls without parentheses": (n) => `${"f ".repeat(n)}1`,
  "keyword lists": (n) => `${"[a: ".repeat(n)}1${"]".repeat(n)}`,
  fns: (n) => `${"fn -> ".repeat(n)}1${" end".repeat(n)}`,
  "do-blocks": (n) => `${"if a do\n".repeat(n)}1\n${"end\n".repeat(n)}`,
  "case clauses": (n) => `${"case a do\nb ->\n".repeat(n)}1\n${"end\n".repeat(n)}`,
  "binary operators": (n) => `${"a = ".repeat(n)}1`,
  "unary operators": (n) => `${"- ".repeat(n)}1`,
  captures: (n) => `${"& ".repeat(n)}1`,
  "struct prefixes": (n) => `%${"- ".repeat(n)}Foo{}`,
  "several deep spots": (n) =>
    `[${Array.from({ length: 20 }, () => `${"[".repeat(n / 10)}1${"]".repeat(n / 10)}`).join(", ")}]`,
  // Siblings of different shapes and depths: guesses at the next deep spot miss.
  "mixed deep spots": (n) =>
    `f(${FORMS_LIST(n / 4)}, {1, ${FORMS_LIST(n / 5)}}, ${"{".repeat(n / 4)}2${"}".repeat(n / 4)}, 3,\n` +
    `${"fn -> ".repeat(n / 8)}x${" end".repeat(n / 8)}, [${FORMS_LIST(n / 4)} | ${FORMS_LIST(n / 2)}])`,
  "inside an interpolation": (n) => `"#{${"[".repeat(n)}1${"]".repeat(n)}}"`,
  "an error deep inside": (n) => `${"[".repeat(n)}1 2${"]".repeat(n)}`,
  "an error after a deep part": (n) => `[${"[".repeat(n)}1${"]".repeat(n)} 2]`,
};

function ourLine(src: string, elixir: ElixirVersion): string {
  const r = tryParse(src, { elixir });
  return fileResultLine("c", r.ok ? r : r.error);
}

describe(`nesting ${N} deep on the main thread`, () => {
  it.each(Object.keys(FORMS))("%s: parses without a stack overflow", (name) => {
    const r = tryParse(FORMS[name](N));
    if (!r.ok) expect(r.error.description).not.toMatch(/nesting too deep/);
  });
});

for (const elixir of ELIXIR_VERSIONS) {
  const skip =
    elixir === "1.14"
      ? skipUnlessAvailable(ELIXIR, hasElixir())
      : skipUnlessAvailable(ELIXIR_1_18, hasElixir118());
  describeUnless(skip, `nesting ${N} deep vs Elixir ${elixir}`, () => {
    const names = Object.keys(FORMS);
    let theirs: string[] = [];
    beforeAll(async () => {
      const oracle = new OracleStream(elixir);
      try {
        theirs = await Promise.all(names.map((n) => oracle.send("c", Buffer.from(FORMS[n](N)))));
      } finally {
        await oracle.close();
      }
    }, 120_000);
    it.each(names.map((n, i) => [n, i] as const))("%s: exactly Elixir's result", (name, i) => {
      const ours = ourLine(FORMS[name](N), elixir);
      // Compared as text: the first differing offset is enough to locate a difference.
      if (ours !== theirs[i]) {
        let k = 0;
        while (ours[k] === theirs[i][k]) k++;
        expect(ours.slice(k, k + 200)).toBe(theirs[i].slice(k, k + 200));
      }
    });
  });
}

describe("past MAX_DEPTH", () => {
  it("names the token where the limit is crossed", () => {
    const depth = MAX_DEPTH + 1;
    const cases: [string, number, number][] = [
      [FORMS.lists(depth), 1, MAX_DEPTH + 1],
      [FORMS.parens(depth), 1, MAX_DEPTH + 1],
      // `fn` and `do` count two levels each (the block and its body).
      [FORMS.fns(depth), 1, (MAX_DEPTH / 2) * 6 + 1],
      [FORMS["do-blocks"](depth), MAX_DEPTH / 2 + 1, 1],
      [FORMS["unary operators"](depth), 1, MAX_DEPTH * 2 + 1],
    ];
    for (const [src, line, column] of cases) {
      const r = tryParse(src);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.description).toBe(`nesting too deep (more than ${MAX_DEPTH} levels)`);
        expect([r.error.line, r.error.column]).toEqual([line, column]);
      }
    }
  });

  it("accepts the deepest nesting the limit allows", () => {
    // The innermost element is one level below its list.
    expect(tryParse(FORMS.lists(MAX_DEPTH - 1)).ok).toBe(true);
    expect(tryParse(FORMS.lists(MAX_DEPTH)).ok).toBe(false);
  });
});

describe(`nesting ${N} deep in a worker with a 1 MB stack`, () => {
  let worker: Worker;
  beforeAll(() => {
    const url = new URL("../../../../src/ast/parser/index.ts", import.meta.url).href;
    // The worker registers tsx itself: it does not inherit the test runner's transform.
    const boot = `
      const { parentPort } = require("node:worker_threads");
      import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(url)}); })
        .then(({ tryParse }) => parentPort.on("message", (src) => {
          try {
            const r = tryParse(src);
            parentPort.postMessage(r.ok ? "ok" : "error: " + r.error.description);
          } catch (e) {
            parentPort.postMessage("crash: " + e.constructor.name + " " + e.message);
          }
        }));`;
    worker = new Worker(boot, { eval: true, resourceLimits: { stackSizeMb: 1 } });
  });
  afterAll(async () => {
    await worker.terminate();
  });

  it.each(Object.keys(FORMS))(
    "%s: same verdict as on the main thread",
    async (name) => {
      const src = FORMS[name](N);
      const answer = new Promise<string>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      worker.postMessage(src);
      const r = tryParse(src);
      expect(await answer).toBe(r.ok ? "ok" : `error: ${r.error.description}`);
    },
    60_000,
  );
});
