import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  addBreadcrumb,
  currentCorrelationId,
  ElixirScopeError,
  ERROR_CODES,
  isElixirScopeError,
  MAX_BREADCRUMBS,
  toElixirScopeError,
  withErrorContext,
} from "../../../src/foundation/index.js";

describe("the error catalogue", () => {
  const guide = readFileSync(new URL("../../../docs/FOUNDATION.md", import.meta.url), "utf8");
  const documented = new Set([...guide.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]));

  it("documents every code in docs/FOUNDATION.md", () => {
    const missing = Object.keys(ERROR_CODES).filter((c) => !documented.has(c));
    expect(missing).toEqual([]);
  });

  it("documents no code that does not exist", () => {
    const extra = [...documented].filter((c) => !(c! in ERROR_CODES));
    expect(extra).toEqual([]);
  });

  it("gives every code a category, severity and a one-sentence description", () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(info.description, code).toMatch(/^[A-Z`].*\.$/);
      expect(["low", "medium", "high", "critical"]).toContain(info.severity);
    }
  });
});

describe("ElixirScopeError", () => {
  it("takes category, severity and retryability from the catalogue", () => {
    const e = new ElixirScopeError("CALL_TIMEOUT", "no reply", { context: { service: "x" } });
    expect(e.code).toBe("CALL_TIMEOUT");
    expect(e.category).toBe("service");
    expect(e.severity).toBe("medium");
    expect(e.retryable).toBe(true);
    expect(e.context).toEqual({ service: "x" });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("ElixirScopeError");
  });

  it("lets one occurrence override severity, retryability and carry retryAfterMs and a cause", () => {
    const cause = new Error("root");
    const e = new ElixirScopeError("RATE_LIMITED", "slow down", {
      retryAfterMs: 250,
      severity: "high",
      retryable: false,
      cause,
    });
    expect(e.retryAfterMs).toBe(250);
    expect(e.severity).toBe("high");
    expect(e.retryable).toBe(false);
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toMatchObject({ code: "RATE_LIMITED", cause: { message: "root" } });
  });

  it("rejects an unknown option key, naming it, instead of ignoring it", () => {
    const make = (options: object) => () =>
      new ElixirScopeError("RATE_LIMITED", "slow down", options as { retryAfterMs?: number });
    expect(make({ retryAfter: 5 })).toThrow(/unknown option "retryAfter"/);
    try {
      make({ retryAfter: 5, ctx: {} })();
      expect.unreachable();
    } catch (e) {
      expect(isElixirScopeError(e, "UNKNOWN_OPTION")).toBe(true);
      expect((e as ElixirScopeError).context).toMatchObject({ keys: ["retryAfter", "ctx"] });
    }
    // Only own keys count: an inherited enumerable key is not an option.
    const inherited = Object.assign(Object.create({ extra: 1 }), { retryAfterMs: 5 });
    expect(make(inherited)().retryAfterMs).toBe(5);
  });

  it("is recognised by its brand, also when the prototype chain is foreign", () => {
    const e = new ElixirScopeError("INTERNAL_ERROR", "x");
    expect(isElixirScopeError(e)).toBe(true);
    expect(isElixirScopeError(e, "INTERNAL_ERROR")).toBe(true);
    expect(isElixirScopeError(e, "TIMEOUT")).toBe(false);
    expect(isElixirScopeError(new Error("x"))).toBe(false);
    expect(isElixirScopeError({ code: "INTERNAL_ERROR" })).toBe(false);
    const foreign = Object.assign(Object.create(null), { code: "TIMEOUT" });
    foreign[Symbol.for("elixirscope.error")] = true;
    expect(isElixirScopeError(foreign)).toBe(true);
  });

  it("wraps foreign throwables and passes its own through", () => {
    const own = new ElixirScopeError("TIMEOUT", "t");
    expect(toElixirScopeError(own)).toBe(own);
    const wrapped = toElixirScopeError(new TypeError("bad"), "INVALID_ARGUMENT");
    expect(wrapped.code).toBe("INVALID_ARGUMENT");
    expect(wrapped.message).toBe("bad");
    expect(wrapped.cause).toBeInstanceOf(TypeError);
  });
});

describe("the async error context", () => {
  it("follows awaits and timers, and an error deep in the chain says where it came from", async () => {
    const deep = async () => {
      await new Promise((r) => setTimeout(r, 1));
      addBreadcrumb("reading file", { file: "lib/a.ex" });
      await Promise.resolve();
      return new ElixirScopeError("PARSE_ERROR", "unexpected token");
    };
    const err = await withErrorContext(
      { correlationId: "req-1", operation: "request" },
      async () => {
        addBreadcrumb("start");
        return withErrorContext({ operation: "parse" }, deep);
      },
    );
    expect(err.correlationId).toBe("req-1");
    expect(err.operationPath).toEqual(["request", "parse"]);
    expect(err.breadcrumbs.map((b) => b.message)).toEqual(["start", "reading file"]);
    expect(err.toString()).toContain("(in request > parse)");
  });

  it("keeps concurrent contexts apart", async () => {
    const seen = await Promise.all(
      ["a", "b", "c"].map((id) =>
        withErrorContext({ correlationId: id }, async () => {
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          return currentCorrelationId();
        }),
      ),
    );
    expect(seen).toEqual(["a", "b", "c"]);
    expect(currentCorrelationId()).toBeUndefined();
  });

  it("rejects unknown keys and bad values in its options", () => {
    const run = (options: object) => () =>
      withErrorContext(options as { operation?: string }, () => 1);
    expect(run({ bogus: 1 })).toThrow(/withErrorContext: unknown option "bogus"/);
    expect(run({ bogus: 1 })).toThrow(expect.objectContaining({ code: "UNKNOWN_OPTION" }));
    expect(run({ operation: 42 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(run({ correlationId: "" })).toThrow(/option correlationId/);
    expect(run({ operation: "ok", metadata: { a: 1 } })()).toBe(1);
  });

  it("generates a correlation id when none is inherited and bounds the breadcrumbs", () => {
    withErrorContext({}, () => {
      expect(currentCorrelationId()).toMatch(/^[0-9a-f-]{36}$/);
      for (let i = 0; i < MAX_BREADCRUMBS + 10; i++) addBreadcrumb(`b${i}`);
      const e = new ElixirScopeError("INTERNAL_ERROR", "x");
      expect(e.breadcrumbs).toHaveLength(MAX_BREADCRUMBS);
      expect(e.breadcrumbs[0]!.message).toBe("b10");
    });
  });
});
