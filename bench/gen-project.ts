/**
 * Generates a synthetic Elixir project for the analyze benchmark: N modules, one per file, in a
 * deterministic mix of the shapes real projects have (plain modules with pattern-matching
 * clauses, `case`/`cond`/`with`/pipes, GenServers, structs, a behaviour and its implementations,
 * calls across modules including a few dependency cycles). Valid Elixir: every file parses with
 * `Code.string_to_quoted/2`.
 *
 *   npx tsx bench/gen-project.ts --modules 10000 --out /tmp/synth [--seed 1]
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Options of {@link generateProject}. */
export interface GenerateOptions {
  /** Number of modules (and files). */
  modules: number;
  /** PRNG seed; the same seed gives the same project. Default 1. */
  seed?: number;
  /** Modules per directory. Default 100. */
  perDir?: number;
}

/** What was generated. */
export interface GeneratedProject {
  root: string;
  modules: number;
  files: number;
  bytes: number;
  /** Source lines written. */
  lines: number;
  /** Functions written (def/defp), for the record. */
  functions: number;
}

/** Mulberry32: small, fast and good enough to vary shapes deterministically. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function moduleName(i: number, perDir: number): string {
  return `Synth.Domain${Math.floor(i / perDir)}.Mod${i}`;
}

function modulePath(i: number, perDir: number): string {
  return `lib/synth/domain${Math.floor(i / perDir)}/mod${i}.ex`;
}

/** A plain function with a shape chosen by `r`. */
function plainFunction(name: string, r: () => number, callee: string | null): string[] {
  // Calls into the next module go through its public entry points, as real code does.
  const remote = callee ? `${callee}.run(value, opts)` : "value";
  switch (Math.floor(r() * 5)) {
    case 0:
      return [
        `  @doc "Classifies a value."`,
        `  @spec ${name}(term(), keyword()) :: {:ok, term()} | {:error, atom()}`,
        `  def ${name}(value, opts \\\\ [])`,
        `  def ${name}(nil, _opts), do: {:error, :missing}`,
        `  def ${name}(value, opts) when is_integer(value) and value > 0 do`,
        `    limit = Keyword.get(opts, :limit, 100)`,
        `    if value > limit, do: {:error, :too_large}, else: {:ok, ${remote}}`,
        "  end",
        `  def ${name}(value, opts) when is_list(value) do`,
        "    value",
        "    |> Enum.filter(&is_integer/1)",
        "    |> Enum.map(fn x -> x * Keyword.get(opts, :factor, 2) end)",
        "    |> then(&{:ok, &1})",
        "  end",
        `  def ${name}(_value, _opts), do: {:error, :unsupported}`,
      ];
    case 1:
      return [
        `  def ${name}(value, opts) do`,
        "    case Map.fetch(opts, :mode) do",
        "      {:ok, :strict} ->",
        "        cond do",
        "          is_binary(value) and byte_size(value) > 10 -> {:error, :long}",
        "          is_binary(value) -> {:ok, String.upcase(value)}",
        `          true -> {:ok, ${remote}}`,
        "        end",
        "",
        "      {:ok, :lenient} ->",
        "        {:ok, value}",
        "",
        "      :error ->",
        "        {:error, :no_mode}",
        "    end",
        "  end",
      ];
    case 2:
      return [
        `  def ${name}(params, opts) do`,
        "    with {:ok, id} <- Map.fetch(params, :id),",
        "         {:ok, name} <- Map.fetch(params, :name),",
        "         true <- valid_name?(name) do",
        `      value = %{id: id, name: name}`,
        `      {:ok, ${callee ? `${callee}.transform(value, opts)` : "Map.put(value, :opts, opts)"}}`,
        "    else",
        "      :error -> {:error, :missing_field}",
        "      false -> {:error, :invalid_name}",
        "    end",
        "  end",
      ];
    case 3:
      return [
        `  def ${name}(items, opts) when is_list(items) do`,
        "    Enum.reduce(items, %{}, fn item, acc ->",
        "      key = Keyword.get(opts, :key, :default)",
        "      Map.update(acc, key, [item], fn existing -> [item | existing] end)",
        "    end)",
        "  end",
      ];
    default:
      return [
        `  def ${name}(value, opts) do`,
        "    for x <- List.wrap(value), x != nil, into: [] do",
        `      if Keyword.get(opts, :debug, false), do: IO.inspect(x), else: ${callee ? `${callee}.transform(x, opts)` : "x"}`,
        "    end",
        "  end",
      ];
  }
}

