import { describe, expect, it } from "vitest";
import { AstRepository, functionKey } from "../../../src/ast/repository/repository.js";
import { call, file, fn, mod } from "./fixtures.js";

function sample(): AstRepository {
  const repo = new AstRepository();
  const a = "lib/a.ex";
  const b = "lib/b.ex";
  repo.setFile({
    path: a,
    hash: "h1",
    error: null,
    extraction: file(a, [
      mod(
        a,
        "App.Server",
        (id) => [
          fn(id, a, "init", 1, [call("App.Store", "load", 1)]),
          fn(id, a, "handle_call", 3, [
            call("App.Store", "load", 1, 0),
            call("App.Store", "load", 1, 1),
          ]),
          fn(id, a, "helper", 0, [call(null, "dyn", 0)], "defp"),
        ],
        ["GenServer"],
      ),
    ]),
  });
  repo.setFile({
    path: b,
    hash: "h2",
    error: null,
    extraction: file(b, [
      mod(
        b,
        "App.Store",
        (id) => [fn(id, b, "load", 1, [call("Enum", "map", 2)]), fn(id, b, "init", 1)],
        ["GenServer", "App.Storage"],
      ),
    ]),
  });
  repo.setFile({
    path: "lib/bad.ex",
    hash: "h3",
    extraction: null,
    error: { line: 3, column: 1, message: "boom" },
  });
  return repo;
}

describe("AstRepository", () => {
  it("indexes modules, files and functions by key, name and name/arity", () => {
    const repo = sample();
    expect(repo.module("App.Server")?.file).toBe("lib/a.ex");
    expect(repo.module("Nope")).toBeUndefined();
    expect(repo.modulesInFile("lib/b.ex").map((m) => m.name)).toEqual(["App.Store"]);
    expect(repo.modulesInFile("lib/bad.ex")).toEqual([]);
    expect(repo.functions("App.Server", "init", 1)[0]?.function.name).toBe("init");
    expect(repo.functionByKey("App.Store.load/1")).toHaveLength(1);
    expect(
      repo
        .functionsNamed("init")
        .map((r) => r.key)
        .sort(),
    ).toEqual(["App.Server.init/1", "App.Store.init/1"]);
    expect(repo.functionsNamed("handle_call", 3)).toHaveLength(1);
    expect(repo.functionsNamed("handle_call", 2)).toHaveLength(0);
    expect(repo.file("lib/bad.ex")?.error?.message).toBe("boom");
    expect(repo.stats()).toEqual({
      files: 3,
      failedFiles: 1,
      modules: 2,
      functions: 5,
      clauses: 5,
      callEdges: 3,
    });
  });

  it("indexes behaviours", () => {
    const repo = sample();
    expect(repo.modulesWithBehaviour("GenServer").map((m) => m.name)).toEqual([
      "App.Server",
      "App.Store",
    ]);
    expect(repo.modulesWithBehaviour("App.Storage").map((m) => m.name)).toEqual(["App.Store"]);
    expect([...repo.behaviours()].sort()).toEqual(["App.Storage", "GenServer"]);
  });

  it("indexes callers and callees with call-site counts, skipping dynamic calls", () => {
    const repo = sample();
    expect(repo.callers("App.Store.load/1")).toEqual([
      { key: "App.Server.init/1", count: 1 },
      { key: "App.Server.handle_call/3", count: 2 },
    ]);
    expect(repo.callees("App.Store.load/1")).toEqual([{ key: "Enum.map/2", count: 1 }]);
    expect(repo.callers("Enum.map/2")).toEqual([{ key: "App.Store.load/1", count: 1 }]);
    expect(repo.callees("App.Server.helper/0")).toEqual([]);
    expect(repo.callerCount("App.Store.load/1")).toBe(2);
  });

  it("replaces and removes a file's contribution without touching others", () => {
    const repo = sample();
    // Looked up before the change, so a stale cached list would show below.
    expect(repo.callers("App.Store.load/1")).toHaveLength(2);
    expect(repo.callers("Enum.map/2")).toHaveLength(1);
    const a = "lib/a.ex";
    repo.setFile({
      path: a,
      hash: "h1b",
      error: null,
      extraction: file(a, [mod(a, "App.Server", (id) => [fn(id, a, "start", 0)])]),
    });
    expect(repo.functions("App.Server", "init", 1)).toHaveLength(0);
    expect(repo.functions("App.Server", "start", 0)).toHaveLength(1);
    expect(repo.callers("App.Store.load/1")).toEqual([]);
    expect(repo.modulesWithBehaviour("GenServer").map((m) => m.name)).toEqual(["App.Store"]);
    expect(repo.functionsNamed("init").map((r) => r.key)).toEqual(["App.Store.init/1"]);
    expect(repo.removeFile("lib/b.ex")).toBe(true);
    expect(repo.removeFile("lib/b.ex")).toBe(false);
    expect(repo.callers("Enum.map/2")).toEqual([]);
    expect(repo.module("App.Store")).toBeUndefined();
    expect(repo.stats()).toMatchObject({ files: 2, modules: 1, functions: 1, callEdges: 0 });
    repo.clear();
    expect(repo.stats()).toEqual({
      files: 0,
      failedFiles: 0,
      modules: 0,
      functions: 0,
      clauses: 0,
      callEdges: 0,
    });
  });

  it("keeps both definitions of a module defined in two files", () => {
    const repo = new AstRepository();
    for (const p of ["lib/x.ex", "lib/y.ex"]) {
      repo.setFile({
        path: p,
        hash: p,
        error: null,
        extraction: file(p, [mod(p, "Dup", (id) => [fn(id, p, "f", 0)])]),
      });
    }
    expect(repo.modules("Dup").map((m) => m.file)).toEqual(["lib/x.ex", "lib/y.ex"]);
    expect(repo.functionByKey(functionKey("Dup", "f", 0))).toHaveLength(2);
    repo.removeFile("lib/x.ex");
    expect(repo.modules("Dup").map((m) => m.file)).toEqual(["lib/y.ex"]);
  });
});

