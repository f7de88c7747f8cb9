# The oracle: Elixir's own parser, printing the canonical term encoding (one JSON line per input).
#
#   elixir tools/oracle/quoted.exs FILE...     one line per file, "file" is the path as given
#   elixir tools/oracle/quoted.exs --stdin     framed sources on stdin: "<label>\n<byte size>\n<bytes>\n"
#                                              repeated (the newline after the bytes is required); one line per source, "file" is the label
#
# The truth is Code.string_to_quoted_with_comments(source, columns: true, token_metadata: true,
# emit_warnings: false). See src/ast/term-json.ts for the encoding.
defmodule ElixirScope.Oracle do
  @max_safe 9_007_199_254_740_992

  def parse(source) do
    try do
      case Code.string_to_quoted_with_comments(source,
             columns: true,
             token_metadata: true,
             emit_warnings: false
           ) do
        {:ok, ast, comments} -> {:ok, ast, comments}
        {:error, {location, message, token}} -> {:error, location, format_message(message, token)}
      end
    rescue
      e -> {:error, error_location(e), "raised " <> inspect(e.__struct__) <> ": " <> Exception.message(e)}
    end
  end

  defp format_message({prefix, suffix}, token), do: to_string(prefix) <> to_string(token) <> to_string(suffix)
  defp format_message(message, token), do: to_string(message) <> to_string(token)

  defp error_location(%{line: line} = e), do: [line: line, column: Map.get(e, :column)]
  defp error_location(_), do: []

  def line(label, {:ok, ast, comments}) do
    ["{\"file\":", str(label), ",\"ok\":", enc(ast), ",\"comments\":[",
     Enum.map_intersperse(comments, ",", &comment/1), "]}\n"]
  end

  def line(label, {:error, location, message}) do
    {l, c} = loc(location)
    ["{\"file\":", str(label), ",\"error\":{\"line\":", l, ",\"column\":", c,
     ",\"message\":", str(message), "}}\n"]
  end

  defp loc(location) when is_list(location),
    do: {num_or_null(Keyword.get(location, :line)), num_or_null(Keyword.get(location, :column))}

  defp loc(line) when is_integer(line), do: {Integer.to_string(line), "null"}
  defp loc(_), do: {"null", "null"}

  defp num_or_null(n) when is_integer(n), do: Integer.to_string(n)
  defp num_or_null(_), do: "null"

  defp comment(c) do
    ["{\"line\":", Integer.to_string(c.line), ",\"column\":", Integer.to_string(c.column),
     ",\"previous_eol_count\":", Integer.to_string(c.previous_eol_count),
     ",\"next_eol_count\":", Integer.to_string(c.next_eol_count), ",\"text\":", str(c.text), "}"]
  end

  def enc(i) when is_integer(i) and abs(i) <= @max_safe, do: Integer.to_string(i)
  def enc(i) when is_integer(i), do: ["{\"int\":\"", Integer.to_string(i), "\"}"]
  def enc(f) when is_float(f), do: ["{\"float\":", :erlang.float_to_binary(f, [:short]), "}"]
  def enc(a) when is_atom(a), do: ["{\"atom\":", str(Atom.to_string(a)), "}"]

  def enc(b) when is_binary(b) do
    if String.valid?(b), do: str(b), else: ["{\"bin\":[", Enum.map_intersperse(:binary.bin_to_list(b), ",", &Integer.to_string/1), "]}"]
  end

  def enc(l) when is_list(l), do: ["[", enc_list(l), "]"]
  def enc(t) when is_tuple(t), do: ["{\"tuple\":[", Enum.map_intersperse(Tuple.to_list(t), ",", &enc/1), "]}"]

  # Improper lists never appear in the quoted AST; encode the tail visibly rather than crash.
  defp enc_list([]), do: []
  defp enc_list([h]), do: [enc(h)]
  defp enc_list([h | t]) when is_list(t), do: [enc(h), "," | enc_list(t)]
  defp enc_list([h | t]), do: [enc(h), ",{\"improper_tail\":", enc(t), "}"]

  def str(s) do
    ["\"", escape(s, []), "\""]
  end

  defp escape(<<>>, acc), do: Enum.reverse(acc)
  defp escape(<<?", rest::binary>>, acc), do: escape(rest, ["\\\"" | acc])
  defp escape(<<?\\, rest::binary>>, acc), do: escape(rest, ["\\\\" | acc])
  defp escape(<<c, rest::binary>>, acc) when c < 0x20,
    do: escape(rest, ["\\u" <> String.pad_leading(Integer.to_string(c, 16), 4, "0") | acc])
  defp escape(<<c::utf8, rest::binary>>, acc), do: escape(rest, [<<c::utf8>> | acc])
  # Invalid UTF-8 inside an error message or label: replace the byte rather than emit bad JSON.
  defp escape(<<_, rest::binary>>, acc), do: escape(rest, ["\\ufffd" | acc])

  # Raw bytes out: with the default unicode encoding, IO.binwrite would re-encode every non-ASCII
  # byte of our (already UTF-8) JSON and garble it.
  def raw_stdio, do: :io.setopts(:standard_io, binary: true, encoding: :latin1)

  def run_files(files) do
    raw_stdio()

    for file <- files do
      IO.binwrite(line(file, parse(File.read!(file))))
    end
  end

  def run_stdin do
    raw_stdio()
    loop()
  end

  defp loop do
    case IO.binread(:standard_io, :line) do
      :eof ->
        :ok

      label ->
        label = String.trim_trailing(label, "\n")
        size = IO.binread(:standard_io, :line) |> String.trim_trailing("\n") |> String.to_integer()
        source = if size == 0, do: "", else: IO.binread(:standard_io, size)
        "\n" = IO.binread(:standard_io, 1)
        IO.binwrite(line(label, parse(source)))
        loop()
    end
  end
end

case System.argv() do
  ["--stdin"] -> ElixirScope.Oracle.run_stdin()
  files -> ElixirScope.Oracle.run_files(files)
end
