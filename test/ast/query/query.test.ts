import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeRoot } from "../../../src/ast/population/run.js";
import {
  type FunctionRow,
  type ModuleRow,
  type PathRow,
  parseQuery,
  QueryEngine,
  QuerySyntaxError,
  query,
} from "../../../src/ast/query/index.js";
import { writeProject } from "./project.js";

let root: string;
let engine: QueryEngine;

beforeAll(async () => {
  root = writeProject();
  const run = await analyzeRoot(root, { cache: false, workers: 0 });
  engine = new QueryEngine({ repository: run.repository, analysis: run.analysis });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (text: string) => engine.run(parseQuery(text));

describe("the documented example queries", () => {
  it("functions where cyclomatic > 10 and module ~ glob", () => {
    const r = run('functions where cyclomatic > 10 and module ~ "MyApp.Billing.*"');
    expect((r.items as FunctionRow[]).map((f) => f.key)).toEqual(["MyApp.Billing.Invoice.total/1"]);
    expect((r.items[0] as FunctionRow).cyclomatic).toBe(13);
  });

  it("callers of an aliased function, transitively", () => {
    const r = run("callers of Repo.delete!/1 depth 2");
    const got = (r.items as FunctionRow[]).map((f) => `${f.key}@${f.depth}`).sort();
    expect(got).toEqual([
      "MyApp.Accounts.purge/1@2",
      "MyApp.Accounts.remove/1@1",
      "MyApp.Web.UserController.delete/2@2",
    ]);
    expect(run("callers of Repo.delete!/1").items).toHaveLength(1);
    expect(r.explain[0]).toMatchObject({ step: "candidates", index: "callIndex" });
  });

  it("modules implementing a behaviour lacking a callback", () => {
    const r = run("modules implementing GenServer lacking handle_info/2");
    expect((r.items as ModuleRow[]).map((m) => m.name)).toEqual(["MyApp.Worker"]);
    expect(run("modules implementing GenServer having handle_info/2").items).toHaveLength(1);
    expect(r.explain[0].index).toBe("modulesByBehaviour");
  });

  it("path from a namespace to a module", () => {
    const r = run("path from MyApp.Web to MyApp.Repo");
    expect((r.items as PathRow[]).map((m) => `${m.step}:${m.name}`)).toEqual([
      "0:MyApp.Web.UserController",
      "1:MyApp.Accounts",
      "2:MyApp.Repo",
    ]);
    expect(run("path from MyApp.Repo to MyApp.Web").items).toEqual([]);
  });
});

describe("query engine", () => {
  it("serves exact names from an index and explains every step", () => {
    const spec = parseQuery('functions where name = "remove" order by line desc limit 1 offset 0');
    const steps = engine.explain(spec);
    // The index answers `name = ...` entirely: no filter step is left.
    expect(steps.map((s) => `${s.step}:${s.index}`)).toEqual([
      "candidates:functionsByName",
      "order:sort",
      "page:stream",
    ]);
    expect(engine.run(spec).items).toHaveLength(1);
    expect(engine.explain(parseQuery("functions where loc > 1"))[0].index).toBe("scan");
    const rest = engine.explain(parseQuery('functions where name = "remove" and loc > 1'));
    expect(rest.map((s) => `${s.step}:${s.index}`)).toEqual([
      "candidates:functionsByName",
      "filter:scan",
    ]);
    const glob = engine.explain(
      parseQuery('functions where loc > 1 and module ~ "MyApp.Billing.*"'),
    );
    expect(glob[0]).toMatchObject({
      index: "modulesByPrefix",
      detail: "MyApp.Billing.* of MyApp.Billing.*",
    });
    const lacking = engine.explain(
      parseQuery("modules implementing GenServer lacking handle_info/2"),
    );
    expect(lacking.map((s) => `${s.step}:${s.index}`)).toEqual([
      "candidates:modulesByBehaviour",
      "filter:functionsByNameArity",
    ]);
  });

  it("answers through an index exactly as a full scan does, page and total", () => {
    // Wrapping the condition in a one-item `or` hides it from the planner: a scan answers.
    const queries = [
      'functions where name = "remove"',
      'functions where name = "remove" and loc > 1',
      'functions where key = "MyApp.Accounts.remove/1"',
      'functions where module = "MyApp.Accounts" limit 1 offset 1',
      'functions where module ~ "MyApp.*" and cyclomatic > 1 limit 2',
      'functions where module ~ "MyApp.Billing*"',
      'functions where module ~ "MyApp.*.Invoice" and loc >= 1',
      'functions where module = "MyApp.Billing.Invoice" and cyclomatic > 1',
      'functions where module ~ "MyApp.B*" and not name = "simple" limit 1',
      'modules where name ~ "MyApp.*" and functions > 1',
      'modules where name ~ "MyApp.W*"',
      'modules where name = "MyApp.Repo"',
      'clauses where module ~ "MyApp.Billing.*" limit 1',
      'calls where module = "MyApp.Repo"',
    ];
    for (const text of queries) {
      const spec = parseQuery(text);
      const hidden = { ...spec, where: spec.where && { op: "or" as const, items: [spec.where] } };
      expect(engine.explain(hidden)[0].index, text).toBe("scan");
      const a = engine.run(spec, { cache: false });
      const b = engine.run(hidden, { cache: false });
      expect(a.total, text).toBe(b.total);
      expect(new Set(a.items.map((r) => JSON.stringify(r))), text).toEqual(
        new Set(b.items.map((r) => JSON.stringify(r))),
      );
    }
    const all = run("modules implementing GenServer");
    const lacking = run("modules implementing GenServer lacking handle_info/2");
    const having = run("modules implementing GenServer having handle_info/2");
    expect(lacking.total + having.total).toBe(all.total);
  });

  it("answers has/lacks with set operations exactly as a check per module does", () => {
    const every = run("modules").items as ModuleRow[];
    const writes = (m: string, fn: string) => {
      const [name, arity] = [fn.slice(0, fn.lastIndexOf("/")), Number(fn.split("/").pop())];
      const q = `functions where module = "${m}" and name = "${name}" and arity = ${arity} and generated = false`;
      return run(q).total > 0;
    };
    const fns = ["handle_info/2", "init/1", "remove/1", "nope/9"];
    for (const head of [
      "modules",
      'modules where name ~ "MyApp.*"',
      "modules implementing GenServer",
    ]) {
      for (const has of fns) {
        for (const lacks of fns) {
          const text = `${head} having ${has} lacking ${lacks}`;
          const base = new Set((run(head).items as ModuleRow[]).map((m) => m.name));
          const want = every
            .filter((m) => base.has(m.name) && writes(m.name, has) && !writes(m.name, lacks))
            .map((m) => m.name)
            .sort();
          const got = (run(text).items as ModuleRow[]).map((m) => m.name).sort();
          expect(got, text).toEqual(want);
        }
      }
    }
  });

  it("keeps exactly a stable sort's page when ordering with a limit (top-k)", () => {
    const fields = ["cyclomatic", "loc", "name", "module", "line", "arity"];
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        fc.boolean(),
        fc.nat(5),
        fc.nat(3),
        (field, desc, limit, offset) => {
          const order = `order by ${field}${desc ? " desc" : ""}`;
          const all = run(`functions ${order}`);
          const page = engine.run(parseQuery(`functions ${order} limit ${limit} offset ${offset}`));
          expect(page.total).toBe(all.total);
          expect(page.items).toEqual(all.items.slice(offset, offset + limit));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("pages with order, limit and offset, and counts the total", () => {
    const all = run("functions order by key");
    const page = run("functions order by key limit 2 offset 1");
    expect(page.total).toBe(all.total);
    expect(page.items).toEqual(all.items.slice(1, 3));
  });

  it("filters clauses, calls, findings and files", () => {
    expect(run('calls where to = "MyApp.Repo.delete!/1"').items).toHaveLength(1);
    expect(run("clauses where cyclomatic >= 12").items).toHaveLength(2);
    expect(run('files where path ~ "lib/my_app/web/*"').items).toHaveLength(1);
    const findings = run("findings where rule = dependency-cycle");
    expect(findings.total).toBe(0);
    // `use GenServer` defines the other callbacks; generated = false keeps the written ones.
    const callbacks = "functions where name ~ /^(init|handle_)/ and not visibility = private";
    expect(run(callbacks).total).toBe(8);
    expect(run(`${callbacks} and generated = false`).total).toBe(4);
  });

  it("caches per repository version and recomputes after a file changes", async () => {
    const text = 'functions where module = "MyApp.Repo"';
    expect(run(text).cached).toBe(false);
    expect(run(text).cached).toBe(true);
    const before = engine.version;
    const file = join(root, "lib/my_app/repo.ex");
    writeFileSync(
      file,
      "defmodule MyApp.Repo do\n  def delete!(s), do: s\n  def insert(s), do: s\nend\n",
    );
    const again = await analyzeRoot(root, { cache: false, workers: 0 });
    const fresh = new QueryEngine({ repository: again.repository, analysis: again.analysis });
    expect(fresh.version).not.toBe(before);
    const r = fresh.run(parseQuery(text));
    expect(r.cached).toBe(false);
    expect((r.items as FunctionRow[]).map((f) => f.name).sort()).toEqual(["delete!", "insert"]);
  });

  it("refresh() drops cached results when the repository it reads changed", async () => {
    const run1 = await analyzeRoot(root, { cache: false, workers: 0 });
    const e = new QueryEngine({ repository: run1.repository, analysis: run1.analysis });
    const text = 'functions where module = "MyApp.Other"';
    expect(e.run(parseQuery(text)).total).toBe(1);
    writeFileSync(
      join(root, "lib/my_app/other.ex"),
      "defmodule MyApp.Other do\n  def a, do: 1\n  def b, do: 2\nend\n",
    );
    const run2 = await analyzeRoot(root, { cache: false, workers: 0, repository: run1.repository });
    e.refresh({ analysis: run2.analysis });
    const r = e.run(parseQuery(text));
    expect(r.cached).toBe(false);
    expect(r.total).toBe(2);
  });
});

describe("the text language", () => {
  it("compiles to the same spec as the builder", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("cyclomatic", "nesting", "loc", "arity"),
        fc.constantFrom(">", ">=", "<", "<=", "=", "!=" as const),
        fc.nat(100),
        (metric, op, n) => {
          const text = `functions where ${metric} ${op} ${n} and module ~ "A.*" limit 3`;
          const built = query("functions").metric(metric, op, n).module("A.*").limit(3);
          expect(parseQuery(text)).toEqual(built.toSpec());
        },
      ),
    );
  });

  it("points at the column of every error", () => {
    const cases: [string, number, RegExp][] = [
      ["functoins", 1, /unknown entity "functoins"/],
      ["functions where cyclomatic >> 3", 29, /expected a value/],
      ["functions where nme = 1", 17, /unknown field "nme"/],
      ['functions where name = "x', 24, /unterminated string/],
      ["callers of Repo.delete!", 12, /expected name\/arity/],
      ["functions limit x", 17, /limit must be a non-negative integer/],
      ["modules where name ~ /(/", 22, /invalid regular expression/],
      ["functions implementing GenServer", 1, /modules only/],
      ["path from A", 12, /expected "to"/],
      ["functions where (loc > 1", 25, /expected "\)"/],
    ];
    for (const [text, column, message] of cases) {
      let error: unknown;
      try {
        parseQuery(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(QuerySyntaxError);
      expect((error as QuerySyntaxError).column, text).toBe(column);
      expect((error as QuerySyntaxError).description, text).toMatch(message);
    }
  });
});
