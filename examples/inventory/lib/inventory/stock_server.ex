defmodule Inventory.StockServer do
  @moduledoc """
  Owns stock levels (in an `Inventory.Storage` backend) and reservations (in
  the state; they expire after 15 minutes unless committed).
  """

  use GenServer

  require Logger

  import Inventory.Guards, only: [is_sku: 1, is_quantity: 1]

  alias Inventory.{AuditLog, OutOfStockError, Storage}

  @reservation_ttl :timer.minutes(15)
  @sweep_every :timer.seconds(30)
  @low_stock_threshold 10

  ## Client API

  def start_link(opts) do
    GenServer.start_link(__MODULE__, opts, name: __MODULE__)
  end

  @doc "Units on hand minus units reserved."
  @spec available(String.t()) :: non_neg_integer()
  def available(sku) when is_sku(sku), do: GenServer.call(__MODULE__, {:available, sku})

  @doc "Reserves `quantity` units of `sku` for `order_id`."
  @spec reserve(String.t(), pos_integer(), String.t()) :: :ok | {:error, term()}
  def reserve(sku, quantity, order_id) when is_sku(sku) and is_quantity(quantity) do
    GenServer.call(__MODULE__, {:reserve, sku, quantity, order_id})
  end

  @doc "Like `reserve/3`, raising `Inventory.OutOfStockError` when short."
  def reserve!(sku, quantity, order_id) do
    with {:error, {:insufficient, available}} <- reserve(sku, quantity, order_id) do
      raise OutOfStockError, sku: sku, requested: quantity, available: available
    end
  end

  @doc "Turns a reservation into a shipment: on-hand stock goes down."
  def commit(sku, order_id), do: GenServer.call(__MODULE__, {:commit, sku, order_id})

  @doc "Drops a reservation without shipping anything."
  def release(sku, order_id), do: GenServer.cast(__MODULE__, {:release, sku, order_id})

  @doc "Books incoming goods."
  def receive_stock(sku, quantity) when is_sku(sku) and is_quantity(quantity) do
    GenServer.cast(__MODULE__, {:receive, sku, quantity})
  end

  @doc "SKUs whose available quantity is below `threshold`."
  def low_stock(threshold \\ @low_stock_threshold),
    do: GenServer.call(__MODULE__, {:low_stock, threshold})

  ## Server callbacks

  @impl true
  def init(opts) do
    storage =
      case Keyword.fetch!(opts, :storage) do
        :ets -> {Storage.ETS, Storage.ETS.new()}
        {module, ref} = backend when is_atom(module) and not is_nil(ref) -> backend
      end

    Process.send_after(self(), :expire_reservations, @sweep_every)
    {:ok, %{storage: storage, reservations: %{}}}
  end

  @impl true
  def handle_call({:available, sku}, _from, state),
    do: {:reply, available_units(state, sku), state}

  def handle_call({:reserve, sku, quantity, order_id}, _from, state) do
    case available_units(state, sku) do
      units when units >= quantity ->
        expires_at = System.monotonic_time(:millisecond) + @reservation_ttl
        reservations = Map.put(state.reservations, {sku, order_id}, {quantity, expires_at})
        AuditLog.record(:reserved, %{sku: sku, quantity: quantity, order: order_id})
        {:reply, :ok, %{state | reservations: reservations}}

      units ->
        {:reply, {:error, {:insufficient, units}}, state}
    end
  end

  def handle_call({:commit, sku, order_id}, _from, state) do
    with {{quantity, _expires_at}, reservations} <- Map.pop(state.reservations, {sku, order_id}),
         {:ok, on_hand} <- Storage.fetch(state.storage, sku) do
      :ok = Storage.put(state.storage, sku, on_hand - quantity)
      AuditLog.record(:shipped, %{sku: sku, quantity: quantity, order: order_id})
      {:reply, :ok, %{state | reservations: reservations}}
    else
      {nil, _reservations} -> {:reply, {:error, :no_reservation}, state}
      :error -> {:reply, {:error, :unknown_sku}, state}
    end
  end

  def handle_call({:low_stock, threshold}, _from, state) do
    low =
      for {sku, _on_hand} <- Storage.all(state.storage),
          units = available_units(state, sku),
          units < threshold,
          do: {sku, units}

    {:reply, Enum.sort_by(low, &elem(&1, 1)), state}
  end

  @impl true
  def handle_cast({:receive, sku, quantity}, state) do
    :ok = Storage.put(state.storage, sku, on_hand(state.storage, sku) + quantity)
    AuditLog.record(:received, %{sku: sku, quantity: quantity})
    {:noreply, state}
  end

  def handle_cast({:release, sku, order_id}, state) do
    {:noreply, update_in(state.reservations, &Map.delete(&1, {sku, order_id}))}
  end

  @impl true
  def handle_info(:expire_reservations, state) do
    now = System.monotonic_time(:millisecond)
    {expired, live} = Enum.split_with(state.reservations, fn {_key, {_qty, at}} -> at <= now end)

    if expired != [], do: Logger.info("expired #{length(expired)} reservation(s)")
    Process.send_after(self(), :expire_reservations, @sweep_every)
    {:noreply, %{state | reservations: Map.new(live)}}
  end

  def handle_info(message, state) do
    Logger.warning("#{inspect(__MODULE__)} ignoring unexpected message #{inspect(message)}")
    {:noreply, state}
  end

  ## Helpers

  defp available_units(%{storage: storage, reservations: reservations}, sku) do
    reserved =
      reservations
      |> Enum.filter(fn {{reserved_sku, _order}, _value} -> reserved_sku == sku end)
      |> Enum.reduce(0, fn {_key, {quantity, _at}}, sum -> sum + quantity end)

    max(on_hand(storage, sku) - reserved, 0)
  end

  defp on_hand(storage, sku) do
    case Storage.fetch(storage, sku) do
      {:ok, units} -> units
      :error -> 0
    end
  end
end
