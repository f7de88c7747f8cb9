# Elixir's side of bench/parser.bench.ts: how fast Elixir's own parser reads the same files.
#
#   elixir tools/oracle/bench.exs [--passes N] [--warmup W] FILE...
#
# Reads every file first (reading is not timed), then runs Code.string_to_quoted_with_comments
# with the oracle's options over all of them: W untimed warm-up passes (default 0), then N timed
# passes (default 3), each after a garbage collection. Prints one JSON line:
#   {"files":F,"bytes":B,"errors":E,"passes_ms":[...],"warmup_ms":[...],"best_ms":T,
#    "peak_total_bytes":M,"vm_hwm_kb":K}
# peak_total_bytes is the largest :erlang.memory(:total) a sampler saw during the passes;
# vm_hwm_kb is the OS's peak resident set of the whole VM (Linux), or null.
defmodule ElixirScope.OracleBench do
  @opts [columns: true, token_metadata: true, emit_warnings: false]

  def main(argv) do
    {passes, warmup, files} = args(argv, 3, 0, [])
    sources = Enum.map(files, &File.read!/1)
    bytes = Enum.reduce(sources, 0, &(byte_size(&1) + &2))
    sampler = spawn_link(fn -> sample(0) end)

    warmups = for _ <- 1..warmup//1, do: elem(timed_pass(sources), 0)
    {times, errors} = Enum.map_reduce(1..passes, 0, fn _, _ -> timed_pass(sources) end)

    send(sampler, {:stop, self()})
    peak = receive do: ({:peak, p} -> p)

    IO.puts(
      ~s({"files":#{length(files)},"bytes":#{bytes},"errors":#{errors},) <>
        ~s("passes_ms":[#{Enum.map_join(times, ",", &float/1)}],) <>
        ~s("warmup_ms":[#{Enum.map_join(warmups, ",", &float/1)}],"best_ms":#{float(Enum.min(times))},) <>
        ~s("peak_total_bytes":#{peak},"vm_hwm_kb":#{vm_hwm()}})
    )
  end

  # One pass over every source: {milliseconds, number rejected}.
  defp timed_pass(sources) do
    :erlang.garbage_collect()
    t0 = System.monotonic_time(:microsecond)
    errors = Enum.count(sources, &(not parses?(&1)))
    {(System.monotonic_time(:microsecond) - t0) / 1000, errors}
  end

  defp parses?(source) do
    match?({:ok, _, _}, Code.string_to_quoted_with_comments(source, @opts))
  rescue
    _ -> false
  end

  defp args(["--passes", n | rest], _, w, acc), do: args(rest, String.to_integer(n), w, acc)
  defp args(["--warmup", w | rest], n, _, acc), do: args(rest, n, String.to_integer(w), acc)
  defp args([file | rest], n, w, acc), do: args(rest, n, w, [file | acc])
  defp args([], n, w, acc), do: {n, w, Enum.reverse(acc)}

  # Samples the VM's total memory every millisecond until told to stop.
  defp sample(peak) do
    peak = max(peak, :erlang.memory(:total))

    receive do
      {:stop, from} -> send(from, {:peak, peak})
    after
      1 -> sample(peak)
    end
  end

  defp vm_hwm do
    case File.read("/proc/self/status") do
      {:ok, status} ->
        case Regex.run(~r/VmHWM:\s+(\d+)/, status) do
          [_, kb] -> kb
          _ -> "null"
        end

      _ ->
        "null"
    end
  end

  defp float(ms), do: :erlang.float_to_binary(ms / 1, decimals: 3)
end

ElixirScope.OracleBench.main(System.argv())