describe("AstRepository deferred files", () => {
  it("loads a deferred file on the first lookup that needs it, once", () => {
    const repo = new AstRepository();
    const loads: string[] = [];
    for (const p of ["lib/d1.ex", "lib/d2.ex"]) {
      const name = p === "lib/d1.ex" ? "D1" : "D2";
      repo.setDeferredFile({
        path: p,
        hash: `h-${p}`,
        counts: { modules: 1, functions: 1, clauses: 1 },
        load: () => {
          loads.push(p);
          return file(p, [mod(p, name, (id) => [fn(id, p, "run", 0, [call("Enum", "map", 2)])])]);
        },
      });
    }
    expect(repo.deferredCount).toBe(2);
    expect(repo.hashOf("lib/d1.ex")).toBe("h-lib/d1.ex");
    expect(repo.countsOf("lib/d2.ex")).toEqual({ modules: 1, functions: 1, clauses: 1 });
    expect(repo.paths().sort()).toEqual(["lib/d1.ex", "lib/d2.ex"]);
    expect(loads).toEqual([]);
    expect(repo.modulesInFile("lib/d1.ex").map((m) => m.name)).toEqual(["D1"]);
    expect(loads).toEqual(["lib/d1.ex"]);
    // A per-file lookup reads the file without building the indexes, and reads it once.
    expect(repo.file("lib/d1.ex")?.extraction?.modules[0].name).toBe("D1");
    expect(repo.deferredCount).toBe(2);
    expect(loads).toEqual(["lib/d1.ex"]);
    expect(
      repo
        .callers("Enum.map/2")
        .map((r) => r.key)
        .sort(),
    ).toEqual(["D1.run/0", "D2.run/0"]);
    expect(loads).toEqual(["lib/d1.ex", "lib/d2.ex"]);
    expect(repo.deferredCount).toBe(0);
    expect(repo.module("D2")?.file).toBe("lib/d2.ex");
    expect(loads).toHaveLength(2);
  });

  it("drops a deferred file that is removed or replaced without loading it", () => {
    const repo = new AstRepository();
    let loaded = false;
    const deferred = {
      path: "lib/x.ex",
      hash: "h",
      counts: { modules: 1, functions: 0, clauses: 0 },
      load: () => {
        loaded = true;
        return file("lib/x.ex", []);
      },
    };
    repo.setDeferredFile(deferred);
    expect(repo.removeFile("lib/x.ex")).toBe(true);
    repo.setDeferredFile(deferred);
    repo.setFile({ path: "lib/x.ex", hash: "h2", error: null, extraction: file("lib/x.ex", []) });
    expect(repo.stats().files).toBe(1);
    expect(loaded).toBe(false);
  });
});
