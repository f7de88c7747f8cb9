import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServe, type ServeOptions, startServe } from "../../src/serve/start.js";

/** A copy of the bundled example application in a fresh temporary directory. */
export function copyExample(): { root: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "es-serve-"));
  const root = join(dir, "project");
  cpSync(new URL("../../examples/inventory", import.meta.url), root, { recursive: true });
  return { root, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a server on a free loopback port and waits for the initial index. */
export async function serveReady(
  root: string,
  options: Partial<ServeOptions> = {},
): Promise<RunningServe> {
  const s = await startServe({
    root,
    port: 0,
    uiDir: null,
    rateLimit: { rate: 10_000, intervalMs: 1_000, burst: 10_000 },
    ...options,
  });
  await s.built;
  return s;
}

/** Polls `check` every 10 ms until it returns a value other than undefined (or times out). */
export async function until<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A raw GET whose path is sent exactly as given (fetch would normalise `..`). */
export function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}
