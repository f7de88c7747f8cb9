/**
 * Findings users keep enabled: for every rule, real-shaped code on which it must not fire (next
 * to a control on which it must), and the patterns that used to be noisy (a LiveView with a
 * colocated template, a Registry used only through `{:via, Registry, ...}`).
 */
import { describe, expect, it } from "vitest";
import { analyzeProject } from "../../../src/ast/analysis/project.js";
import { RULES } from "../../../src/ast/analysis/rules.js";
import { extractFile } from "../../../src/ast/extract/index.js";
import type { FileExtraction, FindingRule, ProjectAnalysis } from "../../../src/ast/model.js";
import { parse } from "../../../src/ast/parser/index.js";

function project(sources: Record<string, string>): FileExtraction[] {
  return Object.entries(sources).map(([path, src]) => {
    const { ast, comments } = parse(src, { file: path });
    return extractFile(ast, comments, path);
  });
}

function fired(a: ProjectAnalysis, rule: FindingRule): string[] {
  return a.findings.filter((f) => f.rule === rule).map((f) => `${f.module}.${f.function ?? ""}`);
}

const APP: Record<string, string> = {
  "lib/my_app/application.ex": `defmodule MyApp.Application do
  use Application

  @impl true
  def start(_type, _args) do
    children = [
      {Registry, keys: :unique, name: MyApp.Registry},
      MyApp.Worker,
      {MyApp.Cache, []}
    ]
    Supervisor.start_link(children, strategy: :one_for_one, name: MyApp.Supervisor)
  end
end
`,
  "lib/my_app/worker.ex": `defmodule MyApp.Worker do
  use GenServer
  require Logger

  def start_link(id), do: GenServer.start_link(__MODULE__, id, name: via(id))
  def child_spec(id), do: %{id: {__MODULE__, id}, start: {__MODULE__, :start_link, [id]}}

  defp via(id), do: {:via, Registry, {MyApp.Registry, id}}

  def init(id), do: {:ok, %{id: id, count: 0}}

  def handle_call(:get, _from, state), do: {:reply, state.count, state}

  def handle_info(:tick, state) do
    Logger.debug("tick")
    {:noreply, %{state | count: state.count + 1}}
  end
end
`,
  "lib/my_app/cache.ex": `defmodule MyApp.Cache do
  use Agent
  def start_link(_), do: Agent.start_link(fn -> %{} end, name: __MODULE__)
  def get(key), do: Agent.get(__MODULE__, &Map.get(&1, key))
  def put(key, value), do: Agent.update(__MODULE__, &Map.put(&1, key, value))
end
`,
  "lib/my_app/store.ex": `defmodule MyApp.Store do
  @callback fetch(String.t()) :: {:ok, term} | :error
  defmacro __using__(_opts) do
    quote do
      @behaviour MyApp.Store
      def lookup(key), do: fetch(key)
    end
  end
  def fetch_all(mod, keys), do: Enum.map(keys, &mod.fetch/1) ++ [mod.describe()]
end
`,
  "lib/my_app/memory_store.ex": `defmodule MyApp.MemoryStore do
  use MyApp.Store
  def fetch(key), do: MyApp.Cache.get(key) |> wrap()
  def describe, do: "memory"
  defp wrap(nil), do: :error
  defp wrap(v), do: {:ok, v}
end
`,
  "lib/my_app/api.ex": `defmodule MyApp.Api do
  defdelegate fetch(key), to: MyApp.MemoryStore
  defdelegate put(key, value), to: MyApp.Cache
  def safe_atom(s) when s in ["a", "b"], do: String.to_atom("a")
  def label, do: String.to_atom("fixed_label")
end
`,
  "lib/mix/tasks/my_app.seed.ex": `defmodule Mix.Tasks.MyApp.Seed do
  @shortdoc "Seeds the store"
  def run(_args), do: MyApp.Api.put(:seeded, true)
end
`,
  "lib/my_app_web/live/counter_live.ex": `defmodule MyAppWeb.CounterLive do
  use Phoenix.LiveView
  def mount(_params, _session, socket), do: {:ok, assign(socket, :count, 0)}
  def handle_event("inc", _, socket), do: {:noreply, update(socket, :count, &(&1 + 1))}
end
`,
  "lib/my_app_web/live/page_live.ex": `defmodule MyAppWeb.PageLive do
  use Phoenix.LiveView
  def mount(_params, _session, socket), do: {:ok, socket}
end
`,
  "lib/my_app_web/components/layouts.ex": `defmodule MyAppWeb.Layouts do
  use Phoenix.LiveView
  embed_templates "layouts/*"
  def mount(_params, _session, socket), do: {:ok, socket}
end
`,
  "test/my_app/api_test.exs": `defmodule MyApp.ApiTest do
  use ExUnit.Case
  test "labels" do
    assert MyApp.Api.label() == :fixed_label
    assert MyApp.Api.safe_atom("a")
    assert MyApp.Api.fetch(:x)
  end
end
`,
};

