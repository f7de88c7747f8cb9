/**
 * Extraction on a fixture that uses every construct the issue lists: nested modules, protocols
 * and implementations, directives, attributes, every definition kind, default arguments,
 * generated functions, and calls with aliases, imports, pipes and captures.
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { extractFile } from "../../../src/ast/extract/index.js";
import type { FunctionInfo, ModuleInfo } from "../../../src/ast/model.js";
import {
  describeUnless,
  ELIXIR,
  hasElixir,
  skipUnlessAvailable,
} from "../../support/prerequisites.js";
import { oracleParse } from "../support/oracle-ast.js";

const FIXTURE = "test/fixtures/elixir/extraction.ex";

describeUnless(skipUnlessAvailable(ELIXIR, hasElixir()), "extractFile", () => {
  const { ast, comments } = oracleParse(readFileSync(FIXTURE, "utf8"));
  const file = extractFile(ast, comments, "lib/shop/cart.ex");
  const byName = new Map(file.modules.map((m) => [m.name, m]));
  const mod = (n: string): ModuleInfo => {
    const m = byName.get(n);
    if (m === undefined) throw new Error(`no module ${n}; have ${[...byName.keys()].join(", ")}`);
    return m;
  };
  const fn = (m: ModuleInfo, key: string): FunctionInfo => {
    const f = m.functions.find((x) => `${x.name}/${x.arity}` === key);
    if (f === undefined) throw new Error(`no ${key} in ${m.name}`);
    return f;
  };

  it("finds every module, nested and protocol ones included, with lines from do/end", () => {
    expect([...byName.keys()].sort()).toEqual([
      "Shop.Cart",
      "Shop.Cart.Line",
      "Shop.Describe",
      "Shop.Error",
      "String.Chars.Shop.Cart",
    ]);
    const cart = mod("Shop.Cart");
    expect([cart.line, cart.endLine, cart.kind, cart.moduledoc]).toEqual([1, 44, "module", "doc"]);
    expect(mod("Shop.Cart.Line").parent).toBe("Shop.Cart");
    expect(mod("String.Chars.Shop.Cart").impl).toEqual({
      protocol: "String.Chars",
      for: "Shop.Cart",
    });
    expect(mod("Shop.Describe").kind).toBe("protocol");
  });

  it("reads directives and attributes", () => {
    const cart = mod("Shop.Cart");
    expect(cart.aliases.map((a) => `${a.as}=${a.module}`)).toEqual([
      "Catalog=Shop.Catalog",
      "Rules=Shop.Pricing.Rules",
      "Stock=Shop.Inventory",
    ]);
    expect(cart.imports).toEqual([
      { module: "Enum", line: 5, only: ["map/2"], except: null, arg: null },
    ]);
    expect(cart.requires.map((r) => r.module)).toEqual(["Logger"]);
    expect(cart.uses.map((u) => u.module)).toEqual(["GenServer"]);
    expect(cart.behaviours).toEqual(["GenServer", "Shop.Store"]);
    expect(cart.types.map((t) => `${t.kind} ${t.name}/${t.arity}`)).toEqual(["type t/0"]);
    expect(cart.specs.map((s) => `${s.name}/${s.arity}`)).toEqual(["add/3"]);
    expect(cart.attributes.map((a) => a.name)).toEqual(["timeout"]);
    expect(cart.structFields).toEqual(["items", "owner"]);
  });

  it("groups clauses by name and arity and expands default arguments", () => {
    const cart = mod("Shop.Cart");
    const add3 = fn(cart, "add/3");
    // The bodiless head that declares the default is a clause too, marked `head`.
    expect(add3.clauses.map((c) => c.head)).toEqual([true, false]);
    expect(add3.clauses[0].metrics).toMatchObject({ cyclomatic: 1, abc: 0, nesting: 0, arity: 3 });
    expect(add3.clauses[1].guards).toEqual(["is_integer(qty) and qty > 0"]);
    expect([add3.doc, add3.hasSpec, add3.line, add3.endLine]).toEqual(["doc", true, 17, 23]);
    const add2 = fn(cart, "add/2");
    expect([add2.defaultOf, add2.clauses.length, add2.kind]).toEqual([3, 0, "def"]);
    expect(fn(cart, "init/1").impl).toBe("true");
    expect(fn(cart, "init/1").doc).toBe("false");
    expect(fn(cart, "unused/1").visibility).toBe("private");
    expect(fn(cart, "twice/1").kind).toBe("defmacro");
    expect(fn(cart, "is_small/1").kind).toBe("defguard");
    expect(fn(cart, "lookup/1").delegateTo).toEqual({ module: "Shop.Catalog", name: "fetch" });
  });

  it("lists generated functions as generated defs", () => {
    const gen = (m: ModuleInfo) =>
      m.functions.filter((f) => f.generated).map((f) => `${f.name}/${f.arity} ${f.generatedBy}`);
    expect(gen(mod("Shop.Cart"))).toEqual([
      "__struct__/0 defstruct",
      "__struct__/1 defstruct",
      "child_spec/1 use GenServer",
      "code_change/3 use GenServer",
      "handle_call/3 use GenServer",
      "handle_cast/2 use GenServer",
      "handle_info/2 use GenServer",
      "terminate/2 use GenServer",
    ]);
    expect(gen(mod("Shop.Describe"))).toEqual([
      "__protocol__/1 defprotocol",
      "impl_for/1 defprotocol",
      "impl_for!/1 defprotocol",
    ]);
    expect(gen(mod("String.Chars.Shop.Cart"))).toEqual(["__impl__/1 defimpl"]);
    expect(gen(mod("Shop.Error"))).toEqual([
      "__struct__/0 defexception",
      "__struct__/1 defexception",
      "exception/1 defexception",
      "message/1 defexception",
    ]);
  });

  it("resolves calls through aliases, imports, pipes and captures", () => {
    const calls = fn(mod("Shop.Cart"), "add/3").clauses[1].calls.map(
      (c) =>
        `${c.kind} ${c.module}.${c.name}/${c.arity}${c.piped ? " piped" : ""}${c.capture ? " capture" : ""}`,
    );
    expect(calls).toEqual([
      "imported null.is_integer/1",
      "remote Shop.Catalog.price/1",
      "imported Enum.map/2 piped",
      "remote Shop.Pricing.Rules.apply/2 piped",
      "remote Shop.Inventory.reserve/2",
      "local Shop.Cart.total/1",
    ]);
    const total = fn(mod("Shop.Cart"), "total/1").clauses[0].calls.map(
      (c) => `${c.kind} ${c.module}.${c.name}/${c.arity}${c.capture ? " capture" : ""}`,
    );
    expect(total).toEqual(["remote Enum.reduce/3", "local Shop.Cart.sum/2 capture"]);
  });

  it("records module dependencies by kind", () => {
    const deps = mod("Shop.Cart").dependencies.map((d) => `${d.kind} ${d.target}`);
    for (const d of [
      "alias Shop.Catalog",
      "import Enum",
      "require Logger",
      "use GenServer",
      "behaviour Shop.Store",
      "call Shop.Catalog",
      "call Shop.Inventory",
      "call Enum",
    ]) {
      expect(deps).toContain(d);
    }
  });

  it("gives IDs from names, not positions", () => {
    const cart = mod("Shop.Cart");
    expect(cart.id).toBe("lib/shop/cart.ex#Shop.Cart");
    const add3 = fn(cart, "add/3");
    expect(add3.id).toBe("lib/shop/cart.ex#Shop.Cart.add/3");
    expect(add3.clauses[1].id).toBe("lib/shop/cart.ex#Shop.Cart.add/3:1");
    expect(add3.clauses[1].calls[1].id).toBe("lib/shop/cart.ex#Shop.Cart.add/3:1@1");
  });

  it("is plain data that survives JSON and structured clone", () => {
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
    expect(structuredClone(file)).toEqual(file);
  });
});
