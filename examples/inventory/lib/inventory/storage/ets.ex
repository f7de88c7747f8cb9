defmodule Inventory.Storage.ETS do
  @moduledoc """
  ETS storage for larger catalogs. The table is owned by whichever process
  calls `new/1` (in production, `Inventory.StockServer`), so it dies with it.
  """

  @behaviour Inventory.Storage

  @default_table :inventory_stock

  @doc "Creates the table and returns the ref to pass to the callbacks."
  @spec new(atom()) :: atom()
  def new(name \\ @default_table) do
    :ets.new(name, [:set, :public, :named_table, read_concurrency: true])
  end

  @impl true
  def fetch(table, sku) do
    case :ets.lookup(table, sku) do
      [{^sku, quantity}] -> {:ok, quantity}
      [] -> :error
    end
  end

  @impl true
  def put(table, sku, quantity) do
    true = :ets.insert(table, {sku, quantity})
    :ok
  end

  # delete/2 is optional; without it Inventory.Storage.delete/2 sets the
  # quantity to zero, which keeps the SKU visible in stock reports.

  @impl true
  def all(table), do: :ets.tab2list(table)
end
