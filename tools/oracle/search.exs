# Structural search oracle: applies ElixirScope's pattern semantics (docs/SEARCH.md) directly to
# Elixir's own AST, so that `elixirscope search` can be checked against it.
#
#   elixir tools/oracle/search.exs PATTERNS_FILE FILES_FILE
#
# PATTERNS_FILE holds patterns separated by lines that are exactly `%%`; FILES_FILE one path per
# line. Prints one line per match, `INDEX<TAB>FILE<TAB>LINE<TAB>COLUMN`, where INDEX is the
# pattern's 0-based position; files that do not parse are skipped.
defmodule SearchOracle do
  def role(:_), do: :any
  def role(:...), do: :ellipsis

  def role(name) when is_atom(name) do
    s = Atom.to_string(name)

    if String.length(s) > 1 and String.starts_with?(s, "_") and
         not Regex.match?(~r/^__\w+__$/, s),
       do: :capture,
       else: :plain
  end

  def role(_), do: :plain

  # Terms modulo metadata, variables by name only.
  def norm({name, _meta, ctx}) when is_atom(name) and is_atom(ctx), do: {:var, name}
  def norm({form, _meta, args}) when is_list(args), do: {:call, norm(form), Enum.map(args, &norm/1)}
  def norm({a, b}), do: {:pair, norm(a), norm(b)}
  def norm(list) when is_list(list), do: Enum.map(list, &norm/1)
  def norm(other), do: other

  def eq(a, b), do: norm(a) === norm(b)

  defp items({a, b}), do: {:ok, [a, b]}
  defp items({:{}, _, elems}) when is_list(elems), do: {:ok, elems}
  defp items(_), do: :error

  defp bind(name, value, binds) do
    case Map.fetch(binds, name) do
      {:ok, bound} -> if eq(bound, value), do: {:ok, binds}, else: :error
      :error -> {:ok, Map.put(binds, name, value)}
    end
  end

  def m({name, _, ctx}, t, b) when is_atom(name) and is_atom(ctx) do
    case role(name) do
      r when r in [:any, :ellipsis] -> {:ok, b}
      :capture -> bind(name, t, b)
      :plain ->
        case t do
          {^name, _, tctx} when is_atom(tctx) -> {:ok, b}
          _ -> :error
        end
    end
  end

  # `...` is a call without arguments since Elixir 1.16: any single term outside sequences.
  def m({:..., _, []}, _t, b), do: {:ok, b}

  def m({:__block__, _, stmts}, t, b) when is_list(stmts) do
    case t do
      {:__block__, _, ts} when is_list(ts) -> seq(stmts, ts, b)
      _ -> seq(stmts, [t], b)
    end
  end

  def m({:{}, _, ps}, t, b) when is_list(ps) do
    case items(t) do
      {:ok, ts} -> seq(ps, ts, b)
      :error -> :error
    end
  end

  def m({name, _, ps} = p, t, b) when is_atom(name) and is_list(ps) do
    case role(name) do
      r when r in [:any, :capture] ->
        case t do
          {tname, _, ts} when is_atom(tname) and is_list(ts) ->
            bound = if r == :capture, do: bind(name, {tname, [], nil}, b), else: {:ok, b}
            with {:ok, b2} <- bound, do: seq(ps, ts, b2)

          _ ->
            :error
        end

      _ ->
        generic(p, t, b)
    end
  end

  def m({_, _, ps} = p, t, b) when is_list(ps), do: generic(p, t, b)

  def m(ps, t, b) when is_list(ps) do
    if is_list(t), do: seq(ps, t, b), else: :error
  end

  def m({p1, p2}, t, b) do
    case items(t) do
      {:ok, ts} -> seq([p1, p2], ts, b)
      :error -> :error
    end
  end

  def m(p, t, b), do: if(eq(p, t), do: {:ok, b}, else: :error)

  defp generic({pf, _, ps}, {tf, _, ts}, b) when is_list(ts) do
    with {:ok, b2} <- m(pf, tf, b), do: seq(ps, ts, b2)
  end

  defp generic(_, _, _), do: :error

  defp ellipsis?({:..., _, ctx}) when is_atom(ctx), do: true
  defp ellipsis?({:..., _, []}), do: true
  defp ellipsis?(_), do: false

  # `...` matches zero or more items, shortest first.
  def seq([], [], b), do: {:ok, b}
  def seq([], _, _), do: :error

  def seq([p | rest], ts, b) do
    if ellipsis?(p) do
      if rest == [], do: {:ok, b}, else: try_skips(rest, ts, b)
    else
      case ts do
        [t | ts_rest] ->
          with {:ok, b2} <- m(p, t, b), do: seq(rest, ts_rest, b2)

        [] ->
          :error
      end
    end
  end

  defp try_skips(rest, ts, b) do
    case seq(rest, ts, b) do
      {:ok, _} = ok -> ok
      :error -> if ts == [], do: :error, else: try_skips(rest, tl(ts), b)
    end
  end

  # Every node {form, meta, args} with a line, parents before children; variables are leaves.
  def walk({form, meta, args} = node, pattern, acc) when is_list(meta) do
    acc =
      if Keyword.has_key?(meta, :line) and m(pattern, node, %{}) != :error,
        do: [{Keyword.get(meta, :line), Keyword.get(meta, :column, 1)} | acc],
        else: acc

    if is_list(args) do
      acc = walk(form, pattern, acc)
      Enum.reduce(args, acc, &walk(&1, pattern, &2))
    else
      acc
    end
  end

  def walk(list, pattern, acc) when is_list(list), do: Enum.reduce(list, acc, &walk(&1, pattern, &2))
  def walk({a, b}, pattern, acc), do: walk(b, pattern, walk(a, pattern, acc))
  def walk(_, _, acc), do: acc
end

[patterns_file, files_file] = System.argv()

patterns =
  patterns_file
  |> File.read!()
  |> String.split(~r/\n%%\n/)
  |> Enum.map(&Code.string_to_quoted!(&1, columns: true, token_metadata: true))

files = files_file |> File.read!() |> String.split("\n", trim: true)

for file <- files do
  case Code.string_to_quoted(File.read!(file), columns: true, token_metadata: true, file: file) do
    {:ok, ast} ->
      patterns
      |> Enum.with_index()
      |> Enum.each(fn {pattern, index} ->
        ast
        |> SearchOracle.walk(pattern, [])
        |> Enum.reverse()
        |> Enum.each(fn {line, column} -> IO.puts("#{index}\t#{file}\t#{line}\t#{column}") end)
      end)

    {:error, _} ->
      :skip
  end
end
