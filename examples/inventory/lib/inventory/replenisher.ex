defmodule Inventory.Replenisher do
  @moduledoc """
  Background job that looks for low stock and raises purchase requests.

  It is a plain `Task` under the application supervisor, looping with
  `receive ... after`, so it can also be woken up early with `check_now/0`.
  Supplier lookups for the low SKUs run concurrently under
  `Inventory.TaskSupervisor`, with a timeout per supplier.
  """

  use Task, restart: :permanent

  require Logger

  alias Inventory.{Catalog, StockServer}

  @supplier_timeout 5_000
  @default_batch 50

  def start_link(opts) do
    Task.start_link(__MODULE__, :run, [Keyword.fetch!(opts, :interval)])
  end

  @doc "Triggers a check without waiting for the next interval."
  def check_now do
    case Process.whereis(__MODULE__) do
      nil ->
        {:error, :not_running}

      pid ->
        send(pid, :check_now)
        :ok
    end
  end

  @doc false
  def run(interval) do
    Process.register(self(), __MODULE__)
    loop(interval)
  end

  defp loop(interval) do
    receive do
      :check_now -> replenish()
      :stop -> exit(:normal)
    after
      interval -> replenish()
    end

    loop(interval)
  end

  @doc "One pass: returns the purchase requests it raised."
  @spec replenish(pos_integer()) :: [{String.t(), pos_integer()}]
  def replenish(batch \\ @default_batch) do
    low =
      StockServer.low_stock()
      |> Enum.take(batch)
      |> Enum.reject(fn {sku, _units} -> Catalog.clearance?(sku) end)

    Inventory.TaskSupervisor
    |> Task.Supervisor.async_stream_nolink(low, &plan_reorder/1,
      timeout: @supplier_timeout,
      on_timeout: :kill_task
    )
    |> Enum.flat_map(fn
      {:ok, {sku, quantity}} when quantity > 0 ->
        [{sku, quantity}]

      {:ok, _nothing_to_order} ->
        []

      {:exit, reason} ->
        Logger.warning("supplier lookup failed: #{inspect(reason)}")
        []
    end)
  end

  # Order enough to cover two weeks of typical demand, in whole cases of 12.
  defp plan_reorder({sku, units}) do
    target = Catalog.weekly_demand(sku) * 2
    missing = max(target - units, 0)
    {sku, div(missing + 11, 12) * 12}
  end
end
