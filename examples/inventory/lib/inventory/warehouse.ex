defmodule Inventory.Warehouse do
  @moduledoc """
  One process per physical warehouse, tracking which bin holds which SKU.

  Processes are started by `Inventory.WarehouseSupervisor` and found through
  `Inventory.WarehouseRegistry`, so callers only need the warehouse id.
  """

  use GenServer, restart: :transient

  import Inventory.Guards, only: [is_sku: 1, is_quantity: 1]

  @registry Inventory.WarehouseRegistry
  @idle_timeout :timer.hours(8)

  @typedoc "Bin location packed as aisle (8 bits), shelf (8 bits), slot (16 bits)."
  @type bin :: <<_::32>>

  def start_link(opts) do
    id = Keyword.fetch!(opts, :id)
    GenServer.start_link(__MODULE__, opts, name: via(id))
  end

  @doc "The registered name of warehouse `id`."
  def via(id), do: {:via, Registry, {@registry, id}}

  @doc "Packs a bin location; `bin(3, 12, 42)` is printed as `\"A3-12-0042\"`."
  @spec bin(0..255, 0..255, 0..65_535) :: bin()
  def bin(aisle, shelf, slot), do: <<aisle::8, shelf::8, slot::16>>

  @doc "Formats a packed bin for pick lists."
  def format_bin(<<aisle::8, shelf::8, slot::16>>) do
    "A#{aisle}-#{String.pad_leading("#{shelf}", 2, "0")}-#{String.pad_leading("#{slot}", 4, "0")}"
  end

  def put_away(id, sku, bin, quantity) when is_sku(sku) and is_quantity(quantity) do
    GenServer.call(via(id), {:put_away, sku, bin, quantity})
  end

  def pick(id, sku, quantity), do: GenServer.call(via(id), {:pick, sku, quantity})

  def bins_for(id, sku), do: GenServer.call(via(id), {:bins_for, sku})

  @doc "Asynchronously recounts a bin after a cycle count."
  def recount(id, bin, counts), do: GenServer.cast(via(id), {:recount, bin, counts})

  @impl true
  def init(opts) do
    {:ok, %{id: Keyword.fetch!(opts, :id), bins: %{}}, @idle_timeout}
  end

  @impl true
  def handle_call({:put_away, sku, bin, quantity}, _from, state) do
    bins = Map.update(state.bins, {sku, bin}, quantity, &(&1 + quantity))
    {:reply, :ok, %{state | bins: bins}, @idle_timeout}
  end

  def handle_call({:pick, sku, quantity}, _from, state) do
    # Pick from the fullest bins first to free up space.
    candidates =
      for {{^sku, bin}, units} <- state.bins, units > 0 do
        {bin, units}
      end
      |> Enum.sort_by(fn {_bin, units} -> -units end)

    case take(candidates, quantity, []) do
      {:ok, picks} ->
        bins =
          Enum.reduce(picks, state.bins, fn {bin, n}, acc ->
            Map.update!(acc, {sku, bin}, &(&1 - n))
          end)

        labelled = Enum.map(picks, fn {bin, n} -> {format_bin(bin), n} end)
        {:reply, {:ok, labelled}, %{state | bins: bins}, @idle_timeout}

      {:short, missing} ->
        {:reply, {:error, {:short, missing}}, state, @idle_timeout}
    end
  end

  def handle_call({:bins_for, sku}, _from, state) do
    found =
      for {{^sku, bin}, units} <- state.bins, units > 0, into: %{}, do: {format_bin(bin), units}

    {:reply, found, state, @idle_timeout}
  end

  @impl true
  def handle_cast({:recount, bin, counts}, state) do
    bins =
      Enum.reduce(counts, state.bins, fn {sku, units}, acc -> Map.put(acc, {sku, bin}, units) end)

    {:noreply, %{state | bins: bins}, @idle_timeout}
  end

  @impl true
  def handle_info(:timeout, state) do
    # Nobody touched this warehouse for a shift: stop, the supervisor will not restart us.
    {:stop, :normal, state}
  end

  defp take(_candidates, 0, picks), do: {:ok, Enum.reverse(picks)}
  defp take([], missing, _picks), do: {:short, missing}

  defp take([{bin, units} | rest], wanted, picks) do
    n = min(units, wanted)
    take(rest, wanted - n, [{bin, n} | picks])
  end
end
