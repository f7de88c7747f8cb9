# Parses every file given on the command line with Code.string_to_quoted!/2 and
# prints one tab-separated line per file, in argument order:
#
#     ok<TAB>path
#     error<TAB>path<TAB>message (newlines escaped as \n)
#
# Used by examples-valid.test.ts so that all files are checked by a single
# `elixir` process. Always exits 0; the caller decides what failure means.

for path <- System.argv() do
  result =
    try do
      path
      |> File.read!()
      |> Code.string_to_quoted!(file: path, columns: true)

      :ok
    rescue
      error -> {:error, Exception.message(error)}
    end

  case result do
    :ok ->
      IO.puts("ok\t#{path}")

    {:error, message} ->
      escaped = message |> String.replace("\\", "\\\\") |> String.replace("\n", "\\n")
      IO.puts("error\t#{path}\t#{escaped}")
  end
end