describe("findings on a real-shaped application", () => {
  const a = analyzeProject(
    project(APP),
    {},
    {
      templates: ["lib/my_app_web/live/counter_live.html.heex"],
    },
  );

  it("does not call callbacks, child specs, delegate targets, used-module hooks or mix tasks unused", () => {
    expect(fired(a, "unused-public-function")).toEqual([
      // Nothing calls it: the control that shows the rule still fires.
      "MyApp.Store.fetch_all/2",
    ]);
  });

  it("fires no other rule on ordinary code", () => {
    for (const rule of RULES) {
      if (rule.id === "unused-public-function") continue;
      expect({ rule: rule.id, fired: fired(a, rule.id) }).toEqual({ rule: rule.id, fired: [] });
    }
  });

  it("sees a LiveView's colocated or embedded template as its render/1", () => {
    const live = a.patterns.filter((p) => p.pattern === "PhoenixLiveView");
    expect(live.map((p) => `${p.module} ${p.missing.join(",")}`)).toEqual([
      "MyAppWeb.Layouts ",
      "MyAppWeb.CounterLive ",
      "MyAppWeb.PageLive render/1",
    ]);
  });

  it("counts {:via, Registry, ...} as Registry use", () => {
    const registry = a.patterns.filter((p) => p.pattern === "Registry");
    expect(registry.map((p) => `${p.module} ${p.evidence}`)).toEqual([
      "MyApp.Worker {:via, Registry, ...} name",
    ]);
  });
});

describe("each rule next to a near miss", () => {
  const src = `defmodule Near do
  def caller(x), do: [used(x), short(x), flat(x), eight(1, 2, 3, 4, 5, 6, 7, 8), atom_ok()]
  defp used(x), do: x
  defp unused(x), do: x
  def short(x) do
${Array.from({ length: 47 }, (_, i) => `    _ = x + ${i}`).join("\n")}
  end
  def flat(x) do
    if x do
      case x do
        1 -> :one
        _ -> :other
      end
    end
  end
  def eight(a, b, c, d, e, f, g, h), do: [a, b, c, d, e, f, g, h]
  def atom_ok, do: String.to_atom("literal")
end
defmodule Near.A do
  def a, do: Near.caller(1)
end
`;
  const a = analyzeProject(project({ "lib/near.ex": src }));

  it("fires only the controls", () => {
    expect(a.findings.map((f) => `${f.rule} ${f.module}.${f.function ?? ""}`)).toEqual([
      "unused-private-function Near.unused/1",
      "unused-public-function Near.A.a/0",
    ]);
  });

  it("fires when the near misses cross their thresholds", () => {
    const strict = analyzeProject(project({ "lib/near.ex": src }), {
      maxFunctionLines: 48,
      maxNesting: 1,
      maxArity: 7,
    });
    const rules = new Set(strict.findings.map((f) => `${f.rule} ${f.function}`));
    expect(rules).toContain("long-function short/1");
    expect(rules).toContain("deep-nesting flat/1");
    expect(rules).toContain("many-parameters eight/8");
  });
});
