defmodule Inventory.AuditLog do
  @moduledoc """
  Append-only audit trail of stock movements.

  Entries are encoded as compact binaries so a day of traffic fits in memory:

      <<version::8, timestamp::64, kind_size::8, kind::binary, payload::binary>>

  The buffer is rotated every hour; rotated segments are handed to a
  configurable sink (by default they are just logged).
  """

  use GenServer

  require Logger

  @format_version 1
  @rotate_every :timer.hours(1)
  @max_buffered 50_000

  @type kind :: :received | :reserved | :shipped | :adjusted

  def start_link(opts \\ []) do
    GenServer.start_link(__MODULE__, opts, name: __MODULE__)
  end

  @doc "Records an event. Fire-and-forget: auditing must never block stock operations."
  @spec record(kind(), map()) :: :ok
  def record(kind, details) when is_atom(kind) and is_map(details) do
    GenServer.cast(__MODULE__, {:record, kind, details, System.os_time(:millisecond)})
  end

  @doc "Returns the decoded entries of the current segment, oldest first."
  @spec entries() :: [{kind(), integer(), map()}]
  def entries do
    __MODULE__ |> GenServer.call(:entries) |> Enum.reverse() |> Enum.map(&decode/1)
  end

  @doc "Encodes one entry."
  @spec encode(kind(), integer(), map()) :: binary()
  def encode(kind, timestamp, details) do
    kind_name = Atom.to_string(kind)
    payload = :erlang.term_to_binary(details)

    <<@format_version::8, timestamp::64, byte_size(kind_name)::8, kind_name::binary,
      payload::binary>>
  end

  @doc "Decodes an entry produced by `encode/3`."
  @spec decode(binary()) :: {kind(), integer(), map()}
  def decode(
        <<@format_version::8, timestamp::64, size::8, kind::binary-size(size), payload::binary>>
      ) do
    {String.to_existing_atom(kind), timestamp, :erlang.binary_to_term(payload, [:safe])}
  end

  @impl true
  def init(opts) do
    sink = Keyword.get(opts, :sink, &log_segment/1)
    schedule_rotation()
    {:ok, %{buffer: [], count: 0, sink: sink}}
  end

  @impl true
  def handle_cast({:record, kind, details, timestamp}, %{count: count} = state)
      when count < @max_buffered do
    entry = encode(kind, timestamp, details)
    {:noreply, %{state | buffer: [entry | state.buffer], count: count + 1}}
  end

  def handle_cast({:record, kind, _details, _timestamp}, state) do
    Logger.error("audit buffer full, dropping #{kind} entry")
    {:noreply, state}
  end

  @impl true
  def handle_call(:entries, _from, state), do: {:reply, state.buffer, state}

  @impl true
  def handle_info(:rotate, %{buffer: buffer, sink: sink} = state) do
    # Hand the segment over in the order it was written.
    if buffer != [], do: sink.(Enum.reverse(buffer))
    schedule_rotation()
    {:noreply, %{state | buffer: [], count: 0}}
  end

  defp schedule_rotation, do: Process.send_after(self(), :rotate, @rotate_every)

  defp log_segment(entries) do
    bytes = entries |> Enum.map(&byte_size/1) |> Enum.sum()
    Logger.info("rotated audit segment: #{length(entries)} entries, #{bytes} bytes")
  end
end
