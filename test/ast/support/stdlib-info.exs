# Prints, for every module of the installed Elixir application (the standard library), the
# public functions and macros the compiled module reports, one JSON object per line:
#   {"module": "Enum", "source": "lib/elixir/lib/enum.ex", "functions": ["all?/1", ...], "macros": [...]}
# where "source" is the compiled module's source path from its "lib/elixir/" directory on.
# `__info__/1` leaves out `__info__/1` itself and private functions, exactly what a static
# reading of the source should find as public definitions.
{:ok, modules} = :application.get_key(:elixir, :modules)

# Erlang modules of the application (:elixir_*) have no __info__/1 and no Elixir source.
for mod <- Enum.sort(modules), String.starts_with?(Atom.to_string(mod), "Elixir.") do
  name = mod |> Atom.to_string() |> String.replace_prefix("Elixir.", "")
  fmt = fn list -> list |> Enum.map(fn {f, a} -> "\"#{String.replace(Atom.to_string(f), "\\", "\\\\")}/#{a}\"" end) |> Enum.join(",") end
  functions = mod.__info__(:functions)
  macros = mod.__info__(:macros)
  source = mod.module_info(:compile)[:source] |> to_string()
  source = case String.split(source, "/lib/elixir/", parts: 2) do
    [_, rest] -> "lib/elixir/" <> rest
    _ -> source
  end
  IO.puts(~s({"module":"#{name}","source":"#{source}","functions":[#{fmt.(functions)}],"macros":[#{fmt.(macros)}]}))
end
