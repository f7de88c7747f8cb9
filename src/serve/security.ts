/**
 * The server's security checks: the bearer token (compared in constant time), the host/token
 * policy, and confinement of `/api/files` to the project root.
 * @packageDocumentation
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { apiError } from "./problem.js";

/** Hosts that only this machine can reach. */
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** True when `host` binds to loopback only. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Checks the bind policy: any host other than loopback needs a token or an explicit `insecure`.
 * @throws Error naming the options to give.
 */
export function checkBindPolicy(host: string, token: string | undefined, insecure: boolean): void {
  if (!isLoopback(host) && token === undefined && !insecure) {
    throw new Error(
      `--host ${host} exposes the index beyond this machine: give --token <secret> (clients send "Authorization: Bearer <secret>"), or --insecure to serve without one`,
    );
  }
}

/** A token checker whose time does not depend on where a guess differs. */
export function tokenMatcher(token: string): (given: string | undefined) => boolean {
  // Comparing fixed-length digests hides the token's length as well as its content.
  const want = createHash("sha256").update(token).digest();
  return (given) => {
    if (given === undefined) return false;
    const got = createHash("sha256").update(given).digest();
    return timingSafeEqual(want, got);
  };
}

/** Path segments never served, at any depth. */
const FORBIDDEN_SEGMENTS = new Set([".git", ".elixirscope"]);

/**
 * The real path of `requested` (relative to `root`, as decoded from the URL) when it is a regular
 * file inside the root's real path and outside `.git` and `.elixirscope`.
 * @throws ElixirScopeError FORBIDDEN for absolute paths, `..`, NUL bytes, forbidden directories and
 *   anything whose real path (after symlinks) leaves the root; NOT_FOUND when no such file exists.
 */
export function confinePath(realRoot: string, requested: string): string {
  if (requested.length === 0) throw apiError("INVALID_ARGUMENT", "no file path given");
  if (requested.includes("\0")) throw apiError("FORBIDDEN", "path contains a NUL byte");
  const normalized = requested.replaceAll("\\", "/");
  if (isAbsolute(requested) || normalized.startsWith("/") || /^[a-zA-Z]:/.test(normalized)) {
    throw apiError("FORBIDDEN", "absolute paths are not served");
  }
  const parts = normalized.split("/");
  if (parts.includes("..")) throw apiError("FORBIDDEN", "'..' is not allowed in a file path");
  if (parts.some((p) => FORBIDDEN_SEGMENTS.has(p))) {
    throw apiError("FORBIDDEN", "files under .git and .elixirscope are not served");
  }
  let real: string;
  try {
    real = realpathSync(resolve(realRoot, normalized));
  } catch {
    throw apiError("NOT_FOUND", `no file ${requested} in the project`);
  }
  const rel = relative(realRoot, real);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
    throw apiError("FORBIDDEN", "the path leaves the project root");
  }
  if (rel.split(sep).some((p) => FORBIDDEN_SEGMENTS.has(p))) {
    throw apiError("FORBIDDEN", "files under .git and .elixirscope are not served");
  }
  if (!statSync(real).isFile()) throw apiError("NOT_FOUND", `${requested} is not a file`);
  return real;
}