function plainModule(i: number, n: number, perDir: number, r: () => number): [string, number] {
  const name = moduleName(i, perDir);
  // Mostly calls to later modules (a DAG); every 50th module calls back to an earlier one, which
  // makes small dependency cycles for the analysis to find.
  const forward = i + 1 + Math.floor(r() * 5);
  const target = i % 50 === 49 ? i - 3 : forward;
  const callee = target >= 0 && target < n && target !== i ? moduleName(target, perDir) : null;
  const fnCount = 3 + Math.floor(r() * 4);
  const lines: string[] = [
    `defmodule ${name} do`,
    `  @moduledoc """`,
    `  Synthetic module ${i}: parsing, matching and transforming values.`,
    `  """`,
    "",
    `  alias ${callee ?? "Synth.Util"}, as: Next`,
    "  @behaviour Synth.Transformer",
    "  @default_limit 100",
    "",
  ];
  for (let f = 0; f < fnCount; f++) {
    lines.push(...plainFunction(`step_${f}`, r, callee), "");
  }
  const steps = Array.from({ length: fnCount }, (_, f) => `step_${f}(opts)`).join(" |> ");
  lines.push(
    '  @doc "Runs every step in turn."',
    `  def run(value, opts), do: value |> ${steps}`,
    "",
    "  @impl true",
    "  def transform(value, opts) do",
    "    value",
    "    |> normalize(opts)",
    "    |> Map.new(fn {k, v} -> {k, v} end)",
    "  end",
    "",
    "  defp normalize(value, _opts) when is_map(value), do: value",
    "  defp normalize(value, opts), do: %{value: value, limit: Keyword.get(opts, :limit, @default_limit)}",
    "",
    "  defp valid_name?(name) when is_binary(name), do: String.length(name) in 1..64",
    "  defp valid_name?(_), do: false",
    "",
    "  def next(value), do: Next.transform(value, [])",
    "end",
    "",
  );
  return [lines.join("\n"), fnCount + 5];
}

function serverModule(i: number, perDir: number): [string, number] {
  const name = moduleName(i, perDir);
  const text = `defmodule ${name} do
  @moduledoc "A counter server (synthetic module ${i})."
  use GenServer

  defstruct count: 0, history: [], name: nil

  def start_link(opts) do
    GenServer.start_link(__MODULE__, opts, name: Keyword.get(opts, :name, __MODULE__))
  end

  def increment(server, by \\\\ 1), do: GenServer.call(server, {:increment, by})
  def value(server), do: GenServer.call(server, :value)
  def reset(server), do: GenServer.cast(server, :reset)

  @impl true
  def init(opts) do
    {:ok, %__MODULE__{name: Keyword.get(opts, :name)}}
  end

  @impl true
  def handle_call({:increment, by}, _from, %__MODULE__{count: count} = state) when by > 0 do
    new = %{state | count: count + by, history: [by | Enum.take(state.history, 9)]}
    {:reply, new.count, new}
  end

  def handle_call({:increment, _by}, _from, state), do: {:reply, {:error, :invalid}, state}
  def handle_call(:value, _from, state), do: {:reply, state.count, state}

  @impl true
  def handle_cast(:reset, state), do: {:noreply, %{state | count: 0, history: []}}

  @impl true
  def handle_info(msg, state) do
    require Logger
    Logger.debug("unexpected message: #{inspect(msg)}")
    {:noreply, state}
  end
end
`;
  return [text, 8];
}

const SUPPORT = `defmodule Synth.Transformer do
  @moduledoc "What every synthetic module implements."
  @callback transform(term(), keyword()) :: term()
end

defmodule Synth.Util do
  @moduledoc false
  def transform(value, _opts), do: value
end
`;

const MIX = `defmodule Synth.MixProject do
  use Mix.Project

  def project do
    [app: :synth, version: "0.1.0", elixir: "~> 1.14", deps: []]
  end
end
`;

/**
 * Writes the project under `root` (emptied first).
 */
export function generateProject(root: string, options: GenerateOptions): GeneratedProject {
  const n = options.modules;
  if (!Number.isInteger(n) || n < 4)
    throw new RangeError(`modules must be an integer >= 4, got ${n}`);
  const perDir = options.perDir ?? 100;
  const r = prng(options.seed ?? 1);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "lib", "synth"), { recursive: true });
  writeFileSync(join(root, "mix.exs"), MIX);
  writeFileSync(join(root, "lib", "synth.ex"), SUPPORT);
  writeFileSync(join(root, ".gitignore"), "/_build/\n/deps/\n/.elixirscope/\n");
  let bytes = MIX.length + SUPPORT.length;
  let lines = countLines(MIX) + countLines(SUPPORT);
  let functions = 2;
  let lastDir = "";
  // Modules counted include the two support modules and the mix project.
  for (let i = 0; i < n - 3; i++) {
    const [text, fns] = i % 10 === 5 ? serverModule(i, perDir) : plainModule(i, n - 3, perDir, r);
    const rel = modulePath(i, perDir);
    const dir = join(root, rel, "..");
    if (dir !== lastDir) {
      mkdirSync(dir, { recursive: true });
      lastDir = dir;
    }
    writeFileSync(join(root, rel), text);
    bytes += text.length;
    lines += countLines(text);
    functions += fns;
  }
  return { root, modules: n, files: n - 1, bytes, lines, functions };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function main(argv: string[]): void {
  let modules = 10_000;
  let out = "";
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === "--modules" && v !== undefined) {
      modules = Number(v);
      i++;
    } else if (a === "--out" && v !== undefined) {
      out = v;
      i++;
    } else if (a === "--seed" && v !== undefined) {
      seed = Number(v);
      i++;
    } else {
      process.stderr.write(`gen-project: unknown or incomplete option ${a}\n`);
      process.exit(2);
    }
  }
  if (out === "") {
    process.stderr.write("usage: gen-project --out DIR [--modules N] [--seed S]\n");
    process.exit(2);
  }
  const g = generateProject(out, { modules, seed });
  process.stdout.write(`${JSON.stringify(g)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main(process.argv.slice(2));
