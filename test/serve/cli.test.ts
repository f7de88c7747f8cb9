import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";

async function run(args: string[]): Promise<{ code: number; err: string }> {
  let err = "";
  const code = await runCli(args, { stdout: () => {}, stderr: (s) => (err += s) });
  return { code, err };
}

describe("elixirscope serve (usage)", () => {
  it("rejects bad options with exit code 2 and a message naming them", async () => {
    const cases: [string[], RegExp][] = [
      [["serve", "--port", "70000"], /--port.*0 to 65535/],
      [["serve", "--port", "x"], /--port/],
      [["serve", "--token", "short"], /at least 16/],
      [["serve", "--redis", "http://x"], /redis:\/\//],
      [["serve", "--rate-limit", "0"], /--rate-limit/],
      [["serve", "--bogus"], /unknown option '--bogus'/],
      [["serve", "--host", "0.0.0.0"], /--host 0\.0\.0\.0 .*--token.*--insecure/],
      [["serve", "/no/such/dir"], /\/no\/such\/dir: no such directory/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toMatch(message);
    }
  });
});
